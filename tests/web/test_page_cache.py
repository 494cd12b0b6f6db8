"""The Redis page cache for anonymous views of public pages (cocreate/web/pagecache.py)."""
import os
import re

import pytest
import redis
from flask import g

from tests.factories import make_challenge, make_space, make_user

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _forget_csrf_token():
    g.pop("csrf_token", None)


@pytest.fixture
def cached_app(make_app):
    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
    app = make_app(PAGE_CACHE=True, REDIS_URL=os.environ["TEST_REDIS_URL"], WTF_CSRF_ENABLED=True)
    # Requests here share the fixture's app context; each must mint its own token as in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_csrf_token)
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
