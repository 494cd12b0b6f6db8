"""The suite really runs on the database it was asked to use.

CI sets REQUIRE_POSTGRES=1 with TEST_DATABASE_URL naming PostgreSQL; a typo or a
lost variable must fail the run, not quietly test SQLite a second time.
"""
import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cocreate.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="the SQLite pass")
def test_the_suite_uses_the_database_of_test_database_url(app):
    assert db.engine.url.render_as_string(hide_password=False) == make_url(TEST_DATABASE_URL).render_as_string(
        hide_password=False
    )
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        assert db.engine.dialect.name == "postgresql", f"REQUIRE_POSTGRES=1 but the suite ran on {db.engine.url}"
        assert db.session.scalar(text("select version()")).startswith("PostgreSQL")


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the PostgreSQL pass")
def test_without_test_database_url_the_suite_uses_a_sqlite_file(app):
    assert db.engine.dialect.name == "sqlite"
