"""An LSG member proposes a working area, another endorses it, a facilitator accepts it, and a
new challenge is tied to it. The endorsement updates in place; the proposal pages pass axe."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import add_member, barrier, make_space, make_user

from .conftest import sign_in
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "Shared product data between suppliers and dealers"


def propose(page):
    page.goto("/")
    page.locator(".site-nav").get_by_role("link", name="Working areas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working-area proposals")
    page.get_by_role("link", name="Propose a working area").first.click()
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("One product data template for the region, with a **pilot**.")
    page.get_by_label("Rationale").fill("Dealers re-type our catalogues by hand.")
    page.get_by_label("Product complexity is thought of as a blocking point for e-commerce").check()
    page.get_by_role("button", name="Post proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#flashes")).to_contain_text("Your proposal is posted.")
    expect(page.locator(".proposal .prose strong")).to_have_text("pilot")
    return page.url


def test_propose_endorse_accept_and_tie_a_challenge(new_page, live_server):
    with live_server.data():
        make_user(email="lise@example.com", name="Lise Sørensen", roles=["lsg"])
        make_user(email="ole@example.com", name="Ole Madsen", roles=["lsg"])
        facilitator = make_user(email="frederik@example.com", name="Frederik Facilitator", roles=["facilitator"])
        space = make_space(title="Limfjord value chain", slug="limfjord", owner=facilitator)
        add_member(space, make_user(email="peter@example.com", name="Peter Pedersen"))

    lise = sign_in(new_page(live_server), "lise@example.com")
    proposal_url = propose(lise)
    expect(lise.locator("#endorsements")).to_contain_text("Other LSG members can endorse your proposal.")
    expect(lise.locator("#endorsements button")).to_have_count(0)

    ole = sign_in(new_page(live_server), "ole@example.com")
    ole.goto(proposal_url)
    ole.evaluate("window.notReloaded = true")
    endorsements = ole.locator("[id$='-endorsements']")
    expect(endorsements).to_have_text("0 endorsements")
    ole.get_by_role("button", name="Endorse").click()
    expect(endorsements).to_have_text("1 endorsement")
    expect(ole.get_by_role("button", name=re.compile("^Endorsed"))).to_have_attribute("aria-pressed", "true")
    assert ole.evaluate("window.notReloaded") is True
    assert_accessible(ole)

    frederik = sign_in(new_page(live_server), "frederik@example.com")
    frederik.goto(proposal_url)
    expect(frederik.locator("[id$='-endorsements']")).to_have_text("1 endorsement")
    frederik.get_by_label("Name in Danish").fill("Delte produktdata")
    frederik.get_by_role("button", name="Accept as a working area").click()
    expect(frederik.locator("#flashes")).to_contain_text(f"Accepted. “{TITLE}” is now a working area")
    expect(frederik.locator(".timeline li").first).to_contain_text("Under discussion → Accepted")
    expect(frederik.locator(".timeline li").first).to_contain_text("Frederik Facilitator")
    assert_accessible(frederik)

    frederik.goto("/spaces/limfjord/challenges/new")
    frederik.get_by_label("Title").fill("One catalogue for all our dealers")
    frederik.get_by_label("Describe the challenge").fill("Each dealer wants our data in another format.")
    frederik.get_by_label(TITLE).check()
    frederik.get_by_role("button", name="Post challenge").click()
    expect(frederik.locator("#flashes")).to_contain_text("Your challenge is posted.")
    chip = frederik.locator("main .chips").get_by_role("link", name=TITLE)
    expect(chip).to_be_visible()
    chip.click()
    expect(frederik.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(frederik.locator("#barrier-challenges")).to_contain_text("One catalogue for all our dealers")

    lise.goto("/working-areas/?status=accepted")
    expect(lise.locator(".proposal-card")).to_contain_text("Now a working area:")


def test_declining_shows_the_reason_to_everyone(new_page, live_server):
    with live_server.data():
        make_user(email="lise@example.com", name="Lise Sørensen", roles=["lsg"])
        make_user(email="anne@example.com", name="Anne Admin", roles=["admin"])
        barrier()

    lise = sign_in(new_page(live_server), "lise@example.com")
    proposal_url = propose(lise)

    anne = sign_in(new_page(live_server), "anne@example.com")
    anne.goto(proposal_url)
    anne.get_by_label("Reason").fill("The competences barrier covers this already.")
    anne.get_by_role("button", name="Decline").click()
    expect(anne.locator("#flashes")).to_contain_text("The proposal is declined.")

    visitor = new_page(live_server)
    visitor.goto("/working-areas/?status=declined")
    expect(visitor.locator(".proposal-card")).to_contain_text("The competences barrier covers this already.")
