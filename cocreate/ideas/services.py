"""Idea use cases: propose, vote, take back a vote, move the status, merge, comment, set the voting rules.

Who may do what:

- Active members of the space (and admins) propose ideas and comment.
- Only active members vote, and only while the challenge's voting is open. Admins who are not
  members do not vote: a vote speaks for a participant.
- The space's owners and facilitators (and admins) move an idea's status, merge duplicates,
  set the voting rules and read the results per organisation.

Concurrency: a vote locks, in this order, the challenge's voting rules (shared, so closing the
vote waits for votes in flight), its own row of ``idea_votes`` (the primary key (idea, voter)
refuses a second vote whatever happens in Python), the voter's ballot (exclusive, so one
person's votes queue up and never exceed the budget) and last the idea (exclusive, for its
stored count, held only from its UPDATE to the commit since every vote of a popular idea waits
for it). Each write is one statement that reads back what it changed (RETURNING), and the rules
are checked once all rows are locked. A merge takes the rules exclusively, so no vote of the
challenge runs while votes move. On PostgreSQL the one statement checks the rules itself and
goes out with its COMMIT, so the idea's row is not held while the answer travels back (``_VOTE``).
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.models import record
from ..errors import Conflict, DomainError, NotFound
from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from ..notifications import notify
from ..permissions import can, require, rule
from ..pipeline import execute_and_commit
from ..spaces.models import Side
from ..spaces.queries import is_member, membership_of
from .models import (
    VOTE_REFUSED_SQLSTATE, Ballot, Idea, IdeaComment, IdeaStatus, IdeaStatusChange, IdeaVote, VoteNotice, VotingMode,
    VotingRules,
)
from .voting import REFUSALS, check_can_unvote, check_can_vote, check_open, keeps_moved_vote

TITLE_MAX = 160
BODY_MAX = 20_000
COMMENT_MAX = 5_000
REASON_MAX = 1_000
BUDGET_MAX = 50
EDIT_WINDOW = timedelta(minutes=15)


@rule("ideas.propose")
def _can_propose(user, challenge):
    return can(user, "spaces.post", challenge.space)


@rule("ideas.vote")
def _can_vote(user, challenge):
    return user is not None and is_member(user, challenge.space)


@rule("ideas.manage")
def _can_manage(user, challenge):
    return can(user, "spaces.manage", challenge.space)


@rule("ideas.comment")
def _can_comment(user, idea):
    return can(user, "spaces.post", idea.challenge.space)


@rule("ideas.edit_comment")
def _can_edit_comment(user, comment):
    return (
        user is not None and comment.author_id == user.id
        and utcnow() - _aware(comment.created_at) <= EDIT_WINDOW
    )


@rule("ideas.see_voters")
def _can_see_voters(user, rules):
    return rules.voters_visible and can(user, "ideas.manage", rules.challenge)


def _aware(moment):
    # SQLite hands back naive datetimes for timezone-aware columns; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _side_in_space(user, space):
    membership = membership_of(user, space)
    return membership.side if membership is not None else Side.of(user)


def _insert(model):
    """An INSERT that understands ON CONFLICT, for the database in use."""
    if _on_postgresql():
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def ensure_rules(challenge):
    """The challenge's voting rules, created with the defaults on first use."""
    # ON CONFLICT DO NOTHING: two first ideas at once both find the row afterwards.
    db.session.execute(_insert(VotingRules).values(challenge_id=challenge.id).on_conflict_do_nothing())
    return db.session.get(VotingRules, challenge.id)


def _locked(select):
    # populate_existing: an object already in the session must show the row as it is under the lock.
    return db.session.scalar(select.execution_options(populate_existing=True))


def _locked_rules(challenge, exclusive=False):
    rules = _locked(
        db.select(VotingRules).where(VotingRules.challenge_id == challenge.id).with_for_update(read=not exclusive)
    )
    if rules is None:
        raise NotFound(_l("This challenge has no ideas to vote on yet."))
    return rules


def _add_to_ballot(challenge_id, voter_id, delta):
    """Add ``delta`` to the voter's votes used under the ballot's row lock; return the new count.

    A vote creates the ballot on the voter's first vote: an upsert whose DO UPDATE takes the row
    lock. A vote taken back always finds it (the vote was on it). RETURNING reads the row.
    """
    if delta > 0:
        insert = _insert(Ballot).values(challenge_id=challenge_id, voter_id=voter_id, votes_used=delta)
        statement = insert.on_conflict_do_update(
            index_elements=[Ballot.challenge_id, Ballot.voter_id], set_={"votes_used": Ballot.votes_used + delta}
        )
    else:
        statement = (
            db.update(Ballot).where(Ballot.challenge_id == challenge_id, Ballot.voter_id == voter_id)
            .values(votes_used=Ballot.votes_used + delta).execution_options(synchronize_session=False)
        )
    return db.session.execute(statement.returning(Ballot.votes_used)).scalar_one()


def _add_to_count(idea, delta):
    """Add ``delta`` to the idea's stored count under its row lock; ``idea`` shows the row as it is now."""
    row = db.session.execute(
        db.update(Idea).where(Idea.id == idea.id).values(vote_count=Idea.vote_count + delta)
        .returning(Idea.vote_count, Idea.status).execution_options(synchronize_session=False)
    ).one()
    set_committed_value(idea, "vote_count", row.vote_count)
    set_committed_value(idea, "status", row.status)


def _idea_in(challenge, idea_id):
    """The idea, from the session if the view loaded it already (no lock: see ``_add_to_count``)."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.challenge_id != challenge.id:
        raise NotFound(_l("There is no such idea."))
    return idea


def _commit_keeping_loaded():
    """Commit without expiring the session's objects: what the vote answer shows was just read back."""
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def _locked_idea(challenge, idea_id):
    idea = _locked(db.select(Idea).where(Idea.id == idea_id, Idea.challenge_id == challenge.id).with_for_update())
    if idea is None:
        raise NotFound(_l("There is no such idea."))
    return idea


# --- ideas ----------------------------------------------------------------------------------

@dataclass
class IdeaData:
    title: str
    body: str = ""


def _check_idea_data(data):
    if not data.title.strip():
        raise DomainError(_l("Give the idea a title."), field="title")
    if len(data.title) > TITLE_MAX:
        raise DomainError(_l("Keep the title under %(n)d characters.", n=TITLE_MAX), field="title")
    if len(data.body) > BODY_MAX:
        raise DomainError(_l("Keep the text under %(n)d characters.", n=BODY_MAX), field="body")


def propose_idea(actor, challenge, data):
    require(actor, "ideas.propose", challenge, message=_l("Only members of the space can propose ideas."))
    _check_idea_data(data)
    ensure_rules(challenge)
    idea = Idea(
        challenge_id=challenge.id, author_id=actor.id, author_side=_side_in_space(actor, challenge.space),
        title=" ".join(data.title.split()), body_md=data.body, body_html=render_markdown(data.body),
    )
    idea.status_changes.append(IdeaStatusChange(actor_id=actor.id, to_status=IdeaStatus.PROPOSED))
    db.session.add(idea)
    db.session.commit()
    notify.idea_proposed(idea)
    return idea


def change_idea_status(actor, idea, status, reason=""):
    require(actor, "ideas.manage", idea.challenge)
    if status not in IdeaStatus.FLOW:
        raise DomainError(_l("Choose one of the statuses offered."), field="status")
    reason = (reason or "").strip()
    if status == IdeaStatus.DECLINED and not reason:
        raise DomainError(_l("Say why the idea is declined; everyone will see the reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Keep the reason under %(n)d characters.", n=REASON_MAX), field="reason")
    idea = _locked_idea(idea.challenge, idea.id)
    if idea.status == IdeaStatus.MERGED:
        raise Conflict(_l("A merged idea keeps its status."))
    if idea.status == status:
        raise DomainError(_l("The idea has that status already."), field="status")
    idea.status_changes.append(
        IdeaStatusChange(actor_id=actor.id, from_status=idea.status, to_status=status, reason=reason)
    )
    idea.status = status
    idea.decline_reason = reason if status == IdeaStatus.DECLINED else ""
    db.session.commit()
    notify.idea_status_changed(idea)
    return idea


# --- votes ----------------------------------------------------------------------------------

@dataclass
class VoteOutcome:
    """What the vote control shows afterwards."""

    idea: Idea
    rules: VotingRules
    has_voted: bool
    votes_used: int


def vote_idea(actor, challenge, idea_id, locked_rules=None):
    """``locked_rules``: the challenge's rules, read under their shared lock in this transaction
    (``queries.vote_context_or_404`` does); without them the vote takes the lock itself."""
    require(actor, "ideas.vote", challenge, message=_l("Only members of the space can vote."))
    try:
        rules = locked_rules or _locked_rules(challenge)
        idea = _idea_in(challenge, idea_id)
        if _on_postgresql():
            check_open(rules)
            row = _vote_and_commit(_VOTE, rules, challenge.id, idea, actor.id)
            votes_used, already_voted = (0, True) if row is None else (row.votes_used - 1, False)
        else:
            votes_used, already_voted = _add_vote(challenge.id, idea, actor.id)
        # Checked once every row is locked, so the answer holds at commit (the rollback undoes the rest;
        # on PostgreSQL the statement has refused what it may not keep, and a second vote wrote nothing).
        check_can_vote(rules, idea, votes_used, already_voted)
    except DomainError:
        db.session.rollback()
        raise
    _commit_keeping_loaded()
    return VoteOutcome(idea, rules, True, votes_used + 1)


def unvote_idea(actor, challenge, idea_id, locked_rules=None):
    """``locked_rules`` as for ``vote_idea``."""
    require(actor, "ideas.vote", challenge, message=_l("Only members of the space can vote."))
    try:
        rules = locked_rules or _locked_rules(challenge)
        idea = _idea_in(challenge, idea_id)
        if _on_postgresql():
            check_open(rules)
            row = _vote_and_commit(_UNVOTE, rules, challenge.id, idea, actor.id)
            votes_used, had_voted = (0, False) if row is None else (row.votes_used, True)
        else:
            votes_used, had_voted = _take_vote_back(challenge.id, idea, actor.id)
        check_can_unvote(rules, had_voted)
    except DomainError:
        db.session.rollback()
        raise
    _commit_keeping_loaded()
    return VoteOutcome(idea, rules, False, votes_used)


# The vote is the busiest write of the site. On PostgreSQL it is one statement: the vote row, the
# voter's ballot and the idea's count change together (data-modifying CTEs), the ballot and the count
# only if the vote row did, in the same order of locks as the three statements used elsewhere. Once
# every row is locked it checks the idea's status and the budget, and refuses (``refuse_vote``
# raises, the statement is undone) what ``check_can_vote`` would refuse; that the voting is open
# was checked before, under the rules' shared lock. So nothing it keeps needs Python's approval,
# and it goes out with its COMMIT (``pipeline.execute_and_commit``): the idea's row, which every
# voter on it waits for, is locked only while PostgreSQL runs the two.
_VOTE = db.text("""
    WITH vote AS (
        INSERT INTO idea_votes (idea_id, voter_id, challenge_id) VALUES (:idea_id, :voter_id, :challenge_id)
        ON CONFLICT DO NOTHING
        RETURNING idea_id
    ), ballot AS (
        INSERT INTO idea_ballots (challenge_id, voter_id, votes_used)
        SELECT :challenge_id, :voter_id, 1 FROM vote
        ON CONFLICT (challenge_id, voter_id) DO UPDATE SET votes_used = idea_ballots.votes_used + 1
        RETURNING votes_used
    ), counted AS (
        UPDATE ideas SET vote_count = vote_count + 1
        WHERE id = :idea_id AND EXISTS (SELECT FROM vote)
        RETURNING vote_count, status
    )
    SELECT votes_used, vote_count, status
    FROM (SELECT (SELECT votes_used FROM ballot) AS votes_used,
                 (SELECT vote_count FROM counted) AS vote_count,
                 (SELECT status FROM counted) AS status) AS outcome
    WHERE CASE WHEN status = ANY(:closed_statuses) THEN refuse_vote('idea_closed')
               WHEN votes_used > :budget THEN refuse_vote('no_votes_left')
               ELSE true END
""")
_UNVOTE = db.text("""
    WITH vote AS (
        DELETE FROM idea_votes WHERE idea_id = :idea_id AND voter_id = :voter_id
        RETURNING idea_id
    ), ballot AS (
        UPDATE idea_ballots SET votes_used = votes_used - 1
        WHERE challenge_id = :challenge_id AND voter_id = :voter_id AND EXISTS (SELECT FROM vote)
        RETURNING votes_used
    ), counted AS (
        UPDATE ideas SET vote_count = vote_count - 1
        WHERE id = :idea_id AND EXISTS (SELECT FROM vote)
        RETURNING vote_count, status
    )
    SELECT (SELECT votes_used FROM ballot) AS votes_used,
           (SELECT vote_count FROM counted) AS vote_count,
           (SELECT status FROM counted) AS status
""")


def _vote_and_commit(statement, rules, challenge_id, idea, voter_id):
    """PostgreSQL: run ``_VOTE`` or ``_UNVOTE`` and its commit in one round trip; the row it changed
    (and ``idea`` shows its new count), or None if it changed nothing."""
    params = {
        "idea_id": idea.id, "voter_id": voter_id, "challenge_id": challenge_id,
        "closed_statuses": list(IdeaStatus.CLOSED_TO_VOTES), "budget": rules.budget if rules.has_budget else None,
    }
    try:
        row = execute_and_commit(statement, params)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == VOTE_REFUSED_SQLSTATE:
            raise DomainError(REFUSALS[error.orig.diag.message_detail]) from None
        raise
    if row.vote_count is None:
        return None
    set_committed_value(idea, "vote_count", row.vote_count)
    set_committed_value(idea, "status", row.status)
    return row


def _add_vote(challenge_id, idea, voter_id):
    """SQLite: record ``voter_id``'s vote on ``idea``: (the votes they had used before, whether it was
    there already)."""
    # The primary key (idea, voter) decides whether this is a second vote.
    already_voted = db.session.execute(
        _insert(IdeaVote).values(idea_id=idea.id, voter_id=voter_id, challenge_id=challenge_id)
        .on_conflict_do_nothing().returning(IdeaVote.idea_id)
    ).scalar() is None
    if already_voted:
        return 0, True
    votes_used = _add_to_ballot(challenge_id, voter_id, +1) - 1
    _add_to_count(idea, +1)
    return votes_used, False


def _take_vote_back(challenge_id, idea, voter_id):
    """SQLite: remove ``voter_id``'s vote on ``idea``: (the votes they use afterwards, whether there was one)."""
    had_voted = db.session.execute(
        db.delete(IdeaVote).where(IdeaVote.idea_id == idea.id, IdeaVote.voter_id == voter_id)
        .returning(IdeaVote.idea_id).execution_options(synchronize_session=False)
    ).scalar() is not None
    if not had_voted:
        return 0, False
    votes_used = _add_to_ballot(challenge_id, voter_id, -1)
    _add_to_count(idea, -1)
    return votes_used, True


def _on_postgresql():
    return db.session.get_bind().dialect.name == "postgresql"


@dataclass
class RulesData:
    is_open: bool
    mode: str
    budget: int
    voters_visible: bool


def set_voting_rules(actor, challenge, data):
    require(actor, "ideas.manage", challenge)
    if data.mode not in VotingMode.LABELS:
        raise DomainError(_l("Choose one of the voting modes offered."), field="mode")
    if data.mode == VotingMode.BUDGET and not 1 <= data.budget <= BUDGET_MAX:
        raise DomainError(_l("A budget is between 1 and %(n)d votes.", n=BUDGET_MAX), field="budget")
    ensure_rules(challenge)
    rules = _locked_rules(challenge, exclusive=True)
    if data.voters_visible and not rules.voters_visible and _has_votes(challenge):
        raise DomainError(
            _l("Members have voted believing their votes were private, so who voted can no longer be shown."),
            field="voters_visible",
        )
    rules.is_open = data.is_open
    rules.mode = data.mode
    if data.mode == VotingMode.BUDGET:
        rules.budget = data.budget
    rules.voters_visible = data.voters_visible
    record(actor, "ideas.voting_rules", "challenge", challenge.id, space_id=challenge.space_id,
           is_open=rules.is_open, mode=rules.mode, budget=rules.budget, voters_visible=rules.voters_visible)
    db.session.commit()
    return rules


def _has_votes(challenge):
    return db.session.scalar(
        db.select(IdeaVote.idea_id).where(IdeaVote.challenge_id == challenge.id).limit(1)
    ) is not None


def dismiss_notices(actor, challenge):
    db.session.execute(
        db.delete(VoteNotice).where(VoteNotice.user_id == actor.id, VoteNotice.challenge_id == challenge.id)
    )
    db.session.commit()


# --- merging duplicates ---------------------------------------------------------------------

@dataclass
class MergeOutcome:
    moved_votes: int
    returned_votes: int
    moved_comments: int


def merge_ideas(actor, duplicate, target):
    """Merge ``duplicate`` into ``target``: its comments and votes move; nobody counts twice."""
    challenge = duplicate.challenge
    require(actor, "ideas.manage", challenge)
    if target.id == duplicate.id:
        raise DomainError(_l("Choose another idea to merge into."), field="target_id")
    if target.challenge_id != duplicate.challenge_id:
        raise DomainError(_l("Ideas merge only within one challenge."), field="target_id")
    rules = _locked_rules(challenge, exclusive=True)
    first, second = sorted((duplicate.id, target.id))
    locked = {idea_id: _locked_idea(challenge, idea_id) for idea_id in (first, second)}
    duplicate, target = locked[duplicate.id], locked[target.id]
    if IdeaStatus.MERGED in (duplicate.status, target.status):
        raise Conflict(_l("A merged idea cannot be merged again."))

    target_voters = set(db.session.scalars(db.select(IdeaVote.voter_id).where(IdeaVote.idea_id == target.id)))
    moving_voters = db.session.scalars(db.select(IdeaVote.voter_id).where(IdeaVote.idea_id == duplicate.id)).all()
    ballots = db.session.scalars(
        db.select(Ballot).where(Ballot.challenge_id == challenge.id, Ballot.voter_id.in_(moving_voters))
    ).all()
    kept, returned = [], []
    for ballot in ballots:
        if ballot.voter_id in target_voters:
            returned.append((ballot, VoteNotice.DUPLICATE))
        elif not keeps_moved_vote(rules, ballot.votes_used):
            returned.append((ballot, VoteNotice.OVER_BUDGET))
        else:
            kept.append(ballot.voter_id)
    for ballot, kind in returned:
        ballot.votes_used -= 1
        db.session.add(VoteNotice(
            user_id=ballot.voter_id, challenge_id=challenge.id, kind=kind, from_title=duplicate.title,
            into_idea_id=target.id, into_title=target.title,
        ))
    db.session.execute(
        db.delete(IdeaVote).where(
            IdeaVote.idea_id == duplicate.id, IdeaVote.voter_id.in_([ballot.voter_id for ballot, _kind in returned])
        )
    )
    db.session.execute(
        db.update(IdeaVote).where(IdeaVote.idea_id == duplicate.id, IdeaVote.voter_id.in_(kept))
        .values(idea_id=target.id)
    )
    duplicate.vote_count -= len(kept) + len(returned)
    target.vote_count += len(kept)

    moved_comments = db.session.execute(
        db.update(IdeaComment).where(IdeaComment.idea_id == duplicate.id).values(idea_id=target.id)
    ).rowcount
    duplicate.status_changes.append(IdeaStatusChange(
        actor_id=actor.id, from_status=duplicate.status, to_status=IdeaStatus.MERGED,
        reason=target.title,
    ))
    duplicate.status = IdeaStatus.MERGED
    duplicate.merged_into_id = target.id
    record(actor, "ideas.merge", "idea", duplicate.id, space_id=challenge.space_id, into=target.id,
           moved_votes=len(kept), returned_votes=len(returned), moved_comments=moved_comments)
    db.session.commit()
    notify.idea_status_changed(duplicate)
    return MergeOutcome(len(kept), len(returned), moved_comments)


# --- comments -------------------------------------------------------------------------------

def _check_comment(body):
    if not body.strip():
        raise DomainError(_l("Write something first."), field="body")
    if len(body) > COMMENT_MAX:
        raise DomainError(_l("Keep a comment under %(n)d characters.", n=COMMENT_MAX), field="body")


def add_comment(actor, idea, body, parent_id=None):
    require(actor, "ideas.comment", idea, message=_l("Only members of the space can comment."))
    _check_comment(body)
    parent = None
    if parent_id is not None:
        parent = db.session.get(IdeaComment, parent_id)
        if parent is None or parent.idea_id != idea.id:
            raise NotFound(_l("That comment is gone."))
    comment = IdeaComment(
        idea_id=idea.id,
        # Replies stay one level deep: answering a reply answers its thread.
        parent_id=(parent.parent_id or parent.id) if parent else None,
        author_id=actor.id, author_side=_side_in_space(actor, idea.challenge.space),
        body_md=body, body_html=render_markdown(body),
    )
    db.session.add(comment)
    db.session.commit()
    notify.comment_added(comment)
    return comment


def edit_comment(actor, comment, body):
    require(actor, "ideas.edit_comment", comment,
            message=_l("A comment can be edited by its author for %(n)d minutes.", n=15))
    _check_comment(body)
    previous = comment.body_md
    comment.body_md = body
    comment.body_html = render_markdown(body)
    comment.edited_at = utcnow()
    db.session.commit()
    notify.comment_edited(comment, previous)
    return comment
