"""E-mail about notifications: one per notification, a daily digest, the unsubscribe token, the queue.

Mail goes out inline (development, tests) or through an RQ queue on ``REDIS_URL``
(``MAIL_QUEUE=rq``, the production default when Redis is configured); a worker
(``flask worker``) sends it with the app's mail backend.
"""
import logging
from collections import defaultdict
from datetime import timedelta

from flask import current_app, has_app_context, has_request_context, request, url_for
from flask_babel import force_locale, gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..accounts.models import User
from ..extensions import db
from ..mail import send_mail
from ..models import utcnow
from .messages import group_label, sentence
from .models import EmailMode, EmailPreference, Notification

log = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "notifications-unsubscribe"
MAIL_QUEUE_NAME = "mail"
DIGEST_INTERVAL = timedelta(hours=20)  # a daily cron that runs a little early still sends one a day
DIGEST_LOOKBACK = timedelta(days=7)


# --- unsubscribe tokens ---------------------------------------------------------------------

def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user):
    return _serializer().dumps({"u": user.id})


class TokenExpired(Exception):
    pass


def user_for_token(token):
    """The person a token was made for; None if forged; ``TokenExpired`` if too old."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["UNSUBSCRIBE_MAX_AGE"])
    except SignatureExpired:
        raise TokenExpired()
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return user if user is not None and user.is_active else None


# --- addresses outside a request ------------------------------------------------------------

def site_url():
    configured = current_app.config.get("SITE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def absolute(path):
    return path if path.startswith("http") else site_url() + path


# --- composing ------------------------------------------------------------------------------

def email_mode(user_id):
    preference = db.session.get(EmailPreference, user_id)
    return preference.email_mode if preference is not None else EmailMode.DEFAULT


def _locale(user):
    return user.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]


def _footer(user):
    unsubscribe = absolute(url_for("notifications.unsubscribe", token=unsubscribe_token(user)))
    settings = absolute(url_for("notifications.settings"))
    text = _(
        "You get this e-mail because of your notification settings on Cocreate.\n"
        "Change them: %(settings)s\nStop all e-mail about notifications with one click: %(unsubscribe)s",
        settings=settings, unsubscribe=unsubscribe,
    )
    return text, unsubscribe


def _headers(unsubscribe):
    return {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _entry(notification):
    lines = [sentence(notification)]
    if notification.excerpt:
        lines.append(f"  “{notification.excerpt}”")
    if notification.url:
        lines.append(f"  {absolute(notification.url)}")
    return "\n".join(lines)


def compose_single(user, notification):
    with force_locale(_locale(user)):
        subject = sentence(notification)
        footer, unsubscribe = _footer(user)
        body = f"{_entry(notification)}\n\n-- \n{footer}\n"
    return subject, body, _headers(unsubscribe)


def compose_digest(user, notifications):
    """One e-mail: notifications grouped by space (or the account), then by kind, oldest first."""
    groups = defaultdict(lambda: defaultdict(list))
    with force_locale(_locale(user)):
        for notification in notifications:
            space = notification.space.title if notification.space is not None else _("Your account")
            groups[space][group_label(notification.kind)].append(notification)
        subject = _("Your Cocreate digest: %(n)d notifications", n=len(notifications))
        parts = []
        for space in sorted(groups):
            parts.append(f"== {space} ==")
            for heading in sorted(groups[space]):
                parts.append(f"\n{heading}:")
                parts.extend(_entry(notification) for notification in groups[space][heading])
            parts.append("")
        footer, unsubscribe = _footer(user)
        body = "\n".join(parts) + f"\n-- \n{footer}\n"
    return subject, body, _headers(unsubscribe)


# --- sending --------------------------------------------------------------------------------

def queue_mail(to, subject, body, headers=None):
    """Send now (inline) or hand to the RQ worker, by ``MAIL_QUEUE``."""
    if current_app.config["MAIL_QUEUE"] == "rq":
        mail_queue().enqueue(deliver_queued_mail, to, subject, body, headers)
    else:
        send_mail(to, subject, body, headers=headers)


def mail_queue():
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(MAIL_QUEUE_NAME, connection=connection)


_worker_app = None


def deliver_queued_mail(to, subject, body, headers=None):
    """The job the worker runs: send with the app's mail backend (an app is made if none is active)."""
    global _worker_app
    if has_app_context():
        send_mail(to, subject, body, headers=headers)
        return
    if _worker_app is None:
        from .. import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        send_mail(to, subject, body, headers=headers)


def mail_new(notifications):
    """After notifications are stored: mail those whose person wants it now; mark the rest as handled."""
    if not notifications:
        return
    user_ids = {notification.user_id for notification in notifications}
    modes = dict(db.session.execute(
        db.select(EmailPreference.user_id, EmailPreference.email_mode).where(EmailPreference.user_id.in_(user_ids))
    ).all())
    now = utcnow()
    for notification in notifications:
        mode = modes.get(notification.user_id, EmailMode.DEFAULT)
        if mode == EmailMode.DAILY:
            continue
        if mode == EmailMode.IMMEDIATE:
            user = notification.user
            try:
                queue_mail(user.email, *compose_single(user, notification))
            except Exception:  # one unreachable mail server must not lose the other notifications
                log.exception("Could not send notification %s", notification.id)
                continue
        notification.emailed_at = now
    db.session.commit()


def send_digests(now=None):
    """Mail each daily-digest person their unmailed notifications; returns how many e-mails went out."""
    from ..spaces.models import Space
    from ..spaces.queries import visible_space_filter

    now = now or utcnow()
    preferences = db.session.scalars(
        db.select(EmailPreference).where(EmailPreference.email_mode == EmailMode.DAILY)
    ).all()
    sent = 0
    for preference in preferences:
        if preference.last_digest_at is not None and now - _aware(preference.last_digest_at) < DIGEST_INTERVAL:
            continue
        user = db.session.get(User, preference.user_id)
        if user is None or not user.is_active:
            continue
        pending = db.session.scalars(
            db.select(Notification)
            .where(
                Notification.user_id == user.id, Notification.emailed_at.is_(None),
                Notification.created_at >= now - DIGEST_LOOKBACK,
                db.or_(Notification.space_id.is_(None),
                       Notification.space_id.in_(db.select(Space.id).where(visible_space_filter(user)))),
            )
            .order_by(Notification.id)
        ).all()
        if pending:
            queue_mail(user.email, *compose_digest(user, pending))
            sent += 1
        db.session.execute(
            db.update(Notification).where(Notification.user_id == user.id, Notification.emailed_at.is_(None))
            .values(emailed_at=now)
        )
        preference.last_digest_at = now
        db.session.commit()
    return sent


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
