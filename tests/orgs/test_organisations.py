import pytest

from cocreate.audit.models import AuditEntry
from cocreate.extensions import db
from cocreate.orgs.models import MembershipStatus, Organisation, OrganisationMembership

from ..factories import make_organisation, make_user

ORG_DATA = {"name": "Hirtshals Net & Trawl ApS", "kind": "supplier", "sector": "blue", "size_band": "10-49",
            "municipality": "Hjørring", "description": "We make *nets*."}


def test_creating_an_organisation_makes_the_creator_its_admin(client, auth):
    user = make_user()
    auth.login(user)
    response = client.post("/organisations/new", data=ORG_DATA)
    assert response.status_code == 303
    organisation = db.session.scalar(db.select(Organisation))
    assert organisation.description_html == "<p>We make <em>nets</em>.</p>"
    membership = db.session.get(OrganisationMembership, user.id)
    assert membership.is_admin and membership.status == MembershipStatus.ACTIVE
    assert "Hirtshals Net" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_duplicate_name_in_other_case_is_refused_and_keeps_input(client, auth):
    make_organisation(name="Hirtshals Net & Trawl ApS")
    auth.login(make_user())
    response = client.post("/organisations/new", data={**ORG_DATA, "name": "hirtshals net &  trawl aps"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "exists already" in html
    assert "We make *nets*." in html


def test_missing_fields_get_messages(client, auth):
    auth.login(make_user())
    response = client.post("/organisations/new", data={**ORG_DATA, "name": "", "kind": "nonsense"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


def test_join_request_and_approval_by_org_admin(client, auth):
    organisation = make_organisation()
    admin = make_user(organisation=organisation, org_admin=True)
    applicant = make_user()
    auth.login(applicant)
    assert client.post(f"/organisations/{organisation.id}/join").status_code == 303
    assert db.session.get(OrganisationMembership, applicant.id).status == MembershipStatus.PENDING
    # Someone with a pending request cannot ask another organisation too.
    other = make_organisation()
    assert client.post(f"/organisations/{other.id}/join").status_code == 403
    auth.logout()

    auth.login(admin)
    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert applicant.display_name in page
    response = client.post(f"/organisations/{organisation.id}/members/{applicant.id}/approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(OrganisationMembership, applicant.id).status == MembershipStatus.ACTIVE


def test_plain_member_cannot_approve(client, auth):
    organisation = make_organisation()
    member = make_user(organisation=organisation)
    applicant = make_user(organisation=organisation, pending=True)
    auth.login(member)
    response = client.post(f"/organisations/{organisation.id}/members/{applicant.id}/approve")
    assert response.status_code == 403
    assert db.session.get(OrganisationMembership, applicant.id).status == MembershipStatus.PENDING


def test_facilitator_can_approve_and_decline(client, auth):
    organisation = make_organisation()
    first = make_user(organisation=organisation, pending=True)
    second = make_user(organisation=organisation, pending=True)
    auth.login(make_user(roles=["facilitator"]))
    client.post(f"/organisations/{organisation.id}/members/{first.id}/approve")
    client.post(f"/organisations/{organisation.id}/members/{second.id}/decline")
    db.session.expire_all()
    assert db.session.get(OrganisationMembership, first.id).is_active
    assert db.session.get(OrganisationMembership, second.id) is None
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert actions == {"organisation.approve", "organisation.decline"}


def test_last_admin_cannot_leave_while_others_remain(client, auth):
    organisation = make_organisation()
    admin = make_user(organisation=organisation, org_admin=True)
    make_user(organisation=organisation)
    auth.login(admin)
    response = client.post(f"/organisations/{organisation.id}/members/{admin.id}/remove", follow_redirects=True)
    assert "Make another member an admin" in response.get_data(as_text=True)
    assert db.session.get(OrganisationMembership, admin.id) is not None


def test_member_can_leave(client, auth):
    organisation = make_organisation()
    make_user(organisation=organisation, org_admin=True)
    member = make_user(organisation=organisation)
    auth.login(member)
    client.post(f"/organisations/{organisation.id}/members/{member.id}/remove")
    assert db.session.get(OrganisationMembership, member.id) is None


def test_make_admin_then_revoke(client, auth):
    organisation = make_organisation()
    admin = make_user(organisation=organisation, org_admin=True)
    member = make_user(organisation=organisation)
    auth.login(admin)
    client.post(f"/organisations/{organisation.id}/members/{member.id}/make-admin")
    assert db.session.get(OrganisationMembership, member.id).is_admin
    client.post(f"/organisations/{organisation.id}/members/{member.id}/revoke-admin")
    db.session.expire_all()
    assert not db.session.get(OrganisationMembership, member.id).is_admin


def test_edit_by_org_admin_only(client, auth):
    organisation = make_organisation()
    admin = make_user(organisation=organisation, org_admin=True)
    auth.login(make_user(organisation=make_organisation()))
    assert client.get(f"/organisations/{organisation.id}/edit").status_code == 403
    auth.logout()
    auth.login(admin)
    response = client.post(f"/organisations/{organisation.id}/edit", data={**ORG_DATA, "name": "Renamed ApS"})
    assert response.status_code == 303
    assert organisation.name == "Renamed ApS"


def test_unknown_organisation_is_404(client):
    assert client.get("/organisations/424242").status_code == 404


@pytest.mark.parametrize("rows", [5, 60])
def test_list_runs_a_fixed_number_of_queries(client, count_queries, rows):
    for n in range(rows):
        make_organisation(name=f"Listed {n:03d} ApS", commit=False)
    db.session.commit()
    with count_queries() as queries:
        response = client.get("/organisations/")
    assert response.status_code == 200
    assert len(queries) <= 2


def test_search_filters_and_htmx_gets_the_fragment(client):
    make_organisation(name="Skagen Fisk ApS")
    make_organisation(name="Thy Stål A/S")
    full = client.get("/organisations/?q=skagen").get_data(as_text=True)
    assert "Skagen Fisk ApS" in full and "Thy Stål A/S" not in full and "<html" in full
    fragment = client.get("/organisations/?q=skagen", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Skagen Fisk ApS" in fragment and "<html" not in fragment
