"""The engine-specific half of search: match a parsed query and rank the matches.

Both backends take the same ``ParsedQuery`` (words made of letters and digits
only, so the query strings built here can hold no operator the person typed).
``match`` narrows a select to the matching documents; ``rank`` adds what the
ranking needs to a select and returns it with the ORDER BY expression.
``candidates`` picks, from the matches, the newest ones that get ranked.
"""
from sqlalchemy import bindparam, column, func, literal_column, table, text, union_all

from ..extensions import db
from .models import FTS_TABLE, SearchDocument
from .parsing import ParsedQuery

# How PostgreSQL finds the newest matches (see ``PostgresBackend.candidates``).
PROBE_ROWS = 2_000
RECENT_ROWS = 40_000


def _newest(select, limit):
    return select.order_by(select.selected_columns.id.desc()).limit(limit)


def _every_match(matches, name):
    """A select of every match at once, from the GIN index: a materialised list cannot be cut short."""
    every = matches.cte(name).prefix_with("MATERIALIZED")
    return db.select(every.c.id)


def _marked(newest, matches, rows):
    """The newest ``rows`` documents, each marked whether it is one of ``matches``.

    With the match in the select list rather than in WHERE, PostgreSQL can only walk
    these rows; in WHERE it may AND the GIN index in, reading every posting of a
    common word (or prefix) to keep a few. ``matches`` must select from
    ``search_documents`` alone, as the PostgreSQL match does (no join), so its WHERE
    clause is the whole condition.
    """
    return newest.add_columns(matches.whereclause.label("hit")).limit(rows).subquery()


class PostgresBackend:
    """``tsv @@ to_tsquery('simple', ...)``, served by the GIN indexes, ranked with ``ts_rank``.

    A phrase is also looked up by its pairs of neighbouring words in ``word_pairs``
    (see ``models.PG_CREATE``): far fewer documents hold a pair than each of its words.
    """

    tsv = literal_column("search_documents.tsv")
    word_pairs = literal_column("search_documents.word_pairs")

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
        words = bindparam(None, self.tsquery_text(query), literal_execute=True)
        return func.to_tsquery(text("'simple'::regconfig"), words)

    @staticmethod
    def _word_pairs(query):
        """The hashed word pairs each phrase's matches hold in ``word_pairs``, one array per two neighbouring words.

        Each pair is hashed from its own two words, not from the whole phrase: a word the
        configuration drops ("²") leaves a gap in the tsquery (``'a' <2> 'b'``) that the
        phrase's own tsvector would close, asking for a pair the matches need not hold.
        A pair of words can only ask for pairs every match holds, so the condition never
        loses a match. Rendered into the statement like the tsquery, so the planner
        computes the (immutable) arrays once and sees how common the pairs are.
        """
        pairs = []
        for term in query.terms:
            for first, second in zip(term.words, term.words[1:]):
                words = bindparam(None, f"{first} {second}", literal_execute=True)
                pairs.append(func.search_word_pairs(func.to_tsvector(text("'simple'::regconfig"), words)))
        return pairs

    def match(self, select, query):
        pairs = self._word_pairs(query)
        if not pairs:
            return select.where(self.tsv.op("@@")(self._tsquery(query)))
        # The phrases are found by their pairs and checked by ``ts_match_vq`` (what ``@@``
        # calls), which no index serves: with ``@@`` the planner also ANDs in the tsv index,
        # reading every posting of both words (12,553 rows, 8 of the 11 ms, for "fragt
        # varenummer") to narrow 279 candidates to 205. Single words keep ``@@`` and their index.
        for pair in pairs:
            select = select.where(self.word_pairs.op("@>")(pair))
        words = ParsedQuery(tuple(term for term in query.terms if len(term.words) == 1))
        if words:
            select = select.where(self.tsv.op("@@")(self._tsquery(words)))
        phrases = ParsedQuery(tuple(term for term in query.terms if len(term.words) > 1))
        return select.where(func.ts_match_vq(self.tsv, self._tsquery(phrases)))

    def rank(self, select, query):
        return select, func.ts_rank(self.tsv, self._tsquery(query)).desc()

    def candidates(self, matches, kind, limit):
        """The newest ``limit`` of ``matches`` (a select of ids), found the cheaper of two ways.

        The GIN index finds every match at once, which is quick for a rare word and slow
        for a common one (it reads all 100,000 matches of "og" to keep the newest 1,000).
        Walking the documents newest first and stopping at ``limit`` matches is the
        opposite. Which one a query needs is measured, not guessed: one query counts the
        matches among the newest PROBE_ROWS documents (of ``kind``). If that rate would
        fill ``limit`` within the newest RECENT_ROWS documents, those are walked, and the
        index is asked for older matches only if the walk came up short (all in one
        statement); otherwise the index answers alone.
        """
        newest = db.select(SearchDocument.id).order_by(SearchDocument.id.desc())
        if kind:
            newest = newest.where(SearchDocument.kind == kind)
        probe = _marked(newest, matches, PROBE_ROWS)
        hits, rows = db.session.execute(db.select(func.count().filter(probe.c.hit), func.count())).one()
        if rows < PROBE_ROWS or hits * RECENT_ROWS < limit * PROBE_ROWS:
            return _newest(_every_match(matches, "every_match"), limit)
        walk = _marked(newest, matches, RECENT_ROWS)
        recent = db.select(walk.c.id).where(walk.c.hit).order_by(walk.c.id.desc()).limit(limit).cte("recent")
        walk_came_short = db.select(func.count()).select_from(recent).scalar_subquery() < limit
        # Only computed if the walk came short (PostgreSQL evaluates the gate first).
        floor = newest.offset(RECENT_ROWS - 1).limit(1).scalar_subquery()
        older = _newest(matches.where(SearchDocument.id < floor, walk_came_short), limit)
        found = union_all(db.select(recent.c.id), older).subquery()
        return db.select(found.c.id).order_by(found.c.id.desc()).limit(limit)


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

    def candidates(self, matches, kind, limit):
        """The newest ``limit`` matches: FTS5 lists them all quickly, the newest first by rowid."""
        return _newest(matches, limit)


def backend_for(dialect_name):
    return PostgresBackend() if dialect_name == "postgresql" else SqliteBackend()
