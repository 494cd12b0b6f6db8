"""Open data: what a person may see of the platform's co-creation, as CSV and JSON.

Every dataset is one query (two for challenges and workshops, which add their
barriers or challenges) built on ``visible_space_filter``, so an export never holds
more than its requester could read on the site: members-only spaces only for their
members, hidden workshop posts never. People appear only by display name.
"""
import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from ..ideas.models import Idea
from ..spaces.models import Challenge, Space, Theme, challenge_themes
from ..spaces.queries import visible_space_filter
from ..workshops.models import Post, Workshop, as_utc, workshop_challenges

DATASETS = ("challenges", "ideas", "workshops", "posts", "themes")
FORMATS = ("csv", "json")
# A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple
    rows: list  # tuples in column order


def _when(moment):
    moment = as_utc(moment)
    return moment.isoformat() if moment is not None else None


def _where(user, space):
    conditions = [visible_space_filter(user)]
    if space is not None:
        conditions.append(Space.id == space.id)
    return conditions


def _themes_by_challenge(user, space):
    themes = {}
    for challenge_id, kind, slug in db.session.execute(
        select(challenge_themes.c.challenge_id, Theme.kind, Theme.slug)
        .join(Theme, Theme.id == challenge_themes.c.theme_id)
        .join(Challenge, Challenge.id == challenge_themes.c.challenge_id)
        .join(Space, Space.id == Challenge.space_id)
        .where(*_where(user, space))
        .order_by(challenge_themes.c.challenge_id, Theme.position)
    ):
        themes.setdefault((challenge_id, kind), []).append(slug)
    return themes


def challenges(user, space=None):
    themes = _themes_by_challenge(user, space)
    rows = db.session.execute(
        select(Challenge.id, Space.slug, Challenge.title, Challenge.status, Challenge.tags, User.display_name,
               Challenge.created_at, Challenge.body_md)
        .join(Space, Space.id == Challenge.space_id)
        .outerjoin(User, User.id == Challenge.author_id)
        .where(*_where(user, space)).order_by(Challenge.id)
    ).all()
    return Dataset("challenges", ("id", "space", "title", "status", "barriers", "working_areas", "tags", "author",
                                  "created_at", "description_markdown"), [
        (cid, slug, title, status, ";".join(themes.get((cid, "barrier"), [])),
         ";".join(themes.get((cid, "working_area"), [])), tags, author, _when(created), body)
        for cid, slug, title, status, tags, author, created, body in rows
    ])


def ideas(user, space=None):
    rows = db.session.execute(
        select(Idea.id, Idea.challenge_id, Space.slug, Idea.title, Idea.status, Idea.vote_count, Idea.merged_into_id,
               User.display_name, Idea.created_at, Idea.body_md)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .join(Space, Space.id == Challenge.space_id)
        .outerjoin(User, User.id == Idea.author_id)
        .where(*_where(user, space)).order_by(Idea.id)
    ).all()
    return Dataset("ideas", ("id", "challenge_id", "space", "title", "status", "votes", "merged_into_id", "author",
                             "created_at", "description_markdown"),
                   [(*row[:8], _when(row[8]), row[9]) for row in rows])


def workshops(user, space=None):
    linked = {}
    for workshop_id, challenge_id in db.session.execute(
        select(workshop_challenges.c.workshop_id, workshop_challenges.c.challenge_id)
        .join(Workshop, Workshop.id == workshop_challenges.c.workshop_id)
        .join(Space, Space.id == Workshop.space_id)
        .where(*_where(user, space)).order_by(workshop_challenges.c.challenge_id)
    ):
        linked.setdefault(workshop_id, []).append(str(challenge_id))
    rows = db.session.execute(
        select(Workshop.id, Space.slug, Workshop.title, Workshop.phase, Workshop.starts_at, Workshop.ends_at,
               Workshop.outcome_at, Workshop.outcome_md)
        .join(Space, Space.id == Workshop.space_id)
        .where(*_where(user, space)).order_by(Workshop.starts_at, Workshop.id)
    ).all()
    return Dataset("workshops", ("id", "space", "title", "phase", "starts_at", "ends_at", "challenge_ids",
                                 "outcome_at", "outcome_markdown"), [
        (wid, slug, title, phase, _when(starts), _when(ends), ";".join(linked.get(wid, [])), _when(outcome_at),
         outcome)
        for wid, slug, title, phase, starts, ends, outcome_at, outcome in rows
    ])


def posts(user, space=None):
    """Workshop thread posts; a hidden post is left out for everyone, its author and moderators too."""
    rows = db.session.execute(
        select(Post.id, Post.workshop_id, Post.parent_id, User.display_name, Post.created_at, Post.body_md)
        .join(Workshop, Workshop.id == Post.workshop_id)
        .join(Space, Space.id == Workshop.space_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(*_where(user, space), Post.hidden_at.is_(None)).order_by(Post.id)
    ).all()
    return Dataset("posts", ("id", "workshop_id", "parent_id", "author", "created_at", "body_markdown"),
                   [(*row[:4], _when(row[4]), row[5]) for row in rows])


def themes(user, space=None):
    """Barriers and working areas, with how many of the visible challenges name each."""
    counted = (
        select(challenge_themes.c.theme_id, func.count().label("n"))
        .join(Challenge, Challenge.id == challenge_themes.c.challenge_id)
        .join(Space, Space.id == Challenge.space_id)
        .where(*_where(user, space)).group_by(challenge_themes.c.theme_id).subquery()
    )
    rows = db.session.execute(
        select(Theme.slug, Theme.kind, Theme.name_en, Theme.name_da, func.coalesce(counted.c.n, 0))
        .outerjoin(counted, counted.c.theme_id == Theme.id)
        .order_by(Theme.kind, Theme.position, Theme.id)
    ).all()
    return Dataset("themes", ("slug", "kind", "name_en", "name_da", "challenges"), [tuple(row) for row in rows])


READERS = {"challenges": challenges, "ideas": ideas, "workshops": workshops, "posts": posts, "themes": themes}


def read(name, user, space=None):
    return READERS[name](user, space)


def read_all(user, space=None):
    return [READERS[name](user, space) for name in DATASETS]


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(dataset):
    """The dataset as CSV, a line at a time, for a streamed response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(dataset.columns)
    yield flush()
    for row in dataset.rows:
        writer.writerow([_safe_cell(value) for value in row])
        yield flush()


def as_json(datasets, scope):
    return {
        "scope": scope,
        **{dataset.name: [dict(zip(dataset.columns, row)) for row in dataset.rows] for dataset in datasets},
    }
