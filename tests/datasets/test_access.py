"""Who may see and fetch what: every visitor kind against every kind of data set, and query bounds."""
import io

import pytest

from cocreate.datasets.queries import visible_datasets
from cocreate.datasets.services import Upload, upload_version
from cocreate.extensions import db

from ..factories import add_member, make_dataset, make_space, make_user
from .conftest import download

VISITORS = ("anonymous", "outsider", "applicant", "member", "facilitator", "admin")
# (space, data set) -> the visitors who may see it
READERS = {
    "public/public": set(VISITORS),
    "public/members": {"member", "facilitator", "admin"},
    "closed/members": {"member", "facilitator", "admin"},
}


@pytest.fixture
def world(app):
    users = {name: make_user(name=name.title(), roles=["admin"] if name == "admin" else ())
             for name in VISITORS if name != "anonymous"}
    uploader = make_user(name="Uploader")
    open_space = make_space(slug="open")
    closed = make_space(slug="closed", visibility="members", join_policy="invitation")
    for space in (open_space, closed):
        add_member(space, uploader)
        add_member(space, users["member"])
        add_member(space, users["facilitator"], role="facilitator")
        add_member(space, users["applicant"], requested=True)
    datasets = {
        "public/public": make_dataset(open_space, uploader, title="Open data", visibility="public",
                                      content=b"a\n1\n"),
        "public/members": make_dataset(open_space, uploader, title="Members data", content=b"a\n2\n"),
        "closed/members": make_dataset(closed, uploader, title="Closed data", content=b"a\n3\n"),
    }
    return users, datasets


def _client(app, users, visitor):
    client = app.test_client()
    if visitor != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = str(users[visitor].id)
    return client


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_and_file_answers_each_visitor(app, world, visitor):
    users, datasets = world
    client = _client(app, users, visitor)
    for key, dataset in datasets.items():
        allowed = visitor in READERS[key]
        base = f"/spaces/{dataset.space.slug}/datasets/{dataset.id}"
        expected = 200 if allowed else 404
        assert client.get(base).status_code == expected, (key, "page")
        assert client.get(f"{base}?version=1", headers={"HX-Request": "true"}).status_code == expected, (key, "preview")
        response = download(client, f"{base}/versions/1/download")
        assert response.status_code == expected, (key, "download")
        if allowed:
            assert response.headers["Content-Disposition"].startswith("attachment")
        else:
            assert b"a\n" not in response.data
        listing = client.get(f"/spaces/{dataset.space.slug}/datasets/")
        if listing.status_code == 200:
            assert (dataset.title in listing.get_data(as_text=True)) == allowed, (key, "list")


@pytest.mark.parametrize("visitor", ["anonymous", "outsider", "applicant"])
def test_guessing_ids_numbers_or_hashes_never_reaches_a_members_only_file(app, world, visitor):
    users, datasets = world
    client = _client(app, users, visitor)
    hidden = datasets["closed/members"]
    members_only = datasets["public/members"]
    guesses = [
        f"/spaces/open/datasets/{hidden.id}/versions/1/download",  # through a space they can see
        f"/spaces/open/datasets/{members_only.id}/versions/1/download",
        f"/spaces/open/datasets/{members_only.id}/versions/2/download",
        f"/spaces/closed/datasets/{hidden.id}/versions/1/download",
        f"/spaces/open/datasets/{datasets['public/public'].id}/versions/{hidden.versions[0].id}/download",
        f"/spaces/open/datasets/{hidden.versions[0].sha256}/versions/1/download",
        f"/spaces/open/datasets/{hidden.versions[0].sha256}",
    ]
    for url in guesses:
        response = download(client, url)
        assert response.status_code == 404, url
        assert b"a\n3\n" not in response.data and b"a\n2\n" not in response.data
    # Nor is the file reachable as a static asset.
    assert download(client, f"/static/{hidden.versions[0].sha256}").status_code == 404


def test_a_closed_space_hides_its_once_public_data(app, world):
    users, datasets = world
    dataset = datasets["public/public"]
    dataset.space.visibility = "members"
    db.session.commit()
    client = _client(app, users, "outsider")
    assert download(client, f"/spaces/open/datasets/{dataset.id}/versions/1/download").status_code == 404


def test_visible_datasets_for_search(app, world):
    users, datasets = world

    def titles(user):
        return {d.title for d in db.session.scalars(visible_datasets(user))}

    assert titles(None) == titles(users["outsider"]) == titles(users["applicant"]) == {"Open data"}
    assert titles(users["member"]) == titles(users["admin"]) == {"Open data", "Members data", "Closed data"}


def test_the_list_runs_a_fixed_number_of_queries(app, world, count_queries):
    users, datasets = world
    space = datasets["closed/members"].space
    member = users["member"]
    client = _client(app, users, "member")

    def measure():
        client.get("/spaces/closed/datasets/")  # warm up: the first request loads the user
        with count_queries() as queries:
            assert client.get("/spaces/closed/datasets/").status_code == 200
        return len(queries)

    few = measure()
    for n in range(6):
        make_dataset(space, member, title=f"More data {n}", content=f"a\n{n + 10}\n".encode())
    assert measure() == few
    assert few <= 8


def test_the_data_set_page_runs_a_fixed_number_of_queries(app, world, count_queries):
    users, datasets = world
    dataset = datasets["closed/members"]
    client = _client(app, users, "member")
    url = f"/spaces/closed/datasets/{dataset.id}"

    def measure():
        client.get(url)
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = measure()
    for n in range(4):
        upload_version(users["facilitator"], dataset, Upload("v.csv", io.BytesIO(f"a\n{n + 20}\n".encode())))
    assert measure() == few
