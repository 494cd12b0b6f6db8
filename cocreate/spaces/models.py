from flask_babel import get_locale, lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column, utcnow


class ThemeKind:
    BARRIER = "barrier"
    WORKING_AREA = "working_area"


class Theme(db.Model):
    """One taxonomy for the six named barriers and the working areas the LSG adds later."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=ThemeKind.BARRIER)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_da: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_da: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)

    # Stored texts in two languages: pick the one of the page being shown.
    @property
    def name(self):
        return self.name_da if str(get_locale()) == "da" else self.name_en

    @property
    def description(self):
        return self.description_da if str(get_locale()) == "da" else self.description_en


class Visibility:
    PUBLIC = "public"
    MEMBERS = "members"
    LABELS = {PUBLIC: _l("Public: anyone may read"), MEMBERS: _l("Members only")}


class JoinPolicy:
    OPEN = "open"
    REQUEST = "request"
    INVITATION = "invitation"
    LABELS = {OPEN: _l("Open: anyone may join"), REQUEST: _l("On request"), INVITATION: _l("By invitation only")}


class SpaceRole:
    OWNER = "owner"
    FACILITATOR = "facilitator"
    MEMBER = "member"
    MANAGERS = (OWNER, FACILITATOR)
    LABELS = {OWNER: _l("Owner"), FACILITATOR: _l("Space facilitator"), MEMBER: _l("Member")}


class Side:
    COMPANY = "company"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    OTHER = "other"
    LABELS = {COMPANY: _l("Company side"), CUSTOMER: _l("Customer side"), SUPPLIER: _l("Supplier side"),
              OTHER: _l("Other side")}

    @classmethod
    def of(cls, user):
        """A person's side by default: the kind of their organisation."""
        organisation = user.organisation
        kind = organisation.kind if organisation else None
        return kind if kind in (cls.COMPANY, cls.CUSTOMER, cls.SUPPLIER) else cls.OTHER


class MemberStatus:
    ACTIVE = "active"
    REQUESTED = "requested"


class Space(db.Model):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PUBLIC)
    join_policy: Mapped[str] = mapped_column(String(12), default=JoinPolicy.OPEN)
    sector: Mapped[str] = mapped_column(String(20), default="other", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()
    last_activity_at: Mapped[object] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    memberships: Mapped[list["SpaceMembership"]] = relationship(back_populates="space", cascade="all, delete-orphan")

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    def __repr__(self):
        return f"<Space {self.slug}>"


class SpaceMembership(db.Model):
    """A member of a space, or a request to become one (status ``requested``)."""

    __tablename__ = "space_memberships"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12), default=SpaceRole.MEMBER)
    side: Mapped[str] = mapped_column(String(10), default=Side.OTHER)
    status: Mapped[str] = mapped_column(String(10), default=MemberStatus.ACTIVE)
    created_at = created_at_column()

    space: Mapped[Space] = relationship(back_populates="memberships")
    user = relationship("User")

    @property
    def is_active(self):
        return self.status == MemberStatus.ACTIVE

    @property
    def is_manager(self):
        return self.is_active and self.role in SpaceRole.MANAGERS


class SpaceInvitation(db.Model):
    """An invitation by e-mail; the signed link carries its id and is good once."""

    __tablename__ = "space_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()
    accepted_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    space: Mapped[Space] = relationship()


class ChallengeStatus:
    OPEN = "open"
    IN_WORKSHOP = "in_workshop"
    SOLVED = "solved"
    ARCHIVED = "archived"
    LABELS = {OPEN: _l("Open"), IN_WORKSHOP: _l("In workshop"), SOLVED: _l("Solved"), ARCHIVED: _l("Archived")}


challenge_themes = Table(
    "challenge_themes",
    db.metadata,
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Challenge(db.Model):
    __tablename__ = "challenges"
    # Newest-first lists: a space's challenges and the barrier pages across spaces (migration 0013).
    __table_args__ = (
        Index("ix_challenges_space_created", "space_id", "created_at", "id"),
        Index("ix_challenges_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The author's side in the space when they posted; lists filter on it without a join.
    author_side: Mapped[str] = mapped_column(String(10), default=Side.OTHER)
    title: Mapped[str] = mapped_column(String(160))
    body_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    tags: Mapped[str] = mapped_column(String(300), default="", server_default="")
    status: Mapped[str] = mapped_column(String(12), default=ChallengeStatus.OPEN, index=True)
    created_at = created_at_column()
    edited_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_activity_at: Mapped[object] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    space: Mapped[Space] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    edited_by = relationship("User", foreign_keys=[edited_by_id])
    themes: Mapped[list[Theme]] = relationship(secondary=challenge_themes, order_by=Theme.position)
    status_changes: Mapped[list["ChallengeStatusChange"]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="ChallengeStatusChange.id"
    )
    # Read only: loaded with the challenge's page so ``ideas.queries.rules_of`` finds the rules in
    # the session instead of asking again; they are written through ``VotingRules`` alone.
    voting_rules = relationship("VotingRules", uselist=False, viewonly=True)

    @property
    def tag_list(self):
        return [tag for tag in (t.strip() for t in self.tags.split(",")) if tag]


class ChallengeStatusChange(db.Model):
    __tablename__ = "challenge_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    created_at = created_at_column()

    challenge: Mapped[Challenge] = relationship(back_populates="status_changes")
    actor = relationship("User")
