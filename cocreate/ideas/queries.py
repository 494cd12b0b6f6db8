"""Reads for ideas: the board of a challenge, one idea with its comments, results, the integrity check.

Every page runs a fixed number of queries: the page of ideas with their authors and total
in one, the counts by status and of comments in one, and the reader's votes and ballot in one.
Who voted for what is read only for the voter themselves, or for facilitators where the
challenge says so up front (``ideas.see_voters``).
"""
from dataclasses import dataclass, field
from functools import cache

from flask import abort, g
from sqlalchemy import Integer, String, bindparam, case, cast, func, null, union_all
from sqlalchemy.orm import aliased, defer, joinedload, load_only, selectinload

from ..accounts.loading import claimed_user_id, offer_user, user_options
from ..accounts.models import User
from ..extensions import db
from ..orgs.models import MembershipStatus, OrganisationMembership
from ..pagination import paginate_in_one
from ..permissions import can
from ..spaces.models import Challenge, Space, SpaceMembership
from ..spaces.queries import can_see, membership_of
from .models import Ballot, Idea, IdeaComment, IdeaStatus, IdeaStatusChange, IdeaVote, VoteNotice, VotingRules

SORTS = ("votes", "newest", "status")
# The query arguments of the board that a vote keeps when it sends the reader back.
LIST_ARGS = ("sort", "status", "page")


def challenge_in_space_or_404(space, challenge_id):
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.space_id != space.id:
        abort(404)
    return challenge


@dataclass
class VoteContext:
    space: Space
    challenge: Challenge
    idea: Idea
    membership: SpaceMembership | None
    rules: VotingRules


# Built once, the values bound per vote: building it on every vote cost about 2 of its 13 ms of CPU.
_VOTE_CONTEXT = (
    db.select(Space, Challenge, Idea, SpaceMembership, VotingRules)
    .join(Challenge, Challenge.space_id == Space.id)
    .join(Idea, Idea.challenge_id == Challenge.id)
    .join(VotingRules, VotingRules.challenge_id == Challenge.id)
    .outerjoin(
        SpaceMembership,
        (SpaceMembership.space_id == Space.id) & (SpaceMembership.user_id == bindparam("user_id")),
    )
    .where(Space.slug == bindparam("slug"), Challenge.id == bindparam("challenge_id"),
           Idea.id == bindparam("idea_id"))
    .with_for_update(read=True, of=VotingRules)
    # Only what the permission checks, the vote and its answer read: psycopg describes and SQLAlchemy
    # maps every column of every row, and the texts and titles were half of the statement's 57.
    .options(
        load_only(Space.id, Space.slug, Space.visibility),
        load_only(Challenge.id, Challenge.space_id, Challenge.status),
        load_only(Idea.id, Idea.challenge_id, Idea.status, Idea.vote_count, Idea.merged_into_id),
    )
    .execution_options(populate_existing=True)
)


@cache
def _vote_context_and_voter():
    """``_VOTE_CONTEXT`` with the voter, loaded as flask-login's loader would (``accounts.loading``);
    built on first use, when every model is mapped."""
    return _VOTE_CONTEXT.add_columns(User).join(User, User.id == bindparam("user_id")).options(
        *user_options(), defer(User.password_hash), defer(User.bio_md), defer(User.bio_html)
    )


def _context_of(row):
    return VoteContext(row.Space, row.Challenge, row.Idea, row.SpaceMembership, row.VotingRules)


def _vote_rows(statement, slug, challenge_id, idea_id, user_id):
    return db.session.execute(
        statement, {"slug": slug, "challenge_id": challenge_id, "idea_id": idea_id, "user_id": user_id}
    )


def prefetch_vote(slug, challenge_id, idea_id):
    """Before flask-login loads the voter: load them with the vote context in one statement.

    The voter is offered to the user loader and the context kept for ``vote_context_or_404``,
    so a vote spends one query where it spent two. Without a session, or when nothing matches,
    nothing is kept and the usual path answers (log-in, 404)."""
    user_id = claimed_user_id()
    if user_id is None:
        return
    row = _vote_rows(_vote_context_and_voter(), slug, challenge_id, idea_id, user_id).unique().one_or_none()
    if row is not None:
        offer_user(row.User)
        g.vote_context = (user_id, _context_of(row))


def vote_context_or_404(slug, challenge_id, idea_id, user):
    """Space, challenge, idea, the voter's membership and the voting rules in one query; 404 unless
    ``user`` may see them.

    A vote is the busiest write of the site: this replaces a query each for the space, its
    challenge, the membership the permission rules ask for and the idea, and takes the rules'
    shared lock the vote needs (``ideas.services.vote_idea``), so it opens the vote's transaction.
    A challenge with an idea has its rules (proposing creates them). What ``prefetch_vote`` loaded
    for this voter is used as it is.
    """
    prefetched_for, context = g.pop("vote_context", (None, None))
    if prefetched_for != user.id:
        row = _vote_rows(_VOTE_CONTEXT, slug, challenge_id, idea_id, user.id).one_or_none()
        context = row and _context_of(row)
    if context is None or not can_see(user, context.space):
        abort(404)
    return context


def refused_vote_state(slug, challenge_id, idea_id, voter_id):
    """After a refused vote rolled back (which expires what was loaded): the context, whether the
    voter has voted for the idea and how many votes they have used, as they are now, in two statements."""
    row = _vote_rows(_VOTE_CONTEXT, slug, challenge_id, idea_id, voter_id).one_or_none()
    if row is None:
        abort(404)
    voted = db.select(IdeaVote.idea_id).where(IdeaVote.idea_id == idea_id, IdeaVote.voter_id == voter_id).exists()
    used = db.select(Ballot.votes_used).where(Ballot.challenge_id == challenge_id, Ballot.voter_id == voter_id)
    has_voted, votes_used = db.session.execute(db.select(voted, used.scalar_subquery())).one()
    return _context_of(row), has_voted, votes_used or 0


def find_idea(challenge, idea_id):
    idea = db.session.get(Idea, idea_id) if idea_id else None
    return idea if idea is not None and idea.challenge_id == challenge.id else None


def idea_in_challenge_or_404(challenge, idea_id):
    idea = find_idea(challenge, idea_id)
    if idea is None:
        abort(404)
    return idea


def rules_of(challenge):
    """The stored rules, or unsaved defaults for a challenge nobody has proposed an idea on yet."""
    return db.session.get(VotingRules, challenge.id) or VotingRules(
        challenge_id=challenge.id, is_open=True, mode="one_per_idea", budget=3, voters_visible=False
    )


def _author_options(entity_author):
    return joinedload(entity_author).joinedload(User.membership).joinedload(OrganisationMembership.organisation)


def list_args(args):
    """The board's own query arguments from ``request.args``, cleaned, defaults left out (for URLs)."""
    sort = args.get("sort", "")
    status = args.get("status", "")
    page = args.get("page", "")
    kept = {
        "sort": sort if sort in SORTS and sort != "votes" else "",
        "status": status if status in IdeaStatus.LABELS else "",
        "page": page if page.isdigit() and int(page) > 1 else "",
    }
    return {key: value for key, value in kept.items() if value}


def _ideas_select(challenge, status, sort):
    select = db.select(Idea).where(Idea.challenge_id == challenge.id).options(_author_options(Idea.author))
    if status:
        select = select.where(Idea.status == status)
    else:
        select = select.where(Idea.status != IdeaStatus.MERGED)
    if sort == "newest":
        return select.order_by(Idea.created_at.desc(), Idea.id.desc())
    if sort == "status":
        order = case({key: n for n, key in enumerate(IdeaStatus.LABELS)}, value=Idea.status)
        return select.order_by(order, Idea.vote_count.desc(), Idea.id.desc())
    return select.order_by(Idea.vote_count.desc(), Idea.id.desc())


@dataclass
class Board:
    """Everything the idea list of a challenge shows to one reader."""

    space: object
    challenge: object
    rules: VotingRules
    page: object
    args: dict
    status_counts: dict
    comment_counts: dict
    my_votes: set = field(default_factory=set)
    votes_used: int = 0
    notices: list = field(default_factory=list)
    can_vote: bool = False
    # Held so the permission checks of the page find it in the session (see ideas.views._context).
    membership: object = None

    @property
    def sort(self):
        return self.args.get("sort", "votes")

    @property
    def status(self):
        return self.args.get("status", "")

    @property
    def total(self):
        return sum(n for status, n in self.status_counts.items() if status != IdeaStatus.MERGED)

    @property
    def votes_left(self):
        return self.rules.votes_left(self.votes_used)


def idea_board(user, space, challenge, args):
    args = list_args(args)
    rules = rules_of(challenge)
    page = paginate_in_one(_ideas_select(challenge, args.get("status", ""), args.get("sort", "votes")))
    ids = [idea.id for idea in page.items]
    by_status, by_idea = _status_and_comment_counts(challenge, ids)
    board = Board(
        space=space, challenge=challenge, rules=rules, page=page, args=args, membership=membership_of(user, space),
        status_counts=by_status, comment_counts=by_idea,
        can_vote=can(user, "ideas.vote", challenge),
    )
    if board.can_vote:
        board.my_votes, ballot_used = _voter_state(user, challenge, ids)
        board.votes_used = ballot_used or 0
        # Notices tell of votes a merge handed back to a ballot: without a ballot there are none.
        board.notices = notices_for(user, challenge) if ballot_used is not None else []
    return board


def _status_and_comment_counts(challenge, idea_ids):
    """({status: ideas of the challenge}, {idea id: comments}) for the board, in one query."""
    statuses = db.select(Idea.status, cast(null(), Integer), func.count()).where(
        Idea.challenge_id == challenge.id
    ).group_by(Idea.status)
    comments = db.select(cast(null(), String), IdeaComment.idea_id, func.count()).where(
        IdeaComment.idea_id.in_(idea_ids)
    ).group_by(IdeaComment.idea_id)
    by_status, by_idea = {}, {}
    for status, idea_id, count in db.session.execute(union_all(statuses, comments)):
        if status is not None:
            by_status[status] = count
        else:
            by_idea[idea_id] = count
    return by_status, by_idea


def _voter_state(user, challenge, idea_ids):
    """(the ids among ``idea_ids`` that ``user`` voted for, the votes they used on the challenge or
    None without a ballot), in one query: the votes, then the ballot's count in the second column."""
    no_int = cast(null(), Integer)
    votes = db.select(IdeaVote.idea_id, no_int).where(
        IdeaVote.challenge_id == challenge.id, IdeaVote.voter_id == user.id, IdeaVote.idea_id.in_(idea_ids)
    )
    ballot = db.select(no_int, Ballot.votes_used).where(Ballot.challenge_id == challenge.id, Ballot.voter_id == user.id)
    rows = db.session.execute(union_all(votes, ballot)).all()
    used = next((used for idea_id, used in rows if idea_id is None), None)
    return {idea_id for idea_id, _used in rows if idea_id is not None}, used


def votes_used(user, challenge):
    ballot = db.session.get(Ballot, (challenge.id, user.id))
    return ballot.votes_used if ballot else 0


def has_voted(user, idea):
    return db.session.get(IdeaVote, (idea.id, user.id)) is not None


def notices_for(user, challenge):
    return db.session.scalars(
        db.select(VoteNotice).where(VoteNotice.user_id == user.id, VoteNotice.challenge_id == challenge.id)
        .order_by(VoteNotice.id)
    ).all()


def idea_detail(idea_id, challenge):
    """One idea with its status history and its comments, replies and their authors, in three queries."""
    idea = db.session.scalar(
        db.select(Idea).where(Idea.id == idea_id, Idea.challenge_id == challenge.id)
        .options(
            _author_options(Idea.author), joinedload(Idea.merged_into),
            selectinload(Idea.status_changes).joinedload(IdeaStatusChange.actor),
        )
    )
    if idea is None:
        abort(404)
    return idea


def comment_threads(idea):
    """Top-level comments, oldest first, each with its replies."""
    comments = db.session.scalars(
        db.select(IdeaComment).where(IdeaComment.idea_id == idea.id).options(_author_options(IdeaComment.author))
        .order_by(IdeaComment.id)
    ).all()
    replies = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(comment, replies.get(comment.id, [])) for comment in comments if comment.parent_id is None]


def comment_in_idea_or_404(idea, comment_id):
    comment = db.session.get(IdeaComment, comment_id)
    if comment is None or comment.idea_id != idea.id:
        abort(404)
    return comment


def merge_targets(idea):
    """The other ideas of the challenge that ``idea`` could be merged into."""
    return db.session.scalars(
        db.select(Idea).where(
            Idea.challenge_id == idea.challenge_id, Idea.id != idea.id, Idea.status != IdeaStatus.MERGED
        ).order_by(Idea.title)
    ).all()


# --- results for facilitators ---------------------------------------------------------------

@dataclass
class ResultRow:
    idea: Idea
    votes: int
    organisations: int
    voters: list = field(default_factory=list)


def results(challenge, with_voters=False):
    """Votes per idea and votes per organisation (a voter without an organisation counts alone).

    One company's many employees count as one, so a supplier with one voice is not drowned.
    """
    voter_org = aliased(OrganisationMembership)
    # One key per organisation, and a distinct negative key for each voter who has none.
    organisation_key = case(
        (voter_org.status == MembershipStatus.ACTIVE, voter_org.organisation_id), else_=-IdeaVote.voter_id
    )
    weighted = dict(
        db.session.execute(
            db.select(IdeaVote.idea_id, func.count(func.distinct(organisation_key)))
            .outerjoin(voter_org, voter_org.user_id == IdeaVote.voter_id)
            .where(IdeaVote.challenge_id == challenge.id)
            .group_by(IdeaVote.idea_id)
        ).all()
    )
    ideas = db.session.scalars(
        db.select(Idea).where(Idea.challenge_id == challenge.id, Idea.status != IdeaStatus.MERGED)
        .order_by(Idea.vote_count.desc(), Idea.id)
    ).all()
    voters = {}
    if with_voters:
        votes = db.session.scalars(
            db.select(IdeaVote).where(IdeaVote.challenge_id == challenge.id)
            .options(_author_options(IdeaVote.voter)).order_by(IdeaVote.created_at)
        ).all()
        for vote in votes:
            voters.setdefault(vote.idea_id, []).append(vote.voter)
    rows = [ResultRow(idea, idea.vote_count, weighted.get(idea.id, 0), voters.get(idea.id, [])) for idea in ideas]
    rows.sort(key=lambda row: (-row.organisations, -row.votes, row.idea.id))
    return rows


# --- the space page -------------------------------------------------------------------------

@dataclass
class ChallengeIdeas:
    count: int
    top: Idea | None


def idea_summaries(challenges):
    """{challenge_id: ChallengeIdeas} for a page of challenges, in one query.

    Each challenge's top idea carries the challenge's idea count beside it; a challenge
    without ideas has no row and so a count of 0.
    """
    ids = [challenge.id for challenge in challenges]
    if not ids:
        return {}
    ranked = (
        db.select(
            Idea.id,
            func.row_number().over(partition_by=Idea.challenge_id, order_by=(Idea.vote_count.desc(), Idea.id))
            .label("rank"),
            func.count().over(partition_by=Idea.challenge_id).label("ideas"),
        )
        .where(Idea.challenge_id.in_(ids), Idea.status != IdeaStatus.MERGED)
        .subquery()
    )
    tops = db.session.execute(
        db.select(Idea, ranked.c.ideas).join(ranked, ranked.c.id == Idea.id).where(ranked.c.rank == 1)
    ).all()
    summaries = {idea.challenge_id: ChallengeIdeas(count, idea) for idea, count in tops}
    return {cid: summaries.get(cid, ChallengeIdeas(0, None)) for cid in ids}


# --- integrity ------------------------------------------------------------------------------

@dataclass
class Drift:
    what: str
    key: tuple
    stored: int
    actual: int


def count_drift():
    """Every stored vote count and ballot that differs from the votes: should always be empty."""
    actual_by_idea = (
        db.select(IdeaVote.idea_id, func.count().label("n")).group_by(IdeaVote.idea_id).subquery()
    )
    idea_rows = db.session.execute(
        db.select(Idea.id, Idea.vote_count, func.coalesce(actual_by_idea.c.n, 0))
        .outerjoin(actual_by_idea, actual_by_idea.c.idea_id == Idea.id)
        .where(Idea.vote_count != func.coalesce(actual_by_idea.c.n, 0))
    ).all()
    actual_by_ballot = (
        db.select(IdeaVote.challenge_id, IdeaVote.voter_id, func.count().label("n"))
        .group_by(IdeaVote.challenge_id, IdeaVote.voter_id).subquery()
    )
    ballot_rows = db.session.execute(
        db.select(Ballot.challenge_id, Ballot.voter_id, Ballot.votes_used, func.coalesce(actual_by_ballot.c.n, 0))
        .outerjoin(actual_by_ballot, (actual_by_ballot.c.challenge_id == Ballot.challenge_id)
                   & (actual_by_ballot.c.voter_id == Ballot.voter_id))
        .where(Ballot.votes_used != func.coalesce(actual_by_ballot.c.n, 0))
    ).all()
    # Votes without a ballot (a ballot row is made before every vote, so this should never happen).
    orphan_rows = db.session.execute(
        db.select(IdeaVote.challenge_id, IdeaVote.voter_id, func.count())
        .outerjoin(Ballot, (Ballot.challenge_id == IdeaVote.challenge_id) & (Ballot.voter_id == IdeaVote.voter_id))
        .where(Ballot.voter_id.is_(None))
        .group_by(IdeaVote.challenge_id, IdeaVote.voter_id)
    ).all()
    drift = [Drift("idea", (idea_id,), stored, actual) for idea_id, stored, actual in idea_rows]
    drift += [Drift("ballot", (cid, uid), stored, actual) for cid, uid, stored, actual in ballot_rows]
    drift += [Drift("ballot", (cid, uid), 0, actual) for cid, uid, actual in orphan_rows]
    return drift
