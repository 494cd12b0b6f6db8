"""The one definition of "developed" (actions 1 and 2 of the programme).

An organisation (company instrument) or its management team is *developed* when it was
mapped (a complete assessment), then took part in a workshop or a 1:1 coaching session,
and was assessed again after that. Taking part means: one of its people was registered
(not waitlisted) for a workshop that has ended, or a facilitator recorded a coaching
session with it. For the management team only its executives and board members count,
and a coaching session counts unless it names a person who is not one of them.

``is_developed`` holds the rule on plain times; the two readers below collect those
times for every organisation in a fixed number of queries.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timezone

from sqlalchemy import and_, select

from ..extensions import db
from ..models import utcnow
from ..orgs.models import MembershipStatus, OrganisationMembership, Position
from ..workshops.models import Registration, RegistrationStatus, Workshop, as_utc
from .models import CoachingSession

# A session is recorded by its date: it counts as held at midday (UTC) that day.
COACHING_HOUR = time(12, 0, tzinfo=timezone.utc)


def is_developed(assessment_times, participation_times):
    """Mapped, then took part, then re-assessed: some assessment before some participation before another."""
    if not assessment_times:
        return False
    mapped_at = min(assessment_times)
    took_part = [moment for moment in participation_times if moment > mapped_at]
    return bool(took_part) and max(assessment_times) > min(took_part)


def coaching_moment(held_on):
    return datetime.combine(held_on, COACHING_HOUR)


@dataclass
class Participation:
    company: list = field(default_factory=list)  # moments any of its people took part
    team: list = field(default_factory=list)  # moments its management took part


def participation_by_organisation(now=None):
    """{organisation id: Participation} from ended workshops and coaching sessions: two queries."""
    now = now or utcnow()
    found = {}
    workshops = db.session.execute(
        select(OrganisationMembership.organisation_id, OrganisationMembership.position, Workshop.ends_at)
        .join(Registration, Registration.user_id == OrganisationMembership.user_id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(OrganisationMembership.status == MembershipStatus.ACTIVE,
               Registration.status == RegistrationStatus.REGISTERED, Workshop.ends_at <= now)
    ).all()
    for organisation_id, position, ends_at in workshops:
        participation = found.setdefault(organisation_id, Participation())
        participation.company.append(as_utc(ends_at))
        if position in Position.MANAGEMENT:
            participation.team.append(as_utc(ends_at))
    sessions = db.session.execute(
        select(CoachingSession.organisation_id, CoachingSession.person_id, CoachingSession.held_on,
               OrganisationMembership.position)
        .outerjoin(OrganisationMembership, and_(
            OrganisationMembership.user_id == CoachingSession.person_id,
            OrganisationMembership.organisation_id == CoachingSession.organisation_id,
            OrganisationMembership.status == MembershipStatus.ACTIVE,
        ))
    ).all()
    for organisation_id, person_id, held_on, position in sessions:
        moment = coaching_moment(held_on)
        if moment > now:
            continue
        participation = found.setdefault(organisation_id, Participation())
        participation.company.append(moment)
        if person_id is None or position in Position.MANAGEMENT:
            participation.team.append(moment)
    return found
