"""In a space: a member posts a challenge tied to two barriers, another proposes an idea, three
members vote under a dot budget (one tries to exceed it), and the counts update without a reload."""
import re

import pytest
from playwright.sync_api import expect

from cocreate.extensions import db
from cocreate.spaces.models import Challenge
from tests.factories import add_member, make_idea, make_space, make_user, set_rules

from .conftest import sign_in

pytestmark = pytest.mark.browser

MEMBERS = {"mette": "Mette Kristensen", "henrik": "Henrik Hansen", "morten": "Morten Poulsen"}


def post_challenge(page, slug):
    page.goto(f"/spaces/{slug}")
    page.get_by_role("link", name="Post a challenge").click()
    page.get_by_label("Title").fill("Configuring a school desk online is too complex")
    page.get_by_label("Describe the challenge").fill("Our desks come in **40 heights** and 12 colours.")
    page.get_by_label("Product complexity is thought of as a blocking point for e-commerce").check()
    page.get_by_label("Way too busy to get involved in an e-commerce business").check()
    page.get_by_role("button", name="Post challenge").click()
    expect(page.locator("#flashes")).to_contain_text("Your challenge is posted.")
    return page.url


def propose_idea(page, challenge_url, title):
    page.goto(challenge_url)
    page.get_by_role("link", name="Propose an idea").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Describe the idea").fill("Start with the ten best sellers.")
    page.get_by_role("button", name="Post the idea").click()
    expect(page.locator("#flashes")).to_contain_text("Your idea is posted.")
    return int(re.search(r"/ideas/(\d+)", page.url).group(1))


def test_challenge_idea_and_dot_voting_in_place(new_page, live_server):
    with live_server.data():
        owner = make_user(email="peter@example.com", name="Peter Pedersen")
        space = make_space(title="Limfjord value chain", slug="limfjord", owner=owner)
        for key, name in MEMBERS.items():
            add_member(space, make_user(email=f"{key}@example.com", name=name))

    mette = sign_in(new_page(live_server), "mette@example.com")
    challenge_url = post_challenge(mette, "limfjord")
    chips = mette.locator("main .chips").first
    expect(chips.get_by_role("link")).to_have_count(2)

    with live_server.data():
        challenge = db.session.scalars(db.select(Challenge)).one()
        assert sorted(theme.slug for theme in challenge.themes) == ["product-complexity", "too-busy"]
        set_rules(challenge, mode="budget", budget=1)
        other_id = make_idea(challenge, title="A phone line for configuration help").id

    henrik = sign_in(new_page(live_server), "henrik@example.com")
    idea_id = propose_idea(henrik, challenge_url, "A desk configurator with three steps")

    pages = {"mette": mette, "henrik": henrik, "morten": sign_in(new_page(live_server), "morten@example.com")}
    for voters, (key, page) in enumerate(pages.items(), start=1):
        page.goto(challenge_url)
        page.evaluate("window.notReloaded = true")
        expect(page.locator(".votes-left")).to_have_text("1 of 1 votes left")
        page.locator(f"#idea-{idea_id}-vote button").click()
        expect(page.locator(f"#idea-{idea_id}-votes")).to_have_text(f"{voters} {'vote' if voters == 1 else 'votes'}")
        expect(page.locator(f"#idea-{idea_id}-vote button")).to_have_attribute("aria-pressed", "true")
        expect(page.locator(".votes-left")).to_have_text("0 of 1 votes left")
        assert page.evaluate("window.notReloaded") is True, key

    morten = pages["morten"]
    morten.locator(f"#idea-{other_id}-vote button").click()
    expect(morten.locator("#flashes")).to_contain_text("You have no votes left. Take a vote back from another idea first.")
    expect(morten.locator(f"#idea-{other_id}-votes")).to_have_text("0 votes")
    expect(morten.locator(f"#idea-{idea_id}-votes")).to_have_text("3 votes")
    assert morten.evaluate("window.notReloaded") is True

    # The button htmx swapped in has no CSRF field of its own: the take-back goes out with the
    # page's X-CSRFToken header (CSRF protection is on in these servers).
    mette.locator(f"#idea-{idea_id}-vote button").click()
    expect(mette.locator(f"#idea-{idea_id}-votes")).to_have_text("2 votes")
    expect(mette.locator(f"#idea-{idea_id}-vote button")).to_have_attribute("aria-pressed", "false")
    expect(mette.locator(".votes-left")).to_have_text("1 of 1 votes left")
    assert mette.evaluate("window.notReloaded") is True
