"""A member uploads a CSV; a second member previews and downloads it; someone outside the space cannot."""
import pytest
from playwright.sync_api import expect

from tests.factories import add_member, make_space, make_user

from .conftest import sign_in

pytestmark = pytest.mark.browser

CSV = "municipality,companies\nAalborg,12\nHjørring,7\nThisted,\n"


def test_upload_preview_and_download(new_page, live_server, tmp_path):
    with live_server.data():
        space = make_space(title="Value chain", slug="value-chain", visibility="members", join_policy="invitation")
        for email in ("uploader@example.com", "reader@example.com"):
            add_member(space, make_user(email=email))
        make_user(email="outsider@example.com")

    page = sign_in(new_page(live_server), "uploader@example.com")
    page.goto("/spaces/value-chain/datasets/new")
    upload = tmp_path / "companies.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.locator("#file").set_input_files(str(upload))
    page.locator("#title").fill("Companies per municipality")
    page.locator("#description").fill("Counted by **hand**.")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Companies per municipality")
    expect(page.locator(".dataset-table caption")).to_contain_text("First rows")
    dataset_url = page.url

    reader = sign_in(new_page(live_server), "reader@example.com")
    reader.goto("/spaces/value-chain")
    reader.locator("#space-datasets a", has_text="Companies per municipality").click()
    expect(reader.locator(".dataset-table")).to_contain_text("Hjørring")
    expect(reader.locator("table").nth(1)).to_contain_text("Whole numbers")
    with reader.expect_download() as download_info:
        reader.locator("a", has_text="Download version 1").first.click()
    download = download_info.value
    assert download.suggested_filename == "companies.csv"
    assert download.path().read_text(encoding="utf-8") == CSV

    outsider = sign_in(new_page(live_server), "outsider@example.com")
    response = outsider.goto(dataset_url)
    assert response.status == 404
    response = outsider.request.get(dataset_url + "/versions/1/download")
    assert response.status == 404 and "Hjørring" not in response.text()


def test_a_bad_file_comes_back_with_the_fields_kept(new_page, live_server, tmp_path):
    with live_server.data():
        space = make_space(slug="bad-files")
        add_member(space, make_user(email="member@example.com"))
    page = sign_in(new_page(live_server), "member@example.com")
    page.goto("/spaces/bad-files/datasets/new")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page.locator("#file").set_input_files(str(empty))
    page.locator("#title").fill("Kept title")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".alert--error")).to_contain_text("The file is empty")
    expect(page.locator("#title")).to_have_value("Kept title")
    expect(page.locator("#file-description")).to_contain_text("choose the file again")


def demo_dataset_ids():
    """The demo data sets' ids, for the accessibility and screenshot pages (inside ``server.data()``)."""
    from cocreate.datasets.models import Dataset
    from cocreate.extensions import db

    ids = dict(db.session.execute(db.select(Dataset.title, Dataset.id)).all())
    return {"dataset_id": ids["Dealer orders by channel, June–September 2026"],
            "json_dataset_id": ids["One week of carrier bookings"]}
