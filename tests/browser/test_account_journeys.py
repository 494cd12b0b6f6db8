"""Journeys of a person's account: sign up and find an organisation, log in and out, profile, language."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_user

from .conftest import sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "bright harbour lanterns at dusk"


def sign_up(page, name, email):
    page.goto("/")
    page.locator(".site-header").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()


def create_organisation(page, name):
    page.get_by_role("link", name="Add a new organisation").first.click()
    expect(page).to_have_url(re.compile(r"/organisations/new$"))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("Sector").select_option("blue")
    page.get_by_label("Size").select_option("10-49")
    page.get_by_label("Municipality").select_option("Hjørring")
    page.get_by_label("About the organisation").fill("We smoke **fish** in Hirtshals.")
    page.locator("main form button[type=submit]").click()


def expect_own_organisation_page(page, organisation_name, person_name):
    expect(page).to_have_url(re.compile(r"/organisations/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation_name)
    expect(page.locator("#flashes")).to_contain_text(f"{organisation_name} is created, and you are its admin.")
    me = page.locator(".person").filter(has_text=person_name)
    expect(me.locator(".badge--admin")).to_have_text("Admin")
    expect(me.locator(".badge--neutral")).to_have_text("You")
    expect(page.locator(".prose strong")).to_have_text("fish")


def test_sign_up_create_organisation_and_write_a_profile(page):
    sign_up(page, "Signe Sørensen", "signe@example.com")
    expect(page).to_have_url(re.compile(r"/organisations/choose$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Which organisation do you come from?")
    expect(page.locator("#flashes")).to_contain_text("Welcome to Cocreate, Signe Sørensen!")

    create_organisation(page, "Hirtshals Røgeri ApS")
    expect_own_organisation_page(page, "Hirtshals Røgeri ApS", "Signe Sørensen")

    page.locator(".site-header .account__name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signe Sørensen")
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("About you").fill("I run the **smokehouse**.\n\n- herring\n- mackerel\n\n<script>alert(1)</script>")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#flashes")).to_contain_text("Your profile is saved.")
    bio = page.locator(".profile .prose")
    expect(bio.locator("strong")).to_have_text("smokehouse")
    expect(bio.locator("li")).to_have_text(["herring", "mackerel"])
    expect(bio.locator("script")).to_have_count(0)


def test_sign_up_and_create_organisation_without_javascript(page_nojs):
    page = page_nojs
    sign_up(page, "Jonas Vestergaard", "jonas@example.com")
    expect(page).to_have_url(re.compile(r"/organisations/choose$"))
    create_organisation(page, "Vestkyst Net ApS")
    expect_own_organisation_page(page, "Vestkyst Net ApS", "Jonas Vestergaard")


def test_failed_log_in_keeps_the_email_then_log_in_and_out(page, live_server):
    with live_server.data():
        make_user(email="karen@example.com", name="Karen Jensen")

    page.goto("/login")
    page.get_by_label("E-mail").fill("karen@example.com")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".alert--error")).to_be_visible()
    expect(page.locator(".alert--error")).to_contain_text("Please check the form")
    expect(page.get_by_label("E-mail")).to_have_value("karen@example.com")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#flashes")).to_contain_text("You are logged in.")
    expect(page.locator(".site-header .account__label")).to_have_text("Karen Jensen")

    page.get_by_role("button", name="Log out").click()
    expect(page.locator("#flashes")).to_contain_text("You are logged out.")
    expect(page.locator(".site-header").get_by_role("link", name="Log in")).to_be_visible()


def test_switching_to_danish(page, live_server):
    page.goto("/organisations/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Dansk").click()

    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.locator(".site-header .account")).to_contain_text("Log ind")
    expect(page.get_by_role("button", name="Dansk")).to_have_attribute("aria-pressed", "true")

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_language_choice_of_a_signed_in_person_is_kept(page, live_server):
    with live_server.data():
        make_user(email="ida@example.com", name="Ida Mortensen")
    sign_in(page, "ida@example.com")
    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_role("button", name=re.compile("Log ud|Log out")).click()
    page.context.clear_cookies()
    sign_in(page, "ida@example.com")
    expect(page.locator("html")).to_have_attribute("lang", "da")
