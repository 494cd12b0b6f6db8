"""The rules of one vote, without the database: what a member may do with their ballot.

Services call these while holding the row locks, so the answers are true at commit.
"""
from flask_babel import lazy_gettext as _l

from ..errors import Conflict, DomainError


VOTING_CLOSED = _l("Voting on this challenge is closed.")
IDEA_CLOSED = _l("This idea takes no more votes.")
NO_VOTES_LEFT = _l("You have no votes left. Take a vote back from another idea first.")

# What PostgreSQL's vote statement names when it refuses (``refuse_vote`` in ``ideas.models``):
# the same two rules as ``check_can_vote``, checked in SQL under the same locks.
REFUSALS = {"idea_closed": IDEA_CLOSED, "no_votes_left": NO_VOTES_LEFT}


def check_open(rules):
    """Raise unless the challenge's voting is open."""
    if not rules.is_open:
        raise DomainError(VOTING_CLOSED)


def check_can_vote(rules, idea, votes_used, already_voted):
    """Raise unless the member may add a vote on ``idea`` now."""
    check_open(rules)
    if not idea.takes_votes:
        raise DomainError(IDEA_CLOSED)
    if already_voted:
        raise Conflict(_l("You have already voted for this idea."))
    if rules.has_budget and votes_used >= rules.budget:
        raise DomainError(NO_VOTES_LEFT)


def check_can_unvote(rules, has_voted):
    """Raise unless the member may take their vote on an idea back now."""
    check_open(rules)
    if not has_voted:
        raise Conflict(_l("You have not voted for this idea."))


def keeps_moved_vote(rules, votes_used_after_move):
    """A vote moved by a merge stays unless the member's votes would then exceed the budget."""
    return not rules.has_budget or votes_used_after_move <= rules.budget
