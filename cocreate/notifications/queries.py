"""Reads: a person's notifications (only those about spaces they may still see) and the unread count."""
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import Notification


def _still_visible(user):
    from ..spaces.models import Space
    from ..spaces.queries import visible_space_filter

    return db.or_(
        Notification.space_id.is_(None),
        Notification.space_id.in_(db.select(Space.id).where(visible_space_filter(user))),
    )


def notifications_for(user):
    """Newest first, with the actor loaded in the same query."""
    return (
        db.select(Notification)
        .where(Notification.user_id == user.id, _still_visible(user))
        .options(joinedload(Notification.actor))
        .order_by(Notification.id.desc())
    )


def badge_state(user):
    """(unread count, newest notification id): one query, and all the badge's ETag needs."""
    count, newest = db.session.execute(
        db.select(
            db.func.count(Notification.id).filter(Notification.read_at.is_(None)),
            db.func.max(Notification.id),
        ).where(Notification.user_id == user.id, _still_visible(user))
    ).one()
    return count or 0, newest or 0
