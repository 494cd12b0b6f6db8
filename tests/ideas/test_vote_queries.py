"""The vote, the busiest write of the site, loads the voter together with its own rows.

``ideas.queries.prefetch_vote`` reads the voter and the vote's context in one statement and offers
the voter to flask-login's loader (``accounts.loading``), which then runs no query of its own.
These tests pin the statements a vote runs, and check that the shortcut changes nothing about
who may vote.
"""
import gc

from flask import g

from cocreate.accounts.loading import load_user, offer_user
from cocreate.extensions import db
from cocreate.ideas.models import Idea, IdeaVote

from ..factories import make_idea

HTMX = {"HX-Request": "true"}


def _post(client, count_queries, url):
    db.session.expire_all()
    gc.collect()
    with count_queries() as queries:
        response = client.post(url, headers=HTMX)
    return response, queries.statements


def _reads_of_users(statements):
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and "users.id" in s]


def test_a_vote_loads_the_voter_with_its_context_in_one_statement(client, auth, world, count_queries):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    client.get(world.url())  # templates and translations are loaded once per process

    response, voted = _post(client, count_queries, world.url(f"/ideas/{idea.id}/vote"))
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    # One statement reads the user: the vote's context, joined with the voter.
    [read] = _reads_of_users(voted)
    assert "voting_rules" in read and "ideas" in read
    postgresql = db.engine.dialect.name == "postgresql"
    # PostgreSQL votes in one data-modifying statement; SQLite in four small ones.
    assert len(voted) == (2 if postgresql else 4), voted

    response, unvoted = _post(client, count_queries, world.url(f"/ideas/{idea.id}/unvote"))
    assert response.status_code == 200 and 'aria-pressed="false"' in response.text
    assert len(_reads_of_users(unvoted)) == 1
    assert len(unvoted) == (2 if postgresql else 4), unvoted


def test_a_refused_vote_reads_the_state_again_in_two_statements(client, auth, world, count_queries):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    client.post(world.url(f"/ideas/{idea.id}/vote"), headers=HTMX)

    response, statements = _post(client, count_queries, world.url(f"/ideas/{idea.id}/vote"))
    assert response.status_code == 200
    assert "already voted" in response.text  # the reason, in the flash area
    # The voter with the context, the refused write, then after the rollback the context and the
    # voter's votes again: four, on both databases.
    assert len(statements) == 4, "\n".join(s[:60] + " ... " + s[-90:] for s in statements)
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 1


def test_a_deactivated_voter_is_not_let_in_by_the_shortcut(client, auth, world):
    idea = make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    world.colleague.is_active = False
    db.session.commit()

    response = client.post(world.url(f"/ideas/{idea.id}/vote"), headers=HTMX)
    assert response.status_code in (302, 303, 401) or "HX-Redirect" in response.headers
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).vote_count == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 0


def test_a_stranger_cannot_vote_through_the_shortcut(client, auth, world):
    """The prefetch finds the outsider and the context; the permission check still says no."""
    idea = make_idea(world.challenge, world.member)
    auth.login(world.outsider)
    response = client.post(world.url(f"/ideas/{idea.id}/vote"), headers=HTMX)
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) == 0


def test_the_loader_takes_only_the_person_it_is_asked_for(app, world):
    with app.test_request_context():
        offer_user(world.member)
        assert load_user(str(world.colleague.id)) is world.colleague  # another person: queried
        assert "offered_user" not in g  # an offer is used once at most
        offer_user(world.member)
        assert load_user(str(world.member.id)) is world.member
