from datetime import timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


def as_utc(moment):
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


class Phase:
    PREPARING = "preparing"
    DIVERGE = "diverge"
    CONVERGE = "converge"
    DECIDE = "decide"
    CLOSED = "closed"
    ORDER = (PREPARING, DIVERGE, CONVERGE, DECIDE, CLOSED)
    LABELS = {
        PREPARING: _l("Preparing"),
        DIVERGE: _l("Diverge: collect input"),
        CONVERGE: _l("Converge: discuss and vote"),
        DECIDE: _l("Decide"),
        CLOSED: _l("Closed"),
    }
    # Members post while input is wanted; facilitators may also post while preparing.
    MEMBERS_POST = (DIVERGE, CONVERGE, DECIDE)
    OUTCOME = (DECIDE, CLOSED)


class Instrument:
    """The maturity instruments a workshop can target (their level keys are in cocreate/maturity/instruments)."""

    COMPANY = "company"
    MANAGEMENT = "management"
    LABELS = {COMPANY: _l("Company maturity"), MANAGEMENT: _l("Management maturity")}


workshop_challenges = Table(
    "workshop_challenges",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    agenda_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    agenda_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_at: Mapped[object] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[object] = mapped_column(DateTime(timezone=True))
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    capacity: Mapped[int]
    # The target maturity band: instrument key and level keys.
    maturity_instrument: Mapped[str | None] = mapped_column(String(20))
    maturity_level_from: Mapped[str | None] = mapped_column(String(40))
    maturity_level_to: Mapped[str | None] = mapped_column(String(40))
    # Band-restricted: only people whose level lies in the band may register (see workshops.steering).
    band_restricted: Mapped[bool] = mapped_column(default=False, server_default="0")
    phase: Mapped[str] = mapped_column(String(12), default=Phase.PREPARING, server_default=Phase.PREPARING)
    is_locked: Mapped[bool] = mapped_column(default=False, server_default="0")
    outcome_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()

    space = relationship("Space")
    challenges = relationship("Challenge", secondary=workshop_challenges, order_by="Challenge.id")

    @property
    def location_is_link(self):
        return self.location.startswith(("https://", "http://"))

    def __repr__(self):
        return f"<Workshop {self.id} {self.title}>"


class RegistrationStatus:
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"


class Registration(db.Model):
    """A place at a workshop, or a place in its waitlist (first come, first promoted: by id)."""

    __tablename__ = "workshop_registrations"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=RegistrationStatus.REGISTERED)
    # Set when the person moved up from the waitlist, so the workshop page can tell them.
    promoted_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    created_at = created_at_column()

    workshop: Mapped[Workshop] = relationship()
    user = relationship("User")

    @property
    def is_registered(self):
        return self.status == RegistrationStatus.REGISTERED


class Post(db.Model):
    """A post in a workshop thread; a reply has a top-level ``parent`` (one level only)."""

    __tablename__ = "workshop_posts"
    # The thread page and the live poll both read "posts of a workshop by id".
    __table_args__ = (
        Index("ix_workshop_posts_workshop_id_id", "workshop_id", "id"),
        # Thread pages page through top-level posts and show pinned ones first (migration 0013).
        Index("ix_workshop_posts_top_level", "workshop_id", "id",
              postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL")),
        Index("ix_workshop_posts_pinned", "workshop_id",
              postgresql_where=text("is_pinned IS TRUE"), sqlite_where=text("is_pinned IS TRUE")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The author's side in the space when they posted.
    author_side: Mapped[str] = mapped_column(String(10), default="other")
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at = created_at_column()
    edited_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    is_pinned: Mapped[bool] = mapped_column(default=False, server_default="0")
    hidden_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    workshop: Mapped[Workshop] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    parent = relationship("Post", remote_side=[id], back_populates="replies")
    replies: Mapped[list["Post"]] = relationship(back_populates="parent", order_by="Post.id")

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class ReportStatus:
    OPEN = "open"
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


class PostReport(db.Model):
    """A member's report of a post; it waits in the space's moderation queue until resolved."""

    __tablename__ = "workshop_post_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept on the report so the queue and its badge count without joining through the workshop.
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("workshop_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=ReportStatus.OPEN, index=True)
    created_at = created_at_column()
    resolved_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    post: Mapped[Post] = relationship()
    reporter = relationship("User", foreign_keys=[reporter_id])


class SpaceMute(db.Model):
    """A member who may not post in a space's workshops until ``until``."""

    __tablename__ = "space_mutes"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    until: Mapped[object] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()

    user = relationship("User", foreign_keys=[user_id])
