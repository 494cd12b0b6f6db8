"""Screenshots of the main pages at desktop and phone width: each answers as it should, and none scrolls sideways.

The PNGs go to docs/screenshots/, where the README shows some of them; commit them again
when the look changes.
"""
import pytest

from cocreate import PROJECT_DIR
from cocreate.accounts.models import user_by_email
from cocreate.demo import DEMO_PASSWORD
from cocreate.extensions import db
from cocreate.orgs.models import Organisation

from .conftest import demo_page_ids, sign_in
from .test_datasets import demo_dataset_ids

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
    "notifications": ("/notifications/", "participant@example.org"),
    "datasets": ("/spaces/limfjord-value-chain/datasets/", "participant@example.org"),
    "dataset": ("/spaces/limfjord-value-chain/datasets/{dataset_id}", "participant@example.org"),
    "dataset-json": ("/spaces/nordlog-network/datasets/{json_dataset_id}", "admin@example.org"),
    "upload-dataset": ("/spaces/limfjord-value-chain/datasets/new", "participant@example.org"),
    "space-with-datasets": ("/spaces/limfjord-value-chain", "participant@example.org"),
    "challenge": ("/spaces/{space_slug}/challenges/{challenge_id}", "participant@example.org"),
    "idea": ("/spaces/{space_slug}/challenges/{challenge_id}/ideas/{idea_id}", "participant@example.org"),
    "voting-rules": ("/spaces/{space_slug}/challenges/{challenge_id}/voting", "admin@example.org"),
    "working-areas": ("/working-areas/", None),
    "working-area": ("/working-areas/{proposal_id}", "lsg@example.org"),
    "working-area-decide": ("/working-areas/{proposal_id}", "facilitator@example.org"),
    "propose-working-area": ("/working-areas/new", "lsg@example.org"),
    "search": ("/search?q=supplier", "admin@example.org"),
    "search-empty": ("/search?q=zzzz", None),
}
PAGES.update({
    "programme-dashboard": ("/programme/", "lsg@example.org"),
    "competence-gaps": ("/programme/competence-gaps", "lsg@example.org"),
    "coaching": ("/programme/coaching", "facilitator@example.org"),
    "open-data": ("/open-data/", None),
})


@pytest.fixture(scope="module")
def ids(demo_server):
    with demo_server.data():
        organisation = db.session.scalar(
            db.select(Organisation).where(Organisation.name_key == "limfjord stålmøbler a/s")
        )
        return {"organisation_id": organisation.id, "person_id": user_by_email("participant@example.org").id,
                **demo_dataset_ids(), **demo_page_ids()}


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
    overflowing, failing = {}, {}
    for name, (path, who) in PAGES.items():
        page = new_page(demo_server, width=width, height=height, storage_state=signed_in_states.get(who))
        status = page.goto(path.format(**ids)).status
        if status != (404 if name == "not-found" else 200):
            failing[name] = status
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-{device}.png", full_page=True)
        scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll_width > inner_width:
            overflowing[name] = scroll_width
        page.context.close()
    assert not failing, f"pages that answered with an unexpected status (a screenshot of an error page): {failing}"
    assert not overflowing, f"pages wider than the {width} px screen (scrollWidth): {overflowing}"


# --- the maturity and workshop pages (steering), as a facilitator and as a participant ----------
from . import steering_pages  # noqa: E402

FACILITATOR = "facilitator@example.org"
STEERING_SHOTS = {**{name: (path, FACILITATOR) for name, path in steering_pages.PAGES.items()},
                  "workshop-thread-participant": (steering_pages.PAGES["workshop-thread"], "participant@example.org")}


@pytest.mark.parametrize("device", WIDTHS)
def test_steering_screenshots_and_no_horizontal_overflow(new_page, demo_server, browser, device):
    ids = steering_pages.steering_ids(demo_server, FACILITATOR)
    states = {}
    for email in {who for _path, who in STEERING_SHOTS.values()}:
        context = browser.new_context(base_url=demo_server.url)
        sign_in(context.new_page(), email, DEMO_PASSWORD)
        states[email] = context.storage_state()
        context.close()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width, height = WIDTHS[device]
    overflowing, failing = {}, {}
    for name, (path, who) in STEERING_SHOTS.items():
        page = new_page(demo_server, width=width, height=height, storage_state=states[who])
        status = page.goto(path.format(**ids)).status
        if status != 200:
            failing[name] = status
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-{device}.png", full_page=True)
        scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll_width > inner_width:
            overflowing[name] = scroll_width
        page.context.close()
    assert not failing, f"pages that answered with an unexpected status (a screenshot of an error page): {failing}"
    assert not overflowing, f"pages wider than the {width} px screen (scrollWidth): {overflowing}"
