"""Exact results under at least 50 concurrent requests on PostgreSQL.

Each call runs in its own thread, app context, session and connection, released together
by a barrier. Votes and budgets are in tests/ideas/test_concurrency.py and workshop
capacity in tests/workshops/test_registration.py; these add the waitlist under churn,
join requests (space and organisation) and idea merges.
"""
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from cocreate.accounts.models import User
from cocreate.audit.models import AuditEntry
from cocreate.errors import DomainError
from cocreate.extensions import db

from ..factories import add_member, make_challenge, make_idea, make_organisation, make_space, make_user, make_workshop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                       reason="row locks and real concurrency need PostgreSQL; SQLite serialises every write"),
]
REQUESTS = 50


@pytest.fixture
def pool_app(make_app):
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": REQUESTS + 5, "max_overflow": 0, "pool_timeout": 60})


def fire(app, calls):
    """Run each ``call(session_get)`` at once in its own app context; return a Counter of outcomes."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        with app.app_context():
            try:
                barrier.wait()
                call()
                return "ok"
            except DomainError as error:
                return type(error).__name__
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return Counter(pool.map(run, calls))


def _get(model, ident):
    return db.session.get(model, ident)


def _people(n, **kwargs):
    users = [make_user(commit=False, **kwargs) for _ in range(n)]
    db.session.commit()
    return [user.id for user in users]


# --- workshops: the waitlist under churn ----------------------------------------------------------

def test_waitlist_stays_exact_while_fifty_people_cancel_and_register_at_once(pool_app):
    from cocreate.workshops import services
    from cocreate.workshops.models import Registration, Workshop

    with pool_app.app_context():
        space = make_space()
        workshop = make_workshop(space, capacity=10)
        first, newcomers = _people(30), _people(REQUESTS // 2)
        for uid in first + newcomers:
            add_member(space, _get(User, uid), commit=False)
        db.session.commit()
        for uid in first:
            services.register(_get(User, uid), workshop)
        workshop_id = workshop.id

    def cancel(uid):
        return lambda: services.cancel_registration(_get(User, uid), _get(Workshop, workshop_id))

    def register(uid):
        return lambda: services.register(_get(User, uid), _get(Workshop, workshop_id))

    leaving = first[5:30]  # five keep their places; twenty-five leave, registered and waitlisted alike
    outcomes = fire(pool_app, [cancel(uid) for uid in leaving] + [register(uid) for uid in newcomers])
    assert outcomes == {"ok": REQUESTS}
    with pool_app.app_context():
        rows = db.session.scalars(db.select(Registration).where(Registration.workshop_id == workshop_id)
                                  .order_by(Registration.id)).all()
        assert len(rows) == 30 and {r.user_id for r in rows} == set(first[:5]) | set(newcomers)
        statuses = Counter(r.status for r in rows)
        assert statuses == {"registered": 10, "waitlisted": 20}
        # first come, first served: nobody waits ahead of someone who registered later
        registered = [r.id for r in rows if r.status == "registered"]
        waiting = [r.id for r in rows if r.status == "waitlisted"]
        assert max(registered) < min(waiting)


# --- join requests ----------------------------------------------------------------------------------

def test_fifty_people_ask_to_join_a_space_at_once_and_are_approved_at_once(pool_app):
    from cocreate.spaces import services
    from cocreate.spaces.models import Space, SpaceMembership

    with pool_app.app_context():
        owner = make_user()
        space = make_space(owner=owner, join_policy="request")
        applicants, space_id, owner_id = _people(REQUESTS), space.id, owner.id

    asked = fire(pool_app, [lambda uid=uid: services.join_space(_get(User, uid), _get(Space, space_id))
                            for uid in applicants])
    assert asked == {"ok": REQUESTS}
    approved = fire(pool_app, [lambda uid=uid: services.approve_request(_get(User, owner_id), _get(Space, space_id), uid)
                               for uid in applicants])
    assert approved == {"ok": REQUESTS}
    with pool_app.app_context():
        statuses = Counter(db.session.scalars(db.select(SpaceMembership.status)
                                              .where(SpaceMembership.space_id == space_id)))
        assert statuses == {"active": REQUESTS + 1}


def test_one_person_asking_fifty_times_at_once_gets_one_request(pool_app):
    from cocreate.spaces import services
    from cocreate.spaces.models import Space, SpaceMembership

    with pool_app.app_context():
        space = make_space(owner=make_user(), join_policy="request")
        person = make_user()
        space_id, person_id = space.id, person.id
    outcomes = fire(pool_app, [lambda: services.join_space(_get(User, person_id), _get(Space, space_id))] * REQUESTS)
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == REQUESTS
    with pool_app.app_context():
        count = db.session.scalar(db.select(db.func.count()).select_from(SpaceMembership)
                                  .where(SpaceMembership.user_id == person_id))
        assert count == 1


def test_one_request_approved_fifty_times_at_once_is_approved_once(pool_app):
    from cocreate.spaces import services
    from cocreate.spaces.models import Space

    with pool_app.app_context():
        owner = make_user()
        space = make_space(owner=owner, join_policy="request")
        person = make_user()
        add_member(space, person, requested=True)
        space_id, person_id, owner_id = space.id, person.id, owner.id
    outcomes = fire(pool_app, [lambda: services.approve_request(_get(User, owner_id), _get(Space, space_id), person_id)]
                    * REQUESTS)
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == REQUESTS
    with pool_app.app_context():
        approvals = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                                      .where(AuditEntry.action == "space.approve"))
        assert approvals <= 1  # an audit entry, if this space logs approvals, only once


def test_fifty_people_ask_to_join_an_organisation_and_one_person_asks_fifty_times(pool_app):
    from cocreate.orgs import services
    from cocreate.orgs.models import Organisation, OrganisationMembership

    with pool_app.app_context():
        organisation = make_organisation()
        admin = make_user(organisation=organisation, org_admin=True)
        applicants, org_id, admin_id = _people(REQUESTS), organisation.id, admin.id
        eager = make_user().id
    asked = fire(pool_app, [lambda uid=uid: services.request_to_join(_get(User, uid), _get(Organisation, org_id))
                            for uid in applicants])
    assert asked == {"ok": REQUESTS}
    repeated = fire(pool_app, [lambda: services.request_to_join(_get(User, eager), _get(Organisation, org_id))]
                    * REQUESTS)
    assert repeated["ok"] == 1 and sum(repeated.values()) == REQUESTS
    approved = fire(pool_app, [lambda uid=uid: services.approve_request(_get(User, admin_id),
                                                                        _get(Organisation, org_id), uid)
                               for uid in applicants])
    assert approved == {"ok": REQUESTS}
    twice = fire(pool_app, [lambda: services.approve_request(_get(User, admin_id), _get(Organisation, org_id), eager)]
                 * REQUESTS)
    assert twice["ok"] == 1
    with pool_app.app_context():
        statuses = Counter(db.session.scalars(db.select(OrganisationMembership.status)
                                              .where(OrganisationMembership.organisation_id == org_id)))
        assert statuses == {"active": REQUESTS + 2}
        approvals = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                                      .where(AuditEntry.action == "organisation.approve"))
        assert approvals == REQUESTS + 1


# --- idea merges ------------------------------------------------------------------------------------

def test_fifty_merges_at_once_keep_every_vote_exactly_once(pool_app):
    from cocreate.ideas import queries, services
    from cocreate.ideas.models import Idea, IdeaVote
    from cocreate.spaces.models import Challenge

    with pool_app.app_context():
        facilitator = make_user(roles=["admin"])
        space = make_space(owner=facilitator)
        challenge = make_challenge(space, author=facilitator)
        voters = _people(10)
        for uid in voters:
            add_member(space, _get(User, uid), commit=False)
        db.session.commit()
        target = make_idea(challenge, facilitator, title="Target")
        duplicates = [make_idea(challenge, facilitator, title=f"Duplicate {n}") for n in range(REQUESTS // 2)]
        for n, duplicate in enumerate(duplicates):  # each duplicate has voters; some also voted for the target
            for uid in voters[n % 10: n % 10 + 3]:
                services.vote_idea(_get(User, uid), challenge, duplicate.id)
        for uid in voters[:5]:
            services.vote_idea(_get(User, uid), challenge, target.id)
        voters_of = {d.id: set(db.session.scalars(db.select(IdeaVote.voter_id).where(IdeaVote.idea_id == d.id)))
                     for d in duplicates + [target]}
        ids, target_id, actor_id, challenge_id = [d.id for d in duplicates], target.id, facilitator.id, challenge.id

    def merge(duplicate_id):
        def call():
            challenge = _get(Challenge, challenge_id)
            services.merge_ideas(_get(User, actor_id), _get(Idea, duplicate_id), _get(Idea, target_id))
            del challenge
        return call

    # every duplicate merged twice at once: once succeeds, the second finds it merged already
    outcomes = fire(pool_app, [merge(i) for i in ids] * 2)
    assert outcomes["ok"] == REQUESTS // 2 and sum(outcomes.values()) == REQUESTS
    with pool_app.app_context():
        assert queries.count_drift() == []
        target_voters = set(db.session.scalars(db.select(IdeaVote.voter_id).where(IdeaVote.idea_id == target_id)))
        assert target_voters == set().union(*voters_of.values())  # nobody lost, nobody counted twice
        assert db.session.get(Idea, target_id).vote_count == len(target_voters)
        merged = db.session.scalars(db.select(Idea).where(Idea.id.in_(ids))).all()
        assert all(idea.status == "merged" and idea.merged_into_id == target_id for idea in merged)
