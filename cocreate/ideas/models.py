"""Ideas on a challenge, their votes, comments and the voting rules of the challenge.

``Idea.vote_count`` and ``Ballot.votes_used`` are stored counters kept in step
with the ``idea_votes`` rows inside the same transaction (``flask
check-integrity`` recomputes both). A ballot row per (challenge, voter) is the
row a vote locks, so one person's concurrent votes queue up while different
people vote in parallel.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, Boolean, CheckConstraint, DateTime, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


class IdeaStatus:
    PROPOSED = "proposed"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    MERGED = "merged"
    # The statuses a facilitator chooses from; "merged" is only ever set by a merge.
    FLOW = (PROPOSED, SHORTLISTED, SELECTED, IN_PROGRESS, IMPLEMENTED, DECLINED)
    LABELS = {
        PROPOSED: _l("Proposed"),
        SHORTLISTED: _l("Shortlisted"),
        SELECTED: _l("Selected"),
        IN_PROGRESS: _l("In progress"),
        IMPLEMENTED: _l("Implemented"),
        DECLINED: _l("Declined"),
        MERGED: _l("Merged"),
    }
    # Declined and merged ideas keep their votes (they can be taken back) but take no new ones.
    CLOSED_TO_VOTES = (DECLINED, MERGED)


class VotingMode:
    ONE_PER_IDEA = "one_per_idea"
    BUDGET = "budget"
    LABELS = {
        ONE_PER_IDEA: _l("One vote per member per idea"),
        BUDGET: _l("Dot voting: a budget of votes per member"),
    }


class VotingRules(db.Model):
    """How a challenge votes. A challenge without a row votes with the defaults below."""

    __tablename__ = "idea_voting_rules"
    __table_args__ = (CheckConstraint("budget >= 1", name="budget_positive"),)

    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    mode: Mapped[str] = mapped_column(String(20), default=VotingMode.ONE_PER_IDEA)
    budget: Mapped[int] = mapped_column(default=3, server_default="3")
    # Shown to voters before they vote; can only be switched on while nobody has voted.
    voters_visible: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    challenge = relationship("Challenge")

    @property
    def has_budget(self):
        return self.mode == VotingMode.BUDGET

    def votes_left(self, votes_used):
        return max(0, self.budget - votes_used) if self.has_budget else None


class Idea(db.Model):
    __tablename__ = "ideas"
    # ``vote_count`` changes with every vote, so no index holds it: then PostgreSQL can update the
    # row in place (a HOT update, no new index entries), and pages keep room for that (fillfactor).
    # A challenge's ideas come by ``challenge_id`` and are few enough to sort (migration 0016).
    __table_args__ = (
        CheckConstraint("vote_count >= 0", name="vote_count_not_negative"),
        {"postgresql_with": {"fillfactor": 90}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The author's side in the space when they proposed it.
    author_side: Mapped[str] = mapped_column(String(10), default="other")
    title: Mapped[str] = mapped_column(String(160))
    body_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(12), default=IdeaStatus.PROPOSED, index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    created_at = created_at_column()

    challenge = relationship("Challenge")
    author = relationship("User")
    merged_into: Mapped["Idea | None"] = relationship(remote_side=[id])
    status_changes: Mapped[list["IdeaStatusChange"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="IdeaStatusChange.id"
    )

    @property
    def takes_votes(self):
        return self.status not in IdeaStatus.CLOSED_TO_VOTES

    def __repr__(self):
        return f"<Idea {self.id} {self.title!r}>"


class IdeaStatusChange(db.Model):
    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at = created_at_column()

    idea: Mapped[Idea] = relationship(back_populates="status_changes")
    actor = relationship("User")


# On PostgreSQL a vote is one statement committed in the same round trip (``ideas.services``), so
# the statement itself refuses a vote it may not keep: it calls this function, which raises with
# the reason, and the whole statement is undone. Migration 0017 creates it in migrated databases.
VOTE_REFUSED_SQLSTATE = "CV001"
REFUSE_VOTE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION refuse_vote(reason text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'vote refused: ' || reason, DETAIL = reason, ERRCODE = '{VOTE_REFUSED_SQLSTATE}';
END
$$
"""
event.listen(Idea.__table__, "after_create", DDL(REFUSE_VOTE_FUNCTION).execute_if(dialect="postgresql"))


class IdeaVote(db.Model):
    """One member's vote on one idea: the primary key makes a second one impossible."""

    __tablename__ = "idea_votes"
    __table_args__ = (Index("ix_idea_votes_challenge_voter", "challenge_id", "voter_id"),)

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Copied from the idea so a member's votes in a challenge are found without a join.
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    created_at = created_at_column()

    voter = relationship("User")


class Ballot(db.Model):
    """A member's votes used in one challenge; the row every vote of theirs locks first."""

    __tablename__ = "idea_ballots"
    __table_args__ = (CheckConstraint("votes_used >= 0", name="votes_used_not_negative"),)

    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    votes_used: Mapped[int] = mapped_column(default=0, server_default="0")


class VoteNotice(db.Model):
    """Told to a voter the next time they open the challenge, until they dismiss it."""

    __tablename__ = "idea_vote_notices"
    __table_args__ = (Index("ix_idea_vote_notices_user_challenge", "user_id", "challenge_id"),)

    DUPLICATE = "duplicate"  # they had voted for both merged ideas: one vote came back
    OVER_BUDGET = "over_budget"  # keeping the moved vote would exceed their budget

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # Titles as they were at the merge, so the notice reads right even if an idea is renamed later.
    from_title: Mapped[str] = mapped_column(String(160))
    into_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    into_title: Mapped[str] = mapped_column(String(160))
    created_at = created_at_column()


class IdeaComment(db.Model):
    __tablename__ = "idea_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    # Replies are one level deep: a reply's parent is always a top-level comment.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("idea_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_side: Mapped[str] = mapped_column(String(10), default="other")
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at = created_at_column()
    edited_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))

    author = relationship("User")
    replies: Mapped[list["IdeaComment"]] = relationship(order_by="IdeaComment.id", viewonly=True)
