from dataclasses import dataclass

import pytest

from ..factories import add_member, make_space, make_user, make_workshop


@dataclass
class Cast:
    space: object
    owner: object
    facilitator: object
    member: object
    other_member: object
    outsider: object
    workshop: object


@pytest.fixture
def cast(app):
    """A public space with its owner, a space facilitator, two members, an outsider and a workshop in diverge."""
    owner = make_user(name="Olga Owner")
    space = make_space(title="Workshop Space", slug="workshop-space", owner=owner)
    facilitator = make_user(name="Finn Facilitator")
    add_member(space, facilitator, role="facilitator")
    member = make_user(name="Mia Member")
    add_member(space, member)
    other = make_user(name="Otto Other")
    add_member(space, other)
    outsider = make_user(name="Uma Outsider")
    workshop = make_workshop(space, title="Spare parts online", creator=owner)
    return Cast(space, owner, facilitator, member, other, outsider, workshop)
