"""Abuse limits on the routes that write, per person and per address, all in one table.

The auth forms carry their own per-address limit (``accounts/views.py``); this module
adds the rest. A limit is counted in the limiter's storage (Redis in production via
``RATELIMIT_STORAGE_URI``), so every app process sees the same counts.
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..accounts.models import normalise_email
from ..extensions import limiter


def person_key():
    """The signed-in person; before log-in, the account the form names (so one address can't be hammered)."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    email = normalise_email(request.form.get("email"))
    return f"email:{email}" if email else f"addr:{get_remote_address()}"


def _setting(name):
    return lambda: current_app.config[name]


# endpoint -> (per-person setting, per-address setting)
LIMITS = {
    "accounts.login": ("RATELIMIT_AUTH_PERSON", "RATELIMIT_AUTH"),
    "accounts.forgot_password": ("RATELIMIT_AUTH_PERSON", "RATELIMIT_AUTH"),
    "privacy.delete_account": ("RATELIMIT_AUTH_PERSON", "RATELIMIT_AUTH"),
    "spaces.new_challenge": ("RATELIMIT_POSTING", "RATELIMIT_POSTING_ADDRESS"),
    "ideas.new": ("RATELIMIT_POSTING", "RATELIMIT_POSTING_ADDRESS"),
    "ideas.comment": ("RATELIMIT_POSTING", "RATELIMIT_POSTING_ADDRESS"),
    "workshops.create_post": ("RATELIMIT_POSTING", "RATELIMIT_POSTING_ADDRESS"),
    "ideas.vote": ("RATELIMIT_VOTING", "RATELIMIT_VOTING_ADDRESS"),
    "ideas.unvote": ("RATELIMIT_VOTING", "RATELIMIT_VOTING_ADDRESS"),
}
_applied = set()  # view functions are module-level: register each limit once, whatever the number of apps


def init_app(app):
    for endpoint, (per_person, per_address) in LIMITS.items():
        view = app.view_functions[endpoint]
        if view in _applied:
            continue
        _applied.add(view)
        limiter.limit(_setting(per_person), key_func=person_key, methods=["POST"])(view)
        if endpoint.startswith("accounts."):
            continue  # the view's own decorator already counts per address
        limiter.limit(_setting(per_address), key_func=get_remote_address, methods=["POST"])(view)
