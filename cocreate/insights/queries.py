"""The programme's figures: the dashboard and the competence-gap report, each in a fixed number of queries.

Filters by sector and size band narrow every figure to the organisations in that
segment: assessments by their organisation, activity by the organisation of the
person who acted. Counts over spaces build on ``visible_space_filter`` like every
other list of the site.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import and_, func, literal, select, union_all

from ..accounts.models import User
from ..extensions import db
from ..ideas.models import Idea, IdeaVote
from ..maturity.models import Assessment
from ..maturity.queries import assessment_facts, organisation_progress
from ..maturity.scoring import level_for, score_answers
from ..maturity.setup import COMPANY, MANAGEMENT, instruments
from ..models import utcnow
from ..orgs.models import MembershipStatus, Organisation, OrganisationMembership
from ..spaces.models import Challenge, Space, Theme, challenge_themes
from ..spaces.queries import visible_space_filter
from ..workshops.models import Post, Workshop

TARGET = 30  # the action plan: at least 30 companies and 30 management teams mapped and developed
WEEKS = 12
MIN_CELL = 5  # fewer organisations than this in a report cell and the cell is not shown
BELOW_LEVEL = "moderately_advanced"  # the report's share counts dimension scores below this level


@dataclass(frozen=True)
class Segment:
    sector: str | None = None
    size_band: str | None = None

    @property
    def is_all(self):
        return not self.sector and not self.size_band

    def narrow(self, query, user_column):
        """Keep rows whose person (``user_column``) belongs to an organisation in the segment."""
        if self.is_all:
            return query
        query = query.join(OrganisationMembership, and_(
            OrganisationMembership.user_id == user_column, OrganisationMembership.status == MembershipStatus.ACTIVE,
        )).join(Organisation, Organisation.id == OrganisationMembership.organisation_id)
        return self.narrow_organisations(query)

    def narrow_organisations(self, query):
        if self.sector:
            query = query.where(Organisation.sector == self.sector)
        if self.size_band:
            query = query.where(Organisation.size_band == self.size_band)
        return query


# --- targets and maturity distribution ------------------------------------------------------------

@dataclass(frozen=True)
class TargetProgress:
    label_key: str  # "companies" / "teams"
    mapped: int
    developed: int
    target: int = TARGET


def targets(progress):
    return [
        TargetProgress("companies", sum(row.mapped for row in progress), sum(row.developed for row in progress)),
        TargetProgress("teams", sum(row.team_mapped for row in progress), sum(row.team_developed for row in progress)),
    ]


@dataclass(frozen=True)
class Distribution:
    instrument_key: str
    counts: list  # [(Level, count)] lowest level first
    total: int


def _distribution(instrument_key, level_keys):
    instrument = instruments().latest(instrument_key)
    counts = {level.key: 0 for level in instrument.levels}
    for key in level_keys:
        if key in counts:
            counts[key] += 1
    return Distribution(instrument_key, [(level, counts[level.key]) for level in instrument.levels], sum(counts.values()))


def management_levels(facts, organisation_ids=None):
    """Each person's latest management level (``facts`` from ``assessment_facts``), for the people with an
    active membership in one of ``organisation_ids``, or for everyone when it is None."""
    latest = {}
    for person_id, level_key, _completed, organisation_id, _position in facts.management:
        if organisation_ids is None or organisation_id in organisation_ids:
            latest[person_id] = level_key
    return list(latest.values())


# --- challenges per barrier per space -----------------------------------------------------------

@dataclass
class HeatMap:
    themes: list
    spaces: list
    counts: dict  # (theme id, space id) -> challenges
    highest: int

    def count(self, theme, space):
        return self.counts.get((theme.id, space.id), 0)

    def shade(self, theme, space):
        """0 for none, then 1..4 by the share of the busiest cell: the colour a cell gets next to its number."""
        n = self.count(theme, space)
        return 0 if n == 0 else max(1, min(4, -(-4 * n // self.highest)))

    def theme_total(self, theme):
        return sum(self.count(theme, space) for space in self.spaces)


def heat_map(user, segment):
    """Every barrier or working area against every space ``user`` may see, with its count: one query."""
    counts = (
        select(challenge_themes.c.theme_id, Challenge.space_id, func.count().label("n"))
        .join(Challenge, Challenge.id == challenge_themes.c.challenge_id)
    )
    counts = segment.narrow(counts, Challenge.author_id).group_by(challenge_themes.c.theme_id, Challenge.space_id)
    counts = counts.subquery()
    rows = db.session.execute(
        select(Theme, Space, counts.c.n).select_from(Theme)
        .join(Space, visible_space_filter(user))
        .outerjoin(counts, and_(counts.c.theme_id == Theme.id, counts.c.space_id == Space.id))
        .order_by(Theme.kind, Theme.position, Theme.id, Space.title, Space.id)
    ).all()
    themes, spaces, found = {}, {}, {}
    for theme, space, n in rows:
        themes.setdefault(theme.id, theme)
        spaces.setdefault(space.id, space)
        if n:
            found[(theme.id, space.id)] = n
    return HeatMap(list(themes.values()), sorted(spaces.values(), key=lambda space: (space.title, space.id)),
                   found, max(found.values(), default=0))


# --- activity per week --------------------------------------------------------------------------

SERIES = ("posts", "ideas", "votes", "members")


@dataclass
class Activity:
    weeks: list  # the Monday (a date) starting each week, oldest first
    series: dict = field(default_factory=dict)  # name -> [count per week]

    def rows(self):
        return [(week, [self.series[name][index] for name in SERIES]) for index, week in enumerate(self.weeks)]


def week_starts(today, weeks=WEEKS):
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - index) for index in range(weeks)]


def _weekly_counts(name, at, weeks):
    """``name`` and one count per week of ``at`` (a datetime column): the select-list of one series.

    The database counts (``COUNT(*) FILTER (WHERE ...)`` per week), so the dashboard reads four rows
    however many posts and votes there are, on PostgreSQL and SQLite alike.
    """
    bounds = [datetime.combine(week, time(0), tzinfo=timezone.utc) for week in weeks]
    bounds.append(bounds[-1] + timedelta(weeks=1))
    return [literal(name).label("kind"), *(
        func.count().filter(and_(at >= start, at < end)).label(f"week_{index}")
        for index, (start, end) in enumerate(zip(bounds, bounds[1:]))
    )]


def activity(user, segment, now=None):
    """Posts, ideas, votes and new members per week for the last ``WEEKS`` weeks: one query, four rows."""
    now = now or utcnow()
    weeks = week_starts(now.date())
    since = datetime.combine(weeks[0], time(0), tzinfo=timezone.utc)
    posts = segment.narrow(
        select(*_weekly_counts("posts", Post.created_at, weeks))
        .join(Workshop, Workshop.id == Post.workshop_id).join(Space, Space.id == Workshop.space_id)
        .where(visible_space_filter(user), Post.hidden_at.is_(None), Post.created_at >= since),
        Post.author_id)
    ideas = segment.narrow(
        select(*_weekly_counts("ideas", Idea.created_at, weeks))
        .join(Challenge, Challenge.id == Idea.challenge_id).join(Space, Space.id == Challenge.space_id)
        .where(visible_space_filter(user), Idea.created_at >= since),
        Idea.author_id)
    votes = segment.narrow(
        select(*_weekly_counts("votes", IdeaVote.created_at, weeks))
        .join(Challenge, Challenge.id == IdeaVote.challenge_id).join(Space, Space.id == Challenge.space_id)
        .where(visible_space_filter(user), IdeaVote.created_at >= since),
        IdeaVote.voter_id)
    members = segment.narrow(
        select(*_weekly_counts("members", User.created_at, weeks)).where(User.created_at >= since), User.id)
    found = Activity(weeks, {name: [0] * len(weeks) for name in SERIES})
    for kind, *counts in db.session.execute(union_all(posts, ideas, votes, members)):
        found.series[kind] = list(counts)
    return found


@dataclass
class Dashboard:
    segment: Segment
    targets: list
    distributions: list
    heat_map: HeatMap
    activity: Activity


def dashboard(user, segment, now=None):
    """Every figure of the dashboard: six queries whatever the data size."""
    facts = assessment_facts()
    progress = organisation_progress(segment.sector, segment.size_band, now=now, facts=facts)
    in_segment = None if segment.is_all else {row.organisation.id for row in progress}
    distributions = [
        _distribution(COMPANY, [row.latest_level_key for row in progress if row.latest_level_key]),
        _distribution(MANAGEMENT, management_levels(facts, in_segment)),
    ]
    return Dashboard(segment, targets(progress), distributions, heat_map(user, segment), activity(user, segment, now))


# --- the competence-gap report ------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    organisations: int
    average: float | None
    share_below: float | None  # 0..100

    @property
    def suppressed(self):
        return self.organisations < MIN_CELL


@dataclass
class GapReport:
    instrument: object
    groupings: list  # [(grouping key, [(group key, organisations)])]
    cells: dict  # (grouping, group, dimension code) -> Cell
    ranking: list  # [(dimension, Cell)] weakest first; empty when too few organisations in all
    total: int

    def cell(self, grouping, group, code):
        return self.cells[(grouping, group, code)]


def _cell(scores, below_rank, instrument):
    if not scores:
        return Cell(0, None, None)
    average = round(sum(scores) / len(scores), 1)
    below = sum(1 for score in scores if level_for(instrument, score).rank < below_rank)
    return Cell(len(scores), average, round(100 * below / len(scores), 1))


def latest_company_profiles():
    """[(organisation, profile)] from each organisation's latest complete company assessment: one query."""
    rows = db.session.execute(
        select(Assessment, Organisation).join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(Assessment.instrument_key == COMPANY, Assessment.completed_at.is_not(None))
        .order_by(Assessment.completed_at, Assessment.id)
    ).all()
    latest = {}
    for assessment, organisation in rows:
        latest[organisation.id] = (organisation, assessment)
    registry = instruments()
    return [
        (organisation, score_answers(registry.get(COMPANY, assessment.instrument_version), assessment.answers))
        for organisation, assessment in latest.values()
    ]


def gap_report(sectors, size_bands):
    """Per dimension of the company instrument: average score and share below Moderately advanced, for all
    organisations, by sector and by size band; cells under ``MIN_CELL`` organisations are suppressed."""
    instrument = instruments().latest(COMPANY)
    below_rank = next(level.rank for level in instrument.levels if level.key == BELOW_LEVEL)
    profiles = latest_company_profiles()
    groupings = [
        ("all", [("all", [profile for _org, profile in profiles])]),
        ("sector", [(key, [p for org, p in profiles if org.sector == key]) for key in sectors]),
        ("size_band", [(key, [p for org, p in profiles if org.size_band == key]) for key in size_bands]),
    ]
    cells = {}
    for grouping, groups in groupings:
        for group, members in groups:
            for dimension in instrument.dimensions:
                scores = [p.dimension_scores.get(dimension.code) for p in members]
                scores = [score for score in scores if score is not None]
                cells[(grouping, group, dimension.code)] = _cell(scores, below_rank, instrument)
    total = len(profiles)
    ranking = []
    if total >= MIN_CELL:
        ranking = sorted(((d, cells[("all", "all", d.code)]) for d in instrument.dimensions),
                         key=lambda entry: (entry[1].average, entry[0].code))
    return GapReport(instrument, [(g, [(key, len(members)) for key, members in groups]) for g, groups in groupings],
                     cells, ranking, total)
