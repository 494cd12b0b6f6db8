"""Fixtures in the style of Flask's tutorial: ``app``, ``client``, ``runner``, ``auth``.

The suite runs on SQLite by default and on PostgreSQL when
``TEST_DATABASE_URL`` names one. The schema is built once per run; every
test then starts from empty tables.
"""
import os
from contextlib import contextmanager

import pytest
from flask import g
from hypothesis import settings
from sqlalchemy import event

from cocreate import create_app
from cocreate.extensions import db
from cocreate.mail import outbox

from .factories import DEFAULT_PASSWORD, reset_database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

# Property tests check results, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("cocreate", deadline=None)
settings.load_profile("cocreate")


def _database_url(tmp_path_factory):
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def make_app(database_url):
    """Build apps with extra settings on the test database; the tables are emptied afterwards."""
    apps = []

    def make(**settings):
        app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url, **settings})
        apps.append(app)
        return app

    yield make
    for app in reversed(apps):
        with app.app_context():
            db.session.remove()
            reset_database()
            db.session.remove()
            db.engine.dispose()


def _forget_last_user():
    # Requests in tests share the fixture's app context (and so ``g``); forget the
    # previous request's user as a fresh app context in production would.
    g.pop("_login_user", None)


@pytest.fixture
def app(make_app):
    app = make_app()
    app.before_request(_forget_last_user)
    outbox.clear()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password=DEFAULT_PASSWORD, **extra):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __len__(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)``."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before_cursor_execute(conn, cursor, statement, *args):
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counting
