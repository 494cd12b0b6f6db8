from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Lower-cased name, unique, so "Aalborg Stål" and "aalborg stål" cannot both exist.
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(20))
    size_band: Mapped[str] = mapped_column(String(10))
    municipality: Mapped[str] = mapped_column(String(60))
    description_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at = created_at_column()

    memberships: Mapped[list["OrganisationMembership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Organisation {self.id} {self.name}>"


class MembershipStatus:
    PENDING = "pending"
    ACTIVE = "active"


class Position:
    """What a member is in their organisation; executives and board members take the management assessment."""

    STAFF = "staff"
    EXECUTIVE = "executive"
    BOARD = "board"
    ALL = (STAFF, EXECUTIVE, BOARD)
    MANAGEMENT = (EXECUTIVE, BOARD)


class OrganisationMembership(db.Model):
    """A person belongs to at most one organisation (one row per person)."""

    __tablename__ = "organisation_memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=MembershipStatus.PENDING)
    is_admin: Mapped[bool] = mapped_column(default=False, server_default="0")
    position: Mapped[str] = mapped_column(String(10), default=Position.STAFF, server_default=Position.STAFF)
    created_at = created_at_column()

    user = relationship("User", back_populates="membership")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")

    @property
    def is_active(self):
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_management(self):
        return self.position in Position.MANAGEMENT
