"""The notification pages, the nav badge, following, settings, unsubscribe and mention suggestions."""
import time

from cocreate.extensions import db
from cocreate.ideas import services as ideas
from cocreate.notifications.delivery import unsubscribe_token
from cocreate.notifications.models import Follow
from cocreate.notifications.delivery import email_mode

from ..factories import make_idea, make_space, make_user
from .conftest import notes

HX = {"HX-Request": "true"}


def _notify(cast, n=1):
    idea = make_idea(cast.challenge, author=cast.member, title="Quote bot")
    for i in range(n):
        ideas.add_comment(cast.other, idea, f"Comment {i}")
    return idea


def test_the_list_shows_notifications_as_a_page_and_as_a_fragment(cast, client, auth):
    _notify(cast, 2)
    auth.login(cast.member)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "commented on your idea" in page.text and "<html" in page.text
    fragment = client.get("/notifications/?page=1", headers=HX)
    assert "commented on your idea" in fragment.text and "<html" not in fragment.text


def test_the_list_runs_a_fixed_number_of_queries(cast, client, auth, count_queries):
    auth.login(cast.member)
    _notify(cast, 1)
    with count_queries() as few:
        client.get("/notifications/")
    _notify(cast, 15)
    with count_queries() as many:
        client.get("/notifications/")
    assert len(few) == len(many) <= 6


def test_the_badge_counts_unread_and_answers_304_when_unchanged(cast, client, auth, count_queries):
    auth.login(cast.member)
    empty = client.get("/notifications/badge", headers=HX)
    assert empty.status_code == 200 and "nav-notifications__count" not in empty.text
    _notify(cast, 3)
    badge = client.get("/notifications/badge", headers=HX)
    assert '<span class="nav-notifications__count">3</span>' in badge.text
    assert badge.headers["Cache-Control"] == "private, no-cache"
    with count_queries() as queries:
        again = client.get("/notifications/badge", headers={**HX, "If-None-Match": badge.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert len(queries) <= 3  # the session's user, the badge state
    client.post("/notifications/read-all")
    assert client.get("/notifications/badge", headers={"If-None-Match": badge.headers["ETag"]}).status_code == 200


def test_anonymous_badge_polls_get_no_content(client):
    assert client.get("/notifications/badge", headers=HX).status_code == 204


def test_pages_load_the_badge_instead_of_counting(cast, client, auth):
    auth.login(cast.member)
    page = client.get("/")
    assert 'id="nav-notifications"' in page.text and 'hx-trigger="load"' in page.text


def test_opening_marks_read_and_follows_the_link(cast, client, auth):
    _notify(cast)
    [note] = notes(cast.member)
    auth.login(cast.member)
    response = client.get(f"/notifications/{note.id}")
    assert response.status_code == 303 and response.location.endswith(note.url)
    db.session.refresh(note)
    assert note.is_read


def test_mark_read_as_fragment_and_plain_post(cast, client, auth):
    _notify(cast, 2)
    first, second = notes(cast.member)
    auth.login(cast.member)
    fragment = client.post(f"/notifications/{first.id}/read", headers=HX)
    assert fragment.status_code == 200 and f'id="notification-{first.id}"' in fragment.text
    assert "notification--unread" not in fragment.text.split("hx-swap-oob")[0]
    plain = client.post(f"/notifications/{second.id}/read", data={"next": "/notifications/"})
    assert plain.status_code == 303
    assert all(n.is_read for n in notes(cast.member))


def test_someone_elses_notification_is_404(cast, client, auth):
    _notify(cast)
    [note] = notes(cast.member)
    auth.login(cast.other)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert client.post(f"/notifications/{note.id}/read").status_code == 404


def test_notifications_of_a_space_no_longer_visible_disappear(app, client, auth):
    from cocreate.notifications.notify import _deliver

    owner, leaver = make_user(), make_user()
    space = make_space(owner=owner, visibility="members")
    with app.test_request_context():
        _deliver([leaver.id], "new_challenge", space=None, params={"space": "x", "title": "Visible"})
    from cocreate.notifications.models import Notification

    db.session.add(Notification(user_id=leaver.id, kind="new_challenge", space_id=space.id,
                                params={"space": space.title, "title": "Secret plan"}))
    db.session.commit()
    auth.login(leaver)
    page = client.get("/notifications/")
    assert "Visible" in page.text and "Secret plan" not in page.text
    assert ">1<" in client.get("/notifications/badge").text


def test_follow_and_unfollow_with_and_without_htmx(cast, client, auth):
    auth.login(cast.outsider)
    url = f"/follow/challenge/{cast.challenge.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'aria-pressed="false"' in page.text and "<html" in page.text
    fragment = client.post(url, headers=HX)
    assert 'aria-pressed="true"' in fragment.text and "<html" not in fragment.text
    assert db.session.get(Follow, (cast.outsider.id, "challenge", cast.challenge.id))
    plain = client.post(url + "/remove", data={"next": "/spaces/notify-space"})
    assert plain.status_code == 303 and plain.location.endswith("/spaces/notify-space")
    assert db.session.get(Follow, (cast.outsider.id, "challenge", cast.challenge.id)) is None


def test_following_what_one_may_not_see_is_404(app, client, auth):
    owner, stranger = make_user(), make_user()
    space = make_space(owner=owner, visibility="members")
    auth.login(stranger)
    assert client.get(f"/follow/space/{space.id}").status_code == 404
    assert client.post(f"/follow/space/{space.id}").status_code == 404
    assert client.post(f"/follow/nonsense/{space.id}").status_code == 404
    assert client.get("/follow/space/99999").status_code == 404


def test_the_profile_page_offers_the_email_choice(cast, client, auth):
    auth.login(cast.member)
    page = client.get(f"/people/{cast.member.id}")
    assert 'name="email_mode"' in page.text
    response = client.post("/notifications/settings", data={"email_mode": "daily"})
    assert response.status_code == 303 and email_mode(cast.member.id) == "daily"
    bad = client.post("/notifications/settings", data={"email_mode": "hourly"})
    assert bad.status_code == 422 and email_mode(cast.member.id) == "daily"


def test_unsubscribe_needs_no_login_and_cannot_be_forged(cast, client, app):
    token = unsubscribe_token(cast.member)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and cast.member.email in page.text and email_mode(cast.member.id) == "immediate"
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and email_mode(cast.member.id) == "never"
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    from itsdangerous import URLSafeTimedSerializer

    other_key = URLSafeTimedSerializer("another-secret", salt="notifications-unsubscribe").dumps({"u": cast.other.id})
    assert client.post(f"/unsubscribe/{other_key}").status_code == 404
    assert email_mode(cast.other.id) == "immediate"


def test_an_expired_unsubscribe_link_says_so(cast, client, app):
    token = unsubscribe_token(cast.member)
    app.config["UNSUBSCRIBE_MAX_AGE"] = 1
    time.sleep(2.1)
    response = client.post(f"/unsubscribe/{token}")
    assert response.status_code == 410 and email_mode(cast.member.id) == "immediate"


def test_mention_suggestions_offer_members_only(cast, client, auth):
    url = "/spaces/notify-space/mention-suggestions"
    auth.login(cast.other)
    response = client.get(url, query_string={"body": "Thanks @mi"}, headers=HX)
    assert 'data-mention="Mia Member"' in response.text and "Uma" not in response.text
    assert "data-mention" not in client.get(url, query_string={"body": "no at sign"}, headers=HX).text
    assert "Uma" not in client.get(url, query_string={"body": "@u"}, headers=HX).text
    auth.logout()
    auth.login(cast.outsider)
    assert "data-mention" not in client.get(url, query_string={"body": "@m"}, headers=HX).text
