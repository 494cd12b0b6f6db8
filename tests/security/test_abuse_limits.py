"""Abuse limits: per person and per address, a friendly 429, and counts shared between processes (Redis)."""
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
import redis

from ..factories import add_member, make_challenge, make_idea, make_space, make_user
from ..test_route_matrix import _sign_in

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
WIDE = "1000 per minute"


@pytest.fixture
def limited(make_app):
    def make(**limits):
        settings = dict(RATELIMIT_AUTH=WIDE, RATELIMIT_AUTH_PERSON=WIDE, RATELIMIT_POSTING=WIDE,
                        RATELIMIT_POSTING_ADDRESS=WIDE, RATELIMIT_VOTING=WIDE, RATELIMIT_VOTING_ADDRESS=WIDE)
        settings.update(limits)
        return make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}", **settings)
    return make


def _idea_world(app):
    """Two members and four ideas; requests then run outside this app context, each in its own, as in production."""
    with app.app_context():
        space = make_space()
        first, second = make_user(), make_user()
        add_member(space, first)
        add_member(space, second)
        challenge = make_challenge(space, author=first)
        ideas = [SimpleNamespace(id=make_idea(challenge, first).id) for _ in range(4)]
        base = f"/spaces/{space.slug}/challenges/{challenge.id}/ideas"
        return SimpleNamespace(id=first.id), SimpleNamespace(id=second.id), base, ideas


def _client(app, user=None, address="192.0.2.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if user is not None:
        _sign_in(client, user)
    return client


def test_posting_is_limited_per_person(limited):
    app = limited(RATELIMIT_POSTING="2 per minute")
    first, second, base, ideas = _idea_world(app)
    one, other = _client(app, first), _client(app, second)
    statuses = [one.post(f"{base}/{ideas[0].id}/comments", data={"body": f"Comment {n}"}).status_code
                for n in range(3)]
    assert statuses == [303, 303, 429]
    assert one.post(f"{base}/new", data={"title": "An idea", "body": "Text"}).status_code == 303  # another route
    assert other.post(f"{base}/{ideas[0].id}/comments", data={"body": "Mine"}).status_code == 303


def test_posting_is_limited_per_address(limited):
    app = limited(RATELIMIT_POSTING_ADDRESS="3 per minute")
    first, second, base, ideas = _idea_world(app)
    office = [_client(app, first), _client(app, second)]
    statuses = [office[n % 2].post(f"{base}/{ideas[0].id}/comments", data={"body": f"C {n}"}).status_code
                for n in range(4)]
    assert statuses == [303, 303, 303, 429]
    elsewhere = _client(app, second, address="198.51.100.7")
    assert elsewhere.post(f"{base}/{ideas[0].id}/comments", data={"body": "From home"}).status_code == 303


def test_voting_is_limited_per_person_and_per_address(limited):
    app = limited(RATELIMIT_VOTING="2 per minute", RATELIMIT_VOTING_ADDRESS="3 per minute")
    first, second, base, ideas = _idea_world(app)
    one = _client(app, first)
    assert [one.post(f"{base}/{idea.id}/vote").status_code for idea in ideas[:3]] == [303, 303, 429]
    other = _client(app, second)
    assert [other.post(f"{base}/{idea.id}/vote").status_code for idea in ideas[:2]] == [303, 429]


def test_log_in_is_limited_per_account_from_any_address(limited):
    app = limited(RATELIMIT_AUTH_PERSON="2 per minute")
    with app.app_context():
        make_user(email="target@example.com")
        attempts = [_client(app, address=f"203.0.113.{n}").post(
            "/login", data={"email": "Target@example.com", "password": "guessing away"}).status_code for n in range(3)]
        assert attempts == [422, 422, 429]
        other = _client(app).post("/login", data={"email": "someone@example.com", "password": "guessing away"})
        assert other.status_code == 422


def test_password_reset_is_limited_per_account(limited):
    app = limited(RATELIMIT_AUTH_PERSON="1 per minute")
    with app.app_context():
        statuses = [_client(app, address=f"203.0.113.{n}").post(
            "/password/forgot", data={"email": "target@example.com"}).status_code for n in range(2)]
        assert statuses == [303, 429]


def test_the_429_page_is_in_the_site_look_and_a_fragment_for_htmx(limited):
    app = limited(RATELIMIT_POSTING="1 per minute")
    first, _second, base, ideas = _idea_world(app)
    client = _client(app, first)
    client.post(f"{base}/{ideas[0].id}/comments", data={"body": "One"})
    page = client.post(f"{base}/{ideas[0].id}/comments", data={"body": "Two"})
    html = page.get_data(as_text=True)
    assert page.status_code == 429 and "<html" in html and "Too many requests" in html
    assert "site-footer" in html and "Please wait a minute" in html
    # Seconds left in the one-minute window (the limits library rounds its end up to a whole second).
    assert 1 <= int(page.headers["Retry-After"]) <= 61
    fragment = client.post(f"{base}/{ideas[0].id}/comments", data={"body": "Three"}, headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 429 and "Too many requests" in text and "<html" not in text
    danish = _client(app, first)
    danish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    assert "For mange" in danish.post(f"{base}/{ideas[0].id}/comments", data={"body": "Fire"}).get_data(as_text=True)


# --- two processes, one Redis ----------------------------------------------------------------------
OTHER_PROCESS = """
import sys
from cocreate import create_app
url, storage, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": True,
                  "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix,
                  "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False, "RATELIMIT_AUTH": "3 per minute",
                  "RATELIMIT_AUTH_PERSON": "1000 per minute"})
client = app.test_client()
print(",".join(str(client.post("/login", data={"email": f"p{n}@example.com", "password": "guessing away"}).status_code)
               for n in range(count)))
"""


@pytest.fixture
def redis_storage():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    prefix = f"cocreate-test-{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def _other_process(database_url, storage, prefix, count):
    result = subprocess.run([sys.executable, "-c", OTHER_PROCESS, database_url, storage, prefix, str(count)],
                            capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.strip().splitlines()[-1]


def test_limits_hold_across_two_app_processes_sharing_redis(database_url, redis_storage):
    """Each process is a fresh interpreter with its own app, as under gunicorn; only Redis is shared."""
    assert _other_process(database_url, REDIS_URL, redis_storage, 2) == "422,422"
    assert _other_process(database_url, REDIS_URL, redis_storage, 2) == "422,429"  # counts on from the first


def test_without_shared_storage_each_process_counts_alone(database_url):
    """The control: in-memory counts are per process, which is why production points the limiter at Redis."""
    assert _other_process(database_url, "memory://", "alone", 2) == "422,422"
    assert _other_process(database_url, "memory://", "alone", 2) == "422,422"


def test_uploads_are_limited_per_address(limited):
    import io

    app = limited(RATELIMIT_UPLOAD_ADDRESS="2 per minute")
    first, second, base, _ideas = _idea_world(app)
    datasets = base.split("/challenges/")[0] + "/datasets/new"

    def upload(client, n):
        return client.post(datasets, data={"title": f"Data {n}", "description": "", "licence": "cc-by-4.0",
                                           "visibility": "members", "file": (io.BytesIO(f"a,b\n{n},2\n".encode()),
                                                                             f"d{n}.csv")}).status_code

    office = [_client(app, first), _client(app, second)]
    assert [upload(office[n % 2], n) for n in range(3)] == [303, 303, 429]
    assert upload(_client(app, second, address="198.51.100.7"), 9) == 303
