"""Reads about spaces and challenges, with the one rule of who may see what.

``visible_space_filter(user)`` is the single place that decides which spaces a
person may see: public spaces, spaces they are an active member of, and every
space for an admin. Every list, count, feed or search over spaces, challenges
or what later attaches to them builds on it, so members-only content never
leaks. ``space_for_member_or_404`` and ``space_visible_or_404`` answer a
non-member of a members-only space with the same 404 as a space that does not
exist.
"""
from flask import abort
from sqlalchemy import and_, exists, or_, true
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import User
from ..extensions import db
from ..requestcache import remembered
from ..orgs.models import OrganisationMembership
from .models import (
    Challenge, ChallengeStatus, ChallengeStatusChange, MemberStatus, Side, Space, SpaceMembership, SpaceRole, Theme, Visibility,
    challenge_themes,
)

SORTS = ("newest", "active")


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def member_space_ids(user):
    """A subquery of the ids of the spaces ``user`` is an active member of."""
    return (
        db.select(SpaceMembership.space_id)
        .where(SpaceMembership.user_id == user.id, SpaceMembership.status == MemberStatus.ACTIVE)
        .scalar_subquery()
    )


def visible_space_filter(user):
    """A WHERE clause on ``Space``: the spaces ``user`` may see."""
    user = _user(user)
    if user is None:
        return Space.visibility == Visibility.PUBLIC
    if user.is_admin:
        return true()
    return or_(Space.visibility == Visibility.PUBLIC, Space.id.in_(member_space_ids(user)))


def visible_spaces(user):
    return db.select(Space).where(visible_space_filter(user))


def visible_challenges(user):
    """Challenges in the spaces ``user`` may see; join more as needed."""
    return db.select(Challenge).join(Space, Challenge.space_id == Space.id).where(visible_space_filter(user))


def membership_of(user, space):
    """The person's membership row (active or a request), or None.

    Remembered for the request (a missing row too), so the permission checks of a page ask
    the database once; the pages' own loaders fetch it with the space (``with_membership``).
    """
    user = _user(user)
    if user is None or space is None:
        return None
    return remembered(_membership_key(space.id, user.id), lambda: db.session.get(SpaceMembership, (space.id, user.id)))


def _membership_key(space_id, user_id):
    return ("spaces.membership", space_id, user_id)


def with_membership(select, user, space_of):
    """Run ``select`` (which joins ``Space``) for one row, fetching the person's membership of
    that space in the same query; answers the row (without the membership), or None."""
    user = _user(user)
    if user is not None:
        select = select.add_columns(SpaceMembership).outerjoin(
            SpaceMembership, and_(SpaceMembership.space_id == Space.id, SpaceMembership.user_id == user.id)
        )
    row = db.session.execute(select).unique().one_or_none()
    if row is None:
        return None
    if user is None:
        return row
    remembered(_membership_key(space_of(row[0]).id, user.id), lambda: row[-1])
    return row[:-1]


def is_member(user, space):
    membership = membership_of(user, space)
    return membership is not None and membership.is_active


def can_see(user, space):
    user = _user(user)
    return space.is_public or (user is not None and (user.is_admin or is_member(user, space)))


def space_by_slug(slug):
    return db.session.scalar(db.select(Space).where(Space.slug == slug))


def space_visible_or_404(slug, user):
    row = with_membership(db.select(Space).where(Space.slug == slug), user, lambda space: space)
    space = row[0] if row else None
    if space is None or not can_see(user, space):
        abort(404)
    return space


def space_for_member_or_404(slug, user):
    """The space if ``user`` may see it, else 404; later areas use it for every space URL."""
    return space_visible_or_404(slug, user)


def challenge_by_slug_or_404(slug, challenge_id, user):
    """The challenge with its space, in one query, if ``user`` may see the space; else 404."""
    row = with_membership(
        _challenge_page_select(challenge_id)
        .join(Space, Challenge.space_id == Space.id).where(Space.slug == slug)
        .options(contains_eager(Challenge.space)),
        user, lambda challenge: challenge.space,
    )
    challenge = row[0] if row else None
    if challenge is None or not can_see(user, challenge.space):
        abort(404)
    return challenge


def _challenge_page_select(challenge_id):
    """One challenge with what its page shows; its few themes and its voting rules come in the same query."""
    return db.select(Challenge).where(Challenge.id == challenge_id).options(
        joinedload(Challenge.themes), joinedload(Challenge.voting_rules), _author_options(Challenge.author),
        joinedload(Challenge.status_changes).joinedload(ChallengeStatusChange.actor),
        joinedload(Challenge.edited_by),
    )


def _author_options(author):
    return joinedload(author).joinedload(User.membership).joinedload(OrganisationMembership.organisation)


def _challenge_list_options():
    return selectinload(Challenge.themes), _author_options(Challenge.author)


def barriers():
    return db.session.scalars(db.select(Theme).order_by(Theme.kind, Theme.position, Theme.id)).all()


def theme_by_slug_or_404(slug):
    theme = db.session.scalar(db.select(Theme).where(Theme.slug == slug))
    if theme is None:
        abort(404)
    return theme


def space_directory(user, q="", theme=None, sector=""):
    select = visible_spaces(user).order_by(Space.last_activity_at.desc(), Space.id.desc())
    if q:
        select = select.where(Space.title.ilike(f"%{_escape_like(q)}%", escape="\\"))
    if sector:
        select = select.where(Space.sector == sector)
    if theme is not None:
        select = select.where(
            exists()
            .where(Challenge.space_id == Space.id)
            .where(Challenge.id == challenge_themes.c.challenge_id, challenge_themes.c.theme_id == theme.id)
        )
    return select


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def member_counts(space_ids):
    """{space_id: active member count} in one query."""
    if not space_ids:
        return {}
    rows = db.session.execute(
        db.select(SpaceMembership.space_id, db.func.count())
        .where(SpaceMembership.space_id.in_(space_ids), SpaceMembership.status == MemberStatus.ACTIVE)
        .group_by(SpaceMembership.space_id)
    )
    return dict(rows.all())


def challenge_counts(space_ids):
    if not space_ids:
        return {}
    rows = db.session.execute(
        db.select(Challenge.space_id, db.func.count())
        .where(Challenge.space_id.in_(space_ids), Challenge.status != ChallengeStatus.ARCHIVED)
        .group_by(Challenge.space_id)
    )
    return dict(rows.all())


def space_challenges(space, theme=None, status="", side="", sort="newest"):
    """A space's challenges with the list's filters. Archived ones show only when asked for."""
    select = db.select(Challenge).where(Challenge.space_id == space.id).options(*_challenge_list_options())
    return _filter_challenges(select, theme, status, side, sort)


def _filter_challenges(select, theme=None, status="", side="", sort="newest"):
    if theme is not None:
        select = select.where(Challenge.themes.any(Theme.id == theme.id))
    if status in ChallengeStatus.LABELS:
        select = select.where(Challenge.status == status)
    else:
        select = select.where(Challenge.status != ChallengeStatus.ARCHIVED)
    if side in Side.LABELS:
        select = select.where(Challenge.author_side == side)
    if sort == "active":
        return select.order_by(Challenge.last_activity_at.desc(), Challenge.id.desc())
    return select.order_by(Challenge.created_at.desc(), Challenge.id.desc())


def theme_challenges(user, theme, status=""):
    """The challenges tied to ``theme`` across every space ``user`` may see."""
    select = visible_challenges(user).options(*_challenge_list_options(), joinedload(Challenge.space))
    return _filter_challenges(select, theme, status)


def theme_counts(user):
    """{theme_id: visible, not archived challenge count} in one query."""
    rows = db.session.execute(
        db.select(challenge_themes.c.theme_id, db.func.count())
        .select_from(challenge_themes)
        .join(Challenge, Challenge.id == challenge_themes.c.challenge_id)
        .join(Space, Space.id == Challenge.space_id)
        .where(visible_space_filter(user), Challenge.status != ChallengeStatus.ARCHIVED)
        .group_by(challenge_themes.c.theme_id)
    )
    return dict(rows.all())


def theme_status_counts(user, theme):
    """{status: count} of the challenges tied to ``theme`` that ``user`` may see."""
    rows = db.session.execute(
        db.select(Challenge.status, db.func.count())
        .join(Space, Space.id == Challenge.space_id)
        .where(visible_space_filter(user), Challenge.themes.any(Theme.id == theme.id))
        .group_by(Challenge.status)
    )
    return dict(rows.all())


def space_members(space):
    """Active members and open requests, each with the person and their organisation."""
    memberships = db.session.scalars(
        db.select(SpaceMembership)
        .where(SpaceMembership.space_id == space.id)
        .options(
            joinedload(SpaceMembership.user)
            .joinedload(User.membership)
            .joinedload(OrganisationMembership.organisation)
        )
        .order_by(SpaceMembership.created_at, SpaceMembership.user_id)
    ).all()
    role_order = {"owner": 0, "facilitator": 1, "member": 2}
    members = sorted((m for m in memberships if m.is_active), key=lambda m: role_order.get(m.role, 3))
    requests = [m for m in memberships if not m.is_active]
    return members, requests


def my_spaces(user, limit=12):
    return db.session.scalars(
        db.select(Space)
        .join(SpaceMembership, SpaceMembership.space_id == Space.id)
        .where(SpaceMembership.user_id == user.id, SpaceMembership.status == MemberStatus.ACTIVE)
        .order_by(Space.last_activity_at.desc())
        .limit(limit)
    ).all()


def latest_challenges_in_my_spaces(user, limit=8):
    return db.session.scalars(
        db.select(Challenge)
        .where(Challenge.space_id.in_(member_space_ids(user)), Challenge.status != ChallengeStatus.ARCHIVED)
        # A short list: its themes come in the same query (unlike the paged lists, counted per row).
        .options(joinedload(Challenge.themes), _author_options(Challenge.author), joinedload(Challenge.space))
        .order_by(Challenge.last_activity_at.desc(), Challenge.id.desc())
        .limit(limit)
    ).unique().all()


def requests_i_can_decide(user, limit=20):
    """Pending join requests in the spaces ``user`` manages (every space for an admin)."""
    select = (
        db.select(SpaceMembership)
        .where(SpaceMembership.status == MemberStatus.REQUESTED)
        .options(joinedload(SpaceMembership.space), joinedload(SpaceMembership.user))
        .order_by(SpaceMembership.created_at)
        .limit(limit)
    )
    if not user.is_admin:
        managed = (
            db.select(SpaceMembership.space_id)
            .where(
                SpaceMembership.user_id == user.id,
                SpaceMembership.status == MemberStatus.ACTIVE,
                SpaceMembership.role.in_(SpaceRole.MANAGERS),
            )
            .scalar_subquery()
        )
        select = select.where(SpaceMembership.space_id.in_(managed))
    return db.session.scalars(select).all()


def public_spaces(limit=6):
    return db.session.scalars(
        db.select(Space).where(Space.visibility == Visibility.PUBLIC).order_by(Space.last_activity_at.desc()).limit(limit)
    ).all()


