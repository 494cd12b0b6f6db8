"""Loading the signed-in person: once per request, and in the view's own first query where that pays.

flask-login calls ``load_user`` the first time a request touches ``current_user``. On most pages
that is one query by primary key. The vote, the busiest write of the site, can do better: it
reads the id the signed session cookie names (``claimed_user_id``), loads that person together
with its own rows in one statement and hands them over with ``offer_user``. ``load_user`` then
takes the offered person instead of querying, and flask-login's own checks (an active account,
its session protection) run as always. An offer for anyone else is ignored.
"""
from functools import cache

from flask import g, session
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import User


# Built on first use (options on a relationship need every model mapped), then kept: building the
# statement cost more than running it.
@cache
def user_options():
    """What a statement adds to load the person as ``load_user`` does: the permission checks of
    nearly every page ask for their roles."""
    return (joinedload(User.role_rows),)


@cache
def _by_id():
    return db.select(User).where(User.id == bindparam("user_id")).options(*user_options())


def claimed_user_id():
    """The id the signed session names, before anything is loaded; None without one.

    Good for choosing, never for trusting: the account may have been deactivated since. Only
    ``current_user`` (through ``load_user``) says who is signed in."""
    claimed = session.get("_user_id")
    return int(claimed) if claimed and str(claimed).isdigit() else None


def offer_user(user):
    """Hand ``load_user`` the person a view loaded in its own query (with ``user_options()``)."""
    g.offered_user = user


def load_user(user_id):
    user = g.pop("offered_user", None)
    if user is None or str(user.id) != user_id:
        user = db.session.scalars(_by_id(), {"user_id": int(user_id)}).unique().one_or_none()
    return user if user and user.is_active else None
