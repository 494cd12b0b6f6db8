"""Two app servers on one PostgreSQL and one Redis behave as one site (issue #9, item 2).

Nothing a request needs may live in one process: the session is a signed cookie, votes and
posts are in PostgreSQL, rate limits count in Redis and the live thread polls the database.
"""
import os
import re
import socket
from pathlib import Path

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


def _connections_per_worker(server):
    """Established connections to the server's port, counted per worker process (from /proc)."""
    port = f"{server.port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port}") and fields[3] == "01":  # local port, ESTABLISHED
            inodes.add(f"socket:[{fields[9]}]")
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    counts = []
    for pid in children:
        fds = Path(f"/proc/{pid}/fd")
        counts.append(sum(1 for fd in fds.iterdir() if _link(fd) in inodes))
    return counts


def _link(fd):
    try:
        return os.readlink(fd)
    except OSError:
        return None


def test_a_burst_of_kept_alive_connections_is_shared_by_both_workers(server_database):
    """gunicorn.conf.py caps a worker at its threads plus two connections: without the cap the
    worker that woke first took every connection of a burst and, held to one core by the GIL,
    served them all while the other worker idled."""
    threads = 4
    with Server(server_database, TEST_REDIS_URL, workers=2, threads=threads) as server:
        for _burst in range(5):
            clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(8)]
            try:
                for client in clients:
                    client.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
                for client in clients:
                    assert client.recv(65536).startswith(b"HTTP/1.1 200")
                counts = _connections_per_worker(server)
                assert len(counts) == 2
                assert max(counts) <= threads + 2, counts
            finally:
                for client in clients:
                    client.close()
