"""A page of ideas runs the same number of queries with 10 ideas as with 500, and with many votes."""
import gc

import pytest

from cocreate.extensions import db
from cocreate.ideas import services
from cocreate.ideas.queries import count_drift
from cocreate.ideas.models import Ballot, Idea, IdeaComment, IdeaVote

from ..factories import add_member, make_idea, make_user


def _measure(client, count_queries, url, headers=None):
    """Queries of one request, starting from the same session state each time.

    The tests share the requests' session: expire what the test loaded and drop what nobody
    references, so neither measurement profits from objects the other left behind.
    """
    db.session.expire_all()
    gc.collect()
    with count_queries() as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


def _fill(world, n_ideas, n_voters):
    voters = [world.member, world.colleague, world.supplier_member]
    for i in range(n_voters - len(voters)):
        user = make_user(name=f"Voter {i}", commit=False)
        add_member(world.space, user, commit=False)
        voters.append(user)
    ideas = [make_idea(world.challenge, world.member, commit=False) for _ in range(n_ideas)]
    db.session.flush()
    for idea in ideas:
        for voter in voters:
            db.session.add(IdeaVote(idea_id=idea.id, voter_id=voter.id, challenge_id=world.challenge.id))
        idea.vote_count = len(voters)
        db.session.add(IdeaComment(idea_id=idea.id, author_id=world.member.id, body_md="x", body_html="x"))
    for voter in voters:
        ballot = db.session.get(Ballot, (world.challenge.id, voter.id))
        if ballot is None:
            ballot = Ballot(challenge_id=world.challenge.id, voter_id=voter.id, votes_used=0)
            db.session.add(ballot)
        ballot.votes_used += n_ideas
    db.session.commit()


@pytest.mark.parametrize("path", ["", "/ideas?sort=newest"])
def test_the_idea_list_runs_a_fixed_number_of_queries(client, auth, world, count_queries, path):
    auth.login(world.colleague)
    headers = {"HX-Request": "true"} if path else {}
    url = world.url(path)
    _fill(world, 10, 3)
    client.get(url, headers=headers)  # the first request loads templates and translations
    few = _measure(client, count_queries, url, headers)
    _fill(world, 490, 3)
    assert count_drift() == []
    many = _measure(client, count_queries, url, headers)
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == 500
    assert many == few
    assert many <= 9  # issue #9: the challenge page of a voter (their votes and ballot included)


def test_the_idea_page_runs_a_fixed_number_of_queries(client, auth, world, count_queries):
    idea = make_idea(world.challenge, world.member)
    first = IdeaComment(idea_id=idea.id, author_id=world.member.id, body_md="c", body_html="c")
    db.session.add(first)
    db.session.commit()
    auth.login(world.colleague)
    url = world.url(f"/ideas/{idea.id}")
    client.get(url)
    few = _measure(client, count_queries, url)
    for i in range(30):
        author = (world.supplier_member, world.colleague, world.facilitator)[i % 3]
        db.session.add(IdeaComment(idea_id=idea.id, author_id=author.id, body_md="c", body_html="c",
                                   parent_id=first.id if i % 2 else None))
    db.session.commit()
    assert _measure(client, count_queries, url) == few


@pytest.mark.parametrize("action", ["vote", "unvote"])
def test_a_vote_runs_six_queries_and_renders_without_reloading(client, auth, world, count_queries, action):
    """Issue #9 allows 8: the signed-in person (2), space with challenge, idea, membership and the
    rules under their shared lock (1) and one statement per row the vote changes, reading it back (3)."""
    idea, other = make_idea(world.challenge, world.member), make_idea(world.challenge, world.member)
    auth.login(world.colleague)
    url = world.url(f"/ideas/{idea.id}/{action}")
    if action == "unvote":
        services.vote_idea(world.colleague, world.challenge, idea.id)
    client.post(world.url(f"/ideas/{other.id}/vote"), headers={"HX-Request": "true"})  # templates loaded
    # As a new request finds it: nothing of the test's own objects in the session.
    db.session.expunge_all()
    gc.collect()
    with count_queries() as queries:
        response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'<strong>{1 if action == "vote" else 0}</strong>' in response.get_data(as_text=True)
    assert len(queries) <= 6, "\n".join(queries.statements)
    # The answer is rendered from what the statements read back: no SELECT after the last write.
    assert not queries.statements[-1].lstrip().upper().startswith("SELECT")
