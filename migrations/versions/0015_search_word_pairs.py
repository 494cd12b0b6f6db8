"""search: word pairs, so a quoted phrase is found through its pairs of neighbouring words (PostgreSQL only)

A phrase of two common words ("fragt varenummer") made the tsv index hand over every
document holding both words, each then read to check the positions: 104/208 ms p50/p95
on the search benchmark. ``word_pairs`` holds a hash of each pair of lexemes at
neighbouring positions of ``tsv``; its GIN index finds the few documents holding the
phrase's pairs, which ``@@`` still checks (docs/SEARCH-PERFORMANCE.md).

Adding a stored generated column rewrites the table under an ACCESS EXCLUSIVE lock:
searches and indexing wait for it (measured on the benchmark's 212,000 documents in the
docs). SQLite needs nothing: FTS5 answers phrases from its own positions.

The statements are written out here, not imported, so this migration keeps building the
same schema whatever the code does later.

Revision ID: 0015_search_word_pairs
Revises: 0014_search
"""
from alembic import op


revision = "0015_search_word_pairs"
down_revision = "0014_search"
branch_labels = None
depends_on = None

UPGRADE = [
    "CREATE OR REPLACE FUNCTION search_word_pairs(tsv tsvector) RETURNS int[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT hashtext(a.lexeme || ' ' || b.lexeme)), '{}') "
    "FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(tsv)) a "
    "JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(tsv)) b ON b.position = a.position + 1 $$",
    # The expression of ``tsv`` again: a generated column cannot read another one.
    "ALTER TABLE search_documents ADD COLUMN word_pairs int[] GENERATED ALWAYS AS (search_word_pairs("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'B'))) STORED",
    "CREATE INDEX ix_search_documents_word_pairs ON search_documents USING gin (word_pairs)",
    # The planner's figures for the new column, so the first phrase searches already use its index.
    "ANALYZE search_documents",
]
DOWNGRADE = [
    "DROP INDEX ix_search_documents_word_pairs",
    "ALTER TABLE search_documents DROP COLUMN word_pairs",
    "DROP FUNCTION search_word_pairs(tsvector)",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
