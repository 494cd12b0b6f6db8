"""Every route × every kind of visitor → the expected status.

A route that is not listed in ``CASES`` fails ``test_every_route_is_in_the_matrix``,
so a new route cannot slip in without its permissions being written down.
Each case runs in a freshly built world, so state-changing requests don't
affect each other.
"""
from dataclasses import dataclass, field

import pytest

from .factories import make_assessment, make_cohort, make_organisation, make_user

VISITORS = ("anonymous", "participant", "org_member", "org_admin", "facilitator", "lsg", "admin")
LOGIN = 302  # anonymous visitors are sent to the log-in page


@dataclass
class World:
    users: dict = field(default_factory=dict)
    organisation: object = None
    applicant: object = None
    assessment: object = None  # the organisation's complete company assessment, taken by org_member
    draft: object = None  # org_member's unfinished company assessment
    cohort: object = None


def build_world():
    organisation = make_organisation(name="Matrix Org ApS")
    world = World(organisation=organisation)
    world.users["participant"] = make_user(name="Plain Participant")
    world.users["org_member"] = make_user(name="Org Member", organisation=organisation)
    world.users["org_admin"] = make_user(name="Org Admin", organisation=organisation, org_admin=True)
    world.users["facilitator"] = make_user(name="Platform Facilitator", roles=["facilitator"])
    world.users["lsg"] = make_user(name="Board Member", roles=["lsg"])
    world.users["admin"] = make_user(name="Site Admin", roles=["admin"])
    world.applicant = make_user(name="Applicant", organisation=organisation, pending=True)
    member = world.users["org_member"]
    world.assessment = make_assessment(typical=2, organisation=organisation, taken_by=member)
    world.draft = make_assessment(organisation=organisation, taken_by=member, answers={}, complete=False)
    world.cohort = make_cohort([organisation])
    return world


def expect(default, **overrides):
    return {visitor: overrides.get(visitor, default) for visitor in VISITORS}


@dataclass
class Case:
    endpoint: str
    method: str
    url: object  # callable(world) -> str
    expected: dict
    data: object = None  # callable(world) -> dict
    name: str = ""


ORG_FORM = {"name": "Matrix Org ApS", "kind": "company", "sector": "smart", "size_band": "10-49",
            "municipality": "Aalborg"}
GOOD = "a brand new good password"

CASES = [
    Case("main.home", "GET", lambda w: "/", expect(200)),
    Case("main.language", "POST", lambda w: "/language", expect(303), lambda w: {"lang": "da"}),
    Case("accounts.signup", "GET", lambda w: "/signup", expect(303, anonymous=200)),
    Case("accounts.signup", "POST", lambda w: "/signup", expect(303),
         lambda w: {"email": "new@example.com", "display_name": "New Person", "password": GOOD, "confirm": GOOD}),
    Case("accounts.login", "GET", lambda w: "/login", expect(303, anonymous=200)),
    Case("accounts.login", "POST", lambda w: "/login", expect(303, anonymous=422),
         lambda w: {"email": "x@example.com", "password": "wrong password here"}),
    Case("accounts.logout", "POST", lambda w: "/logout", expect(303)),
    Case("accounts.forgot_password", "GET", lambda w: "/password/forgot", expect(200)),
    Case("accounts.forgot_password", "POST", lambda w: "/password/forgot", expect(303),
         lambda w: {"email": "x@example.com"}),
    Case("accounts.reset_password", "GET", lambda w: "/password/reset/bad-token", expect(303)),
    Case("accounts.reset_password", "POST", lambda w: "/password/reset/bad-token", expect(303),
         lambda w: {"password": GOOD, "confirm": GOOD}),
    Case("accounts.profile", "GET", lambda w: f"/people/{w.users['participant'].id}", expect(200)),
    Case("accounts.profile", "GET", lambda w: "/people/999999", expect(404), name="unknown"),
    Case("accounts.edit_profile", "GET", lambda w: "/profile", expect(200, anonymous=LOGIN)),
    Case("accounts.edit_profile", "POST", lambda w: "/profile", expect(303, anonymous=LOGIN),
         lambda w: {"display_name": "Renamed"}),
    Case("orgs.index", "GET", lambda w: "/organisations/", expect(200)),
    Case("orgs.choose", "GET", lambda w: "/organisations/choose",
         expect(200, anonymous=LOGIN, org_member=303, org_admin=303)),
    Case("orgs.create", "GET", lambda w: "/organisations/new", expect(200, anonymous=LOGIN)),
    Case("orgs.create", "POST", lambda w: "/organisations/new",
         expect(303, anonymous=LOGIN, org_member=403, org_admin=403),
         lambda w: {**ORG_FORM, "name": "Another Org ApS"}),
    Case("orgs.show", "GET", lambda w: f"/organisations/{w.organisation.id}", expect(200)),
    Case("orgs.show", "GET", lambda w: "/organisations/999999", expect(404), name="unknown"),
    Case("orgs.edit", "GET", lambda w: f"/organisations/{w.organisation.id}/edit",
         expect(403, anonymous=LOGIN, org_admin=200, facilitator=200, admin=200)),
    Case("orgs.edit", "POST", lambda w: f"/organisations/{w.organisation.id}/edit",
         expect(403, anonymous=LOGIN, org_admin=303, facilitator=303, admin=303), lambda w: ORG_FORM),
    Case("orgs.join", "POST", lambda w: f"/organisations/{w.organisation.id}/join",
         expect(303, anonymous=LOGIN, org_member=403, org_admin=403)),
    Case("orgs.member_action", "POST",
         lambda w: f"/organisations/{w.organisation.id}/members/{w.applicant.id}/approve",
         expect(403, anonymous=LOGIN, org_admin=303, facilitator=303, admin=303)),
    Case("orgs.member_action", "POST",
         lambda w: f"/organisations/{w.organisation.id}/members/{w.users['org_member'].id}/remove",
         expect(403, anonymous=LOGIN, org_member=303, org_admin=303, facilitator=303, admin=303), name="remove"),
    Case("orgs.member_action", "POST",
         lambda w: f"/organisations/{w.organisation.id}/members/{w.applicant.id}/frobnicate",
         expect(404, anonymous=LOGIN), name="unknown action"),
    Case("maturity.index", "GET", lambda w: "/maturity/", expect(200, anonymous=LOGIN)),
    Case("maturity.set_position", "POST", lambda w: "/maturity/position",
         expect(403, anonymous=LOGIN, org_member=303, org_admin=303), lambda w: {"position": "executive"}),
    Case("maturity.start", "POST", lambda w: "/maturity/start/company",
         expect(403, anonymous=LOGIN, org_member=303, org_admin=303)),
    Case("maturity.start", "POST", lambda w: "/maturity/start/management", expect(403, anonymous=LOGIN),
         name="management as staff"),
    Case("maturity.start", "POST", lambda w: "/maturity/start/nonsense", expect(404, anonymous=LOGIN),
         name="unknown"),
    Case("maturity.step", "GET", lambda w: f"/maturity/assessments/{w.draft.id}/steps/1",
         expect(404, anonymous=LOGIN, org_member=200)),
    Case("maturity.step", "POST", lambda w: f"/maturity/assessments/{w.draft.id}/steps/1",
         expect(404, anonymous=LOGIN, org_member=303), lambda w: {"D1.1": "3", "move": "next"}),
    Case("maturity.step", "GET", lambda w: f"/maturity/assessments/{w.draft.id}/steps/99",
         expect(404, anonymous=LOGIN), name="unknown step"),
    Case("maturity.results", "GET", lambda w: f"/maturity/assessments/{w.assessment.id}",
         expect(404, anonymous=LOGIN, org_member=200, org_admin=200, facilitator=200, admin=200)),
    Case("maturity.team", "GET", lambda w: f"/maturity/organisations/{w.organisation.id}/team",
         expect(404, anonymous=LOGIN, org_admin=200, facilitator=200, admin=200)),
    Case("maturity.builder", "GET", lambda w: "/maturity/cohorts/builder?instrument=company&pool=mapped",
         expect(403, anonymous=LOGIN, facilitator=200, admin=200)),
    Case("maturity.builder", "POST", lambda w: "/maturity/cohorts/builder",
         expect(403, anonymous=LOGIN, facilitator=303, admin=303),
         lambda w: {"instrument": "company", "pool": "mapped", "dimension": "", "min_size": "1",
                    "target_size": "1", "max_size": "4", "max_spread": "25", "name": "Matrix cohort"}),
    Case("maturity.cohorts", "GET", lambda w: "/maturity/cohorts", expect(403, anonymous=LOGIN, facilitator=200, admin=200)),
    Case("maturity.cohort", "GET", lambda w: f"/maturity/cohorts/{w.cohort.id}",
         expect(403, anonymous=LOGIN, facilitator=200, admin=200)),
    Case("maturity.cohort", "GET", lambda w: "/maturity/cohorts/999999", expect(404, anonymous=LOGIN), name="unknown"),
    Case("maturity.cohort", "POST", lambda w: f"/maturity/cohorts/{w.cohort.id}",
         expect(403, anonymous=LOGIN, facilitator=303, admin=303), lambda w: {"subject": "Hello", "body": "See you"}),
    Case("maturity.progress", "GET", lambda w: "/maturity/progress", expect(403, anonymous=LOGIN, facilitator=200, admin=200)),
    Case("admin.users", "GET", lambda w: "/admin/users", expect(403, anonymous=LOGIN, admin=200)),
    Case("admin.change_role", "POST", lambda w: f"/admin/users/{w.users['participant'].id}/roles/lsg",
         expect(403, anonymous=LOGIN, admin=303), lambda w: {"grant": "1"}),
]

# Routes that serve files rather than pages: checked by their own tests.
EXEMPT = {"static"}


def _case_id(case):
    return f"{case.method} {case.endpoint}{' ' + case.name if case.name else ''}"


def test_every_route_is_in_the_matrix(app):
    covered = {(case.endpoint, case.method) for case in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "Routes without a permission matrix entry:\n" + "\n".join(sorted(missing))


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_route_answers_each_visitor_as_expected(client, auth, case, visitor):
    world = build_world()
    if visitor != "anonymous":
        assert auth.login(world.users[visitor]).status_code == 303
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.open(url, method=case.method, data=data if case.method != "GET" else None)
    assert response.status_code == case.expected[visitor], (
        f"{case.method} {url} as {visitor}: {response.status_code}, expected {case.expected[visitor]}"
    )
