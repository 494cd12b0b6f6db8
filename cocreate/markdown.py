"""The one way user text becomes HTML: Markdown, then a bleach allow-list.

Rendering happens once, when text is written; the stored HTML is what pages
show. ``Markup`` is applied here and nowhere else.
"""
import bleach
import markdown as md
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "nl2br"]

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        # Links leave the site without passing on who referred them.
        lambda source: bleach.linkifier.LinkifyFilter(
            source, callbacks=[bleach.callbacks.nofollow], skip_tags={"pre", "code"}
        )
    ],
)


def render_markdown(text):
    """Return sanitised HTML for ``text`` (a str; None gives an empty string)."""
    if not text:
        return ""
    html = md.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return _cleaner.clean(html)


def as_html(stored_html):
    """Mark HTML produced by ``render_markdown`` as safe for templates."""
    return Markup(stored_html or "")
