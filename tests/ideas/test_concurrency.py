"""The voting rules hold under concurrent requests on PostgreSQL.

Each vote runs in its own thread, app context, session and database connection, all
released at once by a barrier, so they really contend for the same rows. On SQLite the
writes are serialised anyway; these tests run in the PostgreSQL pass of ``make test``.
"""
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from cocreate.accounts.models import User
from cocreate.errors import DomainError
from cocreate.extensions import db
from cocreate.ideas import queries, services
from cocreate.ideas.models import Ballot, Idea, IdeaVote
from cocreate.spaces.models import Challenge

from ..factories import add_member, make_idea, make_user, set_rules

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"), reason="needs PostgreSQL"
    ),
]

REQUESTS = 50


@pytest.fixture
def pool_app(make_app):
    """An app whose pool opens a connection per request, so no vote waits for a free connection."""
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": REQUESTS, "max_overflow": 0, "pool_timeout": 30})


def fire(app, calls):
    """Run ``calls`` [(service, user_id, challenge_id, idea_id)] at once; return the outcomes and seconds."""
    barrier = threading.Barrier(len(calls))
    moments = []

    def run(call):
        service, user_id, challenge_id, idea_id = call
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                challenge = db.session.get(Challenge, challenge_id)
                barrier.wait()
                started = time.perf_counter()
                try:
                    service(user, challenge, idea_id)
                finally:
                    moments.append((started, time.perf_counter()))
                return "ok"
            except DomainError as error:
                return type(error).__name__
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        outcomes = Counter(pool.map(run, calls))
    elapsed = max(end for _start, end in moments) - min(start for start, _end in moments)
    slowest = max(end - start for start, end in moments)
    print(f"\n{len(calls)} concurrent requests in {elapsed * 1000:.0f} ms (slowest {slowest * 1000:.0f} ms): "
          f"{dict(outcomes)}")
    return outcomes


def _setup_members(world, n):
    members = []
    for i in range(n):
        user = make_user(name=f"Voter {i}", commit=False)
        add_member(world.space, user, commit=False)
        members.append(user)
    db.session.commit()
    return [user.id for user in members]


def _stored_and_counted(idea_id):
    db.session.expire_all()
    stored = db.session.get(Idea, idea_id).vote_count
    counted = db.session.scalar(db.select(db.func.count()).select_from(IdeaVote).where(IdeaVote.idea_id == idea_id))
    return stored, counted


def test_fifty_members_vote_on_one_idea_at_once(pool_app, world):
    idea = make_idea(world.challenge, world.member)
    voters = _setup_members(world, REQUESTS)
    outcomes = fire(pool_app, [(services.vote_idea, uid, world.challenge.id, idea.id) for uid in voters])
    assert outcomes == {"ok": REQUESTS}
    assert _stored_and_counted(idea.id) == (REQUESTS, REQUESTS)
    assert queries.count_drift() == []


def test_fifty_votes_of_one_member_never_exceed_the_budget(pool_app, world):
    set_rules(world.challenge, mode="budget", budget=3)
    ideas = [make_idea(world.challenge, world.member) for _ in range(10)]
    calls = [(services.vote_idea, world.colleague.id, world.challenge.id, ideas[i % 10].id) for i in range(REQUESTS)]
    outcomes = fire(pool_app, calls)
    assert outcomes["ok"] == 3
    assert outcomes["DomainError"] + outcomes["Conflict"] == REQUESTS - 3
    db.session.expire_all()
    assert db.session.get(Ballot, (world.challenge.id, world.colleague.id)).votes_used == 3
    votes = db.session.scalars(db.select(IdeaVote).where(IdeaVote.voter_id == world.colleague.id)).all()
    assert len(votes) == 3 and len({vote.idea_id for vote in votes}) == 3
    assert queries.count_drift() == []


def test_fifty_votes_of_one_member_on_one_idea_count_once(pool_app, world):
    idea = make_idea(world.challenge, world.member)
    outcomes = fire(pool_app, [(services.vote_idea, world.colleague.id, world.challenge.id, idea.id)] * REQUESTS)
    assert outcomes == {"ok": 1, "Conflict": REQUESTS - 1}
    assert _stored_and_counted(idea.id) == (1, 1)


def test_votes_and_take_backs_interleaved_keep_exact_counts(pool_app, world):
    set_rules(world.challenge, mode="budget", budget=2)
    ideas = [make_idea(world.challenge, world.member) for _ in range(3)]
    voters = _setup_members(world, REQUESTS // 2)
    for uid in voters:  # each voter starts with a vote on the first idea
        services.vote_idea(db.session.get(User, uid), world.challenge, ideas[0].id)
    calls = []
    for uid in voters:  # then takes it back while voting for the other two, all at once
        calls += [(services.unvote_idea, uid, world.challenge.id, ideas[0].id),
                  (services.vote_idea, uid, world.challenge.id, ideas[1].id),
                  (services.vote_idea, uid, world.challenge.id, ideas[2].id)]
    fire(pool_app, calls[:REQUESTS])
    db.session.expire_all()
    for idea in ideas:
        stored, counted = _stored_and_counted(idea.id)
        assert stored == counted
    for ballot in db.session.scalars(db.select(Ballot).where(Ballot.challenge_id == world.challenge.id)):
        assert ballot.votes_used <= 2
    assert queries.count_drift() == []


def test_votes_racing_a_decline_never_land_on_the_declined_idea(pool_app, world):
    """The vote checks the idea's status as its UPDATE reads it under the row lock, not as first loaded."""
    idea = make_idea(world.challenge, world.member)
    voters = _setup_members(world, REQUESTS - 1)

    def decline(user, _challenge, idea_id):
        services.change_idea_status(user, db.session.get(Idea, idea_id), "declined", "Out of scope.")

    calls = [(services.vote_idea, uid, world.challenge.id, idea.id) for uid in voters]
    calls.insert(REQUESTS // 2, (decline, world.facilitator.id, world.challenge.id, idea.id))
    outcomes = fire(pool_app, calls)
    assert outcomes["ok"] + outcomes["DomainError"] == REQUESTS
    db.session.expire_all()
    declined_at = db.session.get(Idea, idea.id).status_changes[-1].created_at
    late = db.session.scalars(
        db.select(IdeaVote).where(IdeaVote.idea_id == idea.id, IdeaVote.created_at > declined_at)
    ).all()
    assert late == []
    assert _stored_and_counted(idea.id) == (outcomes["ok"] - 1, outcomes["ok"] - 1)
    assert queries.count_drift() == []
