"""Keeps ``search_documents`` in step with the content, whoever changes it.

SQLAlchemy session events see every object a service adds, edits or deletes,
so no service has to remember to call the search: ``before_flush`` notes the
indexed objects that are new, deleted or changed in a watched attribute, and
``after_flush_postexec`` (when new objects have ids and relationships load)
rewrites their documents in the same transaction. A rollback undoes both.
Changes made with bulk SQL statements bypass the events; ``flask
search-reindex`` rebuilds everything.
"""
import click
from sqlalchemy import delete, event, insert, inspect
from sqlalchemy.orm import Session

from ..extensions import db
from .models import SearchDocument
from .registry import KINDS, kind_for

_PENDING = "search_pending"
BATCH = 1000


def _row(kind, object_id, document):
    return {
        "kind": kind.key, "object_id": object_id, "space_id": document.space_id,
        "container_id": document.container_id, "title": document.title[:300], "body": document.body,
        "context": document.context[:300], "created_at": document.created_at,
        "members_only": document.members_only,
    }


def _changed(obj, kind):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in kind.watched)


@event.listens_for(Session, "before_flush")
def _note_changes(session, flush_context, instances):
    pending = session.info.setdefault(_PENDING, {"upsert": set(), "delete": set()})
    for obj in session.new:
        if kind_for(obj):
            pending["upsert"].add(obj)
    for obj in session.dirty:
        kind = kind_for(obj)
        if kind and _changed(obj, kind):
            pending["upsert"].add(obj)
    for obj in session.deleted:
        kind = kind_for(obj)
        if kind:
            pending["delete"].add((kind.key, obj.id))


@event.listens_for(Session, "after_flush_postexec")
def _write_documents(session, flush_context):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    connection = session.connection()
    stale = set(pending["delete"])
    rows = []
    for obj in pending["upsert"]:
        kind = kind_for(obj)
        if inspect(obj).deleted or inspect(obj).detached:
            continue
        stale.add((kind.key, obj.id))
        document = kind.to_document(obj)
        if document is not None:
            rows.append(_row(kind, obj.id, document))
    for key, object_id in stale:
        connection.execute(
            delete(SearchDocument).where(SearchDocument.kind == key, SearchDocument.object_id == object_id)
        )
    if rows:
        connection.execute(insert(SearchDocument), rows)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_PENDING, None)


def reindex_all():
    """Rebuild the whole index from the content; returns {kind: documents}."""
    db.session.execute(delete(SearchDocument))
    counts = {}
    for kind in KINDS.values():
        counts[kind.key] = 0
        rows = []
        for obj in db.session.scalars(kind.load_all().execution_options(yield_per=BATCH)):
            document = kind.to_document(obj)
            if document is not None:
                rows.append(_row(kind, obj.id, document))
            if len(rows) >= BATCH:
                counts[kind.key] += _insert(rows)
        counts[kind.key] += _insert(rows)
    db.session.commit()
    return counts


def _insert(rows):
    count = len(rows)
    if rows:
        db.session.execute(insert(SearchDocument), rows)
        rows.clear()
    return count


@click.command("search-reindex")
def reindex_command():
    """Rebuild the search index from every indexed kind."""
    counts = reindex_all()
    click.echo(", ".join(f"{key}: {count}" for key, count in counts.items()))
