"""Reads about data sets, built on the spaces area's one rule of who sees which space.

``visible_datasets(user)`` is the function search and exports use: every data set ``user``
may see, whatever the space.
"""
from flask import abort
from sqlalchemy import and_, or_, true
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..permissions import can
from ..spaces.models import Challenge, Space, Visibility
from ..spaces.queries import _user, member_space_ids
from .models import Dataset, DatasetVersion, DatasetVisibility, dataset_challenges


def visible_dataset_filter(user):
    """A WHERE clause on ``Dataset`` joined to ``Space``: the data sets ``user`` may see."""
    user = _user(user)
    everyone = and_(Space.visibility == Visibility.PUBLIC, Dataset.visibility == DatasetVisibility.PUBLIC)
    if user is None:
        return everyone
    if user.is_admin:
        return true()
    return or_(everyone, Dataset.space_id.in_(member_space_ids(user)))


def visible_datasets(user):
    """A select of every data set ``user`` may see (newest first), with its space loaded."""
    return (
        db.select(Dataset).join(Space, Space.id == Dataset.space_id).where(visible_dataset_filter(user))
        .options(joinedload(Dataset.space)).order_by(Dataset.created_at.desc(), Dataset.id.desc())
    )


def space_datasets(user, space):
    return visible_datasets(user).where(Dataset.space_id == space.id).options(joinedload(Dataset.created_by))


def latest_versions(dataset_ids):
    """{dataset_id: (latest version, number of versions)} in one query."""
    if not dataset_ids:
        return {}
    newest = (
        db.select(DatasetVersion.dataset_id, db.func.max(DatasetVersion.number).label("number"),
                  db.func.count().label("count"))
        .where(DatasetVersion.dataset_id.in_(dataset_ids)).group_by(DatasetVersion.dataset_id).subquery()
    )
    rows = db.session.execute(
        db.select(DatasetVersion, newest.c.count).join(
            newest, and_(newest.c.dataset_id == DatasetVersion.dataset_id, newest.c.number == DatasetVersion.number)
        )
    )
    return {version.dataset_id: (version, count) for version, count in rows}


def dataset_in_space_or_404(user, space, dataset_id):
    """The data set, if it is in ``space`` and ``user`` may see it; 404 alike for both refusals."""
    dataset = db.session.scalar(
        db.select(Dataset).where(Dataset.id == dataset_id, Dataset.space_id == space.id)
        .options(selectinload(Dataset.challenges), joinedload(Dataset.created_by),
                 selectinload(Dataset.versions).joinedload(DatasetVersion.uploaded_by))
    )
    if dataset is None or not can(user, "datasets.view", dataset):
        abort(404)
    return dataset


def version_or_404(dataset, number):
    for version in dataset.versions:
        if version.number == number:
            return version
    abort(404)


def challenge_datasets(user, challenge, limit=20):
    """The data sets linked to ``challenge`` that ``user`` may see."""
    return db.session.scalars(
        visible_datasets(user)
        .join(dataset_challenges, dataset_challenges.c.dataset_id == Dataset.id)
        .where(dataset_challenges.c.challenge_id == challenge.id).limit(limit)
    ).all()


def space_dataset_overview(user, space, limit=3):
    """(the newest data sets ``user`` may see in ``space``, their total), in one query."""
    select = visible_datasets(user).where(Dataset.space_id == space.id)
    rows = db.session.execute(select.add_columns(db.func.count().over()).limit(limit)).all()
    return [dataset for dataset, _total in rows], rows[0][1] if rows else 0


def space_challenge_choices(space):
    """The challenges a data set in ``space`` may link to (archived ones too: old data stay linked)."""
    return db.session.scalars(
        db.select(Challenge).where(Challenge.space_id == space.id).order_by(Challenge.created_at.desc(), Challenge.id.desc())
    ).all()
