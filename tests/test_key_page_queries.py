"""Issue #9: each key page runs at most 8 SQL queries, as many with a lot of rows as with a few.

Measured for an anonymous visitor (what the benchmark loads), for a signed-in member of the space
(who also sees their votes, memberships and maturity) and for its owner (moderation controls too).
"""
import gc

import pytest
from sqlalchemy import insert

from cocreate.extensions import db
from cocreate.ideas.models import Ballot, IdeaVote
from cocreate.markdown import render_markdown
from cocreate.workshops.models import Post
from cocreate.workshops.queries import THREAD_PAGE_SIZE

from .factories import (
    add_member, make_assessment, make_challenge, make_idea, make_organisation, make_post, make_space, make_user, make_vote,
    make_workshop,
)

LIMIT = 8


class KeyPages:
    """A public space with a member, a challenge with ideas and votes, and a workshop thread."""

    def __init__(self):
        self.company = make_organisation(name="Key Company A/S")
        self.owner = make_user(name="Owner", organisation=self.company)
        self.member = make_user(name="Member", organisation=self.company)
        self.space = make_space(title="Key Space", slug="key-space", owner=self.owner)
        add_member(self.space, self.member)
        # Both have a maturity level, so the home page recommends workshops for it.
        make_assessment("company", organisation=self.company, taken_by=self.owner)
        make_assessment("management", user=self.member)
        self.challenge = make_challenge(self.space, author=self.owner, barriers=("too-busy",))
        self.workshop = make_workshop(self.space, title="Key thread", creator=self.owner)
        self.people = [self.owner, self.member]
        # Both have voted, so their challenge page shows their votes, ballot and notices.
        first = make_idea(self.challenge, self.owner)
        for voter in self.people:
            make_vote(first, voter)
        self.grow(ideas=3, posts=THREAD_PAGE_SIZE + 2, challenges=2, members=2)

    def grow(self, ideas, posts, challenges, members):
        """More of everything a key page lists, by authors the pages have not shown yet."""
        for n in range(members):
            person = make_user(organisation=make_organisation() if n % 2 else self.company, commit=False)
            add_member(self.space, person, commit=False)
            self.people.append(person)
        db.session.commit()
        for n in range(challenges):
            make_challenge(self.space, author=self.people[-1 - n % len(self.people)], barriers=("too-busy",),
                           commit=False)
        new_ideas = [make_idea(self.challenge, self.people[n % len(self.people)], commit=False) for n in range(ideas)]
        db.session.commit()
        for n, idea in enumerate(new_ideas):
            make_vote(idea, self.people[(n + 1) % len(self.people)])
        self._keep_ballots()
        db.session.execute(insert(Post), [
            {"workshop_id": self.workshop.id, "author_id": self.people[n % len(self.people)].id,
             "author_side": "company", "body_md": f"Post {n}", "body_html": render_markdown(f"Post {n}")}
            for n in range(posts)
        ])
        db.session.commit()
        last = db.session.scalars(
            db.select(Post).where(Post.workshop_id == self.workshop.id, Post.parent_id.is_(None))
            .order_by(Post.id.desc())
        ).first()
        make_post(self.workshop, self.people[-1], body="A reply", parent=last)

    def _keep_ballots(self):
        """Each voter's ballot counts their votes, as voting through the app keeps it."""
        used = db.session.execute(
            db.select(IdeaVote.voter_id, db.func.count()).where(IdeaVote.challenge_id == self.challenge.id)
            .group_by(IdeaVote.voter_id)
        ).all()
        for voter_id, votes in used:
            ballot = db.session.get(Ballot, (self.challenge.id, voter_id))
            if ballot is None:
                ballot = Ballot(challenge_id=self.challenge.id, voter_id=voter_id, votes_used=0)
                db.session.add(ballot)
            ballot.votes_used = votes
        db.session.commit()

    def urls(self):
        top_level = db.session.scalar(
            db.select(db.func.count()).select_from(Post)
            .where(Post.workshop_id == self.workshop.id, Post.parent_id.is_(None))
        )
        thread = f"/spaces/{self.space.slug}/workshops/{self.workshop.id}"
        return {
            "home": "/",
            "space": f"/spaces/{self.space.slug}",
            "barrier": "/barriers/too-busy",
            "challenge": f"/spaces/{self.space.slug}/challenges/{self.challenge.id}",
            "thread first page": thread,
            "thread last page": f"{thread}?page={-(-top_level // THREAD_PAGE_SIZE)}",
        }


@pytest.fixture
def pages(app):
    return KeyPages()


def _statements(client, count_queries, url):
    """The statements of one request, from the same session state each time.

    The test shares the requests' session: expire what it loaded and drop what nobody
    references, so no measurement profits from objects an earlier one left behind.
    """
    client.get(url)  # the first request loads templates and translations
    db.session.expire_all()
    gc.collect()
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.statements


def _counts(client, count_queries, pages):
    return {name: _statements(client, count_queries, url) for name, url in pages.urls().items()}


@pytest.mark.parametrize("visitor", ["anonymous", "member", "owner"])
def test_key_pages_run_at_most_8_queries_whatever_the_size(client, auth, count_queries, pages, visitor):
    if visitor != "anonymous":
        auth.login(getattr(pages, visitor))
    few = _counts(client, count_queries, pages)
    pages.grow(ideas=40, posts=3 * THREAD_PAGE_SIZE, challenges=30, members=20)
    many = _counts(client, count_queries, pages)

    for name in few:
        assert len(many[name]) == len(few[name]), (name, many[name])
        assert len(many[name]) <= LIMIT, (name, many[name])
