"""Everything the views need to answer htmx and plain requests alike.

A request wants a fragment when htmx sent it and it is not a boosted
navigation (those expect the whole page). Views call ``render_page`` with the
name of the block to swap, and ``redirect_to`` after a successful post.
"""
import json

from flask import current_app, get_flashed_messages, redirect, render_template, request, session
from jinja2_fragments.flask import render_block

FLASH_TEMPLATE = "_flashes.html"


def wants_fragment():
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(template, block=None, status=200, **context):
    """Render ``template`` whole, or only ``block`` of it for an htmx swap."""
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    return body, status


def render_macro(template, macro, *args, **kwargs):
    """The HTML of one macro of ``template``, called on the template's module.

    For the hottest fragment, the vote's answer: Jinja builds a template's module once per process,
    while ``render_template`` runs the context processors and re-checks each ``{% import %}`` on
    every render, which was a sixth of a vote's Python calls. The macro sees only the environment's
    globals (``url_for``, the gettext functions, ``csrf_token``), never the context processors'."""
    module = current_app.jinja_env.get_template(template).module
    return str(getattr(module, macro)(*args, **kwargs))


def redirect_to(url, status=303):
    """Post/redirect/get, with htmx following the redirect as a boosted load.

    htmx fetches an ``HX-Location`` as an htmx request into the body; marking it boosted
    makes the next view answer with its whole page, not the fragment it gives its own swaps.
    """
    if wants_fragment():
        return "", 204, {"HX-Location": json.dumps({"path": url, "headers": {"HX-Boosted": "true"}})}
    return redirect(url, code=status)


def hx_location_path(response):
    """The path an ``HX-Location`` answer sends htmx to (for tests and logs)."""
    value = response.headers.get("HX-Location", "")
    return json.loads(value)["path"] if value.startswith("{") else value


def append_flashes(response):
    """Deliver pending flash messages to htmx swaps as an out-of-band update."""
    if (
        not wants_fragment()
        or response.status_code in (204, 304)
        or response.is_streamed
        or response.mimetype != "text/html"
        or "_flashes" not in session
    ):
        return response
    messages = get_flashed_messages(with_categories=True)
    oob = render_template(FLASH_TEMPLATE, messages=messages, oob=True)
    response.set_data(response.get_data(as_text=True) + oob)
    return response


def vary_on_htmx(response):
    """Caches must keep the page and the fragment of one URL apart."""
    response.vary.add("HX-Request")
    return response


def init_app(app):
    app.after_request(append_flashes)
    app.after_request(vary_on_htmx)
