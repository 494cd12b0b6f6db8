"""``pipeline.execute_and_commit``: one statement and its commit in one round trip (PostgreSQL).

The vote relies on three things here: the statement is committed by the time the helper returns
(so the idea's row is free for the next voter), SQLAlchemy's listeners still see the statement
(the page cache, the query counters), and a failing statement surfaces as SQLAlchemy would raise it.
"""
import os

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DataError

from cocreate.extensions import db
from cocreate.ideas.models import Idea
from cocreate.pipeline import execute_and_commit

from ..factories import make_idea

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"), reason="needs PostgreSQL"
    ),
]

ADD_ONE = text("UPDATE ideas SET vote_count = vote_count + 1 WHERE id = :id RETURNING vote_count")


def _count_seen_from_elsewhere(idea_id):
    engine = create_engine(db.engine.url)
    try:
        with engine.connect() as other:
            return other.scalar(text("SELECT vote_count FROM ideas WHERE id = :id"), {"id": idea_id})
    finally:
        engine.dispose()


def test_the_statement_is_committed_when_the_helper_returns(world):
    idea = make_idea(world.challenge, world.member)
    db.session.scalar(db.select(Idea.id).where(Idea.id == idea.id))  # a transaction is open, as in a vote

    row = execute_and_commit(ADD_ONE, {"id": idea.id})

    assert row.vote_count == 1
    driver = db.session.connection().connection.driver_connection
    assert driver.info.transaction_status == TransactionStatus.IDLE
    # Another connection sees it before the session's own commit has run.
    assert _count_seen_from_elsewhere(idea.id) == 1
    db.session.commit()  # finds nothing left to send
    assert _count_seen_from_elsewhere(idea.id) == 1


def test_listeners_of_the_engine_see_the_statement(world, count_queries):
    idea_id = make_idea(world.challenge, world.member).id
    with count_queries() as queries:
        execute_and_commit(ADD_ONE, {"id": idea_id})
    assert queries.statements == [ADD_ONE.compile(dialect=db.engine.dialect).string]


def test_a_failing_statement_raises_as_sqlalchemy_does_and_the_session_goes_on(world):
    idea = make_idea(world.challenge, world.member)
    with pytest.raises(DataError) as raised:
        execute_and_commit(text("UPDATE ideas SET vote_count = 1 / :zero WHERE id = :id RETURNING vote_count"),
                           {"zero": 0, "id": idea.id})
    assert type(raised.value.orig).__name__ == "DivisionByZero"
    db.session.rollback()
    assert db.session.scalar(db.select(Idea.vote_count).where(Idea.id == idea.id)) == 0
    assert execute_and_commit(ADD_ONE, {"id": idea.id}).vote_count == 1
