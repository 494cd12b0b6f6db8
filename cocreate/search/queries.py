"""The search itself: match and rank (the backend), then who may see what, then the filters."""
from sqlalchemy import and_, or_, true
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..spaces.models import Space
from ..spaces.queries import member_space_ids, visible_space_filter
from . import kinds as _kinds  # noqa: F401  (registers the site's kinds)
from .backends import backend_for
from .models import SearchDocument
from .registry import KINDS
from .snippets import highlight, snippet


# Ranking reads every match's text; a word found in half the site would rank
# 100,000 rows. Only the newest CANDIDATES matches are ranked (and counted), which
# keeps broad queries fast and changes nothing for the specific ones people refine to.
CANDIDATES = 1000


def _visible_document_filter(user):
    """Documents without a space, or in a space ``user`` may see and, if members-only, is a member of."""
    if user is None or not getattr(user, "is_authenticated", False):
        members_only = SearchDocument.members_only.is_(False)
    elif user.is_admin:
        members_only = true()
    else:
        members_only = or_(SearchDocument.members_only.is_(False), SearchDocument.space_id.in_(member_space_ids(user)))
    return or_(SearchDocument.space_id.is_(None), and_(visible_space_filter(user), members_only))


def search(user, query, kind="", space=None, theme=None):
    """A select of the documents matching ``query`` that ``user`` may see, best first.

    Visibility rests on ``visible_space_filter``: a document shows only when its
    space is visible to ``user`` (or it has no space), and a members-only document
    (a members-only data set in a public space) only to the space's members. Hidden
    posts have no document at all, so nothing about them can show.
    """
    backend = backend_for(db.engine.dialect.name)
    candidates = (
        db.select(SearchDocument.id)
        .outerjoin(Space, Space.id == SearchDocument.space_id)
        .where(_visible_document_filter(user))
    )
    candidates = backend.match(candidates, query)
    if kind in KINDS:
        candidates = candidates.where(SearchDocument.kind == kind)
    if space is not None:
        candidates = candidates.where(SearchDocument.space_id == space.id)
    if theme is not None:
        candidates = candidates.where(or_(*(
            and_(SearchDocument.kind == indexed.key, indexed.in_theme(theme.id)) for indexed in KINDS.values()
        )))
    candidates = candidates.order_by(SearchDocument.id.desc()).limit(CANDIDATES)
    select = (
        db.select(SearchDocument)
        .outerjoin(Space, Space.id == SearchDocument.space_id)
        .where(SearchDocument.id.in_(candidates.scalar_subquery()))
        .options(contains_eager(SearchDocument.space))
    )
    select, rank = backend.rank(select, query)
    return select.order_by(rank, SearchDocument.created_at.desc(), SearchDocument.id.desc())


class Result:
    """One document ready to show: its kind, link, and escaped, highlighted title and snippet."""

    def __init__(self, document, query):
        kind = KINDS[document.kind]
        self.document = document
        self.kind = kind
        self.space = document.space
        self.url = kind.url(document, document.space.slug if document.space else None)
        self.title = highlight(document.title, query) if document.title else None
        self.context = document.context
        self.snippet = snippet(document.body, query)


def results(documents, query):
    return [Result(document, query) for document in documents]
