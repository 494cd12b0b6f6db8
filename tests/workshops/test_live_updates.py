"""Live updates: polls with a cursor, answered by any process that shares the database."""
import re

from cocreate.extensions import db
from cocreate.workshops.models import Post
from cocreate.workshops.queries import THREAD_PAGE_SIZE

from ..factories import DEFAULT_PASSWORD, make_post

HTMX = {"HX-Request": "true"}


def _login(client, user):
    assert client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 303


def _post_ids(html):
    return [int(n) for n in re.findall(r'<li class="post[^"]*" id="post-(\d+)"', html)]


def _cursor(html):
    return int(re.search(r'id="thread-poller" hx-get="[^"]*after=(\d+)"', html).group(1))


def test_a_post_made_through_one_app_reaches_the_poll_of_another_once_and_in_order(cast, app, make_app):
    other_app = make_app()  # a second process of the site: its own app, engine and sessions
    writer, reader = app.test_client(), other_app.test_client()
    _login(writer, cast.member)
    _login(reader, cast.other_member)
    base = f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}"

    page = reader.get(base).get_data(as_text=True)
    cursor = _cursor(page)
    assert reader.get(f"{base}/posts?after={cursor}", headers=HTMX).status_code == 204

    for text in ("First idea", "Second idea", "Third idea"):
        assert writer.post(f"{base}/posts", data={"body": text}).status_code == 303
    first_poll = reader.get(f"{base}/posts?after={cursor}", headers=HTMX)
    assert first_poll.status_code == 200
    html = first_poll.get_data(as_text=True)
    ids = db.session.scalars(db.select(Post.id).order_by(Post.id)).all()
    assert _post_ids(html) == ids
    assert html.index("First idea") < html.index("Second idea") < html.index("Third idea")
    assert 'hx-swap-oob="true"' in html and _cursor(html) == ids[-1]

    # The next poll carries the new cursor: nothing is sent twice.
    cursor = _cursor(html)
    assert reader.get(f"{base}/posts?after={cursor}", headers=HTMX).status_code == 204
    writer.post(f"{base}/posts", data={"body": "Fourth idea"})
    writer.post(f"{base}/posts", data={"body": "A reply", "parent_id": str(ids[0])})
    html = reader.get(f"{base}/posts?after={cursor}", headers=HTMX).get_data(as_text=True)
    fourth, reply = db.session.scalars(db.select(Post.id).where(Post.id > cursor).order_by(Post.id)).all()
    assert _post_ids(html) == [fourth, reply] and "First idea" not in html
    # A reply to a post already on the page goes into that post's replies, out of band.
    assert f'hx-swap-oob="beforeend:#post-{ids[0]}-replies"' in html
    assert _cursor(html) == reply


def test_a_reply_that_arrives_with_its_post_is_nested_in_it(cast, client):
    top = make_post(cast.workshop, cast.member, body="Top")
    make_post(cast.workshop, cast.other_member, body="Nested reply", parent=top)
    html = client.get(f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}/posts?after=0",
                      headers=HTMX).get_data(as_text=True)
    assert "hx-swap-oob=\"beforeend" not in html
    replies = html[html.index(f'id="post-{top.id}-replies"'):]
    assert "Nested reply" in replies


def test_without_htmx_a_poll_leads_back_to_the_thread(cast, client):
    make_post(cast.workshop, cast.member)
    base = f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}"
    response = client.get(f"{base}/posts?after=0")
    assert response.status_code == 303 and response.headers["Location"].startswith(base)
    assert client.get(f"{base}/posts").status_code == 303


def test_only_the_last_page_polls(cast, client):
    for n in range(THREAD_PAGE_SIZE + 1):
        make_post(cast.workshop, cast.member, body=f"Post {n}", commit=False)
    db.session.commit()
    base = f"/spaces/{cast.space.slug}/workshops/{cast.workshop.id}"
    assert 'id="thread-poller"' not in client.get(base).get_data(as_text=True)
    assert 'id="thread-poller"' in client.get(f"{base}?page=2").get_data(as_text=True)


def test_posts_of_members_only_spaces_do_not_leak_through_the_poll(app, client):
    from ..factories import make_space, make_user, make_workshop

    owner = make_user()
    space = make_space(owner=owner, visibility="members", join_policy="invitation")
    workshop = make_workshop(space)
    make_post(workshop, owner, body="Members only")
    assert client.get(f"/spaces/{space.slug}/workshops/{workshop.id}/posts?after=0", headers=HTMX).status_code == 404
