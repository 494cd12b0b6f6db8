"""Spaces and challenges: visibility, forms, htmx fragments, query counts, invitations."""
import pytest

from cocreate.audit.models import AuditEntry
from cocreate.extensions import db
from cocreate.mail import outbox
from cocreate.spaces.models import Challenge, SpaceMembership
from cocreate.spaces.queries import visible_spaces

from ..factories import add_member, barrier, make_challenge, make_organisation, make_space, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    owner = make_user(name="Owner", roles=["facilitator"])
    member = make_user(name="Member", organisation=make_organisation(kind="supplier"))
    outsider = make_user(name="Outsider")
    public = make_space(title="Public Space", slug="public-space", owner=owner)
    secret = make_space(title="Secret Space", slug="secret-space", owner=owner, visibility="members",
                        join_policy="invitation")
    add_member(public, member, side="supplier")
    add_member(secret, member)
    make_challenge(secret, member, title="Hidden pallet problem", barriers=("too-busy",))
    make_challenge(public, member, title="Visible desk problem", barriers=("too-busy",))
    return dict(owner=owner, member=member, outsider=outsider, public=public, secret=secret)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_members_only_content_leaks_nowhere(client, auth, world, who):
    if who == "outsider":
        auth.login(world["outsider"])
    for url in ("/", "/spaces/", "/barriers/", "/barriers/too-busy", "/spaces/?barrier=too-busy"):
        html = client.get(url).get_data(as_text=True)
        assert "Hidden pallet problem" not in html and "Secret Space" not in html, url
    assert "1 challenge" in client.get("/barriers/").get_data(as_text=True)
    assert client.get("/spaces/secret-space").status_code == 404
    assert client.get("/spaces/secret-space/members").status_code == 404


def test_members_see_their_members_only_space(client, auth, world):
    auth.login(world["member"])
    assert "Hidden pallet problem" in client.get("/barriers/too-busy").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Secret Space" in home and "Hidden pallet problem" in home


def test_visible_spaces_is_the_one_rule(world):
    titles = lambda user: {s.title for s in db.session.scalars(visible_spaces(user))}  # noqa: E731
    assert titles(None) == titles(world["outsider"]) == {"Public Space"}
    assert titles(world["member"]) == {"Public Space", "Secret Space"}
    assert titles(make_user(roles=["admin"])) == {"Public Space", "Secret Space"}
    assert titles(make_user(roles=["facilitator"])) == {"Public Space"}


def test_posting_a_challenge_renders_markdown_once_and_records_the_status(client, auth, world):
    auth.login(world["member"])
    response = client.post("/spaces/public-space/challenges/new", data={
        "title": "Dealers call us", "body": "We **like** calls <script>x()</script>",
        "theme_ids": [barrier("personal-contact").id], "tags": "Dealers, phone, dealers"})
    assert response.status_code == 303
    challenge = db.session.scalar(db.select(Challenge).where(Challenge.title == "Dealers call us"))
    assert "<strong>like</strong>" in challenge.body_html and "<script>" not in challenge.body_html
    assert challenge.tags == "dealers, phone" and challenge.author_side == "supplier"
    assert [c.to_status for c in challenge.status_changes] == ["open"]


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_bad_challenge_keeps_what_was_typed_with_422(client, auth, world, headers):
    auth.login(world["member"])
    response = client.post("/spaces/public-space/challenges/new", headers=headers,
                           data={"title": "Kept title", "body": "x" * 20_001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kept title" in html and "Choose at least one barrier" in html and "20000" in html


def test_taken_slug_is_refused_in_the_form(client, auth, world):
    auth.login(world["owner"])
    response = client.post("/spaces/new", data={"title": "Another", "slug": "public-space", "sector": "smart",
                                                 "visibility": "public", "join_policy": "open"})
    assert response.status_code == 422
    assert "Another space uses this web address" in response.get_data(as_text=True)


def test_status_change_is_recorded_and_shown_with_a_fragment_for_htmx(client, auth, world):
    challenge = db.session.scalar(db.select(Challenge).where(Challenge.title == "Visible desk problem"))
    auth.login(world["member"])
    response = client.post(f"/spaces/public-space/challenges/{challenge.id}/status", headers=HX,
                           data={"status": "solved"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<section id="challenge-{challenge.id}-status"')
    assert "Solved" in html
    page = client.get(f"/spaces/public-space/challenges/{challenge.id}").get_data(as_text=True)
    assert "<html" in page and "Solved" in page


def test_admin_acts_outside_their_spaces_are_audited(client, auth, world):
    admin = make_user(roles=["admin"])
    applicant = make_user()
    add_member(world["public"], applicant, requested=True)
    auth.login(admin)
    assert client.post(f"/spaces/public-space/members/{applicant.id}/approve").status_code == 303
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "space.approve"))
    assert entry.actor_id == admin.id and entry.space_id == world["public"].id


def test_facilitator_approval_is_not_audited_and_htmx_gets_the_member_list(client, auth, world):
    applicant = make_user(name="Asking Person")
    add_member(world["public"], applicant, requested=True)
    auth.login(world["owner"])
    response = client.post(f"/spaces/public-space/members/{applicant.id}/approve", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="space-members"' in html and "<html" not in html
    assert db.session.get(SpaceMembership, (world["public"].id, applicant.id)).is_active
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0


def test_join_open_space_without_and_with_javascript(client, auth, world):
    auth.login(world["outsider"])
    response = client.post("/spaces/public-space/join", headers=HX)
    assert response.status_code == 200 and 'id="space-membership"' in response.get_data(as_text=True)
    assert client.post("/spaces/public-space/leave").status_code == 303
    assert client.post("/spaces/public-space/join").headers["Location"] == "/spaces/public-space"


def test_invitation_link_lands_a_new_person_in_the_space(client, auth, world):
    auth.login(world["owner"])
    assert client.post("/spaces/secret-space/invite", data={"email": "New@Example.com"}).status_code == 303
    link = outbox[-1].get_content().split("http://localhost")[1].split()[0]
    auth.logout()
    response = client.get(link)
    assert response.headers["Location"].startswith("/signup?next=")
    signup = client.post(response.headers["Location"], data={
        "email": "new@example.com", "display_name": "New Person", "password": "a brand new good password",
        "confirm": "a brand new good password"})
    assert signup.headers["Location"] == link
    assert client.get(link).headers["Location"] == "/spaces/secret-space"
    assert client.get("/spaces/secret-space").status_code == 200


def test_filters_work_as_fragment_and_page(client, world):
    space = world["public"]
    make_challenge(space, title="Customer side one", side="customer", barriers=("competences",))
    make_challenge(space, title="Archived one", status="archived")
    fragment = client.get("/spaces/public-space?side=customer", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="challenge-results"')
    assert "Customer side one" in fragment and "Visible desk problem" not in fragment
    page = client.get("/spaces/public-space?barrier=competences").get_data(as_text=True)
    assert "<html" in page and "Customer side one" in page and "Visible desk problem" not in page
    assert "Archived one" not in page
    assert "Archived one" in client.get("/spaces/public-space?status=archived").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/spaces/public-space", "/spaces/public-space?sort=active", "/barriers/too-busy",
                                 "/spaces/", "/", "/spaces/public-space/members"])
def test_list_pages_run_a_fixed_number_of_queries(client, auth, world, count_queries, url):
    auth.login(world["member"])

    def queries_with(n):
        existing = db.session.scalar(db.select(db.func.count()).select_from(Challenge))
        for i in range(n - existing):
            author = make_user(organisation=make_organisation(), commit=False)
            add_member(world["public"], author, commit=False)
            make_challenge(world["public"], author, barriers=("too-busy", "competences"), commit=False)
        db.session.commit()
        db.session.expire_all()
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = queries_with(5)
    assert queries_with(200) == few
    assert few <= 8  # issue #9
