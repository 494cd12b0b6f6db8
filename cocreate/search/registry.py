"""The kinds of object the search indexes. Adding a kind is one ``register`` call (see ``kinds.py``).

A kind says which model it indexes, how an object becomes a ``Document`` (or
``None`` when nobody should find it, such as a hidden post), which attributes
make it worth re-indexing, how to link a result, and which documents belong to
a barrier.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Document:
    title: str
    body: str
    space_id: int | None
    created_at: object
    container_id: int | None = None
    # Shown with the result, not searched: the workshop of a post, the challenge of an idea.
    context: str = ""
    # Hidden from non-members even when the space is public (a members-only data set).
    members_only: bool = False


@dataclass(frozen=True)
class IndexedKind:
    key: str
    model: type
    label: object  # a lazy string, shown in the kind filter and on each result
    to_document: Callable  # obj -> Document | None
    watched: tuple  # attribute names whose change re-indexes the object
    url: Callable  # (document row, space slug) -> URL
    in_theme: Callable  # theme id -> WHERE clause on SearchDocument: the kind's documents tied to it
    load_all: Callable  # () -> a select of every object of the kind, for ``flask search-reindex``


KINDS: dict[str, IndexedKind] = {}


def register(kind):
    KINDS[kind.key] = kind
    return kind


def kind_for(obj):
    for kind in KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    return None
