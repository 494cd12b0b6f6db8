from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import created_at_column


class EmailMode:
    IMMEDIATE = "immediate"
    DAILY = "daily"
    NEVER = "never"
    DEFAULT = IMMEDIATE
    LABELS = {
        IMMEDIATE: _l("Immediately, one e-mail per notification"),
        DAILY: _l("Once a day, as a digest"),
        NEVER: _l("Never"),
    }


class Follow(db.Model):
    """Someone follows a target (``target_kind`` names a kind registered in ``targets.py``)."""

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_target", "target_kind", "target_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    target_id: Mapped[int] = mapped_column(primary_key=True)
    created_at = created_at_column()


class Notification(db.Model):
    """One thing to tell one person. ``params`` fill the kind's sentence in the reader's language.

    ``excerpt`` is plain text the recipient could read at the time; it is emptied when the
    content is hidden. ``dedupe_key`` makes repeated runs (reminders) create nothing twice.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_target", "target_kind", "target_id"),
        Index("ix_notifications_pending_mail", "emailed_at", "user_id"),
        UniqueConstraint("user_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    target_id: Mapped[int | None] = mapped_column()
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    created_at = created_at_column()
    read_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
    # Set when mailed, or when the person's choice means it is never mailed.
    emailed_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])
    space = relationship("Space")

    @property
    def is_read(self):
        return self.read_at is not None


class EmailPreference(db.Model):
    """How a person wants e-mail about notifications; no row means ``EmailMode.DEFAULT``."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default=EmailMode.DEFAULT)
    last_digest_at: Mapped[object | None] = mapped_column(DateTime(timezone=True))
