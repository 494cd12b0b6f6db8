"""Highlighted snippets, built the same way whichever engine matched.

Safety by construction: the text is cut into pieces, every piece is escaped,
and only then are the hits wrapped in ``<mark>``; the result is ``Markup`` so
templates print it without ``|safe``. A hit is a word that equals a query word
(or starts with it, for the prefix word), compared lowercased, which is how
both engines matched it.
"""
import re

from markupsafe import Markup, escape

from .parsing import WORD

WIDTH = 220


def _hits(text, query):
    exact = {word for word, prefix in query.words if not prefix}
    prefixes = tuple(word for word, prefix in query.words if prefix)
    for match in WORD.finditer(text):
        word = match.group().lower()
        if word in exact or (prefixes and word.startswith(prefixes)):
            yield match.start(), match.end()


def _window(text, hits, width):
    if len(text) <= width:
        return 0, len(text)
    first = hits[0][0] if hits else 0
    start = max(0, min(first - width // 4, len(text) - width))
    # Start and end on word boundaries so no word is cut in half.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def highlight(text, query, width=None):
    """``text`` escaped with its hits marked; cut to a window around the first hit when ``width`` is given."""
    text = re.sub(r"\s+", " ", text or "").strip()
    hits = list(_hits(text, query)) if query else []
    start, end = _window(text, hits, width) if width else (0, len(text))
    pieces = []
    position = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        pieces.append(escape(text[position:hit_start]))
        pieces.append(Markup("<mark>%s</mark>") % text[hit_start:hit_end])
        position = hit_end
    pieces.append(escape(text[position:end]))
    snippet = Markup("").join(pieces)
    if start > 0:
        snippet = Markup("… ") + snippet
    if end < len(text):
        snippet = snippet + Markup(" …")
    return snippet


def snippet(text, query):
    return highlight(text, query, WIDTH)
