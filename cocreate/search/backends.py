"""The engine-specific half of search: match a parsed query and rank the matches.

Both backends take the same ``ParsedQuery`` (words made of letters and digits
only, so the query strings built here can hold no operator the person typed).
``match`` narrows a select to the matching documents; ``rank`` adds what the
ranking needs to a select and returns it with the ORDER BY expression.
"""
from sqlalchemy import bindparam, column, func, literal_column, table, text

from .models import FTS_TABLE, SearchDocument


class PostgresBackend:
    """``tsv @@ to_tsquery('simple', ...)``, served by the GIN index, ranked with ``ts_rank``."""

    tsv = literal_column("search_documents.tsv")

    @staticmethod
    def tsquery_text(query):
        parts = []
        for term in query.terms:
            words = [f"'{word}'" for word in term.words]
            parts.append(" <-> ".join(words) + (":*" if term.prefix else ""))
        return " & ".join(parts)

    def _tsquery(self, query):
        # Rendered into the statement (quoted by SQLAlchemy), not sent as a parameter: once
        # psycopg prepares a statement, PostgreSQL may switch to a generic plan that cannot
        # see how common the words are, and a broad word then reads every match (seconds
        # instead of milliseconds on 200,000 posts).
        words = bindparam("tsquery", self.tsquery_text(query), literal_execute=True)
        return func.to_tsquery(text("'simple'::regconfig"), words)

    def match(self, select, query):
        return select.where(self.tsv.op("@@")(self._tsquery(query)))

    def rank(self, select, query):
        return select, func.ts_rank(self.tsv, self._tsquery(query)).desc()


class SqliteBackend:
    """FTS5's ``MATCH`` over ``search_fts`` (rowid = document id), ranked with ``bm25``, titles ten-fold."""

    fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))

    @staticmethod
    def match_text(query):
        parts = []
        for term in query.terms:
            parts.append('"' + " ".join(term.words) + '"' + ("*" if term.prefix else ""))
        return " AND ".join(parts)

    def match(self, select, query):
        match = self.fts.c[FTS_TABLE].op("MATCH")(self.match_text(query))
        return select.join(self.fts, self.fts.c.rowid == SearchDocument.id).where(match)

    def rank(self, select, query):
        # bm25() only answers inside a MATCH query, so ranking matches again.
        return self.match(select, query), func.bm25(literal_column(FTS_TABLE), 10.0, 1.0).asc()


def backend_for(dialect_name):
    return PostgresBackend() if dialect_name == "postgresql" else SqliteBackend()
