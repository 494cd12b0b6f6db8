"""Demo assessments: most demo organisations and several executives, across the levels, with
history for a couple and one far-ahead outlier, so the cohort builder shows real cohorts."""
from datetime import timedelta

from ..extensions import db
from ..models import utcnow
from ..orgs.models import Position
from .models import Assessment
from .scoring import score_answers
from .setup import COMPANY, MANAGEMENT, instruments

# organisation -> typical answer (0..5) of each assessment, oldest first
COMPANY_ANSWERS = {
    "Limfjord Stålmøbler A/S": [1.2, 2.3],
    "Vendsyssel Bådeværft ApS": [1.0],
    "Nordkyst Fiskeeksport A/S": [1.4],
    "Himmerland Energiteknik ApS": [1.7],
    "Skagen Oplevelser ApS": [0.8],
    "Thy Smedie & Maskiner A/S": [1.8, 2.6],
    "Rebild Naturkost ApS": [2.9],
    "Hansen Kontorinventar A/S": [2.6],
    "Jammerbugt Fiskegrossist ApS": [2.1],
    "Mariager Pakkeri ApS": [3.0],
    "Nordic Steel Supply A/S": [4.8],  # far ahead of everyone: needs 1:1 coaching
}

# e-mail -> (position, typical answers oldest first)
EXECUTIVES = {
    "participant@example.org": (Position.EXECUTIVE, [1.5, 2.5]),
    "jens@example.org": (Position.EXECUTIVE, [1.0]),
    "sofie@example.org": (Position.BOARD, [2.0]),
    "rasmus@example.org": (Position.EXECUTIVE, [2.2]),
    "niels@example.org": (Position.EXECUTIVE, [3.0]),
    "ida@example.org": (Position.BOARD, [1.8]),
    "henrik@example.org": (Position.EXECUTIVE, [3.3]),
    "morten@example.org": (Position.EXECUTIVE, [4.7]),
}


def demo_answers(instrument, typical):
    """Answers around ``typical``, varied item by item but always the same for the same input."""
    return {
        item.id: max(0, min(5, round(typical + ((index * 7) % 5 - 2) * 0.45)))
        for index, item in enumerate(instrument.items)
    }


def _add(instrument, typical, months_ago, **subject):
    answers = demo_answers(instrument, typical)
    profile = score_answers(instrument, answers)
    when = utcnow() - timedelta(days=30 * months_ago)
    db.session.add(Assessment(
        instrument_key=instrument.key, instrument_version=instrument.version, answers=answers,
        step=len(instrument.dimensions) - 1, overall=profile.overall, level_key=profile.level.key,
        completed_at=when, created_at=when, updated_at=when, **subject,
    ))


def _has_assessment(**subject):
    return db.session.scalar(db.select(Assessment.id).filter_by(**subject).limit(1)) is not None


def seed_maturity(ctx):
    company, management = instruments().latest(COMPANY), instruments().latest(MANAGEMENT)
    taker_of = {}
    for email, user in ctx.users.items():
        if user.membership is not None:
            taker_of.setdefault(user.membership.organisation_id, user)
    for name, typicals in COMPANY_ANSWERS.items():
        organisation = ctx.organisations[name]
        if _has_assessment(organisation_id=organisation.id):
            continue
        taker = taker_of.get(organisation.id)
        for position, typical in enumerate(typicals):
            _add(company, typical, months_ago=6 * (len(typicals) - 1 - position) + 1,
                 organisation_id=organisation.id, taken_by_id=taker.id if taker else None)
            ctx.count("company assessments")
    for email, (position, typicals) in EXECUTIVES.items():
        user = ctx.users[email]
        user.membership.position = position
        if _has_assessment(subject_user_id=user.id):
            continue
        for index, typical in enumerate(typicals):
            _add(management, typical, months_ago=6 * (len(typicals) - 1 - index) + 1,
                 subject_user_id=user.id, taken_by_id=user.id)
            ctx.count("management assessments")
    db.session.flush()
