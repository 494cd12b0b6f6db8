"""Every route × every kind of visitor → the expected status.

A route that is not listed in ``CASES`` fails ``test_every_route_is_in_the_matrix``,
so a new route cannot slip in without its permissions being written down.
Reads share one world; a state-changing case gets a fresh world after every request
that may have changed it, so requests don't affect each other.
"""
from dataclasses import dataclass, field

import pytest

from .factories import (
    add_member, make_assessment, make_challenge, make_cohort, make_idea, make_organisation, make_space, make_user,
    reset_database,
)

# space_member and space_facilitator belong to both spaces of the world; facilitator (the platform role)
# belongs to neither.
VISITORS = ("anonymous", "participant", "org_member", "org_admin", "facilitator", "lsg", "admin", "space_member",
            "space_facilitator")
LOGIN = 302  # anonymous visitors are sent to the log-in page


@dataclass
class World:
    users: dict = field(default_factory=dict)
    organisation: object = None
    applicant: object = None
    spaces: dict = field(default_factory=dict)  # "public" / "private" -> Space
    challenges: dict = field(default_factory=dict)  # same keys -> a challenge by space_member
    space_applicant: object = None
    ideas: dict = field(default_factory=dict)  # same keys -> an idea by space_member
    other_ideas: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    invitation_token: str = ""
    assessment: object = None  # the organisation's complete company assessment, taken by org_member
    draft: object = None  # org_member's unfinished company assessment
    cohort: object = None
    workshops: dict = field(default_factory=dict)  # "public" / "private" -> a workshop in the decide phase
    posts: dict = field(default_factory=dict)  # same keys -> a post by space_member
    owner_posts: dict = field(default_factory=dict)  # same keys -> a post by the space owner, reported
    reports: dict = field(default_factory=dict)
    notification: object = None  # a notification for space_member
    unsubscribe_token: str = ""  # space_member's
    datasets: dict = field(default_factory=dict)  # "public" / "private" -> a members-only data set by space_member
    open_datasets: dict = field(default_factory=dict)  # "public" -> a public data set by space_member
    hidden_posts: dict = field(default_factory=dict)  # same keys -> space_member's post, hidden by a moderator
    others_challenges: dict = field(default_factory=dict)  # same keys -> a challenge by space_facilitator
    others_comments: dict = field(default_factory=dict)  # same keys -> space_facilitator's comment on the idea


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
    _build_spaces(world)
    member = world.users["org_member"]
    world.assessment = make_assessment(typical=2, organisation=organisation, taken_by=member)
    world.draft = make_assessment(organisation=organisation, taken_by=member, answers={}, complete=False)
    world.cohort = make_cohort([organisation])
    _build_ideas(world)
    _build_workshops(world)
    _build_steering(world)
    _build_notifications(world)
    _build_datasets(world)
    _build_insights(world)
    _build_areas(world)
    _build_security(world)
    return world


def _build_spaces(world):
    from cocreate.spaces.services import invite_by_email

    owner = make_user(name="Space Owner")
    world.users["space_member"] = make_user(name="Space Member")
    world.users["space_facilitator"] = make_user(name="Space Facilitator")
    world.space_applicant = make_user(name="Space Applicant")
    world.spaces["public"] = make_space(title="Open Matrix Space", slug="open-matrix", owner=owner)
    world.spaces["private"] = make_space(
        title="Closed Matrix Space", slug="closed-matrix", owner=owner, visibility="members", join_policy="invitation"
    )
    for key, space in world.spaces.items():
        add_member(space, world.users["space_member"])
        add_member(space, world.users["space_facilitator"], role="facilitator")
        add_member(space, world.space_applicant, requested=True)
        world.challenges[key] = make_challenge(space, author=world.users["space_member"])
    _invitation, world.invitation_token = invite_by_email(owner, world.spaces["public"], "invitee@example.com")


def _build_ideas(world):
    """An idea, a second one to merge into, and a comment by space_member, in each space's challenge."""
    from cocreate.ideas.services import add_comment

    for key, challenge in world.challenges.items():
        world.ideas[key] = make_idea(challenge, world.users["space_member"], title=f"Matrix idea {key}")
        world.other_ideas[key] = make_idea(challenge, world.users["space_member"], title=f"Other idea {key}")
        world.comments[key] = add_comment(world.users["space_member"], world.ideas[key], "A matrix comment")
def _build_workshops(world):
    from cocreate.workshops.services import report_post

    from .factories import make_post, make_workshop

    for key, space in world.spaces.items():
        owner = space.memberships[0].user
        world.workshops[key] = make_workshop(space, title="Matrix workshop", phase="decide")
        world.posts[key] = make_post(world.workshops[key], world.users["space_member"])
        world.owner_posts[key] = make_post(world.workshops[key], owner)
        world.reports[key] = report_post(world.users["space_member"], world.owner_posts[key], "Matrix report")


def _build_steering(world):
    """A workshop in the converge phase in each space, linked to its challenge (so its ideas take votes there)."""
    from .factories import make_workshop

    world.converging = {
        key: make_workshop(space, title="Converging matrix workshop", phase="converge",
                           challenges=[world.challenges[key]])
        for key, space in world.spaces.items()
    }
def _build_datasets(world):
    """A members-only data set by space_member in each space, and a public one in the public space."""
    from .factories import make_dataset

    for key, space in world.spaces.items():
        world.datasets[key] = make_dataset(space, world.users["space_member"], title=f"Matrix data {key}",
                                           content=f"key,n\n{key},1\n".encode())
    world.open_datasets["public"] = make_dataset(world.spaces["public"], world.users["space_member"],
                                                 title="Open matrix data", visibility="public", content=b"n\n2\n")
def _build_insights(world):
    from .factories import make_coaching

    make_coaching(world.organisation, days=3, person=world.users["org_member"], facilitator=world.users["facilitator"])
def _build_security(world):
    """Targets for the security cases: a hidden post, and content by someone other than space_member."""
    from cocreate.ideas.services import add_comment

    from .factories import make_post

    for key, workshop in world.workshops.items():
        world.hidden_posts[key] = make_post(workshop, world.users["space_member"], body="Hidden matrix text",
                                            hidden_reason="Off topic")
        world.others_challenges[key] = make_challenge(world.spaces[key], author=world.users["space_facilitator"])
        world.others_comments[key] = add_comment(world.users["space_facilitator"], world.ideas[key], "Theirs")


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
    Case("ops.healthz", "GET", lambda w: "/healthz", expect(200)),
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


# --- co-creation spaces: each space route for a public and a members-only space -------------------
MEMBERS = ("space_member", "space_facilitator", "admin")
HIDDEN = 404  # a members-only space does not exist for those outside it


def space_cases(endpoint, method, path, public, private, data=None, name=""):
    """Two cases: ``path(world, space, challenge)`` on the public and on the members-only space."""
    return [
        Case(endpoint, method, lambda w, k=key: path(w, w.spaces[k], w.challenges[k]), expected, data,
             f"{key} {name}".strip())
        for key, expected in (("public", public), ("private", private))
    ]


def private(default=HIDDEN, **overrides):
    """A members-only space: hidden from non-members; log-in first where the route needs it."""
    return expect(default, **overrides)


SPACE_FORM = {"title": "Matrix Space Renamed", "sector": "smart", "visibility": "public", "join_policy": "open"}
CHALLENGE_FORM = lambda w: {"title": "A matrix challenge", "body": "Some text.",  # noqa: E731
                            "theme_ids": [w.challenges["public"].themes[0].id]}
MANAGERS = dict(space_facilitator=303, admin=303)

CASES += [
    Case("spaces.index", "GET", lambda w: "/spaces/", expect(200)),
    Case("spaces.create", "GET", lambda w: "/spaces/new",
         expect(403, anonymous=LOGIN, facilitator=200, lsg=200, admin=200)),
    Case("spaces.create", "POST", lambda w: "/spaces/new",
         expect(403, anonymous=LOGIN, facilitator=303, lsg=303, admin=303),
         lambda w: {**SPACE_FORM, "title": "Brand New Space"}),
    Case("spaces.show", "GET", lambda w: "/spaces/no-such-space", expect(404), name="unknown"),
    *space_cases("spaces.show", "GET", lambda w, s, c: f"/spaces/{s.slug}",
                 expect(200), private(space_member=200, space_facilitator=200, admin=200)),
    *space_cases("spaces.edit", "GET", lambda w, s, c: f"/spaces/{s.slug}/edit",
                 expect(403, anonymous=LOGIN, space_facilitator=200, admin=200),
                 private(anonymous=LOGIN, space_member=403, space_facilitator=200, admin=200)),
    *space_cases("spaces.edit", "POST", lambda w, s, c: f"/spaces/{s.slug}/edit",
                 expect(403, anonymous=LOGIN, **MANAGERS),
                 private(anonymous=LOGIN, space_member=403, **MANAGERS),
                 lambda w: SPACE_FORM),
    *space_cases("spaces.join", "POST", lambda w, s, c: f"/spaces/{s.slug}/join",
                 expect(303, anonymous=LOGIN),
                 private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303)),
    *space_cases("spaces.leave", "POST", lambda w, s, c: f"/spaces/{s.slug}/leave",
                 expect(303, anonymous=LOGIN),
                 private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303)),
    *space_cases("spaces.members", "GET", lambda w, s, c: f"/spaces/{s.slug}/members",
                 expect(200), private(space_member=200, space_facilitator=200, admin=200)),
    *space_cases("spaces.member_action", "POST",
                 lambda w, s, c: f"/spaces/{s.slug}/members/{w.space_applicant.id}/approve",
                 expect(403, anonymous=LOGIN, **MANAGERS),
                 private(anonymous=LOGIN, space_member=403, **MANAGERS), name="approve"),
    *space_cases("spaces.member_action", "POST",
                 lambda w, s, c: f"/spaces/{s.slug}/members/{w.users['space_member'].id}/remove",
                 expect(403, anonymous=LOGIN, **MANAGERS),
                 private(anonymous=LOGIN, space_member=403, **MANAGERS), name="remove"),
    *space_cases("spaces.member_action", "POST",
                 lambda w, s, c: f"/spaces/{s.slug}/members/{w.space_applicant.id}/frobnicate",
                 expect(404, anonymous=LOGIN), private(anonymous=LOGIN), name="unknown action"),
    *space_cases("spaces.invite", "POST", lambda w, s, c: f"/spaces/{s.slug}/invite",
                 expect(403, anonymous=LOGIN, **MANAGERS),
                 private(anonymous=LOGIN, space_member=403, **MANAGERS),
                 lambda w: {"email": "colleague@example.com"}),
    Case("spaces.accept_invitation", "GET", lambda w: f"/spaces/invitations/{w.invitation_token}", expect(303)),
    Case("spaces.accept_invitation", "GET", lambda w: "/spaces/invitations/forged-token", expect(404), name="forged"),
    *space_cases("spaces.new_challenge", "GET", lambda w, s, c: f"/spaces/{s.slug}/challenges/new",
                 expect(403, anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200),
                 private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200)),
    *space_cases("spaces.new_challenge", "POST", lambda w, s, c: f"/spaces/{s.slug}/challenges/new",
                 expect(403, anonymous=LOGIN, space_member=303, **MANAGERS),
                 private(anonymous=LOGIN, space_member=303, **MANAGERS), CHALLENGE_FORM),
    *space_cases("spaces.challenge", "GET", lambda w, s, c: f"/spaces/{s.slug}/challenges/{c.id}",
                 expect(200), private(space_member=200, space_facilitator=200, admin=200)),
    Case("spaces.challenge", "GET", lambda w: "/spaces/open-matrix/challenges/999999", expect(404), name="unknown"),
    Case("spaces.challenge", "GET",
         lambda w: f"/spaces/open-matrix/challenges/{w.challenges['private'].id}", expect(404),
         name="from another space"),
    *space_cases("spaces.edit_challenge", "GET", lambda w, s, c: f"/spaces/{s.slug}/challenges/{c.id}/edit",
                 expect(403, anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200),
                 private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200)),
    *space_cases("spaces.edit_challenge", "POST", lambda w, s, c: f"/spaces/{s.slug}/challenges/{c.id}/edit",
                 expect(403, anonymous=LOGIN, space_member=303, **MANAGERS),
                 private(anonymous=LOGIN, space_member=303, **MANAGERS), CHALLENGE_FORM),
    *space_cases("spaces.challenge_status", "POST", lambda w, s, c: f"/spaces/{s.slug}/challenges/{c.id}/status",
                 expect(403, anonymous=LOGIN, space_member=303, **MANAGERS),
                 private(anonymous=LOGIN, space_member=303, **MANAGERS), lambda w: {"status": "in_workshop"}),
    Case("spaces.barriers", "GET", lambda w: "/barriers/", expect(200)),
    Case("spaces.barrier", "GET", lambda w: "/barriers/too-busy", expect(200)),
    Case("spaces.barrier", "GET", lambda w: "/barriers/no-such-barrier", expect(404), name="unknown"),
]

# --- ideas and voting: each route on the public and on the members-only space's challenge --------
def idea_cases(endpoint, method, suffix, public, private_, data=None, name=""):
    """``suffix(world, key)`` is appended to the challenge URL of the space ``key``."""
    return space_cases(
        endpoint, method, lambda w, s, c: f"/spaces/{s.slug}/challenges/{c.id}" + suffix(w, "public" if s.is_public else "private"),
        public, private_, data, name,
    )


def _idea(suffix=""):
    return lambda w, key: f"/ideas/{w.ideas[key].id}{suffix}"


SPACE_MEMBERS = dict(space_member=303, space_facilitator=303)
IDEA_FORM = lambda w: {"title": "A matrix idea", "body": "Let us do it."}  # noqa: E731
MERGE_FORM = lambda w: {"target_id": str(w.ideas["public"].id)}  # noqa: E731
RULES_FORM = lambda w: {"is_open": "y", "mode": "budget", "budget": "3"}  # noqa: E731

CASES += [
    # Without htmx the list's own URL sends the reader to the challenge page.
    *idea_cases("ideas.board", "GET", lambda w, k: "/ideas", expect(302),
                private(space_member=302, space_facilitator=302, admin=302)),
    *idea_cases("ideas.new", "GET", lambda w, k: "/ideas/new",
                expect(403, anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200),
                private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200)),
    *idea_cases("ideas.new", "POST", lambda w, k: "/ideas/new",
                expect(403, anonymous=LOGIN, admin=303, **SPACE_MEMBERS),
                private(anonymous=LOGIN, admin=303, **SPACE_MEMBERS), IDEA_FORM),
    *idea_cases("ideas.show", "GET", _idea(), expect(200), private(space_member=200, space_facilitator=200, admin=200)),
    Case("ideas.show", "GET", lambda w: f"/spaces/open-matrix/challenges/{w.challenges['public'].id}/ideas/999999",
         expect(404), name="unknown"),
    Case("ideas.show", "GET",
         lambda w: f"/spaces/open-matrix/challenges/{w.challenges['public'].id}/ideas/{w.ideas['private'].id}",
         expect(404), name="from another challenge"),
    *idea_cases("ideas.change_status", "POST", _idea("/status"),
                expect(403, anonymous=LOGIN, **MANAGERS), private(anonymous=LOGIN, space_member=403, **MANAGERS),
                lambda w: {"status": "shortlisted"}),
    *idea_cases("ideas.merge", "POST", lambda w, k: f"/ideas/{w.other_ideas[k].id}/merge",
                expect(403, anonymous=LOGIN, **MANAGERS),
                # the public space's idea is not a target in the members-only space: the form shows an error
                private(anonymous=LOGIN, space_member=403, space_facilitator=422, admin=422), MERGE_FORM),
    # Only members vote: an admin outside the space does not.
    *idea_cases("ideas.vote", "POST", _idea("/vote"), expect(403, anonymous=LOGIN, **SPACE_MEMBERS),
                private(anonymous=LOGIN, admin=403, **SPACE_MEMBERS)),
    *idea_cases("ideas.unvote", "POST", _idea("/unvote"), expect(403, anonymous=LOGIN, **SPACE_MEMBERS),
                private(anonymous=LOGIN, admin=403, **SPACE_MEMBERS)),
    *idea_cases("ideas.voting_rules", "GET", lambda w, k: "/voting",
                expect(403, anonymous=LOGIN, space_facilitator=200, admin=200),
                private(anonymous=LOGIN, space_member=403, space_facilitator=200, admin=200)),
    *idea_cases("ideas.voting_rules", "POST", lambda w, k: "/voting",
                expect(403, anonymous=LOGIN, **MANAGERS), private(anonymous=LOGIN, space_member=403, **MANAGERS),
                RULES_FORM),
    *idea_cases("ideas.results", "GET", lambda w, k: "/results",
                expect(403, anonymous=LOGIN, space_facilitator=200, admin=200),
                private(anonymous=LOGIN, space_member=403, space_facilitator=200, admin=200)),
    *idea_cases("ideas.dismiss_notices", "POST", lambda w, k: "/notices/dismiss", expect(303, anonymous=LOGIN),
                private(anonymous=LOGIN, admin=303, **SPACE_MEMBERS)),
    *idea_cases("ideas.comment", "POST", _idea("/comments"),
                expect(403, anonymous=LOGIN, admin=303, **SPACE_MEMBERS),
                private(anonymous=LOGIN, admin=303, **SPACE_MEMBERS), lambda w: {"body": "Good idea."}),
    *idea_cases("ideas.edit_comment", "GET", lambda w, k: f"/ideas/{w.ideas[k].id}/comments/{w.comments[k].id}/edit",
                expect(403, anonymous=LOGIN, space_member=200),
                private(anonymous=LOGIN, space_member=200, space_facilitator=403, admin=403)),
    *idea_cases("ideas.edit_comment", "POST", lambda w, k: f"/ideas/{w.ideas[k].id}/comments/{w.comments[k].id}/edit",
                expect(403, anonymous=LOGIN, space_member=303),
                private(anonymous=LOGIN, space_member=303, space_facilitator=403, admin=403),
                lambda w: {"body": "Edited."}),
]


# --- workshops: each route for a workshop in the public and in the members-only space ------------
def workshop_cases(endpoint, method, path, public, private, data=None, name=""):
    """Two cases: ``path(world, space, workshop, key)`` on the public and on the members-only space."""
    return [
        Case(endpoint, method, lambda w, k=key: path(w, w.spaces[k], w.workshops[k], k), expected, data,
             f"{key} {name}".strip())
        for key, expected in (("public", public), ("private", private))
    ]


def ws(path):
    return lambda w, s, x, k: f"/spaces/{s.slug}/workshops/{x.id}{path}"


def managers_only(ok, public_default=403):
    """Answered ``ok`` for the space's facilitators and admins, 403 (or 404 when hidden) for others."""
    return (expect(public_default, anonymous=LOGIN, space_facilitator=ok, admin=ok),
            private(anonymous=LOGIN, space_member=403, space_facilitator=ok, admin=ok))


def readers(ok):
    """Anyone who may see the space: everybody for the public one, members and admins for the other."""
    return expect(ok), private(space_member=ok, space_facilitator=ok, admin=ok)


WORKSHOP_FORM = {"title": "Matrix workshop renamed", "starts_at": "2027-03-01T09:00", "ends_at": "2027-03-01T12:00",
                 "capacity": "10"}
REFUSED = 422  # the post form comes back with the reason it was refused

CASES += [
    *workshop_cases("workshops.index", "GET", lambda w, s, x, k: f"/spaces/{s.slug}/workshops/", *readers(200)),
    *workshop_cases("workshops.create", "GET", lambda w, s, x, k: f"/spaces/{s.slug}/workshops/new",
                    *managers_only(200)),
    *workshop_cases("workshops.create", "POST", lambda w, s, x, k: f"/spaces/{s.slug}/workshops/new",
                    *managers_only(303), lambda w: WORKSHOP_FORM),
    *workshop_cases("workshops.show", "GET", ws(""), *readers(200)),
    Case("workshops.show", "GET", lambda w: "/spaces/open-matrix/workshops/999999", expect(404), name="unknown"),
    Case("workshops.show", "GET", lambda w: f"/spaces/open-matrix/workshops/{w.workshops['private'].id}",
         expect(404), name="from another space"),
    *workshop_cases("workshops.edit", "GET", ws("/edit"), *managers_only(200)),
    *workshop_cases("workshops.edit", "POST", ws("/edit"), *managers_only(303), lambda w: WORKSHOP_FORM),
    *workshop_cases("workshops.calendar", "GET", ws(".ics"), *readers(200)),
    *workshop_cases("workshops.change_phase", "POST", ws("/phase"), *managers_only(303),
                    lambda w: {"phase": "closed"}),
    *workshop_cases("workshops.outcome", "GET", ws("/outcome"), *managers_only(200)),
    *workshop_cases("workshops.outcome", "POST", ws("/outcome"), *managers_only(303),
                    lambda w: {"outcome": "We agreed on a pilot."}),
    *workshop_cases("workshops.register", "POST", ws("/register"),
                    expect(403, anonymous=LOGIN, space_member=303, space_facilitator=303),
                    private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=403)),
    *workshop_cases("workshops.cancel", "POST", ws("/cancel"), expect(303, anonymous=LOGIN),
                    private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303)),
    # Without htmx a poll that finds posts leads back to the thread.
    *workshop_cases("workshops.poll", "GET", ws("/posts?after=0"), *readers(303)),
    *workshop_cases("workshops.create_post", "POST", ws("/posts"),
                    expect(REFUSED, anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303),
                    private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303),
                    lambda w: {"body": "A matrix post"}),
    *workshop_cases("workshops.edit_post", "GET", lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/edit",
                    expect(403, anonymous=LOGIN, space_member=200), private(anonymous=LOGIN, space_member=200,
                                                                            space_facilitator=403, admin=403)),
    *workshop_cases("workshops.edit_post", "POST", lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/edit",
                    expect(403, anonymous=LOGIN, space_member=303), private(anonymous=LOGIN, space_member=303,
                                                                            space_facilitator=403, admin=403),
                    lambda w: {"body": "Edited in the matrix"}),
    *workshop_cases("workshops.report_post", "GET",
                    lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.owner_posts[k].id}/report",
                    expect(403, anonymous=LOGIN, space_member=200, space_facilitator=200),
                    private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=403)),
    *workshop_cases("workshops.report_post", "POST",
                    lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.owner_posts[k].id}/report",
                    expect(403, anonymous=LOGIN, space_member=303, space_facilitator=303),
                    private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=403),
                    lambda w: {"reason": "Off topic"}),
    *workshop_cases("workshops.hide_post", "GET", lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/hide",
                    *managers_only(200)),
    *workshop_cases("workshops.hide_post", "POST", lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/hide",
                    *managers_only(303), lambda w: {"reason": "Off topic"}),
    *workshop_cases("workshops.restore_post", "POST",
                    lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/restore", *managers_only(303)),
    *workshop_cases("workshops.pin_post", "POST", lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.posts[k].id}/pin",
                    *managers_only(303), lambda w: {"pinned": "1"}),
    *workshop_cases("workshops.lock_thread", "POST", ws("/lock"), *managers_only(303), lambda w: {"locked": "1"}),
    *workshop_cases("workshops.moderation", "GET", lambda w, s, x, k: f"/spaces/{s.slug}/moderation",
                    *managers_only(200)),
    *workshop_cases("workshops.resolve_report", "POST",
                    lambda w, s, x, k: f"/spaces/{s.slug}/moderation/reports/{w.reports[k].id}/dismissed",
                    *managers_only(303)),
    *workshop_cases("workshops.resolve_report", "POST",
                    lambda w, s, x, k: f"/spaces/{s.slug}/moderation/reports/{w.reports[k].id}/frobnicated",
                    *managers_only(404), name="unknown resolution"),
    *workshop_cases("workshops.mute_member", "GET",
                    lambda w, s, x, k: f"/spaces/{s.slug}/moderation/mutes/{w.users['space_member'].id}",
                    *managers_only(200)),
    *workshop_cases("workshops.mute_member", "POST",
                    lambda w, s, x, k: f"/spaces/{s.slug}/moderation/mutes/{w.users['space_member'].id}",
                    *managers_only(303), lambda w: {"hours": "24", "reason": "Too loud"}),
    *workshop_cases("workshops.unmute_member", "POST",
                    lambda w, s, x, k: f"/spaces/{s.slug}/moderation/mutes/{w.users['space_member'].id}/lift",
                    *managers_only(303)),
    *workshop_cases("workshops.audit_log", "GET", lambda w, s, x, k: f"/spaces/{s.slug}/audit", *managers_only(200)),
]

# --- steering: voting on the linked challenges' ideas from a converging workshop -----------------
def converging_vote(action):
    return lambda w, s, x, k: f"/spaces/{s.slug}/workshops/{w.converging[k].id}/ideas/{w.ideas[k].id}/{action}"


# Only members vote (admins who are not members do not); a refused vote comes back to the page with the reason.
VOTERS = (expect(403, anonymous=LOGIN, space_member=303, space_facilitator=303),
          private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=403))

CASES += [
    *workshop_cases("workshops.vote", "POST", converging_vote("vote"), *VOTERS),
    *workshop_cases("workshops.unvote", "POST", converging_vote("unvote"), *VOTERS),
    Case("workshops.vote", "POST", lambda w: f"/spaces/open-matrix/workshops/{w.converging['public'].id}/ideas/"
         f"{w.ideas['private'].id}/vote", expect(404, anonymous=LOGIN, participant=404), name="idea of another space"),
]


# --- notifications and follows -----------------------------------------------------------------
def _build_notifications(world):
    from cocreate.extensions import db
    from cocreate.notifications.delivery import unsubscribe_token
    from cocreate.notifications.models import Notification

    member = world.users["space_member"]
    world.notification = Notification(user_id=member.id, kind="new_challenge", space_id=world.spaces["public"].id,
                                      params={"space": "Open Matrix Space", "title": "A challenge"}, url="/spaces/")
    db.session.add(world.notification)
    db.session.commit()
    world.unsubscribe_token = unsubscribe_token(member)


def follow_cases(method, suffix, public, private_expected, name=""):
    return [
        Case(f"notifications.{'follow_state' if method == 'GET' else ('unfollow' if suffix else 'follow')}", method,
             lambda w, k=key: f"/follow/space/{w.spaces[k].id}{suffix}", expected, None, f"{key} {name}".strip())
        for key, expected in (("public", public), ("private", private_expected))
    ]


def _own_notification(ok):
    return expect(404, anonymous=LOGIN, space_member=ok)


CASES += [
    Case("notifications.index", "GET", lambda w: "/notifications/", expect(200, anonymous=LOGIN)),
    Case("notifications.badge", "GET", lambda w: "/notifications/badge", expect(200, anonymous=204)),
    Case("notifications.open", "GET", lambda w: f"/notifications/{w.notification.id}", _own_notification(303)),
    Case("notifications.open", "GET", lambda w: "/notifications/999999", expect(404, anonymous=LOGIN), name="unknown"),
    Case("notifications.read", "POST", lambda w: f"/notifications/{w.notification.id}/read", _own_notification(303)),
    Case("notifications.read_all", "POST", lambda w: "/notifications/read-all", expect(303, anonymous=LOGIN)),
    Case("notifications.settings", "GET", lambda w: "/notifications/settings", expect(200, anonymous=LOGIN)),
    Case("notifications.settings", "POST", lambda w: "/notifications/settings", expect(303, anonymous=LOGIN),
         lambda w: {"email_mode": "daily"}),
    Case("notifications.unsubscribe", "GET", lambda w: f"/unsubscribe/{w.unsubscribe_token}", expect(200)),
    Case("notifications.unsubscribe", "POST", lambda w: f"/unsubscribe/{w.unsubscribe_token}", expect(200)),
    Case("notifications.unsubscribe", "POST", lambda w: f"/unsubscribe/{w.unsubscribe_token}x", expect(404),
         name="forged"),
    *follow_cases("GET", "", expect(200, anonymous=LOGIN),
                  private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200)),
    *follow_cases("POST", "", expect(303, anonymous=LOGIN),
                  private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303)),
    *follow_cases("POST", "/remove", expect(303, anonymous=LOGIN),
                  private(anonymous=LOGIN, space_member=303, space_facilitator=303, admin=303)),
    Case("notifications.follow", "POST", lambda w: f"/follow/nonsense/{w.spaces['public'].id}",
         expect(404, anonymous=LOGIN), name="unknown kind"),
    Case("notifications.mention_suggestions", "GET", lambda w: "/spaces/open-matrix/mention-suggestions?body=@S",
         expect(200, anonymous=LOGIN)),
    Case("notifications.mention_suggestions", "GET", lambda w: "/spaces/closed-matrix/mention-suggestions?body=@S",
         private(anonymous=LOGIN, space_member=200, space_facilitator=200, admin=200), name="members only"),
]



# --- data sets: a members-only data set in each space, and a public one in the public space ------
def dataset_cases(endpoint, method, path, public, private, data=None, name=""):
    """Two cases: ``path(world, space, dataset)`` for the members-only data set of each space."""
    return [
        Case(endpoint, method, lambda w, k=key: path(w, w.spaces[k], w.datasets[k]), expected, data,
             f"{key} {name}".strip())
        for key, expected in (("public", public), ("private", private))
    ]


def ds(path):
    return lambda w, s, d: f"/spaces/{s.slug}/datasets/{d.id}{path}"


def dataset_editors(ok):
    """The uploader (space_member), the space's facilitators and admins; a members-only data set is a 404 for
    everyone outside the space, and anonymous visitors are sent to log in first."""
    editors = private(anonymous=LOGIN, space_member=ok, space_facilitator=ok, admin=ok)
    return editors, editors


DATASET_FORM = {"title": "Matrix data renamed", "licence": "cc0", "visibility": "members"}
MEMBER_READERS = private(space_member=200, space_facilitator=200, admin=200)

CASES += [
    *dataset_cases("datasets.index", "GET", lambda w, s, d: f"/spaces/{s.slug}/datasets/", *readers(200)),
    *dataset_cases("datasets.create", "GET", lambda w, s, d: f"/spaces/{s.slug}/datasets/new",
                   expect(403, anonymous=LOGIN, admin=200, space_member=200, space_facilitator=200),
                   private(anonymous=LOGIN, admin=200, space_member=200, space_facilitator=200)),
    # A post without a file comes back with the form: the file is required.
    *dataset_cases("datasets.create", "POST", lambda w, s, d: f"/spaces/{s.slug}/datasets/new",
                   expect(403, anonymous=LOGIN, admin=422, space_member=422, space_facilitator=422),
                   private(anonymous=LOGIN, admin=422, space_member=422, space_facilitator=422),
                   lambda w: DATASET_FORM),
    # Members-only data sets: a 404 for everyone outside the space, whatever the space's visibility.
    *dataset_cases("datasets.show", "GET", ds(""), MEMBER_READERS, MEMBER_READERS),
    Case("datasets.show", "GET", lambda w: f"/spaces/open-matrix/datasets/{w.open_datasets['public'].id}",
         expect(200), name="public data set"),
    Case("datasets.show", "GET", lambda w: "/spaces/open-matrix/datasets/999999", expect(404), name="unknown"),
    Case("datasets.show", "GET", lambda w: f"/spaces/open-matrix/datasets/{w.datasets['private'].id}",
         expect(404), name="from another space"),
    *dataset_cases("datasets.download", "GET", ds("/versions/1/download"), MEMBER_READERS, MEMBER_READERS),
    Case("datasets.download", "GET",
         lambda w: f"/spaces/open-matrix/datasets/{w.open_datasets['public'].id}/versions/1/download",
         expect(200), name="public data set"),
    Case("datasets.download", "GET",
         lambda w: f"/spaces/open-matrix/datasets/{w.datasets['public'].id}/versions/2/download",
         expect(404), name="unknown version"),
    *dataset_cases("datasets.edit", "GET", ds("/edit"), *dataset_editors(200)),
    *dataset_cases("datasets.edit", "POST", ds("/edit"), *dataset_editors(303), lambda w: DATASET_FORM),
    *dataset_cases("datasets.new_version", "GET", ds("/versions/new"), *dataset_editors(200)),
    # A post without a file comes back with the form.
    *dataset_cases("datasets.new_version", "POST", ds("/versions/new"), *dataset_editors(422)),
    *dataset_cases("datasets.delete", "GET", ds("/delete"), *dataset_editors(200)),
    *dataset_cases("datasets.delete", "POST", ds("/delete"), *dataset_editors(303)),
]


# --- insights: the programme pages (facilitators, LSG, admins), coaching (facilitators), open data -------
PROGRAMME = expect(403, anonymous=LOGIN, facilitator=200, lsg=200, admin=200)
MEMBERS_ONLY_EXPORT = expect(404, space_member=200, space_facilitator=200, admin=200)
CASES += [
    Case("insights.dashboard", "GET", lambda w: "/programme/?sector=smart&size_band=10-49", PROGRAMME),
    Case("insights.gaps", "GET", lambda w: "/programme/competence-gaps", PROGRAMME),
    Case("insights.gaps_csv", "GET", lambda w: "/programme/competence-gaps.csv", PROGRAMME),
    Case("insights.coaching", "GET", lambda w: "/programme/coaching",
         expect(403, anonymous=LOGIN, facilitator=200, admin=200)),
    Case("insights.coaching", "POST", lambda w: "/programme/coaching",
         expect(403, anonymous=LOGIN, facilitator=303, admin=303),
         lambda w: {"organisation_id": w.organisation.id, "person_id": "", "held_on": "2026-01-15", "note": "Matrix"}),
    Case("insights.open_data", "GET", lambda w: "/open-data/", expect(200)),
    Case("insights.export", "GET", lambda w: "/open-data/ideas.csv", expect(200)),
    Case("insights.export", "GET", lambda w: "/open-data/spaces/open-matrix/challenges.json", expect(200),
         name="public space"),
    Case("insights.export", "GET", lambda w: "/open-data/spaces/closed-matrix/posts.csv", MEMBERS_ONLY_EXPORT,
         name="members-only space"),
    Case("insights.export", "GET", lambda w: "/open-data/people.csv", expect(404), name="unknown dataset"),
    Case("insights.export_all", "GET", lambda w: "/open-data/all.json", expect(200)),
    Case("insights.export_all", "GET", lambda w: "/open-data/spaces/closed-matrix/all.json", MEMBERS_ONLY_EXPORT,
         name="members-only space"),
]


# --- working areas: proposals by LSG members, decided by facilitators and admins --------------------
def _build_areas(world):
    """A proposal under discussion by an LSG member other than the ``lsg`` visitor (kept on the world)."""
    from .factories import make_proposal

    proposer = make_user(name="LSG Proposer", roles=["lsg"])
    world.proposal = make_proposal(proposer, title="Matrix working area")


def area(suffix=""):
    return lambda w: f"/working-areas/{w.proposal.id}{suffix}"


PROPOSAL_FORM = lambda w: {"title": "A matrix working area", "description": "Some text.",  # noqa: E731
                           "rationale": "Because.", "barrier_ids": [w.challenges["public"].themes[0].id]}
DECIDERS = dict(facilitator=303, admin=303)

CASES += [
    Case("areas.index", "GET", lambda w: "/working-areas/", expect(200)),
    Case("areas.index", "GET", lambda w: "/working-areas/?status=declined", expect(200), name="declined"),
    Case("areas.new", "GET", lambda w: "/working-areas/new", expect(403, anonymous=LOGIN, lsg=200)),
    Case("areas.new", "POST", lambda w: "/working-areas/new", expect(403, anonymous=LOGIN, lsg=303), PROPOSAL_FORM),
    Case("areas.show", "GET", area(), expect(200)),
    Case("areas.show", "GET", lambda w: "/working-areas/999999", expect(404), name="unknown"),
    Case("areas.endorse", "POST", area("/endorse"), expect(403, anonymous=LOGIN, lsg=303)),
    Case("areas.endorse", "POST", lambda w: "/working-areas/999999/endorse", expect(404, anonymous=LOGIN),
         name="unknown"),
    # Withdrawing an endorsement one never gave is refused with a message, like any other slip.
    Case("areas.unendorse", "POST", area("/unendorse"), expect(303, anonymous=LOGIN)),
    Case("areas.comment", "POST", area("/comments"), expect(403, anonymous=LOGIN, lsg=303, **DECIDERS),
         lambda w: {"body": "A matrix comment"}),
    Case("areas.accept", "POST", area("/accept"), expect(403, anonymous=LOGIN, **DECIDERS), lambda w: {}),
    Case("areas.decline", "POST", area("/decline"), expect(403, anonymous=LOGIN, **DECIDERS),
         lambda w: {"reason": "Not now"}),
]


# --- search: open to everyone; what each visitor finds is tested in tests/search ------------------
CASES += [
    Case("search.index", "GET", lambda w: "/search", expect(200)),
    Case("search.index", "GET", lambda w: "/search?q=challenge&kind=challenge&space=closed-matrix&barrier=too-busy",
         expect(200), name="filtered"),
    Case("search.index", "GET", lambda w: '/search?q=%22%20%26%20!%20:*&kind=nonsense&space=nowhere&page=x',
         expect(200), name="nonsense"),
]


# --- security: a person's own data; own and others' content; a hidden post --------------------------
def _hidden(path=""):
    return lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.hidden_posts[k].id}{path}"


NOBODY = dict(anonymous=LOGIN)  # refused to every signed-in visitor; members-only space hidden from outsiders

CASES += [
    Case("privacy.download_data", "GET", lambda w: "/profile/data", expect(200, anonymous=LOGIN)),
    Case("privacy.delete_account", "GET", lambda w: "/profile/delete", expect(200, anonymous=LOGIN)),
    Case("privacy.delete_account", "POST", lambda w: "/profile/delete", expect(303, anonymous=LOGIN),
         lambda w: {"password": "a long enough test password", "confirm": "y"}),
    Case("privacy.delete_account", "POST", lambda w: "/profile/delete", expect(422, anonymous=LOGIN),
         lambda w: {"password": "somebody else's password", "confirm": "y"}, name="wrong password"),
    # A hidden post can't be edited, not even by its author, nor reported; moderators may restore it.
    *workshop_cases("workshops.edit_post", "GET", _hidden("/edit"), expect(403, **NOBODY),
                    private(anonymous=LOGIN, space_member=403, space_facilitator=403, admin=403), name="hidden"),
    *workshop_cases("workshops.edit_post", "POST", _hidden("/edit"), expect(403, **NOBODY),
                    private(anonymous=LOGIN, space_member=403, space_facilitator=403, admin=403),
                    lambda w: {"body": "Sneaky edit"}, name="hidden"),
    *workshop_cases("workshops.report_post", "GET", _hidden("/report"), expect(403, **NOBODY),
                    private(anonymous=LOGIN, space_member=403, space_facilitator=403, admin=403), name="hidden"),
    *workshop_cases("workshops.restore_post", "POST", _hidden("/restore"), *managers_only(303), name="hidden"),
    # Quoting a hidden post: the thread still answers, with an empty form (test_hidden_posts checks the text).
    *workshop_cases("workshops.show", "GET",
                    lambda w, s, x, k: f"{ws('')(w, s, x, k)}?reply_to={w.hidden_posts[k].id}&quote=1",
                    *readers(200), name="quote hidden"),
    # Someone else's post, challenge or comment: only its author edits a post or comment; managers edit challenges.
    *workshop_cases("workshops.edit_post", "GET",
                    lambda w, s, x, k: f"{ws('')(w, s, x, k)}/posts/{w.owner_posts[k].id}/edit",
                    expect(403, **NOBODY), private(anonymous=LOGIN, space_member=403, space_facilitator=403,
                                                   admin=403), name="others"),
    *space_cases("spaces.edit_challenge", "GET",
                 lambda w, s, c: f"/spaces/{s.slug}/challenges/{w.others_challenges['public' if s.is_public else 'private'].id}/edit",
                 expect(403, anonymous=LOGIN, space_facilitator=200, admin=200),
                 private(anonymous=LOGIN, space_member=403, space_facilitator=200, admin=200), name="others"),
    *idea_cases("ideas.edit_comment", "GET",
                lambda w, k: f"/ideas/{w.ideas[k].id}/comments/{w.others_comments[k].id}/edit",
                expect(403, anonymous=LOGIN, space_facilitator=200),
                private(anonymous=LOGIN, space_member=403, space_facilitator=200, admin=403), name="others"),
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


def _sign_in(client, user):
    """Log in by setting the session, as Flask-Login would: the log-in form has tests of its own."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


# GETs that change something: an invitation link joins its space, opening a notification marks it read.
CHANGES_ON_GET = {"spaces.accept_invitation", "notifications.open"}
READ_CASES = [case for case in CASES if case.method in ("GET", "HEAD") and case.endpoint not in CHANGES_ON_GET]
WRITE_CASES = [case for case in CASES if case not in READ_CASES]


def _visit(app, case, world, visitor):
    client = app.test_client()
    if visitor != "anonymous":
        _sign_in(client, world.users[visitor])
    url = case.url(world)
    data = (case.data(world) if case.data else {}) if case.method not in ("GET", "HEAD") else None
    response = client.open(url, method=case.method, data=data)
    response.close()  # file downloads hold their file open until closed
    return response.status_code


@pytest.fixture(scope="module")
def read_world(database_url):
    """One world for every read: reads change nothing, and building the world is the slow part."""
    from flask import g

    from cocreate import create_app
    from cocreate.extensions import db

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    @app.before_request
    def _forget_last_user():
        g.pop("_login_user", None)

    with app.app_context():
        reset_database()
        world = build_world()
        yield app, world
        db.session.remove()
        reset_database()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("case", READ_CASES, ids=_case_id)
def test_read_route_answers_each_visitor_as_expected(read_world, case):
    from cocreate.extensions import db

    app, world = read_world
    mismatches = [f"{visitor}: {status}, expected {case.expected[visitor]}"
                  for visitor in VISITORS if (status := _visit(app, case, world, visitor)) != case.expected[visitor]]
    db.session.rollback()  # no read transaction left open to block the next test's writes
    assert not mismatches, f"{case.method} {case.url(world)}\n" + "\n".join(mismatches)


@pytest.mark.parametrize("case", WRITE_CASES, ids=_case_id)
def test_route_answers_each_visitor_as_expected(app, case):
    """After a request that may have changed state the next visitor gets a fresh world. A refused
    request (sent to log in, 4xx) changed nothing, so the world is kept: rebuilding it for each of
    nine visitors made the matrix the slowest part of the suite."""
    mismatches = []
    world = None
    dirty = True
    for visitor in VISITORS:
        if dirty:
            reset_database()
            world = build_world()
        status = _visit(app, case, world, visitor)
        if status != case.expected[visitor]:
            mismatches.append(f"{visitor}: {status}, expected {case.expected[visitor]}")
        dirty = not (status >= 400 or (visitor == "anonymous" and status == LOGIN))
    assert not mismatches, f"{case.method} {case.url(world)}\n" + "\n".join(mismatches)
