"""The engine-specific half of search: match a parsed query and rank the matches.

Both backends take the same ``ParsedQuery`` (words made of letters and digits
only, so the query strings built here can hold no operator the person typed)
and return a WHERE clause and an ORDER BY expression on ``SearchDocument``.
"""
from sqlalchemy import column, func, literal_column, table, text

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

    def apply(self, select, query):
        tsquery = func.to_tsquery(text("'simple'::regconfig"), self.tsquery_text(query))
        rank = func.ts_rank(self.tsv, tsquery)
        return select.where(self.tsv.op("@@")(tsquery)), rank.desc()


class SqliteBackend:
    """FTS5's ``MATCH`` over ``search_fts`` (rowid = document id), ranked with ``bm25``, titles ten-fold."""

    fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))

    @staticmethod
    def match_text(query):
        parts = []
        for term in query.terms:
            parts.append('"' + " ".join(term.words) + '"' + ("*" if term.prefix else ""))
        return " AND ".join(parts)

    def apply(self, select, query):
        match = self.fts.c[FTS_TABLE].op("MATCH")(self.match_text(query))
        rank = func.bm25(literal_column(FTS_TABLE), 10.0, 1.0)
        select = select.join(self.fts, self.fts.c.rowid == SearchDocument.id).where(match)
        return select, rank.asc()


def backend_for(dialect_name):
    return PostgresBackend() if dialect_name == "postgresql" else SqliteBackend()
