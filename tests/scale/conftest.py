"""Real app servers (gunicorn processes) for the scale-out, fault and load tests.

These tests start processes and so are marked: ``scale`` runs in the normal suite when
PostgreSQL and Redis are configured; ``faults`` and ``load`` are a separate CI step
(``pytest -m "faults or load"``) because they take a minute or more.
"""
import os

import pytest

from bench.servers import create_schema, drop_database, recreate_database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ON_POSTGRES_AND_REDIS = TEST_DATABASE_URL.startswith("postgresql") and bool(TEST_REDIS_URL)
needs_postgres_and_redis = pytest.mark.skipif(
    not ON_POSTGRES_AND_REDIS, reason="needs TEST_DATABASE_URL on PostgreSQL and TEST_REDIS_URL"
)


@pytest.fixture(scope="module")
def server_database(request):
    """A database of its own for the servers, so the in-process tests' resets never touch it."""
    name = f"{TEST_DATABASE_URL.rsplit('/', 1)[-1]}_{request.module.__name__.rsplit('.', 1)[-1]}"
    url = recreate_database(TEST_DATABASE_URL, name)
    create_schema(url)
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def data_app(server_database):
    """An app bound to the servers' database, for building data and checking what was stored."""
    from cocreate import create_app

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": server_database})
    yield app
    from cocreate.extensions import db

    with app.app_context():
        db.engine.dispose()


def pytest_collection_modifyitems(config, items):
    """The fault and load tests run only when asked for by marker (``-m faults``, ``-m load``)."""
    selected = config.getoption("markexpr") or ""
    for item in items:
        for marker in ("faults", "load"):
            if marker in item.keywords and marker not in selected:
                item.add_marker(pytest.mark.skip(reason=f"a separate step: pytest -m {marker}"))
