"""Working-area proposals of the Local Support Group.

A proposal is discussed (endorsements and comments) until a facilitator or an
admin accepts it, when it becomes a ``Theme`` of kind ``working_area`` that
challenges can be tied to, or declines it with a reason. Every change of
status is kept with who made it, when and why.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column
from ..spaces.models import Theme


class ProposalStatus:
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LABELS = {PROPOSED: _l("Under discussion"), ACCEPTED: _l("Accepted"), DECLINED: _l("Declined")}


proposal_barriers = Table(
    "working_area_barriers",
    db.metadata,
    Column("proposal_id", ForeignKey("working_area_proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class WorkingAreaProposal(db.Model):
    __tablename__ = "working_area_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    rationale: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.PROPOSED, index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The working area an accepted proposal became.
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    decided_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    created_at = created_at_column()

    author = relationship("User")
    theme: Mapped[Theme | None] = relationship()
    barriers: Mapped[list[Theme]] = relationship(secondary=proposal_barriers, order_by=Theme.position)
    status_changes: Mapped[list["ProposalStatusChange"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalStatusChange.id"
    )

    @property
    def is_open(self):
        return self.status == ProposalStatus.PROPOSED

    def __repr__(self):
        return f"<WorkingAreaProposal {self.id} {self.title!r}>"


class ProposalStatusChange(db.Model):
    __tablename__ = "working_area_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("working_area_proposals.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at = created_at_column()

    proposal: Mapped[WorkingAreaProposal] = relationship(back_populates="status_changes")
    actor = relationship("User")


class Endorsement(db.Model):
    """One LSG member's support for a proposal: the primary key makes a second one impossible."""

    __tablename__ = "working_area_endorsements"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("working_area_proposals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at = created_at_column()

    user = relationship("User")


class ProposalComment(db.Model):
    __tablename__ = "working_area_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("working_area_proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at = created_at_column()

    author = relationship("User")
