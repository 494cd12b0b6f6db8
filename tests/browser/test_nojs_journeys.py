"""The core journeys with JavaScript switched off: every action is a plain form post and redirect."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import add_member, make_challenge, make_idea, make_post, make_space, make_user, make_workshop

from .test_account_journeys import sign_up
from .test_space_journeys import post_challenge

pytestmark = pytest.mark.browser


def test_sign_up_join_post_vote_and_reply_without_javascript(page_nojs, live_server):
    page = page_nojs
    with live_server.data():
        owner = make_user(email="peter@example.com", name="Peter Pedersen")
        space = make_space(title="Limfjord value chain", slug="limfjord", owner=owner)
        challenge = make_challenge(space, owner, title="Dealers want to keep calling their contact person")
        idea_id = make_idea(challenge, owner, title="Show the contact person on every order").id
        workshop = make_workshop(space, title="Portal kick-off", phase="diverge")
        post_id = make_post(workshop, owner, body="What should the portal do first?").id
        workshop_url = f"/spaces/limfjord/workshops/{workshop.id}"
        challenge_url = f"/spaces/limfjord/challenges/{challenge.id}"

    sign_up(page, "Signe Sørensen", "signe@example.com")
    expect(page.locator("#flashes")).to_contain_text("Welcome to Cocreate, Signe Sørensen!")

    page.goto("/spaces/limfjord")
    page.get_by_role("button", name="Join space").click()
    expect(page.locator("#flashes")).to_contain_text("Welcome to Limfjord value chain.")

    post_challenge(page, "limfjord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Configuring a school desk online is too complex")

    page.goto(challenge_url)
    page.locator(f"#idea-{idea_id}-vote button").click()
    expect(page).to_have_url(re.compile(rf"{challenge_url}(\?.*)?#idea-{idea_id}$"))
    expect(page.locator(f"#idea-{idea_id}-votes")).to_have_text("1 vote")
    expect(page.locator(f"#idea-{idea_id}-vote button")).to_have_attribute("aria-pressed", "true")

    page.goto(workshop_url)
    page.locator(f"#post-{post_id}").get_by_role("link", name="Reply", exact=True).click()
    expect(page.get_by_role("heading", name="Reply in the thread")).to_be_visible()
    page.get_by_label("Your post").fill("A **status** page for each order.")
    page.locator("#post-form button[type=submit]").click()
    reply = page.locator(f"#post-{post_id} .post--reply").filter(has_text="A status page for each order.")
    expect(reply).to_be_visible()
    expect(reply.locator("strong")).to_have_text("status")
