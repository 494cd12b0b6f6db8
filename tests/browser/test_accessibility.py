"""axe-core on every main page, signed out and signed in, in English and Danish.

Serious and critical violations fail the test; the report names the rule, the
elements and what to fix, so the failure can be acted on without rerunning.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe

from cocreate.accounts.models import user_by_email
from cocreate.demo import DEMO_PASSWORD
from cocreate.extensions import db
from cocreate.orgs.models import Organisation

from .conftest import demo_page_ids, sign_in
from .test_datasets import demo_dataset_ids

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")
ADMIN = "admin@example.org"
LANGUAGES = {"en": "en-GB", "da": "da-DK"}

SIGNED_OUT_PAGES = {
    "home": "/",
    "login": "/login",
    "signup": "/signup",
    "forgot-password": "/password/forgot",
    "organisations": "/organisations/",
    "organisations-search": "/organisations/?q=zzz",
    "organisation": "/organisations/{organisation_id}",
    "profile": "/people/{person_id}",
    "not-found": "/no-such-page",
    "datasets": "/spaces/limfjord-value-chain/datasets/",
    "dataset": "/spaces/limfjord-value-chain/datasets/{dataset_id}",
    "challenge": "/spaces/{space_slug}/challenges/{challenge_id}",
    "idea": "/spaces/{space_slug}/challenges/{challenge_id}/ideas/{idea_id}",
    "working-areas": "/working-areas/",
    "working-area": "/working-areas/{proposal_id}",
    "search": "/search?q=supplier",
}
SIGNED_OUT_PAGES["open-data"] = "/open-data/"
SIGNED_IN_PAGES = {
    "home": "/",
    "organisations": "/organisations/",
    "organisation": "/organisations/{organisation_id}",
    "create-organisation": "/organisations/new",
    "profile": "/people/{person_id}",
    "edit-profile": "/profile",
    "admin-users": "/admin/users",
    "not-found": "/no-such-page",
    "notifications": "/notifications/",
    "notification-settings": "/notifications/settings",
    "datasets": "/spaces/limfjord-value-chain/datasets/",
    "dataset": "/spaces/limfjord-value-chain/datasets/{dataset_id}",
    "dataset-json": "/spaces/nordlog-network/datasets/{json_dataset_id}",
    "upload-dataset": "/spaces/limfjord-value-chain/datasets/new",
    "new-dataset-version": "/spaces/limfjord-value-chain/datasets/{dataset_id}/versions/new",
    "edit-dataset": "/spaces/limfjord-value-chain/datasets/{dataset_id}/edit",
    "challenge": "/spaces/{space_slug}/challenges/{challenge_id}",
    "idea": "/spaces/{space_slug}/challenges/{challenge_id}/ideas/{idea_id}",
    "voting-rules": "/spaces/{space_slug}/challenges/{challenge_id}/voting",
    "working-areas": "/working-areas/",
    "working-area": "/working-areas/{proposal_id}",
    "search": "/search?q=supplier&kind=challenge",
}
SIGNED_IN_PAGES.update({
    "programme-dashboard": "/programme/",
    "programme-dashboard-filtered": "/programme/?sector=blue",
    "competence-gaps": "/programme/competence-gaps",
    "coaching": "/programme/coaching",
})


def blocking_violations(page):
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {', '.join(map(str, node['target']))}\n    {node['html'][:200]}")
            lines.append(f"    {node['failureSummary'].replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_accessible(page):
    violations = blocking_violations(page)
    assert not violations, f"axe found serious or critical problems on {page.url}:{describe(violations)}"


@pytest.fixture(scope="module")
def ids(demo_server):
    with demo_server.data():
        organisation = db.session.scalar(db.select(Organisation).order_by(Organisation.id))
        return {"organisation_id": organisation.id, "person_id": user_by_email("participant@example.org").id,
                **demo_dataset_ids(), **demo_page_ids()}


@pytest.fixture(scope="module")
def admin_state(demo_server, browser):
    """The admin's signed-in cookies, made once and shared by the signed-in cases."""
    context = browser.new_context(base_url=demo_server.url)
    sign_in(context.new_page(), ADMIN, DEMO_PASSWORD)
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_are_accessible(new_page, demo_server, ids, name, language):
    page = new_page(demo_server, locale=LANGUAGES[language])
    response = page.goto(SIGNED_OUT_PAGES[name].format(**ids))
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_are_accessible(new_page, demo_server, ids, admin_state, name, language):
    page = new_page(demo_server, locale=LANGUAGES[language], storage_state=admin_state)
    response = page.goto(SIGNED_IN_PAGES[name].format(**ids))
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator(".site-header form[action='/logout']").count() == 1
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_with_errors_are_accessible(new_page, demo_server, language):
    page = new_page(demo_server, locale=LANGUAGES[language])
    page.goto("/signup")
    page.locator("#display_name").fill("Mette")
    page.locator("#email").fill("mette@example.org")
    page.locator("#password").fill("short")
    page.locator("#confirm").fill("different")
    page.locator("form.form button[type=submit]").click()
    page.locator(".alert--error").wait_for()
    assert page.locator("[aria-invalid=true]").count() >= 2
    assert_accessible(page)


# --- the maturity and workshop pages (steering) --------------------------------------------------
from . import steering_pages  # noqa: E402


@pytest.fixture(scope="module")
def steering_ids(demo_server):
    return steering_pages.steering_ids(demo_server, ADMIN)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", steering_pages.PAGES)
def test_maturity_and_workshop_pages_are_accessible(new_page, demo_server, steering_ids, admin_state, name, language):
    page = new_page(demo_server, locale=LANGUAGES[language], storage_state=admin_state)
    response = page.goto(steering_pages.PAGES[name].format(**steering_ids))
    assert response.status == 200
    assert_accessible(page)
