"""Bench-only: the number of SQL statements a request ran, in an ``X-Query-Count`` header.

Switched on by ``QUERY_COUNT_HEADER=1`` in the environment (``make bench`` does); off in
every other profile, so production answers never carry it.
"""
from flask import g, has_request_context
from sqlalchemy import event


def init_app(app):
    if not app.config.get("QUERY_COUNT_HEADER"):
        return
    from ..extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
