"""Data-set use cases: upload, upload a new version, edit the description, delete.

Who may do what:

- Anyone who may see the space sees its public data sets; members (and admins) see all of them.
  A data set is public only while its space is public.
- Active members of the space (and admins) upload data sets.
- The uploader, while still a member, and the space's owners and facilitators (and admins)
  upload new versions, edit and delete.

A file is checked and previewed from its temporary copy; only then is it moved to its content
address and the rows committed. If the commit fails the file is removed again unless another
version already uses it, so a failed upload leaves neither a record nor an orphan file.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..audit.models import record
from ..errors import Conflict, DomainError
from ..extensions import db
from ..markdown import render_markdown
from ..permissions import can, require, rule
from ..spaces.models import Challenge
from ..spaces.queries import can_see, is_member
from . import files, storage
from .models import Dataset, DatasetVersion, DatasetVisibility, Licence

TITLE_MAX = 160
DESCRIPTION_MAX = 20_000


@rule("datasets.view")
def _can_view(user, dataset):
    space = dataset.space
    if user is not None and (user.is_admin or is_member(user, space)):
        return True
    return dataset.is_public and can_see(user, space)


@rule("datasets.upload")
def _can_upload(user, space):
    return can(user, "spaces.post", space)


@rule("datasets.edit")
def _can_edit(user, dataset):
    return user is not None and (
        dataset.created_by_id == user.id and is_member(user, dataset.space) or can(user, "spaces.manage", dataset.space)
    )


@dataclass
class DatasetData:
    title: str
    description: str = ""
    licence: str = Licence.CC_BY
    visibility: str = DatasetVisibility.MEMBERS
    challenge_ids: list = field(default_factory=list)


@dataclass
class Upload:
    """What the form received: the name the browser sent and a readable stream."""

    filename: str
    stream: object


def upload_dataset(actor, space, data, upload):
    require(actor, "datasets.upload", space)
    challenges = _check_data(space, data)
    checked = _check_file(upload)
    with _until_placed(checked):
        dataset = Dataset(space=space, created_by_id=actor.id)
        _apply(dataset, data, challenges)
        db.session.add(dataset)
        dataset.versions.append(_version(actor, 1, checked))
        db.session.flush()
        record(actor, "dataset.upload", "dataset", dataset.id, space_id=space.id, title=dataset.title)
    _commit_with_file(checked)
    return dataset


def upload_version(actor, dataset, upload):
    require(actor, "datasets.edit", dataset)
    checked = _check_file(upload)
    with _until_placed(checked):
        version = _next_version(actor, dataset, checked)
    _commit_with_file(checked)
    return version


def _next_version(actor, dataset, checked):
    # Numbering waits for any other upload to the same data set (the unique key is the backstop).
    db.session.execute(db.select(Dataset.id).where(Dataset.id == dataset.id).with_for_update())
    latest = db.session.scalar(
        db.select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
        .order_by(DatasetVersion.number.desc()).limit(1)
    )
    if latest is not None and latest.sha256 == checked[0].sha256:
        raise DomainError(_l("This file is the same as the current version."), field="file")
    version = _version(actor, (latest.number if latest else 0) + 1, checked)
    version.dataset_id = dataset.id
    db.session.add(version)
    db.session.flush()
    record(actor, "dataset.new_version", "dataset", dataset.id, space_id=dataset.space_id, number=version.number)
    return version


def update_dataset(actor, dataset, data):
    require(actor, "datasets.edit", dataset)
    challenges = _check_data(dataset.space, data)
    _apply(dataset, data, challenges)
    db.session.commit()
    return dataset


def delete_dataset(actor, dataset):
    require(actor, "datasets.edit", dataset)
    hashes = {version.sha256 for version in dataset.versions}
    record(actor, "dataset.delete", "dataset", dataset.id, space_id=dataset.space_id, title=dataset.title)
    db.session.delete(dataset)
    db.session.commit()
    for sha256 in hashes:
        _remove_if_unused(sha256)


def _check_data(space, data):
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_l("Give the data set a title."), field="title")
    if len(title) > TITLE_MAX or len(data.description or "") > DESCRIPTION_MAX:
        raise DomainError(_l("The title or description is too long."), field="title")
    if data.licence not in Licence.LABELS:
        raise DomainError(_l("Choose a licence."), field="licence")
    if data.visibility not in DatasetVisibility.LABELS:
        raise DomainError(_l("Choose who may see the data set."), field="visibility")
    if data.visibility == DatasetVisibility.PUBLIC and not space.is_public:
        raise DomainError(_l("Only a public space can share a data set with everyone."), field="visibility")
    if data.visibility == DatasetVisibility.PUBLIC and data.licence == Licence.MEMBERS:
        raise DomainError(_l("A data set licensed to space members only cannot be public."), field="visibility")
    ids = {int(i) for i in data.challenge_ids or []}
    challenges = db.session.scalars(
        db.select(Challenge).where(Challenge.id.in_(ids), Challenge.space_id == space.id).order_by(Challenge.id)
    ).all() if ids else []
    if len(challenges) != len(ids):
        raise DomainError(_l("Link only challenges of this space."), field="challenge_ids")
    return challenges


def _apply(dataset, data, challenges):
    dataset.title = data.title.strip()
    dataset.description_md = data.description or ""
    dataset.description_html = render_markdown(dataset.description_md)
    dataset.licence = data.licence
    dataset.visibility = data.visibility
    dataset.challenges = list(challenges)


def _check_file(upload):
    """(received temporary file, name, kind, preview), or a DomainError with the temporary file gone."""
    if upload is None or not upload.filename:
        raise DomainError(_l("Choose a file to upload."), field="file")
    name, kind = files.check_filename(upload.filename)
    received = storage.receive(upload.stream)
    try:
        preview = files.inspect(received.temp_path, kind, received.size)
    except BaseException:
        storage.discard(received)
        raise
    return received, name, kind, preview


def _version(actor, number, checked):
    received, name, kind, preview = checked
    return DatasetVersion(
        number=number, filename=name, kind=kind, size=received.size, sha256=received.sha256, preview=preview,
        uploaded_by_id=actor.id,
    )


@contextmanager
def _until_placed(checked):
    """Drop the temporary file and the half-made rows if anything fails before the file is placed."""
    try:
        yield
    except BaseException:
        storage.discard(checked[0])
        db.session.rollback()
        raise


def _commit_with_file(checked):
    received = checked[0]
    try:
        created = storage.place(received)
    except BaseException:
        storage.discard(received)
        db.session.rollback()
        raise
    try:
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if created:
            _remove_if_unused(received.sha256)
        if isinstance(error, IntegrityError):
            raise Conflict(_l("Someone uploaded a version at the same time. Please try again.")) from error
        raise


def _remove_if_unused(sha256):
    in_use = db.session.scalar(db.select(db.func.count()).where(DatasetVersion.sha256 == sha256))
    if not in_use:
        storage.remove(sha256)
