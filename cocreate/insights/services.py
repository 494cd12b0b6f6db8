"""Insights use cases and who may see the programme's figures."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..audit.models import record
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from ..orgs.models import MembershipStatus, Organisation, OrganisationMembership
from ..permissions import require, rule
from .models import CoachingSession

NOTE_MAX = 500


@rule("insights.coach")
def _can_coach(user, _obj):
    """Facilitators (and admins) record the 1:1 coaching sessions they run."""
    return user is not None and user.is_facilitator


@rule("insights.programme")
def _can_see_programme(user, _obj):
    """The dashboard and the competence-gap report: facilitators, LSG members and admins."""
    return user is not None and (user.is_facilitator or user.is_lsg)


@dataclass
class CoachingData:
    organisation_id: int
    person_id: int | None
    held_on: object  # a date
    note: str = ""


def record_coaching_session(actor, data):
    require(actor, "insights.coach")
    organisation = db.session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is None:
        raise DomainError(_l("Choose the organisation that was coached."), field="organisation_id")
    if data.person_id is not None:
        membership = db.session.get(OrganisationMembership, data.person_id)
        if membership is None or membership.organisation_id != organisation.id \
                or membership.status != MembershipStatus.ACTIVE:
            raise DomainError(_l("That person is not a member of the organisation."), field="person_id")
    if data.held_on is None:
        raise DomainError(_l("Give the date of the session."), field="held_on")
    if data.held_on > utcnow().date():
        raise DomainError(_l("Record a session once it has taken place: the date is in the future."),
                          field="held_on")
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_l("Keep the note under %(max)d characters.", max=NOTE_MAX), field="note")
    session = CoachingSession(organisation_id=organisation.id, person_id=data.person_id, held_on=data.held_on,
                              facilitator_id=actor.id, note=note)
    db.session.add(session)
    db.session.flush()
    record(actor, "insights.coaching_recorded", "coaching_session", session.id, organisation=organisation.name)
    db.session.commit()
    return session
