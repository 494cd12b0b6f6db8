"""Uploading through the pages: good files, each bad file, versions, edit and delete."""
import hashlib
import io

import pytest

from cocreate.datasets import storage
from cocreate.datasets.models import Dataset, DatasetVersion
from cocreate.extensions import db

from ..factories import add_member, make_challenge, make_dataset, make_space, make_user
from . import files as samples
from .conftest import download


@pytest.fixture
def world(app):
    owner = make_user(name="Space Owner")
    member = make_user(name="Mette Member")
    space = make_space(slug="limfjord", owner=owner)
    add_member(space, member)
    challenge = make_challenge(space, author=member, title="Dealers keep calling")
    return space, owner, member, challenge


def form(content=samples.CSV, filename="orders.csv", **fields):
    data = {"title": "Orders per municipality", "description": "From the **ERP**.", "licence": "cc-by-4.0",
            "visibility": "members", **fields}
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    return data


def upload(client, space, **kwargs):
    return client.post(f"/spaces/{space.slug}/datasets/new", data=form(**kwargs), content_type="multipart/form-data")


def stored_files(app):
    folder = storage.upload_folder()
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_member_uploads_a_csv_and_sees_its_preview(app, client, auth, world):
    space, _owner, member, challenge = world
    auth.login(member)
    response = upload(client, space, challenge_ids=[str(challenge.id)])
    assert response.status_code == 303
    dataset = db.session.scalar(db.select(Dataset))
    assert response.headers["Location"].endswith(f"/spaces/limfjord/datasets/{dataset.id}")
    assert dataset.description_html == "<p>From the <strong>ERP</strong>.</p>"
    assert [c.id for c in dataset.challenges] == [challenge.id]
    version = dataset.versions[0]
    assert version.sha256 == hashlib.sha256(samples.CSV).hexdigest() and version.size == len(samples.CSV)
    assert storage.blob_path(version.sha256).read_bytes() == samples.CSV
    assert stored_files(app) == [version.sha256]  # no temporary file left behind
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<caption" in page and '<th scope="col">municipality</th>' in page and "Hjorring" in page
    assert "Mette Member" in page


@pytest.mark.parametrize("content,filename,message", [
    (samples.CSV, "orders.exe", "Only CSV, XLSX, JSON, PDF and plain text"),
    (samples.pdf(1), "orders.csv", "does not match its extension"),
    (b"", "orders.csv", "The file is empty"),
    (samples.CSV, "../orders.csv", "must not contain folders"),
    (samples.CSV, "ord\x1bers.csv", "control characters"),
    (b'{"a": ', "orders.json", "not valid JSON"),
    (None, None, "Choose a file to upload"),
])
def test_a_bad_file_comes_back_with_the_reason_and_the_fields_kept(app, client, auth, world, content, filename,
                                                                    message):
    space, _owner, member, _challenge = world
    auth.login(member)
    response = upload(client, space, content=content, filename=filename, title="Kept title")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Kept title"' in page and "From the **ERP**." in page
    assert "Please choose the file again" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Dataset)) == 0
    assert stored_files(app) == []


def test_a_zip_bomb_is_refused(app, client, auth, world):
    app.config["DATASET_XLSX_MAX_UNCOMPRESSED"] = 1024 * 1024
    space, _owner, member, _challenge = world
    auth.login(member)
    response = upload(client, space, content=samples.zip_bomb(), filename="big.xlsx")
    assert response.status_code == 422 and "unpacks to more than 1 MB" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_a_file_over_the_size_limit_gets_the_413_page_in_the_site_look(app, client, auth, world):
    # Small sizes: the test client spools bodies over 500 kB to a temporary file it never closes.
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    space, _owner, member, _challenge = world
    auth.login(member)
    response = upload(client, space, content=b"a,b\n" + b"1,2\n" * 50_000)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than 100 kB" in page and "<nav" in page
    assert stored_files(app) == []


def test_a_malformed_csv_is_kept_and_its_preview_says_which_line(app, client, auth, world):
    space, _owner, member, _challenge = world
    auth.login(member)
    response = upload(client, space, content=b"a,b,c\n1,2,3\n4,5\n")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Line 3 has 2 fields; the header has 3." in page


def test_public_visibility_needs_a_public_licence_and_a_public_space(app, client, auth, world):
    space, _owner, member, _challenge = world
    auth.login(member)
    response = upload(client, space, visibility="public", licence="members-only")
    assert response.status_code == 422 and "cannot be public" in response.get_data(as_text=True)
    closed = make_space(slug="closed", visibility="members", join_policy="invitation")
    add_member(closed, member)
    response = upload(client, closed, visibility="public")
    assert response.status_code == 422
    assert upload(client, space, visibility="public").status_code == 303


def test_challenges_of_another_space_cannot_be_linked(app, client, auth, world):
    space, _owner, member, _challenge = world
    other = make_challenge(make_space(slug="other"), title="Elsewhere")
    auth.login(member)
    response = upload(client, space, challenge_ids=[str(other.id)])
    assert response.status_code == 422 and "Link only challenges of this space" in response.get_data(as_text=True)


def test_the_same_file_is_stored_once(app, world):
    space, owner, member, _challenge = world
    first = make_dataset(space, member)
    second = make_dataset(space, owner)
    assert first.versions[0].sha256 == second.versions[0].sha256
    assert len(stored_files(app)) == 1


def test_a_failed_commit_leaves_no_record_and_no_file(app, world, monkeypatch):
    space, _owner, member, _challenge = world

    def fail():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError):
        make_dataset(space, member, content=b"x,y\n1,2\n")
    monkeypatch.undo()
    assert db.session.scalar(db.select(db.func.count()).select_from(DatasetVersion)) == 0
    assert stored_files(app) == []


def test_new_versions_keep_the_earlier_ones_downloadable(app, client, auth, world):
    space, owner, member, _challenge = world
    dataset = make_dataset(space, member, content=b"a\n1\n")
    auth.login(member)
    url = f"/spaces/limfjord/datasets/{dataset.id}/versions/new"
    response = client.post(url, data={"file": (io.BytesIO(b"a\n1\n2\n"), "v2.csv")}, content_type="multipart/form-data")
    assert response.status_code == 303
    same = client.post(url, data={"file": (io.BytesIO(b"a\n1\n2\n"), "v2.csv")}, content_type="multipart/form-data")
    assert same.status_code == 422 and "same as the current version" in same.get_data(as_text=True)
    db.session.expire_all()
    assert [v.number for v in dataset.versions] == [2, 1]
    assert download(client, f"/spaces/limfjord/datasets/{dataset.id}/versions/1/download").data == b"a\n1\n"
    assert download(client, f"/spaces/limfjord/datasets/{dataset.id}/versions/2/download").data == b"a\n1\n2\n"
    page = client.get(f"/spaces/limfjord/datasets/{dataset.id}?version=1").get_data(as_text=True)
    assert "Preview of version 1" in page and "Version 2" in page


def test_preview_of_another_version_as_an_htmx_fragment(app, client, auth, world):
    space, _owner, member, _challenge = world
    dataset = make_dataset(space, member)
    auth.login(member)
    response = client.get(f"/spaces/limfjord/datasets/{dataset.id}?version=1", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="dataset-preview"') and "<html" not in body
    assert client.get(f"/spaces/limfjord/datasets/{dataset.id}?version=9").status_code == 404


def test_download_headers(app, client, auth, world):
    space, _owner, member, _challenge = world
    dataset = make_dataset(space, member, filename="Ordrer Ålborg.csv")
    auth.login(member)
    response = download(client, f"/spaces/limfjord/datasets/{dataset.id}/versions/1/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Ordrer%20%C3%85lborg.csv" in disposition
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("content,filename,content_type", [
    (samples.xlsx(), "a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.JSON, "a.json", "application/json"), (samples.pdf(), "a.pdf", "application/pdf"),
    (samples.TEXT, "a.txt", "text/plain; charset=utf-8"),
])
def test_each_kind_is_served_with_its_content_type(app, client, auth, world, content, filename, content_type):
    space, _owner, member, _challenge = world
    dataset = make_dataset(space, member, content=content, filename=filename)
    auth.login(member)
    assert client.get(f"/spaces/limfjord/datasets/{dataset.id}").status_code == 200
    response = download(client, f"/spaces/limfjord/datasets/{dataset.id}/versions/1/download")
    assert response.headers["Content-Type"] == content_type and response.data == content


def test_edit_keeps_the_file_and_changes_the_details(app, client, auth, world):
    space, _owner, member, challenge = world
    dataset = make_dataset(space, member)
    auth.login(member)
    url = f"/spaces/limfjord/datasets/{dataset.id}/edit"
    assert 'value="' + dataset.title + '"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"title": "Renamed", "description": "New *text*", "licence": "cc0",
                                      "visibility": "public", "challenge_ids": [str(challenge.id)]})
    assert response.status_code == 303
    db.session.expire_all()
    assert (dataset.title, dataset.licence, dataset.visibility) == ("Renamed", "cc0", "public")
    assert dataset.description_html == "<p>New <em>text</em></p>"
    page = client.get(f"/spaces/limfjord/challenges/{challenge.id}").get_data(as_text=True)
    assert "Renamed" in page


def test_delete_removes_the_record_and_the_file_unless_shared(app, client, auth, world):
    space, owner, member, _challenge = world
    kept = make_dataset(space, owner, content=b"shared\n1\n")
    dataset = make_dataset(space, member, content=b"shared\n1\n")
    other = make_dataset(space, member, content=b"alone\n1\n")
    auth.login(member)
    assert client.get(f"/spaces/limfjord/datasets/{dataset.id}/delete").status_code == 200
    assert client.post(f"/spaces/limfjord/datasets/{dataset.id}/delete").status_code == 303
    assert client.post(f"/spaces/limfjord/datasets/{other.id}/delete").status_code == 303
    assert stored_files(app) == [kept.versions[0].sha256]
    assert client.get(f"/spaces/limfjord/datasets/{dataset.id}").status_code == 404


def test_only_the_uploader_or_a_facilitator_edits(app, client, auth, world):
    space, owner, member, _challenge = world
    other_member = make_user()
    add_member(space, other_member)
    dataset = make_dataset(space, member)
    auth.login(other_member)
    assert client.get(f"/spaces/limfjord/datasets/{dataset.id}/edit").status_code == 403
    assert client.post(f"/spaces/limfjord/datasets/{dataset.id}/delete").status_code == 403
    auth.logout()
    auth.login(owner)
    assert client.post(f"/spaces/limfjord/datasets/{dataset.id}/delete").status_code == 303


def test_uploads_are_rate_limited_per_person(make_app, tmp_path):
    from .conftest import forget_last_user

    app = make_app(UPLOAD_FOLDER=str(tmp_path), RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="2 per hour")
    app.before_request(forget_last_user)
    with app.app_context():
        space = make_space(slug="limits")
        first, second = make_user(), make_user()
        add_member(space, first)
        add_member(space, second)
        client = app.test_client()
        client.post("/login", data={"email": first.email, "password": "a long enough test password"})
        answers = [upload(client, space, content=f"n\n{i}\n".encode()).status_code for i in range(3)]
        assert answers == [303, 303, 429]
        client.post("/logout")
        client.post("/login", data={"email": second.email, "password": "a long enough test password"})
        assert upload(client, space, content=b"n\n9\n").status_code == 303
