"""The Redis page cache for anonymous views of public pages (cocreate/web/pagecache.py)."""
import os
import re

import pytest
import redis
from flask import g

from tests.factories import make_challenge, make_idea, make_space, make_user

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _forget_request_state():
    g.pop("csrf_token", None)
    g.pop("_login_user", None)


@pytest.fixture
def cached_app(make_app):
    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
    app = make_app(PAGE_CACHE=True, REDIS_URL=os.environ["TEST_REDIS_URL"], WTF_CSRF_ENABLED=True)
    # Requests here share the fixture's app context; each must mint its own token and load its own user,
    # as in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_state)
    with app.app_context():
        yield app


def test_a_second_anonymous_visit_is_served_from_the_cache(cached_app):
    space = make_space(title="Cached space", slug="cached")
    first = cached_app.test_client().get("/spaces/cached")
    second = cached_app.test_client().get("/spaces/cached")
    assert first.headers["X-Page-Cache"] == "miss"
    assert second.headers["X-Page-Cache"] == "hit"
    assert "Cached space" in second.text
    assert space.title in first.text


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_copy(cached_app):
    make_space(slug="cached")
    cached_app.test_client().get("/spaces/cached")
    visitor = cached_app.test_client()
    hit = visitor.get("/spaces/cached")
    assert hit.headers["X-Page-Cache"] == "hit"
    other = cached_app.test_client().get("/spaces/cached")
    assert TOKEN.search(hit.text).group(1) != TOKEN.search(other.text).group(1)
    # The token of the cached copy works for this visitor's session.
    assert visitor.post("/language", data={"csrf_token": TOKEN.search(hit.text).group(1), "lang": "da"}).status_code != 400


def test_a_write_makes_the_next_visit_render_again(cached_app):
    space = make_space(slug="cached")
    cached_app.test_client().get("/spaces/cached")
    make_challenge(space, title="A brand new challenge")
    after = cached_app.test_client().get("/spaces/cached")
    assert after.headers["X-Page-Cache"] == "miss"
    assert "A brand new challenge" in after.text


def test_a_vote_and_its_withdrawal_make_the_next_visit_render_again(cached_app):
    # On PostgreSQL the vote is one statement that opens with WITH (data-modifying CTEs): the cache
    # must see it as a write all the same.
    from cocreate.ideas.services import unvote_idea, vote_idea

    voter = make_user()
    space = make_space(slug="cached", owner=voter)
    challenge = make_challenge(space)
    idea = make_idea(challenge, title="Shared stock lists")
    page = f"/spaces/cached/challenges/{challenge.id}/ideas/{idea.id}"
    assert "<strong>0</strong> votes" in cached_app.test_client().get(page).text
    assert cached_app.test_client().get(page).headers["X-Page-Cache"] == "hit"

    vote_idea(voter, challenge, idea.id)
    after_vote = cached_app.test_client().get(page)
    assert after_vote.headers["X-Page-Cache"] == "miss"
    assert "<strong>1</strong> vote" in after_vote.text

    unvote_idea(voter, challenge, idea.id)
    after_unvote = cached_app.test_client().get(page)
    assert after_unvote.headers["X-Page-Cache"] == "miss"
    assert "<strong>0</strong> votes" in after_unvote.text


def test_signed_in_members_are_never_served_a_cached_page(cached_app):
    make_space(slug="cached")
    user = make_user("cache-member@example.com")
    client = cached_app.test_client()
    client.get("/spaces/cached")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": TOKEN.search(page.text).group(1), "email": user.email,
                                "password": "a long enough test password"})
    response = client.get("/spaces/cached")
    assert "X-Page-Cache" not in response.headers


def test_anonymous_searches_are_cached_per_query_and_show_only_public_content(cached_app):
    from tests.factories import add_member

    public = make_space(title="Open harbour", slug="open")
    closed = make_space(title="Closed harbour", slug="closed", visibility="members", join_policy="invitation")
    make_challenge(public, title="Public pelican plan")
    make_challenge(closed, title="Secret pelican plan")
    member = make_user("pelican-member@example.com")
    add_member(closed, member)
    first = cached_app.test_client().get("/search?q=pelican")
    second = cached_app.test_client().get("/search?q=pelican")
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert "Public <mark>pelican</mark>" in second.text and "Secret" not in second.text
    assert cached_app.test_client().get("/search?q=pelican&kind=idea").headers["X-Page-Cache"] == "miss"
    client = cached_app.test_client()
    page = client.get("/login")
    client.post("/login", data={"csrf_token": TOKEN.search(page.text).group(1), "email": member.email,
                                "password": "a long enough test password"})
    response = client.get("/search?q=pelican")
    assert "X-Page-Cache" not in response.headers and "Secret <mark>pelican</mark>" in response.text


def test_an_unchanged_page_answers_304_to_its_etag(cached_app):
    make_space(slug="cached")
    client = cached_app.test_client()
    etag = client.get("/spaces/cached").headers["ETag"]
    assert client.get("/spaces/cached", headers={"If-None-Match": etag}).status_code == 304


def test_the_site_renders_as_usual_when_redis_is_away(make_app):
    app = make_app(PAGE_CACHE=True, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        make_space(title="Still here", slug="cached")
        response = app.test_client().get("/spaces/cached")
    assert response.status_code == 200
    assert "Still here" in response.text


def _signed_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def _statements_during(request):
    from sqlalchemy import event

    from cocreate.extensions import db

    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = request()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return response, statements


def test_dashboard_figures_are_kept_per_viewer_and_filter_and_say_when_they_were_counted(cached_app):
    facilitator = make_user(roles=["facilitator"])
    admin = make_user(roles=["admin"])
    make_space(title="Counted space")
    client = _signed_in_client(cached_app, facilitator)
    first, counted = _statements_during(lambda: client.get("/programme/"))
    second, again = _statements_during(lambda: client.get("/programme/"))
    assert first.status_code == second.status_code == 200
    assert "Counted at" in first.text and "Counted space" in first.text
    figures = re.compile(r'<div id="figures".*</div>', re.S)
    assert figures.search(second.text).group() == figures.search(first.text).group()
    # The second view reads only who is signed in; the figures' queries do not run again.
    assert len(again) < len(counted) and not any("maturity_assessments" in sql for sql in again)
    # Another filter, and another viewer (who may see other spaces), are counted for themselves.
    _other_filter, filtered = _statements_during(lambda: client.get("/programme/?sector=smart"))
    assert any("maturity_assessments" in sql for sql in filtered)
    # The filter form is kept with the figures: a cached view still shows the filter as chosen,
    # and an htmx filter change gets the figures alone (also from the cache).
    chosen = re.compile(r'<option (selected value="smart"|value="smart" selected)')
    cached_filtered, reread = _statements_during(lambda: client.get("/programme/?sector=smart"))
    assert chosen.search(cached_filtered.text) and not any("maturity_assessments" in sql for sql in reread)
    for _ in range(2):
        swap = client.get("/programme/?sector=smart", headers={"HX-Request": "true"})
        assert 'id="figures"' in swap.text and "<form" not in swap.text and "<html" not in swap.text
    _other_viewer, theirs = _statements_during(lambda: _signed_in_client(cached_app, admin).get("/programme/"))
    assert any("maturity_assessments" in sql for sql in theirs)


def test_dashboard_figures_are_counted_every_time_when_the_cache_time_is_zero(cached_app):
    cached_app.config["DASHBOARD_CACHE_SECONDS"] = 0
    client = _signed_in_client(cached_app, make_user(roles=["facilitator"]))
    client.get("/programme/")
    _response, again = _statements_during(lambda: client.get("/programme/"))
    assert any("maturity_assessments" in sql for sql in again)
