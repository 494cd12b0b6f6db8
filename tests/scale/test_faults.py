"""Faults (issue #10, item 6): the site's own PostgreSQL restarted and its Redis stopped under
light load, and writes that fail half-way.

The restart tests start their OWN PostgreSQL (initdb in a temporary folder, pg_ctl on a free
port) and their own redis-server, never the shared ones. A separate CI step: ``pytest -m faults``.
The half-way tests need no servers and run with the suite.
"""
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bench.servers import Server, Visitor, create_schema, free_port, recreate_database
from tests.factories import DEFAULT_PASSWORD, make_challenge, make_idea, make_space, make_user, make_workshop

AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
HAVE_TOOLS = all(shutil.which(tool) for tool in ("initdb", "pg_ctl", "redis-server"))
own_servers = pytest.mark.skipif(not HAVE_TOOLS, reason="needs initdb, pg_ctl and redis-server on PATH")
FAST = 3.0  # seconds: a request during an outage must fail at least this fast


class OwnPostgres:
    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cocreate-faults-pg-"))
        self.data = self.folder / "data"
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *command):
        subprocess.run([*AS_POSTGRES, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        return self.start()

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        return self

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(50):
            try:
                redis.Redis.from_url(self.url).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(scope="module")
def stack():
    """Own PostgreSQL and Redis, a seeded database and one gunicorn app server on them."""
    postgres = OwnPostgres().init()
    redis_server = OwnRedis().start()
    try:
        url = recreate_database(postgres.url, "cocreate_faults")
        app = create_schema(url)
        from cocreate.extensions import db

        with app.app_context():
            member = make_user("faults-member@example.com", name="Fault Member")
            space = make_space(slug="faults-space", owner=member)
            workshop = make_workshop(space, phase="diverge", creator=member)
            ids = {"space": space.slug, "workshop": workshop.id}
            db.session.remove()
            db.engine.dispose()
        with Server(url, redis_server.url, workers=1, threads=4) as server:
            yield postgres, redis_server, server, ids
    finally:
        redis_server.stop()
        postgres.destroy()


class LightLoad:
    """Two visitors reading pages in a loop, counting what they were answered."""

    def __init__(self, base, paths):
        self.base, self.paths = base, paths
        self.statuses = Counter()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(2)]

    def loop(self):
        visitor = Visitor(self.base, timeout=10)
        while not self.stopping.is_set():
            for path in self.paths:
                try:
                    self.statuses[visitor.get(path).status] += 1
                except OSError as error:
                    self.statuses[type(error).__name__] += 1
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(15)


def _until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    return check()


@pytest.mark.faults
@own_servers
def test_a_postgresql_restart_fails_fast_with_the_503_page_and_then_recovers(stack):
    postgres, _redis, server, ids = stack
    member = Visitor(server.base)
    assert member.login("faults-member@example.com", DEFAULT_PASSWORD).status == 303
    thread = f"/spaces/{ids['space']}/workshops/{ids['workshop']}"
    pid = server.process.pid
    with LightLoad(server.base, ["/spaces/", thread, "/healthz"]) as load:
        assert member.get("/profile").status == 200
        postgres.stop()
        try:
            for path in ("/profile", thread, "/spaces/"):
                started = time.monotonic()
                response = member.get(path)
                assert response.status == 503, path
                assert time.monotonic() - started < FAST
                assert "Temporarily unavailable" in response.text
            assert member.get("/healthz").status == 503
        finally:
            postgres.start()
        # No restart of the app: the pool drops dead connections (pool_pre_ping) and reconnects.
        assert _until(lambda: member.get("/profile").status == 200, 20)
        assert member.post(f"{thread}/posts", {"body": "Written after the restart"}).status == 303
    assert server.process.pid == pid and server.process.poll() is None
    assert set(load.statuses) <= {200, 503}, load.statuses


@pytest.mark.faults
@own_servers
def test_without_redis_the_site_serves_and_accepts_posts(stack):
    _postgres, redis_server, server, ids = stack
    member = Visitor(server.base)
    assert member.login("faults-member@example.com", DEFAULT_PASSWORD).status == 303
    thread = f"/spaces/{ids['space']}/workshops/{ids['workshop']}"
    with LightLoad(server.base, ["/spaces/", thread]) as load:
        redis_server.stop()
        try:
            assert Visitor(server.base).get(thread).status == 200  # anonymous: the page cache steps aside
            assert member.get(thread).status == 200
            assert member.post(f"{thread}/posts", {"body": "Written without Redis"}).status == 303
            assert "Written without Redis" in member.get(thread).text
            # Log-in still works: the limiter counts in memory until Redis is back.
            assert Visitor(server.base).login("faults-member@example.com", DEFAULT_PASSWORD).status == 303
            # The health check tells the load balancer what is missing.
            assert member.get("/healthz").status == 503
        finally:
            redis_server.start()
    assert set(load.statuses) <= {200}, load.statuses


# --- writes that fail half-way (in-process, any database) -----------------------------------

def _fail_on(app, part):
    """Make the database refuse statements that hold ``part``, as if the connection broke there.

    "Hold", not "start with": on PostgreSQL the vote is one statement whose data-modifying CTEs
    write the vote, the ballot and the count (``_VOTE`` in ``cocreate/ideas/services.py``).
    """
    from cocreate.extensions import db

    def refuse(_connection, _cursor, statement, *_args):
        if part.upper() in statement.upper():
            raise OperationalError(statement, {}, Exception("connection lost (test)"))

    event.listen(db.engine, "before_cursor_execute", refuse)
    return lambda: event.remove(db.engine, "before_cursor_execute", refuse)


def test_an_idea_that_fails_half_way_leaves_no_partial_record(app, client, auth):
    from cocreate.extensions import db
    from cocreate.ideas.models import Idea

    member = make_user("half-way@example.com")
    space = make_space(owner=member)
    challenge = make_challenge(space, author=member)
    auth.login(member)
    undo = _fail_on(app, "INSERT INTO idea_status_changes")  # after the idea row went in
    try:
        response = client.post(f"/spaces/{space.slug}/challenges/{challenge.id}/ideas/new",
                               data={"title": "Half an idea", "body": "Never stored."})
    finally:
        undo()
    assert response.status_code == 503
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_a_vote_that_fails_half_way_changes_no_count(app, client, auth):
    from cocreate.extensions import db
    from cocreate.ideas.models import Ballot, Idea, IdeaVote

    member = make_user("half-vote@example.com")
    space = make_space(owner=member)
    challenge = make_challenge(space, author=member)
    idea = make_idea(challenge, author=member)
    auth.login(member)
    # SQLite: after the vote row and the ballot upsert, at the idea's count (the last statement);
    # PostgreSQL: the one statement that writes all three.
    undo = _fail_on(app, "UPDATE ideas")
    try:
        response = client.post(f"/spaces/{space.slug}/challenges/{challenge.id}/ideas/{idea.id}/vote")
    finally:
        undo()
    assert response.status_code == 503
    db.session.rollback()
    assert db.session.get(Idea, idea.id).vote_count == 0
    assert db.session.scalar(select(func.count()).select_from(IdeaVote)) == 0
    assert db.session.scalar(select(func.coalesce(func.sum(Ballot.votes_used), 0))) == 0
