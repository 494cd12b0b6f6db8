"""Demo ideas with votes, comments, status moves and one merged duplicate, on the demo challenges.

Runs after the spaces seeder. Ideas are looked up by (challenge, title), so a second run adds
nothing. Votes are written with their ballots and counts, as the vote service would.
"""
from datetime import timedelta

from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from ..spaces.models import Challenge, Side, Space, SpaceMembership
from .models import (
    Ballot, Idea, IdeaComment, IdeaStatus, IdeaStatusChange, IdeaVote, VotingMode, VotingRules,
)

# (space slug, challenge title) -> voting rules and ideas:
# (author, title, body, status, decline reason, voters, comments [(author, text, replies [(author, text)])])
IDEAS = {
    ("limfjord-value-chain", "Dealers want to keep calling their contact person"): {
        "rules": {"mode": VotingMode.BUDGET, "budget": 3},
        "ideas": [
            ("henrik@example.org", "Show the dealer's contact person on every order",
             "Put Peter's name, photo and direct number on the order page and the confirmation, "
             "so buyers still know whom to call.", IdeaStatus.SHORTLISTED, "",
             ["participant@example.org", "mette@example.org", "henrik@example.org", "morten@example.org"],
             [("henrik@example.org", "This is exactly what our buyers asked for in the last dealer meeting.",
               [("participant@example.org", "Good. We can take the photos at the next sales meeting.")])]),
            ("mette@example.org", "A call-me-back button in the portal",
             "The buyer orders online and presses *call me back* when something is unclear. "
             "The contact person calls within the hour.", IdeaStatus.PROPOSED, "",
             ["henrik@example.org", "morten@example.org"], []),
            ("participant@example.org", "Enter phone orders in the portal for the dealer",
             "Keep taking calls, but type each phone order into the portal so the dealer sees "
             "status and delivery date there.", IdeaStatus.PROPOSED, "",
             ["mette@example.org"], []),
            ("morten@example.org", "Replace the weekly calls with quarterly visits",
             "Fewer calls, more visits.", IdeaStatus.DECLINED,
             "The dealers told us they want the calls; this would remove the contact they value.", [], []),
        ],
    },
    ("limfjord-value-chain", "Configuring a school desk online is too complex"): {
        "rules": {"mode": VotingMode.ONE_PER_IDEA},
        "ideas": [
            ("mette@example.org", "A guided configurator with three questions",
             "Age group, room and colour: three questions lead to one of 12 standard desks.",
             IdeaStatus.SELECTED, "",
             ["participant@example.org", "henrik@example.org", "morten@example.org"],
             [("henrik@example.org", "Could the dealer see what the school chose before it is ordered?", [])]),
            ("henrik@example.org", "Ready-made bundles for a whole classroom",
             "28 desks and chairs in one order line, in the three colours schools buy most.",
             IdeaStatus.PROPOSED, "", ["mette@example.org"], []),
            ("henrik@example.org", "Let dealers save and reuse configurations",
             "Most schools order the same desk again next year.", IdeaStatus.PROPOSED, "", [], []),
        ],
    },
    ("nordlog-network", "No time to set up EDI with every wholesaler"): {
        "rules": {"mode": VotingMode.BUDGET, "budget": 2},
        "facilitator": "kasper@example.org",
        "ideas": [
            ("sofie@example.org", "One shared Peppol access point for the cluster",
             "The cluster buys one access point; each member connects once instead of once per wholesaler.",
             IdeaStatus.IN_PROGRESS, "",
             ["karen@example.org", "louise@example.org", "niels@example.org", "kasper@example.org"],
             [("karen@example.org", "We would join as a wholesaler from day one.",
               [("sofie@example.org", "Then we have our first pair to test with.")]),
              ("niels@example.org", "What does it cost per member per year?", [])]),
            ("karen@example.org", "A UCN student project maps the formats",
             "Students from UCN list the formats each wholesaler uses and what they have in common.",
             IdeaStatus.SHORTLISTED, "", ["sofie@example.org", "louise@example.org"], []),
            ("louise@example.org", "Ask the wholesalers to agree on one format",
             "A letter from the cluster to the five largest wholesalers.", IdeaStatus.PROPOSED, "",
             ["niels@example.org"], []),
        ],
        "merged": ("niels@example.org", "A shared EDI gateway", "One gateway for all of us.",
                   "One shared Peppol access point for the cluster"),
    },
    ("skagen-tourism", "Group bookings for seal safaris online"): {
        "rules": {"mode": VotingMode.ONE_PER_IDEA, "is_open": False},
        "ideas": [
            ("ida@example.org", "An online calendar with group slots",
             "Tour operators see the free slots and book a boat for up to 40 guests.", IdeaStatus.SELECTED, "",
             ["ida@example.org", "rasmus@example.org", "camilla@example.org"], []),
            ("camilla@example.org", "Fixed-price group packages",
             "Safari, lunch and transport at one price per guest.", IdeaStatus.PROPOSED, "",
             ["rasmus@example.org"], []),
        ],
    },
}


def seed_ideas(ctx):
    for (slug, challenge_title), spec in IDEAS.items():
        challenge = db.session.scalar(
            db.select(Challenge).join(Space).where(Space.slug == slug, Challenge.title == challenge_title)
        )
        if challenge is None:
            continue
        _seed_rules(challenge, spec["rules"])
        sides = _sides(challenge)
        facilitator = ctx.users[spec.get("facilitator", "facilitator@example.org")]
        for age, (author, title, body, status, reason, voters, comments) in enumerate(reversed(spec["ideas"])):
            if _idea(challenge, title) is not None:
                continue
            idea = _add_idea(ctx, challenge, sides, facilitator, author, title, body, status, reason, age)
            for email in voters:
                _add_vote(challenge, idea, ctx.users[email])
            for comment_author, text, replies in comments:
                top = _add_comment(ctx, idea, sides, comment_author, text)
                for reply_author, reply_text in replies:
                    _add_comment(ctx, idea, sides, reply_author, reply_text, parent=top)
            ctx.count("ideas")
        if "merged" in spec:
            _seed_merged(ctx, challenge, sides, facilitator, *spec["merged"])
    db.session.flush()


def _seed_rules(challenge, values):
    rules = db.session.get(VotingRules, challenge.id)
    if rules is None:
        db.session.add(VotingRules(challenge_id=challenge.id, **{"is_open": True, "budget": 3, **values}))
        db.session.flush()


def _sides(challenge):
    rows = db.session.execute(
        db.select(SpaceMembership.user_id, SpaceMembership.side).where(SpaceMembership.space_id == challenge.space_id)
    )
    return dict(rows.all())


def _idea(challenge, title):
    return db.session.scalar(db.select(Idea).where(Idea.challenge_id == challenge.id, Idea.title == title))


def _add_idea(ctx, challenge, sides, facilitator, email, title, body, status, reason, age):
    author = ctx.users[email]
    when = utcnow() - timedelta(days=age + 1)
    idea = Idea(
        challenge_id=challenge.id, author_id=author.id, author_side=sides.get(author.id, Side.OTHER), title=title,
        body_md=body, body_html=render_markdown(body), status=status, decline_reason=reason, created_at=when,
    )
    idea.status_changes.append(IdeaStatusChange(actor_id=author.id, to_status=IdeaStatus.PROPOSED, created_at=when))
    if status != IdeaStatus.PROPOSED:
        idea.status_changes.append(IdeaStatusChange(
            actor_id=facilitator.id, from_status=IdeaStatus.PROPOSED, to_status=status, reason=reason,
            created_at=when + timedelta(hours=20),
        ))
    db.session.add(idea)
    db.session.flush()
    return idea


def _add_vote(challenge, idea, voter):
    db.session.add(IdeaVote(idea_id=idea.id, voter_id=voter.id, challenge_id=challenge.id))
    idea.vote_count += 1
    ballot = db.session.get(Ballot, (challenge.id, voter.id))
    if ballot is None:
        ballot = Ballot(challenge_id=challenge.id, voter_id=voter.id, votes_used=0)
        db.session.add(ballot)
    ballot.votes_used += 1
    db.session.flush()


def _add_comment(ctx, idea, sides, email, text, parent=None):
    author = ctx.users[email]
    comment = IdeaComment(
        idea_id=idea.id, parent_id=parent.id if parent else None, author_id=author.id,
        author_side=sides.get(author.id, Side.OTHER), body_md=text, body_html=render_markdown(text),
    )
    db.session.add(comment)
    db.session.flush()
    ctx.count("idea comments")
    return comment


def _seed_merged(ctx, challenge, sides, facilitator, email, title, body, target_title):
    if _idea(challenge, title) is not None:
        return
    target = _idea(challenge, target_title)
    duplicate = _add_idea(ctx, challenge, sides, facilitator, email, title, body, IdeaStatus.PROPOSED, "", 0)
    duplicate.status_changes.append(IdeaStatusChange(
        actor_id=facilitator.id, from_status=IdeaStatus.PROPOSED, to_status=IdeaStatus.MERGED, reason=target.title,
    ))
    duplicate.status = IdeaStatus.MERGED
    duplicate.merged_into_id = target.id
    ctx.count("ideas")
