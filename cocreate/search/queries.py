"""The search itself: match and rank (the backend), then who may see what, then the filters."""
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, func, or_, true
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
    """Documents without a space, or in a space ``user`` may see and, if members-only, is a member of.

    The spaces are a subquery, not a join, so the database can walk the documents newest
    first and stop as soon as it has enough (see ``backends.PostgresBackend.candidates``).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        members_only = SearchDocument.members_only.is_(False)
    elif user.is_admin:
        members_only = true()
    else:
        members_only = or_(SearchDocument.members_only.is_(False), SearchDocument.space_id.in_(member_space_ids(user)))
    visible_spaces = db.select(Space.id).where(visible_space_filter(user))
    return or_(SearchDocument.space_id.is_(None), and_(SearchDocument.space_id.in_(visible_spaces), members_only))


def _matches(backend, user, query, kind, space, theme):
    """A select of the ids of the documents matching ``query`` that ``user`` may see, filtered."""
    matches = backend.match(db.select(SearchDocument.id).where(_visible_document_filter(user)), query)
    if kind in KINDS:
        matches = matches.where(SearchDocument.kind == kind)
    if space is not None:
        matches = matches.where(SearchDocument.space_id == space.id)
    if theme is not None:
        matches = matches.where(or_(*(
            and_(SearchDocument.kind == indexed.key, indexed.in_theme(theme.id)) for indexed in KINDS.values()
        )))
    return matches


def search(user, query, kind="", space=None, theme=None):
    """A select of (document, total, position) for the documents matching ``query`` that ``user`` may see, best first.

    Visibility rests on ``visible_space_filter``: a document shows only when its
    space is visible to ``user`` (or it has no space), and a members-only document
    (a members-only data set in a public space) only to the space's members. Hidden
    posts have no document at all, so nothing about them can show.

    ``total`` is the number of ranked candidates (at most CANDIDATES), counted in the
    same statement (``count(*) OVER ()``), so a page of results is one query.
    """
    backend = backend_for(db.engine.dialect.name)
    matches = _matches(backend, user, query, kind, space, theme)
    candidates = backend.candidates(matches, kind if kind in KINDS else None, CANDIDATES)
    # Ranked by id alone, so only the page's rows are read in full.
    ranked, rank = backend.rank(db.select(SearchDocument.id).where(SearchDocument.id.in_(candidates)), query)
    ranked = ranked.add_columns(
        func.count().over().label("total"),
        func.row_number().over(order_by=(rank, SearchDocument.created_at.desc(), SearchDocument.id.desc()))
        .label("position"),
    ).subquery()
    return (
        db.select(SearchDocument, ranked.c.total, ranked.c.position)
        .join(ranked, ranked.c.id == SearchDocument.id)
        .outerjoin(Space, Space.id == SearchDocument.space_id)
        .options(contains_eager(SearchDocument.space))
        .order_by(ranked.c.position)
    )


class SearchPage(Pagination):
    """One page of ``search`` results and their total, read in one statement."""

    def _query_items(self):
        select = self._query_args["select"]
        # A range of positions rather than LIMIT/OFFSET, so only the page's rows are read in full.
        select = select.where(select.selected_columns.position.between(
            self._query_offset + 1, self._query_offset + self.per_page))
        rows = db.session.execute(select).all()
        self._total = rows[0].total if rows else 0
        return [row[0] for row in rows]

    def _query_count(self):
        return self._total


def search_page(user, query, kind="", space=None, theme=None, page=1, per_page=20):
    return SearchPage(select=search(user, query, kind, space, theme), page=page, per_page=per_page,
                      max_per_page=None, error_out=False)


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
