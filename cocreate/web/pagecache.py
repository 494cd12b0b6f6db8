"""Whole-page cache in Redis for what anonymous visitors see of public pages.

Why: an anonymous visitor of a public page sees what every other anonymous visitor sees
(in their language), and those pages are the expensive ones (the thread, the idea board).
The benchmark showed them CPU-bound in Jinja; a cached copy answers in a Redis round trip.

How it stays correct:
- Only GETs of the endpoints in ``CACHEABLE``, only when nobody is signed in and no flash
  message waits, only 200 answers; the key holds the path with its query, the language and
  the htmx headers (a fragment and a page of one URL are different entries).
- Every committed write through the app's engine (INSERT, UPDATE, DELETE) bumps a generation
  number in Redis that is part of the key, so a new post or vote shows at once on every app
  server; ``PAGE_CACHE_SECONDS`` bounds what changes without a write (relative times).
- The visitor's own CSRF token is stored as a placeholder and put back on the way out.
- If Redis fails the cache steps aside for a few seconds and pages render as usual.
"""
import hashlib
import logging
import re
import time
import weakref

from flask import current_app, g, request, session
from flask_babel import get_locale
from markupsafe import Markup
from flask_login import current_user
from sqlalchemy import event

log = logging.getLogger(__name__)

CACHEABLE = {
    "main.home", "spaces.index", "spaces.barriers", "spaces.barrier", "spaces.show", "spaces.challenge",
    "workshops.show", "workshops.index", "ideas.show",
    # Anonymous visitors find only public content, and the key holds the query string.
    "search.index",
}
GENERATION_KEY = "pagecache:generation"
PLACEHOLDER = "\x00csrf-token\x00"
WRITES = ("INSERT", "UPDATE", "DELETE")
# A statement that opens with WITH writes if a data-modifying CTE does (the PostgreSQL vote does).
WRITING_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
PAUSE_AFTER_ERROR = 5.0


class PageCache:
    def __init__(self, app):
        import redis

        self.redis = redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=0.25, socket_connect_timeout=0.25)
        self.seconds = app.config["PAGE_CACHE_SECONDS"]
        self.paused_until = 0.0

    def call(self, method, *args, **kwargs):
        """A Redis call, or None while Redis is failing (the site then renders as if uncached)."""
        if time.monotonic() < self.paused_until:
            return None
        try:
            return getattr(self.redis, method)(*args, **kwargs)
        except Exception as error:  # any Redis failure: step aside, the page renders from the database
            log.warning("Page cache off for %.0f s: %s", PAUSE_AFTER_ERROR, error)
            self.paused_until = time.monotonic() + PAUSE_AFTER_ERROR
            return None

    def lookup(self):
        """(key, generation, stored copy or None) in one round trip, or None if the request is not cacheable."""
        if request.method != "GET" or request.endpoint not in CACHEABLE or "_flashes" in session:
            return None
        if current_user.is_authenticated:
            return None
        headers = "|".join(request.headers.get(name, "") for name in ("HX-Request", "HX-Boosted", "HX-Target"))
        raw = f"{request.full_path}|{get_locale()}|{headers}"
        key = f"page:{hashlib.sha1(raw.encode()).hexdigest()}"
        found = self.call("mget", GENERATION_KEY, key)
        if found is None:
            return None
        generation = int(found[0] or 0)
        stored = found[1]
        # A copy carries the generation it was rendered at; a write since makes it stale.
        if stored is not None:
            stamp, _sep, body = stored.partition(b"\n")
            stored = body if int(stamp) == generation else None
        return key, generation, stored


def cached_fragment(name, seconds, render):
    """``render()``'s HTML, kept in Redis for ``seconds`` under ``name``; rendered every time without Redis.

    For a signed-in page part that is expensive and may be a little old (the programme dashboard's
    figures): unlike whole pages it is not tied to the write generation, only to its age.
    """
    cache = current_app.extensions.get("page_cache")
    if cache is None or seconds <= 0:
        return Markup(render())
    key = f"fragment:{hashlib.sha1(name.encode()).hexdigest()}"
    stored = cache.call("get", key)
    if stored is not None:
        return Markup(stored.decode("utf-8"))
    html = Markup(render())
    cache.call("set", key, str(html).encode("utf-8"), ex=seconds)
    return html


def _etag(key, generation):
    return hashlib.sha1(f"{key}:{generation}".encode()).hexdigest()[:20]


def serve_cached():
    for name in ("page_cache_key", "page_cache_generation", "page_cache_hit"):
        g.pop(name, None)  # an app context shared by several requests (tests) must not leak them
    cache = current_app.extensions["page_cache"]
    found = cache.lookup()
    if found is None:
        return None
    key, generation, stored = found
    g.page_cache_key, g.page_cache_generation = key, generation
    etag = _etag(key, generation)
    if request.if_none_match.contains_weak(etag):
        return "", 304, {"ETag": f'W/"{etag}"', "Cache-Control": "private, no-cache"}
    if stored is None:
        return None
    from flask_wtf.csrf import generate_csrf

    g.page_cache_hit = True
    body = stored.decode("utf-8").replace(PLACEHOLDER, generate_csrf())
    return body, 200, {"Content-Type": "text/html; charset=utf-8", "X-Page-Cache": "hit"}


def store_page(response):
    key = g.get("page_cache_key")
    if key is None:
        return response
    generation = g.page_cache_generation
    response.set_etag(_etag(key, generation), weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    if g.get("page_cache_hit") or response.status_code != 200 or response.mimetype != "text/html":
        return response
    body = response.get_data(as_text=True)
    token = g.get("csrf_token")
    if token:
        body = body.replace(token, PLACEHOLDER)
    cache = current_app.extensions["page_cache"]
    cache.call("set", key, f"{generation}\n{body}".encode("utf-8"), ex=cache.seconds)
    response.headers["X-Page-Cache"] = "miss"
    return response


def _watch_writes(app, cache):
    """Bump the generation after every commit that wrote something, from any app process."""
    from ..extensions import db

    with app.app_context():
        engine = db.engine
    # Kept outside ``Connection.info``, which raises once a connection was invalidated (database gone).
    dirty = weakref.WeakSet()

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(connection, _cursor, statement, *_args):
        head = statement.lstrip()[:6].upper()
        if head in WRITES or (head.startswith("WITH") and WRITING_CTE.search(statement)):
            dirty.add(connection)

    @event.listens_for(engine, "commit")
    def _bump(connection):
        if connection in dirty:
            dirty.discard(connection)
            cache.call("incr", GENERATION_KEY)

    @event.listens_for(engine, "rollback")
    def _forget(connection):
        dirty.discard(connection)


def init_app(app):
    if not (app.config.get("PAGE_CACHE") and app.config.get("REDIS_URL")):
        return
    cache = PageCache(app)
    app.extensions["page_cache"] = cache
    _watch_writes(app, cache)
    app.before_request(serve_cached)
    app.after_request(store_page)
