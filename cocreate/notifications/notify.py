"""The triggers: each area's services call one of these after their transaction commits.

Every function here is wrapped by ``_safely``: a failure is logged and rolled back and never
breaks the action that triggered it. Who is told is always cut down to the people who may see
the space (members only, for a members-only space), and the actor is never told of their own act.
"""
import contextlib
import functools
import logging
import re
from datetime import timedelta

from flask import current_app, has_request_context
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..extensions import db
from ..models import utcnow
from .delivery import mail_new, site_url
from .models import Follow, Notification
from .services import ensure_follow
from .targets import challenge_url, idea_url, proposal_url, workshop_url

log = logging.getLogger(__name__)
EXCERPT_MAX = 200
REMINDER_AHEAD = timedelta(hours=24)


def _safely(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            with _url_context():
                return function(*args, **kwargs)
        except Exception:
            log.exception("Notifications for %s failed; the action itself went through", function.__name__)
            db.session.rollback()
            return None

    return wrapper


def _url_context():
    """Links are built with ``url_for``; services also run from commands and tests, outside a request."""
    if has_request_context():
        return contextlib.nullcontext()
    return current_app.test_request_context(base_url=site_url())


def excerpt_of(text):
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1].rstrip() + "…"


def audience(user_ids, space):
    """The active people among ``user_ids`` who may see ``space`` (all of them when it is None or public)."""
    from ..spaces.models import MemberStatus, SpaceMembership

    user_ids = {user_id for user_id in user_ids if user_id is not None}
    if not user_ids:
        return {}
    users = db.session.scalars(db.select(User).where(User.id.in_(user_ids), User.is_active.is_(True))).all()
    if space is not None and not space.is_public:
        members = set(db.session.scalars(
            db.select(SpaceMembership.user_id).where(
                SpaceMembership.space_id == space.id, SpaceMembership.status == MemberStatus.ACTIVE,
                SpaceMembership.user_id.in_(user_ids),
            )
        ))
        users = [user for user in users if user.id in members or user.is_admin]
    return {user.id: user for user in users}


def followers(kind, target_id):
    return set(db.session.scalars(
        db.select(Follow.user_id).where(Follow.target_kind == kind, Follow.target_id == target_id)
    ))


def _store(recipients, kind, *, actor_id=None, space=None, target=("", None), params=None, excerpt="", url="",
           dedupe_key=None):
    """Create one notification per recipient (a {user_id: kind} mapping or an iterable of ids)."""
    kinds = recipients if isinstance(recipients, dict) else {user_id: kind for user_id in recipients}
    kinds = {user_id: k for user_id, k in kinds.items() if user_id != actor_id}
    users = audience(kinds, space)
    notifications = []
    for user_id, user in users.items():
        notification = Notification(
            user_id=user_id, kind=kinds[user_id], actor_id=actor_id, space_id=space.id if space else None,
            target_kind=target[0], target_id=target[1], params=dict(params or {}), excerpt=excerpt, url=url,
            dedupe_key=dedupe_key,
        )
        notification.user = user
        notifications.append(notification)
    db.session.add_all(notifications)
    db.session.commit()
    return notifications


def _deliver(*args, mail=True, **kwargs):
    notifications = _store(*args, **kwargs)
    if mail:
        mail_new(notifications)
    else:
        now = utcnow()
        for notification in notifications:
            notification.emailed_at = now
        db.session.commit()
    return notifications


def _name(user):
    return user.display_name if user is not None else ""


def mentioned_members(space, text):
    """Ids of the space's active members named as ``@Display Name`` in ``text`` (quoted lines do not count)."""
    from ..spaces.models import MemberStatus, SpaceMembership

    own = "\n".join(line for line in (text or "").splitlines() if not line.lstrip().startswith(">"))
    if "@" not in own:
        return []
    members = db.session.execute(
        db.select(User.id, User.display_name).join(SpaceMembership, SpaceMembership.user_id == User.id)
        .where(SpaceMembership.space_id == space.id, SpaceMembership.status == MemberStatus.ACTIVE)
    ).all()
    found = []
    for user_id, name in members:
        if re.search(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)", own, re.IGNORECASE):
            found.append(user_id)
    return found


def _first_reason(*groups):
    """{user_id: kind}: each person once, for the first reason that applies to them."""
    kinds = {}
    for kind, user_ids in groups:
        for user_id in user_ids:
            if user_id is not None:
                kinds.setdefault(user_id, kind)
    return kinds


# --- workshops ------------------------------------------------------------------------------

def newly_mentioned(space, before, after):
    """Members named in ``after`` but not in ``before``: whom an edit adds a mention of."""
    earlier = set(mentioned_members(space, before))
    return [user_id for user_id in mentioned_members(space, after) if user_id not in earlier]


def _tell_about_post(post, kinds):
    from ..workshops.queries import page_of

    workshop = post.workshop
    page = page_of(post)
    url = workshop_url(workshop) + (f"?page={page}" if page > 1 else "") + f"#post-{post.id}"
    _deliver(kinds, "reply", actor_id=post.author_id, space=workshop.space, target=("post", post.id),
             params={"actor": _name(post.author), "title": workshop.title}, excerpt=excerpt_of(post.body_md), url=url)


@_safely
def post_created(post):
    workshop = post.workshop
    parent_author = [post.parent.author_id] if post.parent is not None else []
    _tell_about_post(post, _first_reason(
        ("reply", parent_author),
        ("mention", mentioned_members(workshop.space, post.body_md)),
        ("followed_post", followers("workshop", workshop.id)),
    ))


@_safely
def post_edited(post, previous_md):
    """Only the people an edit newly @mentions are told; everyone else heard of the post when it was written."""
    added = newly_mentioned(post.workshop.space, previous_md, post.body_md)
    if added:
        _tell_about_post(post, {user_id: "mention" for user_id in added})


@_safely
def workshop_created(workshop):
    ensure_follow(workshop.created_by_id, "workshop", workshop.id)
    db.session.commit()
    space = workshop.space
    _deliver(followers("space", space.id), "new_workshop", actor_id=workshop.created_by_id, space=space,
             target=("workshop", workshop.id), params={"space": space.title, "title": workshop.title},
             url=workshop_url(workshop))


@_safely
def registered(registration):
    ensure_follow(registration.user_id, "workshop", registration.workshop_id)
    db.session.commit()


@_safely
def waitlist_promoted(registrations):
    """In the app, and by e-mail as the person chose: a place they waited for is worth a mail right away."""
    for registration in registrations:
        workshop = registration.workshop
        _deliver([registration.user_id], "promoted", space=workshop.space, target=("workshop", workshop.id),
                 params={"title": workshop.title}, url=workshop_url(workshop))


@_safely
def post_moderated(post, hidden, reason=""):
    """Tell the author (never with the text); a hidden post's text leaves every notification about it."""
    if hidden:
        db.session.execute(
            db.update(Notification).where(Notification.target_kind == "post", Notification.target_id == post.id)
            .values(excerpt="")
        )
        db.session.commit()
    workshop = post.workshop
    _deliver([post.author_id], "post_hidden" if hidden else "post_restored", space=workshop.space,
             target=("post", post.id), params={"title": workshop.title, "reason": reason},
             url=workshop_url(workshop) + f"#post-{post.id}")


def send_reminders(now=None):
    """Remind the registered people of workshops that start within 24 hours; running again adds nothing."""
    with _url_context():
        return _send_reminders(now)


def _send_reminders(now):
    from ..workshops.models import Phase, Registration, RegistrationStatus, Workshop

    now = now or utcnow()
    workshops = db.session.scalars(
        db.select(Workshop).where(Workshop.starts_at > now, Workshop.starts_at <= now + REMINDER_AHEAD,
                                  Workshop.phase != Phase.CLOSED).order_by(Workshop.id)
    ).all()
    created = 0
    for workshop in workshops:
        starts_at = workshop.starts_at if workshop.starts_at.tzinfo else workshop.starts_at.replace(tzinfo=now.tzinfo)
        key = f"reminder:{workshop.id}:{starts_at.strftime('%Y%m%dT%H%M')}"
        registered_ids = set(db.session.scalars(
            db.select(Registration.user_id).where(Registration.workshop_id == workshop.id,
                                                  Registration.status == RegistrationStatus.REGISTERED)
        ))
        done = set(db.session.scalars(
            db.select(Notification.user_id).where(Notification.dedupe_key == key,
                                                  Notification.user_id.in_(registered_ids))
        ))
        try:
            created += len(_deliver(registered_ids - done, "reminder", space=workshop.space,
                                    target=("workshop", workshop.id),
                                    params={"title": workshop.title, "starts_at": starts_at.isoformat()},
                                    url=workshop_url(workshop), dedupe_key=key))
        except IntegrityError:  # another run got there first
            db.session.rollback()
    return created


# --- ideas ----------------------------------------------------------------------------------

@_safely
def idea_proposed(idea):
    ensure_follow(idea.author_id, "idea", idea.id)
    db.session.commit()
    challenge = idea.challenge
    _deliver(followers("challenge", challenge.id), "new_idea", actor_id=idea.author_id, space=challenge.space,
             target=("idea", idea.id), params={"challenge": challenge.title, "title": idea.title},
             excerpt=excerpt_of(idea.body_md), url=idea_url(idea))


@_safely
def idea_status_changed(idea):
    changes = idea.status_changes
    actor_id = changes[-1].actor_id if changes else None
    recipients = {idea.author_id} | followers("idea", idea.id)
    _deliver(recipients, "idea_status", actor_id=actor_id, space=idea.challenge.space, target=("idea", idea.id),
             params={"title": idea.title, "status": idea.status}, url=idea_url(idea))


def _tell_about_comment(comment, idea, kinds):
    _deliver(kinds, "comment", actor_id=comment.author_id, space=idea.challenge.space,
             target=("idea_comment", comment.id), params={"actor": _name(comment.author), "title": idea.title},
             excerpt=excerpt_of(comment.body_md), url=idea_url(idea) + f"#comment-{comment.id}")


@_safely
def comment_added(comment):
    from ..ideas.models import Idea, IdeaComment

    idea = db.session.get(Idea, comment.idea_id)
    parent = db.session.get(IdeaComment, comment.parent_id) if comment.parent_id else None
    _tell_about_comment(comment, idea, _first_reason(
        ("reply", [parent.author_id] if parent else []),
        ("mention", mentioned_members(idea.challenge.space, comment.body_md)),
        ("comment", [idea.author_id]),
        ("followed_comment", followers("idea", idea.id)),
    ))


@_safely
def comment_edited(comment, previous_md):
    """As for posts: only the people an edit newly @mentions are told."""
    from ..ideas.models import Idea

    idea = db.session.get(Idea, comment.idea_id)
    added = newly_mentioned(idea.challenge.space, previous_md, comment.body_md)
    if added:
        _tell_about_comment(comment, idea, {user_id: "mention" for user_id in added})


# --- spaces and challenges ------------------------------------------------------------------

@_safely
def space_joined(user, space):
    """Members follow their space; a pending request follows nothing yet."""
    from ..spaces.queries import is_member

    if is_member(user, space):
        ensure_follow(user.id, "space", space.id)
        db.session.commit()


@_safely
def space_request_decided(space, user_id, approved):
    from flask import url_for

    if approved:
        ensure_follow(user_id, "space", space.id)
        db.session.commit()
    # The decision is about the person's own request, so they are told even for a members-only space.
    _deliver([user_id], "space_approved" if approved else "space_declined", target=("space", space.id),
             params={"title": space.title}, url=url_for("spaces.show", slug=space.slug) if approved else "")


@_safely
def organisation_request_decided(organisation, user_id, approved):
    from flask import url_for

    _deliver([user_id], "org_approved" if approved else "org_declined", target=("organisation", organisation.id),
             params={"title": organisation.name},
             url=url_for("orgs.show", organisation_id=organisation.id) if approved else "")


@_safely
def challenge_posted(challenge):
    ensure_follow(challenge.author_id, "challenge", challenge.id)
    db.session.commit()
    space = challenge.space
    _deliver(followers("space", space.id), "new_challenge", actor_id=challenge.author_id, space=space,
             target=("challenge", challenge.id), params={"space": space.title, "title": challenge.title},
             excerpt=excerpt_of(challenge.body_md), url=challenge_url(challenge))


@_safely
def challenge_status_changed(challenge):
    changes = challenge.status_changes
    actor_id = changes[-1].actor_id if changes else None
    recipients = {challenge.author_id} | followers("challenge", challenge.id)
    _deliver(recipients, "challenge_status", actor_id=actor_id, space=challenge.space,
             target=("challenge", challenge.id), params={"title": challenge.title, "status": challenge.status},
             url=challenge_url(challenge))


# --- working areas --------------------------------------------------------------------------

@_safely
def working_area_joined(user_id, proposal):
    """Proposing, endorsing or commenting on a proposal follows it."""
    ensure_follow(user_id, "working_area", proposal.id)
    db.session.commit()


@_safely
def working_area_commented(comment, proposal):
    ensure_follow(comment.author_id, "working_area", proposal.id)
    db.session.commit()
    _deliver(followers("working_area", proposal.id), "working_area_comment", actor_id=comment.author_id,
             target=("working_area", proposal.id), params={"actor": _name(comment.author), "title": proposal.title},
             excerpt=excerpt_of(comment.body_md), url=proposal_url(proposal) + f"#comment-{comment.id}")


@_safely
def working_area_decided(actor, proposal):
    recipients = {proposal.author_id} | followers("working_area", proposal.id)
    _deliver(recipients, "working_area_status", actor_id=actor.id, target=("working_area", proposal.id),
             params={"title": proposal.title, "status": proposal.status}, url=proposal_url(proposal))
