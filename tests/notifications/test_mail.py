"""E-mail: real SMTP to a local aiosmtpd server, the RQ queue on a real Redis, digests, unsubscribe headers."""
import os
import socket
from email import message_from_bytes, policy

import pytest

from cocreate.ideas import services as ideas
from cocreate.mail import outbox
from cocreate.notifications.services import set_email_mode

from ..factories import make_idea
from .conftest import notes

# The suite's own Redis database when one is given (each pass of `make test` has its own).
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/5"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _comment_on_members_idea(cast, body="Great idea"):
    idea = make_idea(cast.challenge, author=cast.member, title="Quote bot")
    ideas.add_comment(cast.other, idea, body)
    return idea


def test_an_immediate_notification_arrives_over_smtp_with_unsubscribe_headers(cast, app, smtp_server, client):
    port, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    _comment_on_members_idea(cast, "Let us **try** it")
    [message] = inbox.messages
    assert message["To"] == cast.member.email
    assert "commented on your idea" in message["Subject"]
    body = message.get_content()
    assert "Let us **try** it" in body and "/unsubscribe/" in body
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in body
    # The one-click POST a mail client makes, without a session or CSRF token.
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 200
    _comment_on_members_idea(cast, "Another")
    assert len(inbox.messages) == 1 and len(notes(cast.member)) == 2


def test_an_unreachable_mail_server_keeps_the_notification(cast, app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    _comment_on_members_idea(cast)
    [note] = notes(cast.member)
    assert note.emailed_at is None


def test_the_rq_queue_delivers_through_a_worker(cast, app, smtp_server):
    from redis import Redis
    from rq import SimpleWorker

    from cocreate.notifications.delivery import mail_queue

    try:
        Redis.from_url(REDIS_URL).ping()
    except Exception:
        pytest.skip("no Redis on " + REDIS_URL)
    port, inbox = smtp_server
    app.config.update(MAIL_QUEUE="rq", REDIS_URL=REDIS_URL, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
                      MAIL_PORT=port, MAIL_USE_TLS=False)
    queue = mail_queue()
    queue.empty()
    _comment_on_members_idea(cast)
    assert inbox.messages == [] and queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    [message] = inbox.messages
    assert message["To"] == cast.member.email and "/unsubscribe/" in message.get_content()
    assert queue.count == 0


def test_the_daily_digest_groups_by_space_and_kind_and_goes_once(cast, runner):
    from cocreate.notifications.notify import _deliver

    set_email_mode(cast.member, cast.member, "daily")
    idea = _comment_on_members_idea(cast, "First")
    ideas.add_comment(cast.other, idea, "Second")
    ideas.change_idea_status(cast.owner, idea, "shortlisted")
    with runner.app.test_request_context():
        _deliver([cast.member.id], "org_approved", params={"title": "Fjord Parts ApS"})
    assert outbox == []
    assert "1 digests" in runner.invoke(args=["send-digests"]).output
    [digest] = outbox
    body = digest.get_content()
    assert "4 notifications" in digest["Subject"] and digest["List-Unsubscribe"]
    space_at, account_at = body.index("== Notify Space =="), body.index("== Your account ==")
    comments_at, status_at = body.index("Replies and comments:"), body.index("Status changes:")
    assert space_at < comments_at < status_at and "Membership:" in body[account_at:]
    assert body.index("First") < body.index("Second")
    assert "0 digests" in runner.invoke(args=["send-digests"]).output
    assert all(n.emailed_at is not None for n in notes(cast.member))


def test_the_digest_leaves_out_spaces_the_person_left(cast, runner):
    from cocreate.spaces.services import leave_space

    cast.space.visibility = "members"
    from cocreate.extensions import db

    db.session.commit()
    set_email_mode(cast.other, cast.other, "daily")
    idea = make_idea(cast.challenge, author=cast.other, title="Hidden plan")
    ideas.add_comment(cast.member, idea, "Secret remark")
    leave_space(cast.other, cast.space)
    runner.invoke(args=["send-digests"])
    assert not any("Secret remark" in m.get_content() for m in outbox)
