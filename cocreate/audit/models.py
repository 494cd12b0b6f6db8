from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = created_at_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # Set where the act belongs to a co-creation space, so its facilitators can read it.
    space_id: Mapped[int | None] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")


def record(actor, action, target_type, target_id=None, *, reason="", space_id=None, **details):
    """Add an audit entry to the current transaction (the caller commits)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        space_id=space_id,
        reason=reason or "",
        details=details,
    )
    db.session.add(entry)
    return entry
