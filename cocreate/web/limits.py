"""Abuse limits on the routes that write, per person and per address, all in one table.

The auth forms carry their own per-address limit (``accounts/views.py``); this module
adds the rest. A limit is counted in the limiter's storage (Redis in production via
``RATELIMIT_STORAGE_URI``), so every app process sees the same counts.
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..accounts.loading import claimed_user_id
from ..accounts.models import normalise_email
from ..extensions import limiter


def person_key():
    """The signed-in person; before log-in, the account the form names (so one address can't be hammered).

    The limit is counted before the view runs, so the key takes the id the signed session names
    rather than loading the person for it (a query; the vote loads them with its own rows). The
    view still decides who may do what; a remember-me cookie alone loads the person here."""
    claimed = claimed_user_id()
    if claimed is not None:
        return f"user:{claimed}"
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    email = normalise_email(request.form.get("email"))
    return f"email:{email}" if email else f"addr:{get_remote_address()}"


def _setting(name):
    return lambda: current_app.config[name]


def _limits(per_person, per_address=None):
    """Decorators made once: the limiter keeps them in a set, and each app wraps its own view functions."""
    made = [limiter.limit(_setting(per_person), key_func=person_key, methods=["POST"])]
    if per_address:
        made.append(limiter.limit(_setting(per_address), key_func=get_remote_address, methods=["POST"]))
    return made


# The auth views already count per address with their own decorator.
AUTH = _limits("RATELIMIT_AUTH_PERSON")
POSTING = _limits("RATELIMIT_POSTING", "RATELIMIT_POSTING_ADDRESS")
VOTING = _limits("RATELIMIT_VOTING", "RATELIMIT_VOTING_ADDRESS")
# Uploads count per person in the data-set views; here, per address.
UPLOADS = [limiter.limit(_setting("RATELIMIT_UPLOAD_ADDRESS"), key_func=get_remote_address, methods=["POST"])]
LIMITS = {
    "accounts.login": AUTH,
    "accounts.forgot_password": AUTH,
    "privacy.delete_account": _limits("RATELIMIT_AUTH_PERSON", "RATELIMIT_AUTH"),
    "spaces.new_challenge": POSTING,
    "ideas.new": POSTING,
    "ideas.comment": POSTING,
    "workshops.create_post": POSTING,
    "ideas.vote": VOTING,
    "ideas.unvote": VOTING,
    "workshops.vote": VOTING,
    "workshops.unvote": VOTING,
    "datasets.create": UPLOADS,
    "datasets.new_version": UPLOADS,
}


def init_app(app):
    for endpoint, decorators in LIMITS.items():
        view = app.view_functions[endpoint]
        for decorate in decorators:
            view = decorate(view)
        app.view_functions[endpoint] = view
