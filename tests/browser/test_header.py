"""The site header at desktop widths: nothing past its edge, the navigation never after the account.

The page is never wider than the container (72rem), so a wider screen gives the header no
more room: staff, with six or seven links, keep two rows at every width (base.html, app.css).
"""
import pytest

from cocreate.demo import DEMO_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1024, 1280, 1366, 1440, 1920)
VISITORS = (None, "participant@example.org", "facilitator@example.org", "admin@example.org")

# Where each part of the header is, relative to the header's content box.
LAYOUT = """() => {
  const inner = document.querySelector('.site-header__inner');
  const box = inner.getBoundingClientRect();
  const style = getComputedStyle(inner);
  const right = box.right - parseFloat(style.paddingRight);
  const rect = (selector) => {
    const r = inner.querySelector(selector).getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width};
  };
  const parts = [...inner.children].filter((c) => c.getBoundingClientRect().width > 0);
  return {
    past_edge: Math.max(...parts.map((c) => c.getBoundingClientRect().right)) - right,
    nav: rect('.site-nav'), account: rect('.account'),
    label: inner.querySelector('.account__label') && rect('.account__label'),
  };
}"""


@pytest.fixture(scope="module")
def states(demo_server, browser):
    made = {None: None}
    for email in VISITORS[1:]:
        context = browser.new_context(base_url=demo_server.url)
        sign_in(context.new_page(), email, DEMO_PASSWORD)
        made[email] = context.storage_state()
        context.close()
    return made


@pytest.mark.parametrize("locale", ["en-GB", "da-DK"])
@pytest.mark.parametrize("who", VISITORS)
def test_the_header_fits_and_keeps_its_order(new_page, demo_server, states, who, locale):
    problems = []
    page = new_page(demo_server, locale=locale, storage_state=states[who])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        layout = page.evaluate(LAYOUT)
        if layout["past_edge"] > 1:
            problems.append(f"{width} px: {layout['past_edge']:.0f} px past the header's edge")
        nav, account = layout["nav"], layout["account"]
        same_row = nav["top"] < account["bottom"] and account["top"] < nav["bottom"]
        if same_row and account["left"] < nav["left"]:
            problems.append(f"{width} px: the account comes before the navigation")
        if who in ("facilitator@example.org", "admin@example.org") and layout["label"]["width"] < 20:
            problems.append(f"{width} px: the person's name is squeezed out")
    assert not problems, problems


def test_staff_get_two_rows_and_the_search_field(new_page, demo_server, states):
    page = new_page(demo_server, width=1920, storage_state=states["admin@example.org"])
    page.goto("/")
    layout = page.evaluate(LAYOUT)
    assert layout["nav"]["top"] >= layout["account"]["bottom"]
    assert page.locator(".site-search__input").is_visible()


def test_a_participant_gets_one_row_on_a_wide_screen(new_page, demo_server, states):
    page = new_page(demo_server, width=1440, storage_state=states["participant@example.org"])
    page.goto("/")
    layout = page.evaluate(LAYOUT)
    assert abs(layout["nav"]["top"] - layout["account"]["top"]) < 20
    assert layout["nav"]["left"] < layout["account"]["left"]
