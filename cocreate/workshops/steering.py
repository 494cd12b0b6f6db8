"""Steering: a workshop's target maturity band against a person's level.

A workshop may carry a band (an instrument and a range of its levels). People whose
level lies in the band see it "recommended for you"; registering outside the band is
allowed with a notice, unless a facilitator made the workshop band-restricted. A person
without a complete assessment of the band's instrument has no level, so a restricted
workshop invites them to take the assessment first. The cohort builder gets two more
pools from here: a space's members and a workshop's registrants.
"""
from dataclasses import dataclass
from functools import cache

from flask_babel import format_date, lazy_gettext as _l
from sqlalchemy import and_, or_

from ..extensions import db
from ..maturity.instruments import load_instruments
from ..maturity.queries import mapped_candidates, person_level
from ..maturity.services import Pool, register_pool_source
from ..maturity.setup import COMPANY
from ..orgs.models import MembershipStatus, OrganisationMembership
from ..spaces.models import MemberStatus, Space, SpaceMembership
from .models import Instrument, Registration, Workshop


@cache
def maturity_levels(instrument_key):
    """The levels of an instrument's latest version, lowest first: (key, name in both languages)."""
    return tuple((level.key, level.name) for level in load_instruments().latest(instrument_key).levels)


def _level_keys(instrument_key):
    return [key for key, _name in maturity_levels(instrument_key)]


class Fit:
    NO_BAND = "no_band"  # the workshop targets no band
    IN_BAND = "in_band"
    OUTSIDE = "outside"  # the person's level lies outside the band
    UNMAPPED = "unmapped"  # the person has no complete assessment of the band's instrument


@dataclass(frozen=True)
class BandFit:
    kind: str
    level: object = None  # the person's Level, when they have one
    instrument_key: str | None = None

    @property
    def in_band(self):
        return self.kind == Fit.IN_BAND

    @property
    def outside(self):
        return self.kind == Fit.OUTSIDE

    @property
    def unmapped(self):
        return self.kind == Fit.UNMAPPED


def band_fit(user, workshop):
    """How ``user``'s level fits ``workshop``'s target band."""
    key = workshop.maturity_instrument
    if not key:
        return BandFit(Fit.NO_BAND)
    level = person_level(user, key) if user is not None and user.is_authenticated else None
    if level is None:
        return BandFit(Fit.UNMAPPED, instrument_key=key)
    keys = _level_keys(key)
    low, high = keys.index(workshop.maturity_level_from), keys.index(workshop.maturity_level_to)
    kind = Fit.IN_BAND if low <= level.rank <= high else Fit.OUTSIDE
    return BandFit(kind, level, key)


def registration_refusal(user, workshop, fit):
    """Why a band-restricted workshop refuses ``user``, or None."""
    if not workshop.band_restricted or fit.kind in (Fit.NO_BAND, Fit.IN_BAND):
        return None
    if fit.unmapped:
        if workshop.maturity_instrument == COMPANY:
            return _l("This workshop is for organisations at its target maturity. Take the company assessment "
                      "first, then register.")
        return _l("This workshop is for executives at its target maturity. Take the management assessment "
                  "first, then register.")
    return _l("This workshop is limited to its target maturity band, and your level is outside it. "
              "Look for a workshop recommended for you.")


def band_condition(user):
    """A filter for workshops whose band contains one of ``user``'s levels (None: they have no level)."""
    conditions = []
    for key in Instrument.LABELS:
        level = person_level(user, key)
        if level is None:
            continue
        keys = _level_keys(key)
        conditions.append(and_(
            Workshop.maturity_instrument == key,
            Workshop.maturity_level_from.in_(keys[:level.rank + 1]),
            Workshop.maturity_level_to.in_(keys[level.rank:]),
        ))
    return or_(*conditions) if conditions else None


# --- pools for the cohort builder -----------------------------------------------------------

def _only(candidates, user_ids, instrument_key):
    """The mapped candidates among ``user_ids``: the people, or for the company instrument their organisations."""
    user_ids = list(user_ids)
    if instrument_key == COMPANY:
        organisation_ids = set(db.session.scalars(
            db.select(OrganisationMembership.organisation_id).where(
                OrganisationMembership.user_id.in_(user_ids or [-1]),
                OrganisationMembership.status == MembershipStatus.ACTIVE,
            )
        ))
        return [c for c in candidates if c.organisation is not None and c.organisation.id in organisation_ids]
    wanted = set(user_ids)
    return [c for c in candidates if c.user is not None and c.user.id in wanted]


def _space_candidates(space_id):
    def candidates(instrument_key):
        members = db.session.scalars(
            db.select(SpaceMembership.user_id).where(
                SpaceMembership.space_id == space_id, SpaceMembership.status == MemberStatus.ACTIVE
            )
        )
        return _only(mapped_candidates(instrument_key), members, instrument_key)
    return candidates


def _workshop_candidates(workshop_id):
    def candidates(instrument_key):
        registrants = db.session.scalars(db.select(Registration.user_id).where(Registration.workshop_id == workshop_id))
        return _only(mapped_candidates(instrument_key), registrants, instrument_key)
    return candidates


RECENT_WORKSHOPS = 50


def _pools():
    """A pool per space and per recent workshop (the builder's choices)."""
    spaces = db.session.execute(db.select(Space.id, Space.title).order_by(Space.title)).all()
    workshops = db.session.execute(
        db.select(Workshop.id, Workshop.title, Workshop.starts_at).order_by(Workshop.starts_at.desc())
        .limit(RECENT_WORKSHOPS)
    ).all()
    pools = [Pool(f"space-{space_id}", _l("Members of the space %(title)s", title=title), _space_candidates(space_id))
             for space_id, title in spaces]
    pools += [
        Pool(f"workshop-{workshop_id}", _l("Registered for the workshop %(title)s (%(date)s)", title=title,
                                          date=format_date(starts_at, "medium")), _workshop_candidates(workshop_id))
        for workshop_id, title, starts_at in workshops
    ]
    return pools


register_pool_source(_pools)
