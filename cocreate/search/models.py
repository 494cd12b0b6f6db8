"""The search index: one row per indexed object, plus the engine-specific full-text structures.

Why one denormalised table and not a tsvector on each content table: every kind
(challenges, ideas, posts, spaces, and later data sets and working areas) is then
searched, ranked and paged by a single query, and a new kind adds rows, not
columns and indexes on someone else's table.

The full-text part differs per engine and is created by DDL next to the table:
on PostgreSQL a generated ``tsv`` column with a GIN index, and a generated
``word_pairs`` column with another for phrases; on SQLite an FTS5 table
``search_fts`` over the rows, kept in step by triggers. None of them is part of
the SQLAlchemy model, so the ORM never writes them and ``include_object`` tells
Alembic's comparison to leave them alone.
"""
from sqlalchemy import DDL, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

FTS_TABLE = "search_fts"
TSV_INDEX = "ix_search_documents_tsv"

# Why the ``simple`` configuration: the content mixes Danish and English, often in one
# post. A language configuration stems and drops stop words for one language only:
# ``danish`` would stem English words wrongly, ``english`` would leave Danish inflections
# alone and drop only English stop words. Indexing with both doubles the index and makes
# ranks hard to compare. ``simple`` only lowercases, the same for both languages and the
# same as FTS5's unicode61 on SQLite, so both engines find the same things; prefix
# matching on the last typed word covers much of the inflection ("leverandør" finds
# "leverandører"). Titles weigh A, bodies B.
PG_TSV_SQL = (
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'B')"
)
# Why word pairs: a phrase ("fragt varenummer") asks the tsv index for every document
# holding each of its words, then reads and checks each one's positions; two common words
# mean tens of thousands of rows read to keep a few hundred. ``word_pairs`` holds a hash
# of each pair of lexemes at neighbouring positions of ``tsv`` (from the same expression,
# so titles, bodies, truncated positions and all are exactly what ``@@`` sees), and its GIN
# index finds the documents holding each pair of the phrase: a superset of the phrase's
# matches, close to it, which ``@@`` then checks (see ``PostgresBackend.match``).
# ``hashtext`` is not promised to stay the same across PostgreSQL major versions: after
# pg_upgrade, rebuild the column (docs/SEARCH-PERFORMANCE.md).
WORD_PAIRS_INDEX = "ix_search_documents_word_pairs"
PG_WORD_PAIRS_FUNCTION = (
    "CREATE OR REPLACE FUNCTION search_word_pairs(tsv tsvector) RETURNS int[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT hashtext(a.lexeme || ' ' || b.lexeme)), '{}') "
    "FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(tsv)) a "
    "JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(tsv)) b ON b.position = a.position + 1 $$"
)
PG_CREATE = [
    f"ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({PG_TSV_SQL}) STORED",
    f"CREATE INDEX {TSV_INDEX} ON search_documents USING gin (tsv)",
    PG_WORD_PAIRS_FUNCTION,
    # ``tsv``'s own expression: a generated column cannot read another one.
    f"ALTER TABLE search_documents ADD COLUMN word_pairs int[] GENERATED ALWAYS AS (search_word_pairs({PG_TSV_SQL})) "
    "STORED",
    f"CREATE INDEX {WORD_PAIRS_INDEX} ON search_documents USING gin (word_pairs)",
]
# ``remove_diacritics 0``: å, æ and ø are letters of their own in Danish ("år" is not "ar").
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    f"CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {FTS_TABLE}"]


class SearchDocument(db.Model):
    """The searchable text of one object, and the facts that decide who may see it."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_kind_container", "kind", "container_id"),
        # The newest documents of one kind first: the search's recency walk with a kind filter.
        Index("ix_search_documents_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int]
    # Visibility: the document shows to whoever may see this space; no space means everyone.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    # The object the link goes through (an idea's challenge, a post's workshop).
    container_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    context: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Only the space's members (and admins) may find it, even in a public space: a members-only data set.
    members_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[object] = mapped_column(DateTime(timezone=True))

    space = relationship("Space")


for _statement in PG_CREATE:
    event.listen(SearchDocument.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in SQLITE_CREATE:
    event.listen(SearchDocument.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP:
    event.listen(SearchDocument.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's filter: the engine-specific full-text objects are not in the model on purpose."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name in ("tsv", "word_pairs") and getattr(obj, "table", None) is not None \
            and obj.table.name == "search_documents":
        return False
    if type_ == "index" and name in (TSV_INDEX, WORD_PAIRS_INDEX):
        return False
    return True
