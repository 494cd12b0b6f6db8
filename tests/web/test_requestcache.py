"""The request memo: one load per key and request, nothing kept across a write or a request."""
from cocreate.extensions import db
from cocreate.requestcache import remembered

from ..factories import make_user


def _counting_loader():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    return load, calls


def test_a_key_loads_once_per_request(app):
    load, calls = _counting_loader()
    with app.test_request_context("/"):
        assert remembered("k", load) == remembered("k", load) == 1
    with app.test_request_context("/"):
        assert remembered("k", load) == 2
    assert len(calls) == 2


def test_a_write_empties_the_memo(app):
    load, calls = _counting_loader()
    with app.test_request_context("/"):
        remembered("k", load)
        make_user()  # flushes and commits
        remembered("k", load)
        db.session.execute(db.select(1))  # a transaction to roll back
        remembered("k", load)
        db.session.rollback()
        remembered("k", load)
    assert len(calls) == 3


def test_outside_a_request_it_always_loads(app):
    load, calls = _counting_loader()
    remembered("k", load)
    remembered("k", load)
    assert len(calls) == 2
