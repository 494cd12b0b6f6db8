"""What can be followed. A kind is a name, a model, the space it lives in, a title and a link.

Adding a kind (a working area, say) is one ``register`` call here.
"""
from dataclasses import dataclass
from typing import Callable

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..extensions import db


@dataclass(frozen=True)
class TargetKind:
    kind: str
    label: object
    model: Callable
    space_of: Callable  # the space whose visibility rules the target follows (None: visible to all)
    url_of: Callable
    title_of: Callable = lambda target: target.title


TARGETS = {}


def register(kind, label, model, space_of, url_of, title_of=None):
    TARGETS[kind] = TargetKind(kind, label, model, space_of, url_of, title_of or (lambda target: target.title))


def target_kind(kind):
    return TARGETS.get(kind)


def load_target(kind, target_id):
    """(kind, target) or (None, None) when the kind or the row does not exist."""
    spec = TARGETS.get(kind)
    if spec is None:
        return None, None
    target = db.session.get(spec.model(), target_id)
    return (spec, target) if target is not None else (None, None)


def _space_model():
    from ..spaces.models import Space

    return Space


def _challenge_model():
    from ..spaces.models import Challenge

    return Challenge


def _idea_model():
    from ..ideas.models import Idea

    return Idea


def _workshop_model():
    from ..workshops.models import Workshop

    return Workshop


def _proposal_model():
    from ..areas.models import WorkingAreaProposal

    return WorkingAreaProposal


def idea_url(idea):
    challenge = idea.challenge
    return url_for("ideas.show", slug=challenge.space.slug, challenge_id=challenge.id, idea_id=idea.id)


def challenge_url(challenge):
    return url_for("spaces.challenge", slug=challenge.space.slug, challenge_id=challenge.id)


def workshop_url(workshop):
    return url_for("workshops.show", slug=workshop.space.slug, workshop_id=workshop.id)


def proposal_url(proposal):
    return url_for("areas.show", proposal_id=proposal.id)


register("space", _l("space"), _space_model, lambda space: space, lambda space: url_for("spaces.show", slug=space.slug))
register("challenge", _l("challenge"), _challenge_model, lambda challenge: challenge.space, challenge_url)
register("idea", _l("idea"), _idea_model, lambda idea: idea.challenge.space, idea_url)
register("workshop", _l("workshop"), _workshop_model, lambda workshop: workshop.space, workshop_url)
# Working-area proposals belong to no space: the LSG's list is open to everyone.
register("working_area", _l("working area"), _proposal_model, lambda proposal: None, proposal_url)
