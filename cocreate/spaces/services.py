"""Space and challenge use cases.

Who may do what (the rules below are the only place that decides it):

- Facilitators, LSG members and admins create spaces; the creator becomes its owner.
- Anyone may read a public space; a members-only space exists only for its members (and admins).
- Active members post challenges. The author and the space's owners and facilitators edit a
  challenge and change its status.
- Owners and facilitators of a space manage its members: approve or decline requests, invite, remove.
- A platform facilitator has no extra power inside a space they are not a facilitator of: they
  moderate the spaces they own or were made facilitator of, and see a members-only space only as
  a member. This keeps members-only spaces private from everyone but their members.
- An admin may do everything; each act of an admin who is not a manager of the space is written
  to the audit log.
"""
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ..accounts.models import normalise_email
from ..audit.models import record
from ..errors import DomainError, NotFound
from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from ..notifications import notify
from ..orgs.choices import SECTORS
from ..permissions import require, rule
from .models import (
    Challenge, ChallengeStatus, ChallengeStatusChange, JoinPolicy, MemberStatus, Side, Space, SpaceInvitation,
    SpaceMembership, SpaceRole, Theme, Visibility,
)
from .queries import can_see, is_member, membership_of, space_by_slug

BODY_MAX = 20_000  # characters of Markdown in a challenge body or space description
TITLE_MAX = 160
TAGS_MAX = 10
INVITATION_SALT = "space-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600  # seconds
RESERVED_SLUGS = {"new", "invitations"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _is_manager(user, space):
    membership = membership_of(user, space)
    return membership is not None and membership.is_manager


@rule("spaces.create")
def _can_create(user, _obj):
    return user is not None and (user.is_facilitator or user.is_lsg)


@rule("spaces.view")
def _can_view(user, space):
    return can_see(user, space)


@rule("spaces.manage")
def _can_manage(user, space):
    return user is not None and (user.is_admin or _is_manager(user, space))


@rule("spaces.post")
def _can_post(user, space):
    return user is not None and (user.is_admin or is_member(user, space))


@rule("spaces.join")
def _can_join(user, space):
    return (
        user is not None and membership_of(user, space) is None
        and (user.is_admin or space.is_public and space.join_policy in (JoinPolicy.OPEN, JoinPolicy.REQUEST))
    )


@rule("spaces.leave")
def _can_leave(user, space):
    return membership_of(user, space) is not None


@rule("challenges.edit")
def _can_edit_challenge(user, challenge):
    return user is not None and (
        challenge.author_id == user.id and is_member(user, challenge.space) or _can_manage(user, challenge.space)
    )


def _audit_override(actor, space, action, target_type, target_id, **details):
    """Admins act everywhere; when they act outside the spaces they manage, it is on record."""
    if actor.is_admin and not _is_manager(actor, space):
        record(actor, action, target_type, target_id, space_id=space.id, **details)


def _touch(space, challenge=None):
    now = utcnow()
    space.last_activity_at = now
    if challenge is not None:
        challenge.last_activity_at = now


# --- spaces ---------------------------------------------------------------------------------

@dataclass
class SpaceData:
    title: str
    slug: str
    purpose: str = ""
    description: str = ""
    visibility: str = Visibility.PUBLIC
    join_policy: str = JoinPolicy.OPEN
    sector: str = "other"


def slugify(text):
    text = text.lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def _check_space_data(data, space=None):
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_l("Give the space a title."), field="title")
    slug = (data.slug or "").strip().lower() or slugify(title)
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise DomainError(_l("Use lower-case letters, digits and hyphens only, e.g. “limfjord-dealers”."), field="slug")
    other = space_by_slug(slug)
    if other is not None and other is not space:
        raise DomainError(_l("Another space uses this web address already. Choose another."), field="slug")
    if len(data.description or "") > BODY_MAX:
        raise DomainError(_l("Keep the description under %(max)d characters.", max=BODY_MAX), field="description")
    if data.visibility not in Visibility.LABELS or data.join_policy not in JoinPolicy.LABELS or data.sector not in SECTORS:
        raise DomainError(_l("Choose one of the options offered."))
    return title, slug


def create_space(actor, data):
    require(actor, "spaces.create")
    title, slug = _check_space_data(data)
    space = Space(
        title=title, slug=slug, purpose=(data.purpose or "").strip(), description_md=data.description or "",
        description_html=render_markdown(data.description), visibility=data.visibility,
        join_policy=data.join_policy, sector=data.sector, created_by_id=actor.id, last_activity_at=utcnow(),
    )
    db.session.add(space)
    db.session.flush()
    db.session.add(SpaceMembership(space_id=space.id, user_id=actor.id, role=SpaceRole.OWNER, side=Side.of(actor)))
    db.session.commit()
    notify.space_joined(actor, space)
    return space


def update_space(actor, space, data):
    require(actor, "spaces.manage", space)
    title, slug = _check_space_data(data, space)
    space.title, space.slug = title, slug
    space.purpose = (data.purpose or "").strip()
    space.description_md = data.description or ""
    space.description_html = render_markdown(space.description_md)
    space.visibility, space.join_policy, space.sector = data.visibility, data.join_policy, data.sector
    _audit_override(actor, space, "space.edit", "space", space.id)
    db.session.commit()
    return space


# --- membership -----------------------------------------------------------------------------

ALREADY_MEMBER = _l("You are already a member of this space, or have asked to join it.")


def join_space(actor, space):
    """Join an open space, or ask to join one that takes requests. Returns the membership."""
    if membership_of(actor, space) is not None:
        raise DomainError(ALREADY_MEMBER)
    require(actor, "spaces.join", space, message=_l("This space takes new members by invitation only."))
    admitted = space.join_policy == JoinPolicy.OPEN or actor.is_admin
    status = MemberStatus.ACTIVE if admitted else MemberStatus.REQUESTED
    membership = SpaceMembership(space_id=space.id, user_id=actor.id, side=Side.of(actor), status=status)
    db.session.add(membership)
    if space.join_policy != JoinPolicy.OPEN:
        _audit_override(actor, space, "space.join", "space", space.id)
    _touch(space)
    try:
        db.session.commit()
    except IntegrityError:  # the same person's request, sent twice at once: the first one counts
        db.session.rollback()
        raise DomainError(ALREADY_MEMBER)
    notify.space_joined(actor, space)
    return membership


def leave_space(actor, space):
    """Leave a space, or withdraw a request to join it."""
    membership = membership_of(actor, space)
    if membership is None:
        raise DomainError(_l("You are not a member of this space."))
    if membership.is_active and membership.role == SpaceRole.OWNER and _owner_count(space) <= 1:
        raise DomainError(_l("Make another member an owner before the last owner leaves."))
    db.session.delete(membership)
    db.session.commit()


def _owner_count(space):
    return db.session.scalar(
        db.select(db.func.count()).select_from(SpaceMembership).where(
            SpaceMembership.space_id == space.id, SpaceMembership.role == SpaceRole.OWNER,
            SpaceMembership.status == MemberStatus.ACTIVE,
        )
    )


def _membership_in(space, user_id, status=None, lock=False):
    """The membership; ``lock`` holds its row so that two decisions on one request can't both pass."""
    membership = db.session.get(SpaceMembership, (space.id, user_id), with_for_update={"of": SpaceMembership} if lock else None)
    if membership is None:
        raise NotFound(_l("That person is not a member of this space and has not asked to join it."))
    if status and membership.status != status:
        raise DomainError(_l("That request has already been handled."))
    return membership


def approve_request(actor, space, user_id):
    require(actor, "spaces.manage", space)
    membership = _membership_in(space, user_id, MemberStatus.REQUESTED, lock=True)
    membership.status = MemberStatus.ACTIVE
    _audit_override(actor, space, "space.approve", "space", space.id, user_id=user_id)
    _touch(space)
    db.session.commit()
    notify.space_request_decided(space, user_id, approved=True)
    return membership


def decline_request(actor, space, user_id):
    require(actor, "spaces.manage", space)
    membership = _membership_in(space, user_id, MemberStatus.REQUESTED, lock=True)
    db.session.delete(membership)
    _audit_override(actor, space, "space.decline", "space", space.id, user_id=user_id)
    db.session.commit()
    notify.space_request_decided(space, user_id, approved=False)


def remove_member(actor, space, user_id):
    require(actor, "spaces.manage", space)
    membership = _membership_in(space, user_id, MemberStatus.ACTIVE)
    if membership.role == SpaceRole.OWNER and _owner_count(space) <= 1:
        raise DomainError(_l("A space needs at least one owner."))
    db.session.delete(membership)
    _audit_override(actor, space, "space.remove", "space", space.id, user_id=user_id)
    db.session.commit()


def set_member_role(actor, space, user_id, role):
    require(actor, "spaces.manage", space)
    if role not in SpaceRole.LABELS:
        raise DomainError(_l("Choose one of the options offered."))
    membership = _membership_in(space, user_id, MemberStatus.ACTIVE)
    if membership.role == SpaceRole.OWNER and role != SpaceRole.OWNER and _owner_count(space) <= 1:
        raise DomainError(_l("A space needs at least one owner."))
    membership.role = role
    _audit_override(actor, space, "space.role", "space", space.id, user_id=user_id, role=role)
    db.session.commit()
    return membership


def _invitation_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invite_by_email(actor, space, email):
    """Record an invitation and return its signed token (the caller sends the link)."""
    require(actor, "spaces.manage", space)
    email = normalise_email(email)
    if not email or "@" not in email:
        raise DomainError(_l("Enter an e-mail address."), field="email")
    invitation = SpaceInvitation(space_id=space.id, email=email, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    _audit_override(actor, space, "space.invite", "space", space.id, email=email)
    db.session.commit()
    return invitation, _invitation_serializer().dumps({"i": invitation.id, "s": space.id})


def invitation_for_token(token):
    try:
        data = _invitation_serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except SignatureExpired:
        raise DomainError(_l("This invitation has expired. Ask the space’s facilitator for a new one."))
    except BadSignature:
        raise NotFound(_l("This invitation link is not valid."))
    invitation = db.session.get(SpaceInvitation, data.get("i"))
    if invitation is None or invitation.space_id != data.get("s"):
        raise NotFound(_l("This invitation link is not valid."))
    return invitation


def accept_invitation(actor, token):
    """The person following an invitation link becomes a member; the link then is spent."""
    invitation = invitation_for_token(token)
    space = invitation.space
    membership = membership_of(actor, space)
    if invitation.accepted_at is not None and invitation.accepted_by_id != actor.id:
        raise DomainError(_l("This invitation has already been used. Ask the space’s facilitator for a new one."))
    if membership is None:
        db.session.add(SpaceMembership(space_id=space.id, user_id=actor.id, side=Side.of(actor)))
    elif not membership.is_active:
        membership.status = MemberStatus.ACTIVE
    if invitation.accepted_at is None:
        invitation.accepted_at = utcnow()
        invitation.accepted_by_id = actor.id
    _touch(space)
    db.session.commit()
    notify.space_joined(actor, space)
    return space


# --- challenges -----------------------------------------------------------------------------

@dataclass
class ChallengeData:
    title: str
    body: str
    theme_ids: list = field(default_factory=list)
    tags: str = ""


def _clean_tags(text):
    tags = []
    for tag in (text or "").split(","):
        tag = " ".join(tag.split()).lower()[:30]
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise DomainError(_l("Use at most %(max)d tags.", max=TAGS_MAX), field="tags")
    return ", ".join(tags)


def _check_challenge_data(data):
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_l("Give the challenge a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_l("Keep the title under %(max)d characters.", max=TITLE_MAX), field="title")
    if not (data.body or "").strip():
        raise DomainError(_l("Describe the challenge."), field="body")
    if len(data.body) > BODY_MAX:
        raise DomainError(_l("Keep the description under %(max)d characters.", max=BODY_MAX), field="body")
    themes = db.session.scalars(db.select(Theme).where(Theme.id.in_(data.theme_ids or []))).all()
    if not themes:
        raise DomainError(_l("Choose at least one barrier the challenge is about."), field="theme_ids")
    return title, themes, _clean_tags(data.tags)


def post_challenge(actor, space, data):
    require(actor, "spaces.post", space, message=_l("Only members of the space can post challenges."))
    title, themes, tags = _check_challenge_data(data)
    membership = membership_of(actor, space)
    challenge = Challenge(
        space_id=space.id, author_id=actor.id, title=title, body_md=data.body, body_html=render_markdown(data.body),
        tags=tags, themes=list(themes), status=ChallengeStatus.OPEN,
        author_side=membership.side if membership and membership.is_active else Side.of(actor),
    )
    challenge.space = space
    challenge.status_changes.append(ChallengeStatusChange(actor_id=actor.id, from_status=None, to_status=ChallengeStatus.OPEN))
    db.session.add(challenge)
    _touch(space, challenge)
    db.session.flush()
    _audit_override(actor, space, "challenge.post", "challenge", challenge.id)
    db.session.commit()
    notify.challenge_posted(challenge)
    return challenge


def edit_challenge(actor, challenge, data):
    require(actor, "challenges.edit", challenge)
    title, themes, tags = _check_challenge_data(data)
    challenge.title = title
    challenge.body_md = data.body
    challenge.body_html = render_markdown(data.body)
    challenge.themes = list(themes)
    challenge.tags = tags
    challenge.edited_at = utcnow()
    challenge.edited_by_id = actor.id
    _touch(challenge.space, challenge)
    if challenge.author_id != actor.id:
        _audit_override(actor, challenge.space, "challenge.edit", "challenge", challenge.id)
    db.session.commit()
    return challenge


def change_challenge_status(actor, challenge, status):
    """Move a challenge to ``status``; archiving is how a challenge is taken away (no hard delete)."""
    require(actor, "challenges.edit", challenge)
    if status not in ChallengeStatus.LABELS:
        raise DomainError(_l("Choose one of the options offered."), field="status")
    if status == challenge.status:
        raise DomainError(_l("The challenge already has that status."), field="status")
    challenge.status_changes.append(
        ChallengeStatusChange(actor_id=actor.id, from_status=challenge.status, to_status=status)
    )
    challenge.status = status
    _touch(challenge.space, challenge)
    if challenge.author_id != actor.id:
        _audit_override(actor, challenge.space, "challenge.status", "challenge", challenge.id, status=status)
    db.session.commit()
    notify.challenge_status_changed(challenge)
    return challenge
