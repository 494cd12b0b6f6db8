"""One statement and the commit after it in one round trip (PostgreSQL's pipeline mode).

For the hottest write only, the vote. A vote updates its idea's stored count, and that row stays
locked until the transaction commits. Sent the usual way, the COMMIT leaves only once the
statement's answer is back and the worker thread has the GIL again, which under load took
milliseconds while every other vote on the idea waited: with 8 connections voting on one idea,
``pg_stat_activity`` showed one or two backends waiting for the row at any moment and the
machine 37 % idle. Sent together, the row is held only while PostgreSQL runs the two.

So the statement must decide in SQL whether it may be committed: one that has to be refused
raises (and its transaction is rolled back like any failed one), one that finds nothing to do
writes nothing.

The statement goes to psycopg directly, so SQLAlchemy's cursor events are dispatched here: the
page cache notes the write and the query counters count it. The session still holds its
transaction on paper. Its commit, which the caller runs for the commit hooks, finds nothing left
to send (psycopg skips COMMIT outside a transaction).
"""
from functools import cache

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy.exc import DBAPIError

from .extensions import db


@cache
def _compiled(statement, dialect):
    return statement.compile(dialect=dialect)


def execute_and_commit(statement, params):
    """Run ``statement`` (a ``text()`` returning one row) with ``params`` and commit; return its row.

    PostgreSQL only. An error of the statement comes wrapped as SQLAlchemy wraps it (so a lost
    database is still an ``OperationalError``), with the psycopg error as ``orig`` and the
    transaction aborted: the caller rolls back. What the session holds unflushed is flushed
    first, so it is committed with the statement."""
    db.session.flush()
    connection = db.session.connection()
    compiled = _compiled(statement, connection.dialect)
    sql, parameters = compiled.string, compiled.construct_params(params)
    driver = connection.connection.driver_connection
    cursor = driver.cursor(row_factory=namedtuple_row)
    connection.dispatch.before_cursor_execute(connection, cursor, sql, parameters, None, False)
    try:
        with driver.pipeline():
            cursor.execute(sql, parameters)
            driver.commit()
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, parameters, error, psycopg.Error) from error
    connection.dispatch.after_cursor_execute(connection, cursor, sql, parameters, None, False)
    return cursor.fetchone()
