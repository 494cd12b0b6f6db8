"""Journeys around organisations: the directory's active search, and joining one."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_organisation, make_user

from .conftest import sign_in

pytestmark = pytest.mark.browser


def seed_directory(server):
    with server.data():
        for name in ("Limfjord Stålmøbler A/S", "Vendsyssel Bådeværft ApS", "Thy Smedie & Maskiner A/S"):
            make_organisation(name=name)


def test_active_search_updates_the_results_in_place(page, live_server):
    seed_directory(live_server)
    page.goto("/organisations/")
    expect(page.locator(".results__count")).to_have_text("3 organisations")
    page.evaluate("document.body.dataset.untouched = 'yes'")

    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_label("Search organisations").press_sequentially("båd")

    expect(page.locator(".results__count")).to_have_text("1 organisation matches “båd”")
    expect(page.locator(".org-card__name")).to_have_text(["Vendsyssel Bådeværft ApS"])
    expect(page).to_have_url(re.compile(r"/organisations/\?q=b%C3%A5d$"))
    # Swapped in place: the page itself was not reloaded.
    assert page.evaluate("document.body.dataset.untouched") == "yes"
    expect(page.get_by_label("Search organisations")).to_be_focused()

    page.get_by_label("Search organisations").fill("")
    page.get_by_label("Search organisations").press_sequentially("nothing like this")
    expect(page.locator(".empty__title")).to_have_text("No organisations match “nothing like this”")


def test_search_is_a_plain_get_form_without_javascript(page_nojs, live_server):
    seed_directory(live_server)
    page = page_nojs
    page.goto("/organisations/")
    page.get_by_label("Search organisations").fill("smedie")
    page.locator("#main").get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/organisations/\?q=smedie$"))
    expect(page.locator(".org-card__name")).to_have_text(["Thy Smedie & Maskiner A/S"])
    expect(page.get_by_label("Search organisations")).to_have_value("smedie")


def test_a_join_request_approved_by_the_admin_in_another_browser(new_page, live_server):
    with live_server.data():
        organisation = make_organisation(name="Nordkyst Fiskeeksport A/S")
        make_user(email="sofie@example.com", name="Sofie Larsen", organisation=organisation, org_admin=True)
        make_user(email="mads@example.com", name="Mads Berg")
        organisation_path = f"/organisations/{organisation.id}"

    newcomer = sign_in(new_page(live_server), "mads@example.com")
    newcomer.goto("/organisations/")
    newcomer.get_by_role("link", name="Nordkyst Fiskeeksport A/S").click()
    newcomer.get_by_role("button", name="Ask to join").click()
    expect(newcomer.locator("#flashes")).to_contain_text("Your request to join Nordkyst Fiskeeksport A/S is sent")
    expect(newcomer.locator(".badge--pending")).to_have_text("Pending")

    admin = sign_in(new_page(live_server), "sofie@example.com")
    admin.goto(organisation_path)
    requests = admin.locator("section[aria-labelledby=pending-title]")
    expect(requests.locator(".person__name")).to_have_text(["Mads Berg"])
    requests.get_by_role("button", name="Approve — Mads Berg").click()
    expect(admin.locator("#flashes")).to_contain_text("The request is approved.")
    expect(admin.locator("section[aria-labelledby=pending-title]")).to_have_count(0)
    expect(admin.locator("section[aria-labelledby=members-title] .person__name")).to_have_text(
        ["Sofie Larsen", "Mads Berg"]
    )

    newcomer.reload()
    expect(newcomer.locator("#membership-title + p")).to_have_text("You are a member of this organisation.")
