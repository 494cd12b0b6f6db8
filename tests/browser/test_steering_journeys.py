"""Journeys of issue 5 and 6 in a real browser: from sign-up to a recommended workshop, keyboard-only
answering and voting, and two people on one live workshop thread with a facilitator hiding a post."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    add_member, make_challenge, make_idea, make_organisation, make_post, make_space, make_user, make_workshop,
    set_band,
)

from .conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password 42"


def answer_step(page, value):
    """Answer every question of the current step with ``value``."""
    for radio in page.locator(f".assessment__choice input[type=radio][value='{value}']").all():
        radio.check()
    page.wait_for_load_state("networkidle")


def test_a_newcomer_maps_their_company_resumes_finishes_and_registers_for_a_recommended_workshop(
        new_page, live_server):
    with live_server.data():
        host = make_user(email="host@example.com", name="Hanne Host")
        space = make_space(title="Limfjord Value Chain", slug="limfjord", owner=host)
        workshop = make_workshop(space, title="First steps to a B2B webshop", phase="diverge")
        set_band(workshop, "company", "basic", "average")
        advanced = make_workshop(space, title="Scaling marketplaces abroad", phase="diverge")
        set_band(advanced, "company", "moderately_advanced", "advanced")
        workshop_path = f"/spaces/limfjord/workshops/{workshop.id}"

    page = new_page(live_server)
    page.goto("/signup")
    page.locator("#display_name").fill("Nina Newcomer")
    page.locator("#email").fill("nina@example.com")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/organisations/choose$"))
    page.get_by_role("link", name="Add a new organisation").first.click()
    page.locator("#name").fill("Nina Trading ApS")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Nina Trading ApS")

    page.goto("/maturity/")
    page.locator("#company-title").locator("xpath=..").get_by_role("button", name="Take the assessment").click()
    expect(page.locator("#step-label")).to_contain_text("Step 1 of 7")
    for number in (1, 2):
        answer_step(page, 1)
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#step-label")).to_contain_text(f"Step {number + 1} of 7")
    # Half-way through step 3: one answer (saved by htmx on change), then the page is closed.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator(".assessment__choice input[type=radio][value='1']").first.check()
    expect(page.locator("#assessment-save-status")).to_contain_text("Saved")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto("/maturity/")
    expect(page.get_by_text("You have a draft: step 3 of 7.")).to_be_visible()
    page.get_by_role("button", name="Resume the assessment").first.click()
    expect(page.locator("#step-label")).to_contain_text("Step 3 of 7")
    expect(page.locator(".assessment__choice input[type=radio][value='1']").first).to_be_checked()
    for number in range(3, 8):
        expect(page.locator("#step-label")).to_contain_text(f"Step {number} of 7")
        answer_step(page, 1)
        page.get_by_role("button", name="Finish and see results" if number == 7 else "Next").click()
    expect(page.locator(".flash")).to_contain_text("Your assessment is complete.")
    expect(page.locator("svg.radar, svg[role=img]").first).to_be_visible()
    expect(page.locator("table")).not_to_have_count(0)

    page.goto("/")
    expect(page.locator("#your-maturity .mbadge")).to_contain_text("Basic")
    recommended = page.locator("#recommended-workshops")
    expect(recommended).to_contain_text("First steps to a B2B webshop")
    expect(recommended).not_to_contain_text("Scaling marketplaces abroad")
    recommended.get_by_role("link", name="First steps to a B2B webshop").click()
    expect(page.locator("h1")).to_have_text("First steps to a B2B webshop")
    page.goto("/spaces/limfjord")
    page.get_by_role("button", name="Join space").click()
    expect(page.get_by_role("button", name="Join space")).to_have_count(0)
    page.goto(workshop_path)
    expect(page.locator("#workshop-registration")).to_contain_text("Recommended for you")
    page.locator("#workshop-registration").get_by_role("button", name="Register").click()
    expect(page.locator("#workshop-registration")).to_contain_text("Registered")


def test_keyboard_only_answering_a_step_and_voting(new_page, live_server):
    with live_server.data():
        organisation = make_organisation(name="Keyboard Kompagni ApS")
        user = make_user(email="kim@example.com", name="Kim Keys", organisation=organisation)
        space = make_space(title="Keys Space", slug="keys", owner=make_user())
        add_member(space, user)
        challenge = make_challenge(space, author=user, title="Orders by phone")
        idea = make_idea(challenge, author=user, title="Order status page")
        workshop = make_workshop(space, title="Vote night", phase="converge", challenges=[challenge])
        workshop_path = f"/spaces/keys/workshops/{workshop.id}"
        idea_id = idea.id

    page = sign_in(new_page(live_server), "kim@example.com")
    page.goto("/maturity/")
    page.locator("#company-title").locator("xpath=..").get_by_role("button", name="Take the assessment").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#step-label")).to_contain_text("Step 1 of 7")
    first_radio = page.locator(".assessment__choice input[type=radio]").first
    first_radio.focus()
    items = page.locator("fieldset.assessment__item").count()
    for _item in range(items):
        # Arrow keys move within a question's choices and select; Tab goes on to the next question.
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
    checked = page.locator(".assessment__choice input[type=radio]:checked")
    expect(checked).to_have_count(items)
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#step-label")).to_contain_text("Step 2 of 7")

    page.goto(workshop_path)
    vote = page.locator(f"#idea-{idea_id}-vote button")
    vote.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#idea-{idea_id}-vote button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#idea-{idea_id}-votes")).to_contain_text("1")


def test_a_post_appears_live_in_another_browser_and_a_hidden_post_shows_its_placeholder(new_page, live_server):
    with live_server.data():
        owner = make_user(email="facilitator@example.com", name="Frida Facilitator")
        space = make_space(title="Live Space", slug="live", owner=owner)
        writer = make_user(email="writer@example.com", name="Wilma Writer")
        reader = make_user(email="reader@example.com", name="Rune Reader")
        for person in (writer, reader):
            add_member(space, person)
        workshop = make_workshop(space, title="Live thread", phase="diverge")
        make_post(workshop, owner, body="Welcome to the thread.")
        path = f"/spaces/live/workshops/{workshop.id}"

    writer_page = sign_in(new_page(live_server), "writer@example.com")
    reader_page = sign_in(new_page(live_server), "reader@example.com")
    writer_page.goto(path)
    reader_page.goto(path)
    writer_page.get_by_label("Your post").fill("Buy my steel tubes, cheapest in Jutland!")
    writer_page.get_by_role("button", name="Post").click()
    expect(reader_page.locator("#thread-posts")).to_contain_text("Buy my steel tubes", timeout=5_000)

    facilitator_page = sign_in(new_page(live_server), "facilitator@example.com")
    facilitator_page.goto(path)
    post = facilitator_page.locator(".post", has_text="Buy my steel tubes")
    post.get_by_role("link", name="Hide").click()
    facilitator_page.get_by_label("Reason").fill("Advertising is not allowed")
    facilitator_page.get_by_role("button", name=re.compile("Hide")).click()
    expect(facilitator_page.locator(".post--hidden")).to_contain_text("Hidden by a facilitator: Advertising")

    reader_page.reload()
    hidden = reader_page.locator(".post--hidden")
    expect(hidden).to_contain_text("Hidden by a facilitator: Advertising is not allowed")
    expect(reader_page.locator("#thread-posts")).not_to_contain_text("Buy my steel tubes")


def test_keyboard_only_posting_in_a_workshop_thread(new_page, live_server):
    with live_server.data():
        space = make_space(title="Typing Space", slug="typing", owner=make_user())
        add_member(space, make_user(email="tove@example.com", name="Tove Typist"))
        workshop = make_workshop(space, title="Typing thread", phase="diverge")
        path = f"/spaces/typing/workshops/{workshop.id}"

    page = sign_in(new_page(live_server), "tove@example.com")
    page.goto(path)
    page.get_by_label("Your post").focus()
    page.keyboard.type("Typed without a mouse.")
    # From the text box, Tab reaches the Post button within a few steps, and Enter sends it.
    for _step in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Post":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Post"
    page.keyboard.press("Enter")
    # The thread comes back whole (not just the form) with the new post in it.
    expect(page.locator("#thread-posts")).to_contain_text("Typed without a mouse.")
