"""Two app servers on one PostgreSQL and one Redis behave as one site (issue #9, item 2).

Nothing a request needs may live in one process: the session is a signed cookie, votes and
posts are in PostgreSQL, rate limits count in Redis and the live thread polls the database.
"""
import re

import pytest
import redis

from bench.servers import Server, Visitor
from tests.factories import DEFAULT_PASSWORD, make_challenge, make_idea, make_space, make_user, make_workshop

from .conftest import TEST_REDIS_URL, needs_postgres_and_redis

pytestmark = [pytest.mark.scale, needs_postgres_and_redis]
LOGIN_LIMIT = 5


@pytest.fixture(scope="module")
def world(data_app):
    from cocreate.extensions import db

    with data_app.app_context():
        member = make_user("scale-member@example.com", name="Scale Member")
        space = make_space(title="Scale space", slug="scale-space", owner=member)
        challenge = make_challenge(space, author=member)
        idea = make_idea(challenge, author=member, title="An idea to vote for")
        workshop = make_workshop(space, title="Scale workshop", phase="diverge", creator=member)
        ids = {"space": space.slug, "challenge": challenge.id, "idea": idea.id, "workshop": workshop.id}
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def servers(server_database):
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    first = Server(server_database, TEST_REDIS_URL, RATELIMIT_AUTH=f"{LOGIN_LIMIT} per minute")
    second = Server(server_database, TEST_REDIS_URL, RATELIMIT_AUTH=f"{LOGIN_LIMIT} per minute")
    with first, second:
        yield first, second


@pytest.fixture
def members(servers, world):
    """The same member's browser, once per server: signed in on the first only."""
    first, second = servers
    on_first = Visitor(first.base)
    assert on_first.login("scale-member@example.com", DEFAULT_PASSWORD).status == 303
    return on_first, on_first.with_base(second.base)


def test_a_session_from_one_server_works_on_the_other(members):
    _on_first, on_second = members
    response = on_second.get("/profile")
    assert response.status == 200
    assert "Scale Member" in response.text


def test_a_vote_on_one_server_shows_on_the_other(members, world):
    on_first, on_second = members
    base = f"/spaces/{world['space']}/challenges/{world['challenge']}"
    vote = on_first.post(f"{base}/ideas/{world['idea']}/vote", headers={"HX-Request": "true"})
    assert vote.status == 200
    page = on_second.get(f"{base}/ideas/{world['idea']}")
    assert re.search(rf'id="idea-{world["idea"]}-votes"[^>]*><strong>1</strong>', page.text)


def test_a_post_on_one_server_reaches_the_live_thread_on_the_other(members, world):
    on_first, on_second = members
    path = f"/spaces/{world['space']}/workshops/{world['workshop']}"
    thread = on_second.get(path)
    cursor = re.search(r"/posts\?after=(\d+)", thread.text)
    after = cursor.group(1) if cursor else "0"
    assert on_second.get(f"{path}/posts?after={after}", headers={"HX-Request": "true"}).status == 204

    posted = on_first.post(f"{path}/posts", {"body": "Written on the first server"})
    assert posted.status == 303
    live = on_second.get(f"{path}/posts?after={after}", headers={"HX-Request": "true"})
    assert live.status == 200
    assert "Written on the first server" in live.text


def test_log_in_attempts_count_across_both_servers(servers):
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    first, second = servers
    statuses = []
    for attempt in range(LOGIN_LIMIT + 1):
        visitor = Visitor((first, second)[attempt % 2].base)
        statuses.append(visitor.login("nobody@example.com", "wrong password").status)
    # Each server alone saw at most three attempts: only the shared count reaches the limit.
    assert statuses[:LOGIN_LIMIT] == [422] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT] == 429
