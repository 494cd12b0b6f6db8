"""Maturity use cases: take an assessment step by step, say one's position, form and message cohorts."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.models import record
from ..errors import DomainError, NotFound
from ..extensions import db
from ..mail import send_mail
from ..models import utcnow
from ..orgs.models import MembershipStatus, OrganisationMembership, Position
from ..permissions import require, rule
from . import queries
from .cohorts import Participant, form_cohorts
from .models import Assessment, Cohort, CohortMember, CohortMessage
from .scoring import level_for, score_answers
from .setup import COMPANY, MANAGEMENT, instruments


def _active_membership(user):
    membership = user.membership if user is not None else None
    return membership if membership is not None and membership.is_active else None


def _is_org_admin(user, organisation_id):
    membership = _active_membership(user)
    return membership is not None and membership.is_admin and membership.organisation_id == organisation_id


@rule("maturity.take")
def _can_take(user, instrument_key):
    membership = _active_membership(user)
    if membership is None:
        return False
    return instrument_key == COMPANY or (instrument_key == MANAGEMENT and membership.is_management)


@rule("maturity.answer")
def _can_answer(user, assessment):
    return user is not None and assessment.taken_by_id == user.id and not assessment.is_complete


@rule("maturity.view")
def _can_view(user, assessment):
    """Individual answers and scores: the person, their organisation's admins (company), facilitators."""
    if user is None:
        return False
    if user.is_facilitator or user.id in (assessment.taken_by_id, assessment.subject_user_id):
        return True
    return assessment.organisation_id is not None and _is_org_admin(user, assessment.organisation_id)


@rule("maturity.view_organisation")
def _can_view_organisation(user, organisation):
    return user is not None and (user.is_facilitator or _is_org_admin(user, organisation.id))


@rule("maturity.view_team")
def _can_view_team(user, organisation):
    membership = _active_membership(user)
    executive_here = membership is not None and membership.organisation_id == organisation.id and membership.is_management
    return _can_view_organisation(user, organisation) or executive_here


@rule("maturity.set_position")
def _can_set_position(user, _obj):
    return _active_membership(user) is not None


@rule("maturity.facilitate")
def _can_facilitate(user, _obj):
    return user is not None and user.is_facilitator


# --- Taking an assessment -------------------------------------------------------------------------

def start_assessment(actor, instrument_key):
    """The actor's draft of ``instrument_key``, or a new one (a retake leaves the old ones in history)."""
    if instrument_key not in (COMPANY, MANAGEMENT):
        raise NotFound(_l("There is no such assessment."))
    require(actor, "maturity.take", instrument_key, message=_l(
        "Only executives and board members take the management assessment; members of an organisation take "
        "the company one."))
    draft = queries.draft_of(actor, instrument_key)
    if draft is not None:
        return draft
    instrument = instruments().latest(instrument_key)
    assessment = Assessment(
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        organisation_id=actor.membership.organisation_id if instrument_key == COMPANY else None,
        subject_user_id=actor.id if instrument_key == MANAGEMENT else None,
        taken_by_id=actor.id,
        answers={},
        step=0,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def instrument_of(assessment):
    return instruments().get(assessment.instrument_key, assessment.instrument_version)


def save_step(actor, assessment, step, answers, *, finish=False):
    """Store the answers given on one step (a dimension) and remember where the person is.

    ``answers`` maps item ids of that step to 0..5; an item left blank keeps its earlier
    answer. With ``finish`` the assessment is completed, which needs every item answered.
    """
    require(actor, "maturity.answer", assessment)
    instrument = instrument_of(assessment)
    if not 0 <= step < len(instrument.dimensions):
        raise NotFound(_l("There is no such step."))
    allowed = {item.id for item in instrument.dimensions[step].items}
    stored = dict(assessment.answers or {})
    for item_id, value in answers.items():
        if item_id not in allowed or value not in range(6):
            raise DomainError(_l("Choose one of the answers 0 to 5."), field=item_id)
        stored[item_id] = value
    assessment.answers = stored
    assessment.step = step
    if finish:
        missing = [item for item in instrument.items if item.id not in stored]
        if missing:
            db.session.commit()  # keep what was typed even though the assessment cannot finish yet
            first = next(i for i, d in enumerate(instrument.dimensions) if any(it in d.items for it in missing))
            raise DomainError(_l("%(count)d questions are still unanswered, the first on step %(step)d.",
                                 count=len(missing), step=first + 1))
        profile = score_answers(instrument, stored)
        assessment.overall = profile.overall
        assessment.level_key = profile.level.key
        assessment.completed_at = utcnow()
    db.session.commit()
    return assessment


def set_position(actor, position):
    require(actor, "maturity.set_position")
    if position not in Position.ALL:
        raise DomainError(_l("Choose staff, executive or board member."), field="position")
    actor.membership.position = position
    db.session.commit()


# --- Cohorts --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pool:
    """Who can be placed. Other areas add pools (a space's members, a workshop's registrants)
    by registering a function ``candidates(instrument_key) -> [queries.Candidate]``."""

    key: str
    label: object
    candidates: object


POOLS = {
    "mapped": Pool("mapped", _l("Everyone mapped (all organisations or all executives with an assessment)"),
                   queries.mapped_candidates),
}


# Functions returning pools that depend on the data (say one per space), asked each time.
POOL_SOURCES = []


def register_pool(pool):
    POOLS[pool.key] = pool


def register_pool_source(source):
    """``source() -> [Pool]``: pools made from data, such as a space's members or a workshop's registrants."""
    if source not in POOL_SOURCES:
        POOL_SOURCES.append(source)


def available_pools():
    pools = dict(POOLS)
    for source in POOL_SOURCES:
        pools.update((pool.key, pool) for pool in source())
    return pools


@dataclass(frozen=True)
class CohortParameters:
    instrument_key: str
    pool: str = "mapped"
    dimension: str | None = None
    min_size: int = 4
    max_size: int = 12
    target_size: int = 8
    max_spread: float = 25.0


@dataclass(frozen=True)
class Placement:
    candidate: queries.Candidate
    score: float
    level: object  # Level


@dataclass(frozen=True)
class CohortPreview:
    parameters: CohortParameters
    instrument: object
    cohorts: list  # [[Placement]]
    unplaced: list  # [Placement]


def _placement(candidate, dimension):
    instrument, profile = queries.profile_of(candidate.assessment)
    score = profile.dimension_scores[dimension] if dimension else profile.overall
    return Placement(candidate, score, level_for(instrument, score))


def preview_cohorts(actor, parameters):
    require(actor, "maturity.facilitate")
    if parameters.instrument_key not in (COMPANY, MANAGEMENT):
        raise DomainError(_l("Choose an instrument."), field="instrument")
    pool = available_pools().get(parameters.pool)
    if pool is None:
        raise DomainError(_l("Choose a pool."), field="pool")
    instrument = instruments().latest(parameters.instrument_key)
    if parameters.dimension and parameters.dimension not in {d.code for d in instrument.dimensions}:
        raise DomainError(_l("That dimension is not part of this instrument."), field="dimension")
    placements = {c.key: _placement(c, parameters.dimension) for c in pool.candidates(parameters.instrument_key)}
    try:
        result = form_cohorts(
            [Participant(key, p.score, p.level.rank) for key, p in placements.items()],
            min_size=parameters.min_size, max_size=parameters.max_size,
            target_size=parameters.target_size, max_spread=parameters.max_spread,
        )
    except ValueError:
        raise DomainError(_l("The sizes must satisfy minimum ≤ target ≤ maximum.")) from None
    return CohortPreview(
        parameters=parameters,
        instrument=instrument,
        cohorts=[[placements[m.id] for m in cohort.members] for cohort in result.cohorts],
        unplaced=[placements[p.id] for p in result.unplaced],
    )


def save_cohorts(actor, parameters, names):
    """Form the cohorts again from the same input (formation is deterministic) and store them,
    each member with the score and level they have now."""
    preview = preview_cohorts(actor, parameters)
    if not preview.cohorts:
        raise DomainError(_l("There are no cohorts to save."))
    saved = []
    for index, placements in enumerate(preview.cohorts):
        name = (names[index] if index < len(names) else "").strip() or str(
            _l("Cohort %(number)d", number=index + 1))
        cohort = Cohort(
            name=name[:120], instrument_key=preview.instrument.key, instrument_version=preview.instrument.version,
            pool=parameters.pool, dimension=parameters.dimension, created_by_id=actor.id,
            parameters={"min_size": parameters.min_size, "max_size": parameters.max_size,
                        "target_size": parameters.target_size, "max_spread": parameters.max_spread},
        )
        cohort.members = [
            CohortMember(
                organisation_id=p.candidate.organisation.id if p.candidate.organisation else None,
                user_id=p.candidate.user.id if p.candidate.user else None,
                score=p.score, level_key=p.level.key,
            )
            for p in placements
        ]
        db.session.add(cohort)
        saved.append(cohort)
    db.session.flush()
    record(actor, "maturity.cohorts_saved", "cohort", saved[0].id, cohorts=[c.id for c in saved])
    db.session.commit()
    return saved


def cohort_recipients(cohort):
    """E-mail addresses of a cohort: the people, or every active member of the organisations."""
    user_ids = [m.user_id for m in cohort.members if m.user_id]
    organisation_ids = [m.organisation_id for m in cohort.members if m.organisation_id]
    from ..accounts.models import User

    query = select(User.email).where(User.is_active.is_(True))
    if organisation_ids:
        query = query.join(OrganisationMembership, OrganisationMembership.user_id == User.id).where(
            db.or_(User.id.in_(user_ids or [-1]),
                   db.and_(OrganisationMembership.organisation_id.in_(organisation_ids),
                           OrganisationMembership.status == MembershipStatus.ACTIVE)))
    else:
        query = query.where(User.id.in_(user_ids or [-1]))
    return sorted(set(db.session.scalars(query)))


def message_cohort(actor, cohort, subject, body):
    require(actor, "maturity.facilitate")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError(_l("Write a subject."), field="subject")
    if not body:
        raise DomainError(_l("Write a message."), field="body")
    recipients = cohort_recipients(cohort)
    for address in recipients:
        send_mail(address, subject, body)
    message = CohortMessage(cohort_id=cohort.id, author_id=actor.id, subject=subject[:200], body=body,
                            recipients=len(recipients))
    db.session.add(message)
    db.session.commit()
    return message
