"""Reads about workshops: lists, the thread page, the live poll, the moderation queue, the audit log.

Every read that crosses spaces builds on ``visible_space_filter`` so that
members-only workshops never show to outsiders.
"""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import and_
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import User
from ..audit.models import AuditEntry
from ..extensions import db
from ..models import utcnow
from ..orgs.models import OrganisationMembership
from ..permissions import can
from ..spaces.models import Space
from ..spaces.queries import can_see, is_member, membership_of, visible_space_filter, with_membership
from .models import Phase, Post, PostReport, Registration, RegistrationStatus, ReportStatus, SpaceMute, Workshop, as_utc
from ..ideas import queries as idea_queries
from ..ideas.models import Ballot, Idea, IdeaVote, VotingRules
from .services import EDIT_WINDOW, posting_refusal, remember_mute, workshop_ideas_select
from .steering import band_condition

THREAD_PAGE_SIZE = 25
POLL_LIMIT = 200  # a poll never sends more; the next poll carries on from its cursor


def workshop_by_slug_or_404(slug, workshop_id, user):
    """The workshop with its space and linked challenges, in one query, if ``user`` may see the
    space; else 404 (as for a space that does not exist). The person's membership of the space
    and any mute on them there come in the same query, for the thread's permission checks."""
    select = (
        db.select(Workshop).join(Space, Workshop.space_id == Space.id)
        .where(Workshop.id == workshop_id, Space.slug == slug)
        .options(contains_eager(Workshop.space), joinedload(Workshop.challenges))
    )
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        select = select.add_columns(SpaceMute).outerjoin(
            SpaceMute, and_(SpaceMute.space_id == Space.id, SpaceMute.user_id == user.id)
        )
    row = with_membership(select, user, lambda workshop: workshop.space)
    if row is None or not can_see(user, row[0].space):
        abort(404)
    if signed_in:
        remember_mute(row[0].space, user, row[1])
    return row[0]


def post_in_workshop_or_404(workshop, post_id):
    post = db.session.get(Post, post_id)
    if post is None or post.workshop_id != workshop.id:
        abort(404)
    return post


def _author_options(relationship):
    return joinedload(relationship).joinedload(User.membership).joinedload(OrganisationMembership.organisation)


def _post_options():
    return (
        _author_options(Post.author),
        selectinload(Post.replies).options(_author_options(Post.author)),
    )


def thread_page_select(workshop):
    """Top-level posts, oldest first, each with its replies: pinned posts show above, apart from paging."""
    return (
        db.select(Post)
        .where(Post.workshop_id == workshop.id, Post.parent_id.is_(None))
        .options(*_post_options())
        .order_by(Post.id)
    )


def pinned_posts(workshop):
    return db.session.scalars(
        db.select(Post).where(Post.workshop_id == workshop.id, Post.is_pinned.is_(True))
        .options(_author_options(Post.author)).order_by(Post.id)
    ).unique().all()


def posts_after(workshop, cursor):
    """Posts (top-level and replies) with an id above ``cursor``, in id order."""
    return db.session.scalars(
        db.select(Post).where(Post.workshop_id == workshop.id, Post.id > cursor)
        .options(_author_options(Post.author)).order_by(Post.id).limit(POLL_LIMIT)
    ).unique().all()


class ThreadViewer:
    """What one person may do in one thread, worked out once per page rather than once per post."""

    def __init__(self, user, workshop):
        self.user = user if user is not None and user.is_authenticated else None
        self.workshop = workshop
        self.user_id = self.user.id if self.user else None
        # Held for the request: the session's identity map keeps only objects someone refers to,
        # so every later permission check finds the membership there instead of asking the database.
        self.membership = membership_of(self.user, workshop.space)
        self.moderates = can(self.user, "workshops.moderate", workshop.space)
        self.posting_refusal = posting_refusal(self.user, workshop)
        self.may_post = self.posting_refusal is None
        self.is_member = self.user is not None and is_member(self.user, workshop.space)

    def sees_text(self, post):
        return not post.is_hidden or self.moderates or (self.user_id is not None and post.author_id == self.user_id)

    def may_edit(self, post):
        return (
            self.may_post and post.author_id == self.user_id and not post.is_hidden
            and utcnow() - as_utc(post.created_at) <= EDIT_WINDOW
        )

    def may_report(self, post):
        return self.is_member and post.author_id != self.user_id and not post.is_hidden

    def may_quote(self, post):
        return self.may_post and not post.is_hidden


@dataclass
class ThreadFigures:
    registered: int
    waitlisted: int
    last_post_id: int  # the live poll's cursor
    open_reports: int


def thread_figures(workshop, with_reports=False):
    """The workshop page's counts in one query: registrations by status, the newest post's id
    and, for moderators, the space's open reports."""
    def registrations(status):
        return db.select(db.func.count()).where(
            Registration.workshop_id == workshop.id, Registration.status == status
        ).scalar_subquery()

    last_post = db.select(db.func.coalesce(db.func.max(Post.id), 0)).where(Post.workshop_id == workshop.id)
    reports = db.select(db.func.count()).where(
        PostReport.space_id == workshop.space_id, PostReport.status == ReportStatus.OPEN
    ) if with_reports else db.select(db.literal(0))
    row = db.session.execute(db.select(
        registrations(RegistrationStatus.REGISTERED), registrations(RegistrationStatus.WAITLISTED),
        last_post.scalar_subquery(), reports.scalar_subquery(),
    )).one()
    return ThreadFigures(*row)


def registration_of(user, workshop):
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user.id)
    )


def participants(workshop):
    return db.session.scalars(
        db.select(Registration).where(Registration.workshop_id == workshop.id)
        .options(_author_options(Registration.user)).order_by(Registration.id)
    ).unique().all()


def _visible_workshops(user):
    return (
        db.select(Workshop).join(Space, Workshop.space_id == Space.id).where(visible_space_filter(user))
        .options(joinedload(Workshop.space))
    )


def _upcoming(user):
    return _visible_workshops(user).where(Workshop.ends_at > utcnow(), Workshop.phase != Phase.CLOSED)


def workshop_overview(user, space=None, upcoming=5, past=3):
    """(workshops that have not ended and are not closed, soonest first;
    those that ended or closed, latest first), in one query."""
    ended = db.or_(Workshop.ends_at <= utcnow(), Workshop.phase == Phase.CLOSED)

    def first_ids(condition, order, limit):
        select = db.select(Workshop.id).join(Space, Workshop.space_id == Space.id).where(
            visible_space_filter(user), condition
        )
        if space is not None:
            select = select.where(Workshop.space_id == space.id)
        return db.select(select.order_by(order).limit(limit).subquery())

    chosen = db.union_all(
        first_ids(db.not_(ended), Workshop.starts_at, upcoming), first_ids(ended, Workshop.starts_at.desc(), past)
    )
    rows = db.session.execute(
        _visible_workshops(user).add_columns(ended).where(Workshop.id.in_(chosen)).order_by(Workshop.starts_at)
    ).all()
    return [w for w, is_past in rows if not is_past], [w for w, is_past in reversed(rows) if is_past]


def space_workshops_select(space):
    return db.select(Workshop).where(Workshop.space_id == space.id).order_by(Workshop.starts_at.desc())


def challenge_workshops(challenge):
    return db.session.scalars(
        db.select(Workshop).where(Workshop.challenges.any(id=challenge.id)).order_by(Workshop.starts_at.desc())
    ).all()


def open_reports(space):
    return (
        db.select(PostReport).where(PostReport.space_id == space.id, PostReport.status == ReportStatus.OPEN)
        .options(
            joinedload(PostReport.reporter),
            joinedload(PostReport.post).options(joinedload(Post.workshop), joinedload(Post.author)),
        )
        .order_by(PostReport.id)
    )


def active_mutes(space):
    return db.session.scalars(
        db.select(SpaceMute).where(SpaceMute.space_id == space.id, SpaceMute.until > utcnow())
        .options(joinedload(SpaceMute.user)).order_by(SpaceMute.until)
    ).all()


def audit_entries(space, action=""):
    select = db.select(AuditEntry).where(AuditEntry.space_id == space.id).order_by(AuditEntry.id.desc())
    if action:
        select = select.where(AuditEntry.action == action)
    return select


def audit_actions(space):
    """The actions that occur in the space's log, for the filter."""
    return db.session.scalars(
        db.select(AuditEntry.action).where(AuditEntry.space_id == space.id).distinct().order_by(AuditEntry.action)
    ).all()


def page_of(post):
    """The thread page a post shows on (a reply shows under its top-level post)."""
    top_id = post.parent_id or post.id
    before = db.session.scalar(
        db.select(db.func.count()).select_from(Post)
        .where(Post.workshop_id == post.workshop_id, Post.parent_id.is_(None), Post.id <= top_id)
    )
    return max(1, -(-before // THREAD_PAGE_SIZE))


def last_page(workshop):
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Post).where(Post.workshop_id == workshop.id, Post.parent_id.is_(None))
    )
    return max(1, -(-count // THREAD_PAGE_SIZE))


def recommended_workshops(user, limit=3):
    """Upcoming workshops the person may see whose target band contains their level, soonest first."""
    if user is None or not user.is_authenticated:
        return []
    fits = band_condition(user)
    if fits is None:
        return []
    return db.session.scalars(_upcoming(user).where(fits).order_by(Workshop.starts_at).limit(limit)).all()


@dataclass
class ChallengeBoard:
    """One linked challenge on the workshop page: its ideas and what the reader may do with them."""

    challenge: object
    rules: object
    ideas: list
    my_votes: set
    votes_used: int


def workshop_ideas(workshop, user):
    """The linked challenges' ideas for the workshop page, in four queries however many challenges."""
    challenges = workshop.challenges
    if not challenges:
        return []
    ids = [challenge.id for challenge in challenges]
    ideas = db.session.scalars(workshop_ideas_select(workshop).options(_author_options(Idea.author))).all()
    rules = {r.challenge_id: r for r in db.session.scalars(db.select(VotingRules).where(VotingRules.challenge_id.in_(ids)))}
    my_votes, used = set(), {}
    if user is not None and user.is_authenticated:
        my_votes = set(db.session.scalars(
            db.select(IdeaVote.idea_id).where(IdeaVote.challenge_id.in_(ids), IdeaVote.voter_id == user.id)
        ))
        used = dict(db.session.execute(
            db.select(Ballot.challenge_id, Ballot.votes_used).where(Ballot.challenge_id.in_(ids), Ballot.voter_id == user.id)
        ).all())
    by_challenge = {}
    for idea in ideas:
        by_challenge.setdefault(idea.challenge_id, []).append(idea)
    return [
        ChallengeBoard(challenge, rules.get(challenge.id) or idea_queries.rules_of(challenge),
                       by_challenge.get(challenge.id, []), my_votes, used.get(challenge.id, 0))
        for challenge in challenges
    ]
