"""Use cases of the notifications area: follow, unfollow, read, choose e-mail, unsubscribe, remind.

The triggers that create notifications live in ``notify.py``.
"""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import utcnow
from ..permissions import can, require, rule
from .models import EmailMode, EmailPreference, Follow, Notification
from .targets import load_target


def _target_space(spec, target):
    return spec.space_of(target)


def _may_see(user, spec, target):
    """A target outside any space (a working-area proposal) is open to everyone; else its space decides."""
    space = _target_space(spec, target)
    return space is None or can(user, "spaces.view", space)


@rule("notifications.follow")
def _can_follow(user, target_pair):
    spec, target = target_pair
    return user is not None and _may_see(user, spec, target)


def followable_or_404(user, kind, target_id):
    """(spec, target) when it exists and ``user`` may see it; else 404 (no hint that it exists)."""
    spec, target = load_target(kind, target_id)
    if spec is None or not _may_see(user, spec, target):
        raise NotFound(_l("There is nothing like that to follow."))
    return spec, target


def is_following(user, kind, target_id):
    return db.session.get(Follow, (user.id, kind, target_id)) is not None


def ensure_follow(user_id, kind, target_id):
    """Follow without committing (used by the automatic follows); nothing happens if already followed."""
    if user_id is not None and db.session.get(Follow, (user_id, kind, target_id)) is None:
        db.session.add(Follow(user_id=user_id, target_kind=kind, target_id=target_id))


def follow(actor, kind, target_id):
    spec, target = followable_or_404(actor, kind, target_id)
    require(actor, "notifications.follow", (spec, target))
    ensure_follow(actor.id, kind, target.id)
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced itself: the follow exists, which is what was asked
        db.session.rollback()
    return target


def unfollow(actor, kind, target_id):
    spec, target = load_target(kind, target_id)
    if spec is None:
        raise NotFound(_l("There is nothing like that to follow."))
    db.session.execute(
        db.delete(Follow).where(Follow.user_id == actor.id, Follow.target_kind == kind, Follow.target_id == target_id)
    )
    db.session.commit()
    return target


def notification_of(actor, notification_id):
    notification = db.session.get(Notification, notification_id)
    if notification is None or actor is None or notification.user_id != actor.id:
        raise NotFound(_l("There is no such notification."))
    return notification


def mark_read(actor, notification_id):
    notification = notification_of(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(actor):
    db.session.execute(
        db.update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def set_email_mode(actor, user, mode):
    if actor is None or actor.id != user.id:
        raise NotFound(_l("There is no such setting."))
    if mode not in EmailMode.LABELS:
        raise DomainError(_l("Choose one of the options offered."), field="email_mode")
    preference = db.session.get(EmailPreference, user.id) or EmailPreference(user_id=user.id)
    preference.email_mode = mode
    db.session.add(preference)
    if mode != EmailMode.DAILY:
        # Nothing waits for a digest that will not come.
        db.session.execute(
            db.update(Notification).where(Notification.user_id == user.id, Notification.emailed_at.is_(None))
            .values(emailed_at=utcnow())
        )
    db.session.commit()
    return preference


def unsubscribe(user):
    """The one-click link: no more e-mail about notifications (in-app ones go on)."""
    return set_email_mode(user, user, EmailMode.NEVER)


# --- mention suggestions --------------------------------------------------------------------

MENTION_FRAGMENT = re.compile(r"(?:^|\s)@([^\s@][^@\n]{0,30})?$")
SUGGESTIONS = 8


def mention_fragment(text):
    """The name being typed after the last ``@`` at the end of ``text``, or None."""
    match = MENTION_FRAGMENT.search(text or "")
    if match is None:
        return None
    return (match.group(1) or "").strip()


def suggest_members(space, text):
    from ..accounts.models import User
    from ..spaces.models import MemberStatus, SpaceMembership

    fragment = mention_fragment(text)
    if fragment is None:
        return fragment, []
    pattern = fragment.replace("\\", "").replace("%", "").replace("_", "") + "%"
    names = db.session.scalars(
        db.select(User.display_name)
        .join(SpaceMembership, SpaceMembership.user_id == User.id)
        .where(SpaceMembership.space_id == space.id, SpaceMembership.status == MemberStatus.ACTIVE,
               User.is_active.is_(True), db.func.lower(User.display_name).like(pattern.lower()))
        .order_by(User.display_name)
        .limit(SUGGESTIONS)
    ).all()
    return fragment, names
