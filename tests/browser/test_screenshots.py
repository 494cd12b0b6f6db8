"""Screenshots of the main pages at desktop and phone width, and no sideways scrolling on a phone.

The PNGs go to docs/screenshots/ (ignored by git: they change with every design
tweak and every date on the demo data) for people to look at after ``make test``.
"""
import pytest

from cocreate import PROJECT_DIR
from cocreate.accounts.models import user_by_email
from cocreate.demo import DEMO_PASSWORD
from cocreate.extensions import db
from cocreate.orgs.models import Organisation

from .conftest import sign_in

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = PROJECT_DIR / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

# name: (path, signed in as whom or None)
PAGES = {
    "home": ("/", None),
    "login": ("/login", None),
    "signup": ("/signup", None),
    "forgot-password": ("/password/forgot", None),
    "organisations": ("/organisations/", None),
    "organisation": ("/organisations/{organisation_id}", "participant@example.org"),
    "profile": ("/people/{person_id}", "participant@example.org"),
    "edit-profile": ("/profile", "participant@example.org"),
    "create-organisation": ("/organisations/new", "participant@example.org"),
    "home-signed-in": ("/", "admin@example.org"),
    "admin-users": ("/admin/users", "admin@example.org"),
    "not-found": ("/no-such-page", None),
    "search": ("/search?q=supplier", "admin@example.org"),
    "search-empty": ("/search?q=zzzz", None),
}


@pytest.fixture(scope="module")
def ids(demo_server):
    with demo_server.data():
        organisation = db.session.scalar(
            db.select(Organisation).where(Organisation.name_key == "limfjord stålmøbler a/s")
        )
        return {"organisation_id": organisation.id, "person_id": user_by_email("participant@example.org").id}


@pytest.fixture(scope="module")
def signed_in_states(demo_server, browser):
    states = {}
    for email in {who for _, who in PAGES.values() if who}:
        context = browser.new_context(base_url=demo_server.url)
        sign_in(context.new_page(), email, DEMO_PASSWORD)
        states[email] = context.storage_state()
        context.close()
    return states


@pytest.mark.parametrize("device", WIDTHS)
def test_screenshots_and_no_horizontal_overflow(new_page, demo_server, ids, signed_in_states, device):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width, height = WIDTHS[device]
    overflowing = {}
    for name, (path, who) in PAGES.items():
        page = new_page(demo_server, width=width, height=height, storage_state=signed_in_states.get(who))
        page.goto(path.format(**ids))
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-{device}.png", full_page=True)
        scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll_width > inner_width:
            overflowing[name] = scroll_width
        page.context.close()
    assert not overflowing, f"pages wider than the {width} px screen (scrollWidth): {overflowing}"
