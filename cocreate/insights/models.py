"""1:1 coaching sessions: the individual development that counts toward "developed" with workshops."""
from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


class CoachingSession(db.Model):
    __tablename__ = "coaching_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The person coached, if the session was with one person rather than the organisation as a whole.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    held_on: Mapped[object] = mapped_column(Date)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at = created_at_column()

    organisation = relationship("Organisation")
    person = relationship("User", foreign_keys=[person_id])
    facilitator = relationship("User", foreign_keys=[facilitator_id])
