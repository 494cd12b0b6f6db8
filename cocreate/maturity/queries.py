"""Reads: latest assessments, badges (batched), team profiles, pools and progress."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, union_all

from ..accounts.models import User
from ..extensions import db
from ..requestcache import remembered
from ..workshops.models import as_utc
from ..orgs.models import MembershipStatus, Organisation, OrganisationMembership, Position
from .models import Assessment, Cohort, CohortMember
from .scoring import score_answers, team_profile
from .setup import COMPANY, MANAGEMENT, instruments


@dataclass(frozen=True)
class Badge:
    """A latest level, enough to draw a badge without another query."""

    instrument_key: str
    level_key: str
    level_rank: int
    level_name: object  # LocalizedText
    completed_at: datetime
    assessment_id: int


def profile_of(assessment):
    instrument = instruments().get(assessment.instrument_key, assessment.instrument_version)
    return instrument, score_answers(instrument, assessment.answers)


def _badge(instrument_key, version, level_key, completed_at, assessment_id):
    instrument = instruments().get(instrument_key, version)
    level = next(level for level in instrument.levels if level.key == level_key)
    return Badge(instrument_key, level_key, level.rank, level.name, completed_at, assessment_id)


def _complete():
    return Assessment.completed_at.is_not(None)


def badges_for_users(user_ids):
    """{user id: [badge, ...]}: their own latest management level and their organisation's company level.

    One query for any number of people, so a list shows every badge at a fixed cost.
    """
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return {}
    columns = (Assessment.instrument_key, Assessment.instrument_version, Assessment.level_key,
               Assessment.completed_at, Assessment.id)
    own = select(Assessment.subject_user_id.label("user_id"), *columns).where(
        Assessment.subject_user_id.in_(user_ids), _complete()
    )
    organisations = (
        select(OrganisationMembership.user_id.label("user_id"), *columns)
        .join(Assessment, Assessment.organisation_id == OrganisationMembership.organisation_id)
        .where(OrganisationMembership.user_id.in_(user_ids),
               OrganisationMembership.status == MembershipStatus.ACTIVE, _complete())
    )
    rows = db.session.execute(union_all(own, organisations)).all()
    return _latest_badges(rows)


def badges_for_organisations(organisation_ids):
    """{organisation id: [badge]}: the organisation's latest company level, in one query."""
    organisation_ids = sorted(set(organisation_ids))
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        select(Assessment.organisation_id, Assessment.instrument_key, Assessment.instrument_version,
               Assessment.level_key, Assessment.completed_at, Assessment.id)
        .where(Assessment.organisation_id.in_(organisation_ids), _complete())
    ).all()
    return _latest_badges(rows)


def _latest_badges(rows):
    latest = {}
    for owner, key, version, level_key, completed_at, assessment_id in rows:
        current = latest.get((owner, key))
        if current is None or (completed_at, assessment_id) > (current[3], current[4]):
            latest[(owner, key)] = (key, version, level_key, completed_at, assessment_id)
    badges = {}
    for (owner, key), row in sorted(latest.items(), key=lambda entry: (entry[0][0], entry[0][1])):
        badges.setdefault(owner, []).append(_badge(*row))
    # The company badge first, then the personal one: the same order everywhere.
    for owner_badges in badges.values():
        owner_badges.sort(key=lambda badge: badge.instrument_key != COMPANY)
    return badges


def latest_complete(instrument_key, organisation_id=None, user_id=None):
    """The latest complete assessment of an organisation or a person; asked once per request
    (the home page's maturity card and its workshop recommendations both want it)."""
    def load():
        query = select(Assessment).where(Assessment.instrument_key == instrument_key, _complete())
        if organisation_id is not None:
            query = query.where(Assessment.organisation_id == organisation_id)
        else:
            query = query.where(Assessment.subject_user_id == user_id)
        return db.session.scalar(query.order_by(Assessment.completed_at.desc(), Assessment.id.desc()).limit(1))

    return remembered(_latest_key(instrument_key, organisation_id, user_id), load)


def _latest_key(instrument_key, organisation_id=None, user_id=None):
    return ("maturity.latest_complete", instrument_key, organisation_id, None if organisation_id else user_id)


def history(instrument_key, organisation_id=None, user_id=None):
    """Complete assessments of one subject, oldest first."""
    query = select(Assessment).where(Assessment.instrument_key == instrument_key, _complete())
    if organisation_id is not None:
        query = query.where(Assessment.organisation_id == organisation_id)
    else:
        query = query.where(Assessment.subject_user_id == user_id)
    return db.session.scalars(query.order_by(Assessment.completed_at, Assessment.id)).all()


def draft_of(user, instrument_key):
    """The person's unfinished assessment of ``instrument_key``, if any."""
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.taken_by_id == user.id, Assessment.instrument_key == instrument_key,
               Assessment.completed_at.is_(None))
        .order_by(Assessment.id.desc()).limit(1)
    )


def person_level(user, instrument_key):
    """The Level of the person's latest complete assessment (their organisation's for the company
    instrument), or None: what workshop bands compare with ``Level.rank``."""
    if instrument_key == COMPANY:
        organisation = user.organisation
        if organisation is None:
            return None
        assessment = latest_complete(COMPANY, organisation_id=organisation.id)
    else:
        assessment = latest_complete(instrument_key, user_id=user.id)
    if assessment is None:
        return None
    instrument = instruments().get(assessment.instrument_key, assessment.instrument_version)
    return next(level for level in instrument.levels if level.key == assessment.level_key)


def level_in_band(level, lowest_rank, highest_rank):
    """Whether ``level`` lies within a band of level ranks (inclusive); no level is in no band."""
    return level is not None and lowest_rank <= level.rank <= highest_rank


@dataclass
class MaturitySummary:
    """What the home page and profile show a signed-in person about their own maturity."""

    company: object  # latest complete company assessment of their organisation, or None
    management: object  # their own latest complete management assessment, or None
    company_draft: object
    management_draft: object
    can_take_management: bool
    position: str | None
    cohorts: list

    @property
    def badges(self):
        """The person's own badges (company first), as ``badges_for_users`` gives them, without a query."""
        return [
            _badge(a.instrument_key, a.instrument_version, a.level_key, a.completed_at, a.id)
            for a in (self.company, self.management) if a is not None
        ]


def maturity_summary(user):
    membership = user.membership if user.is_authenticated else None
    active = membership is not None and membership.is_active
    organisation_id = membership.organisation_id if active else None
    latest = _latest_and_drafts(user, organisation_id)
    return MaturitySummary(
        company=latest.get((COMPANY, True)),
        management=latest.get((MANAGEMENT, True)),
        company_draft=latest.get((COMPANY, False)),
        management_draft=latest.get((MANAGEMENT, False)),
        can_take_management=active and membership.is_management,
        position=membership.position if active else None,
        cohorts=cohorts_of(user),
    )


def _latest_and_drafts(user, organisation_id):
    """{(instrument key, complete?): assessment}: the latest complete company assessment of the
    organisation (when ``organisation_id``), the person's latest complete management one, and
    their unfinished drafts of either, in one query instead of four."""
    complete = _complete()
    wanted = [
        and_(Assessment.instrument_key == MANAGEMENT, Assessment.subject_user_id == user.id, complete),
        and_(Assessment.instrument_key == MANAGEMENT, Assessment.taken_by_id == user.id, db.not_(complete)),
    ]
    if organisation_id is not None:
        wanted += [
            and_(Assessment.instrument_key == COMPANY, Assessment.organisation_id == organisation_id, complete),
            and_(Assessment.instrument_key == COMPANY, Assessment.taken_by_id == user.id, db.not_(complete)),
        ]
    rank = db.func.row_number().over(
        partition_by=(Assessment.instrument_key, complete),
        order_by=(Assessment.completed_at.desc(), Assessment.id.desc()),
    ).label("rank")
    ranked = select(Assessment.id, rank).where(db.or_(*wanted)).subquery()
    rows = db.session.scalars(select(Assessment).join(ranked, ranked.c.id == Assessment.id).where(ranked.c.rank == 1))
    latest = {(row.instrument_key, row.completed_at is not None): row for row in rows}
    # The workshop recommendations on the same page ask for the complete ones again.
    remembered(_latest_key(MANAGEMENT, user_id=user.id), lambda: latest.get((MANAGEMENT, True)))
    if organisation_id is not None:
        remembered(_latest_key(COMPANY, organisation_id), lambda: latest.get((COMPANY, True)))
    return latest


def cohorts_of(user):
    """Saved cohorts the person is in, themselves or through their organisation."""
    membership = user.membership
    conditions = [CohortMember.user_id == user.id]
    if membership is not None and membership.is_active:
        conditions.append(CohortMember.organisation_id == membership.organisation_id)
    return db.session.scalars(
        select(Cohort)
        .where(Cohort.id.in_(select(CohortMember.cohort_id).where(db.or_(*conditions))))
        .order_by(Cohort.created_at.desc())
    ).all()


def team_profile_of(organisation):
    """The organisation's management team: mean of its executives' and board members' latest profiles."""
    executives = db.session.scalars(
        select(OrganisationMembership.user_id).where(
            OrganisationMembership.organisation_id == organisation.id,
            OrganisationMembership.status == MembershipStatus.ACTIVE,
            OrganisationMembership.position.in_(Position.MANAGEMENT),
        )
    ).all()
    instrument = instruments().latest(MANAGEMENT)
    latest = _latest_by_subject(
        select(Assessment).where(Assessment.instrument_key == MANAGEMENT, _complete(),
                                 Assessment.instrument_version == instrument.version,
                                 Assessment.subject_user_id.in_(executives or [-1])),
        lambda assessment: assessment.subject_user_id,
    )
    profiles = [score_answers(instrument, assessment.answers) for assessment in latest.values()]
    return instrument, team_profile(instrument, profiles), len(executives)


def _latest_by_subject(query, subject_of):
    latest = {}
    for assessment in db.session.scalars(query.order_by(Assessment.completed_at, Assessment.id)):
        latest[subject_of(assessment)] = assessment
    return latest


@dataclass(frozen=True)
class Candidate:
    """One organisation or person with a complete assessment, ready to be placed in a cohort."""

    key: str  # "org-3" / "user-7": unique across kinds
    organisation: Organisation | None
    user: User | None
    assessment: Assessment

    @property
    def name(self):
        return self.organisation.name if self.organisation is not None else self.user.display_name


def mapped_candidates(instrument_key):
    """Every organisation (company) or person (management) with a complete assessment: their latest."""
    if instrument_key == COMPANY:
        latest = _latest_by_subject(
            select(Assessment).where(Assessment.instrument_key == COMPANY, _complete(),
                                     Assessment.organisation_id.is_not(None)),
            lambda assessment: assessment.organisation_id,
        )
        organisations = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(list(latest) or [-1])))}
        return [Candidate(f"org-{oid}", organisations[oid], None, assessment) for oid, assessment in latest.items()]
    latest = _latest_by_subject(
        select(Assessment).where(Assessment.instrument_key == instrument_key, _complete(),
                                 Assessment.subject_user_id.is_not(None)),
        lambda assessment: assessment.subject_user_id,
    )
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(latest) or [-1])))}
    return [Candidate(f"user-{uid}", None, users[uid], assessment) for uid, assessment in latest.items()]


def current_levels_for_cohort(cohort):
    """{member id: current level key} from each member's latest assessment, to show who has moved."""
    organisation_ids = [m.organisation_id for m in cohort.members if m.organisation_id]
    user_ids = [m.user_id for m in cohort.members if m.user_id]
    levels = {}
    if organisation_ids:
        for owner, badges in badges_for_organisations(organisation_ids).items():
            levels[("org", owner)] = next((b for b in badges if b.instrument_key == cohort.instrument_key), None)
    if user_ids:
        rows = db.session.execute(
            select(Assessment.subject_user_id, Assessment.instrument_key, Assessment.instrument_version,
                   Assessment.level_key, Assessment.completed_at, Assessment.id)
            .where(Assessment.subject_user_id.in_(user_ids), Assessment.instrument_key == cohort.instrument_key,
                   _complete())
        ).all()
        for owner, badges in _latest_badges(rows).items():
            levels[("user", owner)] = badges[0]
    return {
        member.id: levels.get(("org", member.organisation_id) if member.organisation_id else ("user", member.user_id))
        for member in cohort.members
    }


@dataclass(frozen=True)
class OrganisationProgress:
    organisation: Organisation
    company_assessments: int
    latest_level_key: str | None
    latest_version: int | None
    management_answered: int
    developed: bool = False  # see cocreate/insights/development.py
    team_mapped: bool = False
    team_developed: bool = False

    @property
    def mapped(self):
        return self.company_assessments > 0

    @property
    def reassessed(self):
        return self.company_assessments > 1


@dataclass
class AssessmentFacts:
    """Every complete company and management assessment, oldest first, read in one query.

    ``company``: (organisation id, version, level key, completed at).
    ``management``: (person id, level key, completed at, organisation id, position), one row per
    active membership of the person (organisation and position are None for someone without one).
    """

    company: list
    management: list


def assessment_facts():
    rows = db.session.execute(
        select(Assessment.instrument_key, Assessment.organisation_id, Assessment.instrument_version,
               Assessment.subject_user_id, Assessment.level_key, Assessment.completed_at,
               OrganisationMembership.organisation_id, OrganisationMembership.position)
        .outerjoin(OrganisationMembership, and_(
            Assessment.instrument_key == MANAGEMENT, OrganisationMembership.user_id == Assessment.subject_user_id,
            OrganisationMembership.status == MembershipStatus.ACTIVE))
        .where(Assessment.instrument_key.in_((COMPANY, MANAGEMENT)), _complete())
        .order_by(Assessment.completed_at, Assessment.id)
    ).all()
    facts = AssessmentFacts([], [])
    for key, organisation_id, version, person_id, level_key, completed, member_of, position in rows:
        if key == COMPANY:
            facts.company.append((organisation_id, version, level_key, as_utc(completed)))
        elif person_id is not None:
            facts.management.append((person_id, level_key, as_utc(completed), member_of, position))
    return facts


def organisation_progress(sector=None, size_band=None, now=None, facts=None):
    """Per organisation: mapped, latest company level, re-assessed, executives answered, and whether the
    organisation and its management team are developed. Four queries whatever the number of organisations
    (three when the caller passes the ``assessment_facts`` it read already); ``sector`` and ``size_band``
    narrow the organisations listed."""
    from ..insights.development import is_developed, participation_by_organisation

    organisations_query = select(Organisation).order_by(Organisation.name_key)
    if sector:
        organisations_query = organisations_query.where(Organisation.sector == sector)
    if size_band:
        organisations_query = organisations_query.where(Organisation.size_band == size_band)
    organisations = db.session.scalars(organisations_query).all()
    facts = facts or assessment_facts()
    counts, latest, company_times = {}, {}, {}
    for organisation_id, version, level_key, completed in facts.company:
        counts[organisation_id] = counts.get(organisation_id, 0) + 1
        latest[organisation_id] = (level_key, version)
        company_times.setdefault(organisation_id, []).append(completed)
    executives, team_times = {}, {}
    for person_id, _level_key, completed, organisation_id, position in facts.management:
        if organisation_id is None:
            continue
        executives.setdefault(organisation_id, set()).add(person_id)
        if position in Position.MANAGEMENT:
            team_times.setdefault(organisation_id, []).append(completed)
    answered = {organisation_id: len(people) for organisation_id, people in executives.items()}
    participation = participation_by_organisation(now)
    rows = []
    for organisation in organisations:
        took_part = participation.get(organisation.id)
        rows.append(OrganisationProgress(
            organisation=organisation,
            company_assessments=counts.get(organisation.id, 0),
            latest_level_key=latest.get(organisation.id, (None, None))[0],
            latest_version=latest.get(organisation.id, (None, None))[1],
            management_answered=answered.get(organisation.id, 0),
            developed=is_developed(company_times.get(organisation.id, []), took_part.company if took_part else []),
            team_mapped=bool(team_times.get(organisation.id)),
            team_developed=is_developed(team_times.get(organisation.id, []), took_part.team if took_part else []),
        ))
    return rows


def level_named(instrument_key, version, level_key):
    instrument = instruments().get(instrument_key, version)
    return next(level for level in instrument.levels if level.key == level_key)


