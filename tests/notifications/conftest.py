from dataclasses import dataclass

import pytest

from cocreate.notifications.models import Notification
from cocreate.extensions import db

from ..factories import add_member, make_challenge, make_space, make_user


@dataclass
class Cast:
    space: object
    owner: object
    member: object
    other: object
    outsider: object
    challenge: object


@pytest.fixture
def cast(app):
    """A public space with its owner, two members, an outsider and a challenge by the member."""
    owner = make_user(name="Olga Owner")
    space = make_space(title="Notify Space", slug="notify-space", owner=owner)
    member = make_user(name="Mia Member")
    add_member(space, member)
    other = make_user(name="Otto Other")
    add_member(space, other)
    outsider = make_user(name="Uma Outsider")
    challenge = make_challenge(space, author=member, title="Slow quotes")
    return Cast(space, owner, member, other, outsider, challenge)


def notes(user, kind=None):
    query = db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


def all_notes():
    return db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
