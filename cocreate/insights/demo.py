"""Demo 1:1 coaching sessions and the re-assessments that followed, so a few organisations and
management teams show as developed on the progress page and the programme dashboard."""
from datetime import timedelta

from ..extensions import db
from ..maturity.demo import _add
from ..maturity.models import Assessment
from ..maturity.setup import COMPANY, MANAGEMENT, instruments
from ..models import utcnow
from .models import CoachingSession

# organisation, person coached (e-mail) or None for the organisation as a whole, days ago, note
COACHING = [
    ("Limfjord Stålmøbler A/S", "participant@example.org", 120, "Business case for a dealer portal, for the board."),
    ("Thy Smedie & Maskiner A/S", None, 90, "Mapped the order flow with the sales team; chose an EDI partner."),
    ("Himmerland Energiteknik ApS", "rasmus@example.org", 20, "First steps toward a spare-parts webshop."),
    ("Vendsyssel Bådeværft ApS", "jens@example.org", 15, "Spare-parts catalogue online instead of by phone."),
    ("Skagen Oplevelser ApS", None, 10, "Online booking for tour operators."),
]
# organisation -> typical answer of the re-assessment after coaching, months ago
COMPANY_RETAKES = {"Himmerland Energiteknik ApS": (2.4, 0.3), "Vendsyssel Bådeværft ApS": (1.6, 0.2)}
# executive e-mail -> typical answer of the re-assessment, months ago
MANAGEMENT_RETAKES = {"rasmus@example.org": (2.8, 0.3), "jens@example.org": (1.7, 0.2)}


def _complete_count(**subject):
    return db.session.scalar(db.select(db.func.count(Assessment.id)).filter_by(**subject)
                             .where(Assessment.completed_at.is_not(None)))


def seed_insights(ctx):
    facilitator = ctx.users["facilitator@example.org"]
    today = utcnow().date()
    for name, email, days_ago, note in COACHING:
        organisation = ctx.organisations[name]
        if db.session.scalar(db.select(CoachingSession.id).filter_by(organisation_id=organisation.id).limit(1)):
            continue
        db.session.add(CoachingSession(
            organisation_id=organisation.id, person_id=ctx.users[email].id if email else None,
            held_on=today - timedelta(days=days_ago), facilitator_id=facilitator.id, note=note,
        ))
        ctx.count("coaching sessions")
    company, management = instruments().latest(COMPANY), instruments().latest(MANAGEMENT)
    for name, (typical, months_ago) in COMPANY_RETAKES.items():
        organisation = ctx.organisations[name]
        if _complete_count(organisation_id=organisation.id) < 2:
            taker = next((u for u in ctx.users.values()
                          if u.membership is not None and u.membership.organisation_id == organisation.id), None)
            _add(company, typical, months_ago, organisation_id=organisation.id, taken_by_id=taker.id if taker else None)
            ctx.count("company re-assessments")
    for email, (typical, months_ago) in MANAGEMENT_RETAKES.items():
        user = ctx.users[email]
        if _complete_count(subject_user_id=user.id) < 2:
            _add(management, typical, months_ago, subject_user_id=user.id, taken_by_id=user.id)
            ctx.count("management re-assessments")
    db.session.flush()
