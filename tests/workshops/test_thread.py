import json
from datetime import timedelta

import pytest
from flask import g

from cocreate.errors import DomainError, PermissionDenied
from cocreate.extensions import db
from cocreate.models import utcnow
from cocreate.workshops import services
from cocreate.workshops.models import Phase, Post

from ..factories import make_post


def url(cast, suffix=""):
    return f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}{suffix}"


@pytest.mark.parametrize("phase, who, allowed", [
    ("preparing", "member", False), ("preparing", "facilitator", True),
    ("diverge", "member", True), ("converge", "member", True), ("decide", "member", True),
    ("closed", "member", False), ("closed", "facilitator", False),
])
def test_the_phase_decides_who_posts(cast, phase, who, allowed):
    cast.workshop.phase = phase
    db.session.commit()
    author = getattr(cast, who)
    if allowed:
        assert services.create_post(author, cast.workshop, "Hello").id
    else:
        with pytest.raises(DomainError):
            services.create_post(author, cast.workshop, "Hello")


def test_outsiders_never_post_and_locked_threads_take_no_posts(cast):
    with pytest.raises(DomainError):
        services.create_post(cast.outsider, cast.workshop, "Let me in")
    services.set_locked(cast.facilitator, cast.workshop, True)
    for author in (cast.member, cast.facilitator):
        with pytest.raises(DomainError, match="locked"):
            services.create_post(author, cast.workshop, "Hello")


def test_muted_members_cannot_post_until_the_mute_ends(cast):
    services.mute_member(cast.facilitator, cast.space, cast.member.id, 1, "Calm down")
    with pytest.raises(DomainError, match="muted"):
        services.create_post(cast.member, cast.workshop, "Hello")
    services.unmute_member(cast.facilitator, cast.space, cast.member.id)
    assert services.create_post(cast.member, cast.workshop, "Hello")


def test_facilitators_cannot_be_muted_and_members_cannot_mute(cast):
    with pytest.raises(DomainError):
        services.mute_member(cast.owner, cast.space, cast.facilitator.id, 1, "No")
    with pytest.raises(PermissionDenied):
        services.mute_member(cast.member, cast.space, cast.other_member.id, 1, "No")


def test_replies_stay_one_level_deep(cast):
    top = services.create_post(cast.member, cast.workshop, "Top")
    reply = services.create_post(cast.other_member, cast.workshop, "Reply", parent_id=top.id)
    deeper = services.create_post(cast.member, cast.workshop, "Reply to reply", parent_id=reply.id)
    assert reply.parent_id == top.id and deeper.parent_id == top.id


def test_a_post_records_the_authors_side_and_renders_markdown(cast):
    post = services.create_post(cast.member, cast.workshop, "**Bold** <script>x</script>")
    assert "<strong>Bold</strong>" in post.body_html and "<script>" not in post.body_html
    assert post.author_side == "other"


def test_authors_edit_within_15_minutes_and_the_post_shows_as_edited(cast, client, auth):
    post = services.create_post(cast.member, cast.workshop, "First version")
    services.edit_post(cast.member, post, "Second version")
    assert post.edited_at is not None
    post.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.edit_post(cast.member, post, "Third version")
    with pytest.raises(PermissionDenied):
        services.edit_post(cast.other_member, post, "Not mine")
    auth.login(cast.other_member)
    page = client.get(url(cast)).get_data(as_text=True)
    assert "Second version" in page and "edited" in page


def test_a_post_that_fails_keeps_its_text_in_the_form(cast, client, auth):
    cast.workshop.is_locked = True
    db.session.commit()
    auth.login(cast.member)
    response = client.post(url(cast, "/posts"), data={"body": "My precious words"})
    assert response.status_code == 422
    assert "My precious words" in response.get_data(as_text=True)
    fragment = client.post(url(cast, "/posts"), data={"body": "My precious words"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422
    body = fragment.get_data(as_text=True)
    assert "My precious words" in body and "<html" not in body and 'id="post-form"' in body


def test_posting_through_the_form_redirects_to_the_post(cast, client, auth):
    auth.login(cast.member)
    response = client.post(url(cast, "/posts"), data={"body": "Via the form"})
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post).where(Post.body_md == "Via the form"))
    assert response.headers["Location"].endswith(f"#post-{post.id}")
    htmx = client.post(url(cast, "/posts"), data={"body": "Via htmx"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    # htmx fetches the location as the header says: the whole thread page, not the form's fragment.
    location = json.loads(htmx.headers["HX-Location"])
    page = client.get(location["path"], headers={"HX-Request": "true", **location["headers"]})
    assert "<html" in page.get_data(as_text=True) and "Via htmx" in page.get_data(as_text=True)


def test_quote_prefills_the_form_but_never_with_a_hidden_post(cast, client, auth):
    visible = make_post(cast.workshop, cast.other_member, body="Line one\nLine two")
    hidden = make_post(cast.workshop, cast.other_member, body="Secret words", hidden_reason="Off topic")
    auth.login(cast.member)
    page = client.get(url(cast, f"?reply_to={visible.id}&quote=1")).get_data(as_text=True)
    assert "&gt; Line one\n&gt; Line two" in page
    fragment = client.get(url(cast, f"?reply_to={visible.id}&quote=1"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "&gt; Line one" in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    quoted_hidden = client.get(url(cast, f"?reply_to={hidden.id}&quote=1")).get_data(as_text=True)
    assert "Secret words" not in quoted_hidden
    with pytest.raises(DomainError):
        services.quote_text(cast.facilitator, hidden)


def test_hidden_posts_show_the_reason_to_others_and_the_text_to_author_and_facilitators(cast, app):
    post = make_post(cast.workshop, cast.member, body="Rude remark")
    services.hide_post(cast.facilitator, post, "Keep it civil")
    for viewer, sees in ((cast.other_member, False), (cast.outsider, False), (None, False),
                         (cast.member, True), (cast.facilitator, True), (cast.owner, True)):
        # Requests in a test share the test's app context, so forget the previous viewer.
        g.pop("_login_user", None)
        client = app.test_client()
        if viewer:
            client.post("/login", data={"email": viewer.email, "password": "a long enough test password"})
        page = client.get(url(cast)).get_data(as_text=True)
        assert "Hidden by a facilitator: Keep it civil" in page
        assert ("Rude remark" in page) is sees, viewer
        polled = client.get(url(cast, "/posts?after=0"), headers={"HX-Request": "true"}).get_data(as_text=True)
        assert ("Rude remark" in polled) is sees, viewer
    services.restore_post(cast.facilitator, post)
    assert "Rude remark" in app.test_client().get(url(cast)).get_data(as_text=True)


def test_pinned_posts_show_above_the_thread(cast, client):
    make_post(cast.workshop, cast.member, body="Ordinary")
    pinned = make_post(cast.workshop, cast.member, body="Read this first")
    services.set_pinned(cast.facilitator, pinned, True)
    page = client.get(url(cast)).get_data(as_text=True)
    assert page.index("Read this first") < page.index("Ordinary")


def test_closed_workshops_take_no_posts_but_stay_readable(cast, client, auth):
    make_post(cast.workshop, cast.member, body="Before closing")
    services.change_phase(cast.facilitator, cast.workshop, Phase.CLOSED)
    auth.login(cast.member)
    page = client.get(url(cast))
    assert "Before closing" in page.get_data(as_text=True) and "The workshop is closed." in page.get_data(as_text=True)
    assert client.post(url(cast, "/posts"), data={"body": "Late"}).status_code == 422
