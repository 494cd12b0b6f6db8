"""Open-data exports hold what the requester may see on the site, and no more."""
import csv
import io

import pytest

from ..factories import (
    add_member, make_challenge, make_idea, make_post, make_space, make_user, make_vote, make_workshop,
)


@pytest.fixture
def world(app):
    author = make_user(name="Ada Author", email="ada.author@example.com")
    public = make_space(title="Public space", slug="public-space")
    closed = make_space(title="Closed space", slug="closed-space", visibility="members", join_policy="invitation")
    member = make_user(name="Max Member", email="max.member@example.com")
    add_member(closed, member)
    add_member(public, author)
    open_challenge = make_challenge(public, author=author, title="Open challenge", barriers=("too-busy", "personal-contact"))
    closed_challenge = make_challenge(closed, author=member, title="Secret challenge")
    idea = make_idea(open_challenge, author=author, title="Open idea", status="shortlisted")
    make_vote(idea, member)
    make_vote(idea, author)
    make_idea(closed_challenge, author=member, title="Secret idea")
    workshop = make_workshop(public, title="Open workshop", phase="closed", challenges=[open_challenge])
    workshop.outcome_md = "We will pilot the portal."
    make_workshop(closed, title="Secret workshop")
    make_post(workshop, author, body="A visible thought")
    make_post(workshop, author, body="=HYPERLINK(1) hidden thing", hidden_reason="Spam")
    make_post(workshop, author, body="=SUM(A1) formula")
    return {"member": member, "author": author, "closed": closed, "idea": idea}


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    return response.get_json()


def test_anonymous_export_holds_public_spaces_only(client, world):
    data = _json(client, "/open-data/all.json")
    assert [c["title"] for c in data["challenges"]] == ["Open challenge"]
    assert [i["title"] for i in data["ideas"]] == ["Open idea"]
    assert [w["title"] for w in data["workshops"]] == ["Open workshop"]
    text = client.get("/open-data/all.json").get_data(as_text=True)
    assert "Secret" not in text


def test_ideas_carry_votes_and_status_and_workshops_their_outcome(client, world):
    data = _json(client, "/open-data/all.json")
    idea = data["ideas"][0]
    assert (idea["votes"], idea["status"], idea["author"]) == (2, "shortlisted", "Ada Author")
    challenge = data["challenges"][0]
    assert challenge["barriers"] == "personal-contact;too-busy" or set(challenge["barriers"].split(";")) == {
        "personal-contact", "too-busy"}
    workshop = data["workshops"][0]
    assert workshop["outcome_markdown"] == "We will pilot the portal." and workshop["challenge_ids"] == str(
        data["challenges"][0]["id"])
    themes = {t["slug"]: t["challenges"] for t in data["themes"]}
    assert themes["too-busy"] == 1 and themes["personal-contact"] == 1


def test_members_see_their_members_only_space_and_outsiders_never(client, auth, world):
    auth.login(make_user())
    assert "Secret" not in client.get("/open-data/all.json").get_data(as_text=True)
    assert client.get("/open-data/spaces/closed-space/ideas.csv").status_code == 404
    assert client.get("/open-data/spaces/closed-space/all.json").status_code == 404
    auth.logout()
    auth.login(world["member"])
    titles = [c["title"] for c in _json(client, "/open-data/all.json")["challenges"]]
    assert titles == ["Open challenge", "Secret challenge"]
    own = _json(client, "/open-data/spaces/closed-space/all.json")
    assert [i["title"] for i in own["ideas"]] == ["Secret idea"] and own["scope"]["space"] == "closed-space"


def test_hidden_posts_are_left_out_even_for_their_author(client, auth, world):
    auth.login(world["author"])
    bodies = [p["body_markdown"] for p in _json(client, "/open-data/posts.json")["posts"]]
    assert bodies == ["A visible thought", "=SUM(A1) formula"]


def test_no_e_mail_addresses_in_any_file(client, auth, world):
    auth.login(world["member"])
    for name in ("challenges", "ideas", "workshops", "posts", "themes"):
        for fmt in ("csv", "json"):
            text = client.get(f"/open-data/{name}.{fmt}").get_data(as_text=True)
            assert "@example.com" not in text, (name, fmt)
    assert "@example.com" not in client.get("/open-data/all.json").get_data(as_text=True)


def test_csv_is_a_download_and_defuses_formulas(client, world):
    response = client.get("/open-data/spaces/public-space/posts.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert 'filename="cocreate-public-space-posts.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["body_markdown"] for row in rows] == ["A visible thought", "'=SUM(A1) formula"]
    assert rows[0]["author"] == "Ada Author"


def test_unknown_dataset_or_space_is_404(client, world):
    assert client.get("/open-data/people.csv").status_code == 404
    assert client.get("/open-data/ideas.xml").status_code == 404
    assert client.get("/open-data/spaces/no-such-space/ideas.csv").status_code == 404


def test_open_data_page_lists_visible_spaces(client, auth, world):
    page = client.get("/open-data/").get_data(as_text=True)
    assert "/open-data/spaces/public-space/ideas.csv" in page and "closed-space" not in page
    auth.login(world["member"])
    assert "/open-data/spaces/closed-space/all.json" in client.get("/open-data/").get_data(as_text=True)


def test_export_runs_a_fixed_number_of_queries(client, world, count_queries):
    client.get("/")
    with count_queries() as small:
        client.get("/open-data/all.json")
    space = make_space()
    for n in range(5):
        challenge = make_challenge(space, author=world["author"])
        make_idea(challenge, author=world["author"])
        make_post(make_workshop(space, challenges=[challenge]), world["author"])
    client.get("/")
    with count_queries() as large:
        client.get("/open-data/all.json")
    assert len(large) == len(small) <= 8
