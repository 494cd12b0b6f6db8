"""The site works from the keyboard: skip link first, visible focus, log-in without a mouse."""
import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

FOCUSED_ELEMENT = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        text: element.textContent.trim(),
        href: element.getAttribute('href'),
        id: element.id,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    };
}"""


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED_ELEMENT)


def assert_visibly_focused(focused):
    assert focused["onScreen"], focused
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused


def test_tabbing_reaches_the_skip_link_then_the_main_navigation(page):
    page.goto("/organisations/")

    skip = tab(page)
    assert skip["text"] == "Skip to content" and skip["href"] == "#main"
    assert_visibly_focused(skip)

    brand = tab(page)
    assert brand["href"] == "/"
    assert_visibly_focused(brand)

    nav_links = ("Home", "Spaces", "Organisations")
    for expected in nav_links:
        link = tab(page)
        assert link["text"] == expected
        assert_visibly_focused(link)

    for _ in range(len(nav_links) + 1):  # back over the links and the brand to the skip link
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_log_in_with_the_keyboard_only(page, live_server):
    with live_server.data():
        make_user(email="niels@example.com", name="Niels Thomsen")
    page.goto("/login")

    for _ in range(20):
        if tab(page)["id"] == "email":
            break
    else:
        pytest.fail("Tab never reached the e-mail field")
    page.keyboard.type("niels@example.com")
    focused = tab(page)
    assert focused["id"] == "password"
    assert_visibly_focused(focused)
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.locator("#flashes")).to_contain_text("You are logged in.")
    expect(page.locator(".site-header .account__label")).to_have_text("Niels Thomsen")
