"""Full-text search across the site's content, behind one interface with two backends.

``registry`` names the indexed kinds (adding a kind is one ``register`` call),
``indexer`` keeps ``search_documents`` current from SQLAlchemy session events,
``backends`` turns a parsed query into a match and a rank on PostgreSQL
(tsvector + GIN) or SQLite (FTS5), and ``queries.search`` applies who may see
what on top.
"""
