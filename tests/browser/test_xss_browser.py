"""In Chromium, pages full of XSS payloads open no dialog and run no injected script."""
import pytest

from ..security.test_xss import PAYLOADS, build_world
from .conftest import sign_in

pytestmark = pytest.mark.browser

# A spread over the corpus: script tags, handlers, SVG/MathML, links, Markdown tricks, broken markup.
CHOSEN = PAYLOADS[::12]


def test_pages_full_of_payloads_open_no_dialog_and_run_no_script(live_server, page):
    worlds = []
    with live_server.data():
        for n, payload in enumerate(CHOSEN):
            viewer, pages, _idea = build_world(1000 + n, payload)
            worlds.append((viewer.email, pages))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__xss = undefined;")
    visited = 0
    for email, pages in worlds:
        page.context.clear_cookies()
        sign_in(page, email)
        for url in pages[:7]:
            page.goto(url)
            page.wait_for_load_state("load")
            # give event handlers (onload, onfocus, animations) a moment to fire
            page.wait_for_timeout(50)
            assert page.evaluate("window.__xss") is None, f"an injected script ran on {url}"
            visited += 1
    assert visited == len(CHOSEN) * 7
    assert dialogs == [], f"dialogs opened: {dialogs}"
