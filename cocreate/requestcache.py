"""A memo for one request: look-ups that several parts of a page repeat run once.

``remembered(key, load)`` answers from ``flask.g`` when the same key was asked earlier in
the request, else calls ``load``. The memo is emptied at the end of every request and whenever
the session writes (flush), commits or rolls back, so nothing outlives the request or survives
a write; outside a request it always loads.
"""
from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

_MEMO = "_request_memo"


def remembered(key, load):
    if not has_request_context():
        return load()
    memo = g.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = load()
    return memo[key]


def forget(*_args):
    if has_request_context():
        g.pop(_MEMO, None)


def init_app(app):
    # Tests run several requests in one app context (and so one ``g``): start each afresh.
    app.teardown_request(forget)
    for name in ("after_flush", "after_commit", "after_rollback"):
        if not event.contains(Session, name, forget):
            event.listen(Session, name, forget)
