"""Workshop use cases: plan, register, post in the thread, moderate, write the outcome.

A space's facilitators (its owners and facilitators, and admins) run its
workshops. Every act that touches the thread or the registrations locks the
workshop row first, so capacity, phase and lock checks hold under concurrency.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from flask_babel import gettext as _, lazy_gettext as _l

from ..audit.models import record
from ..errors import DomainError, NotFound
from ..extensions import db
from ..markdown import render_markdown
from ..ideas import services as ideas_services
from ..ideas.models import Idea, IdeaStatus
from ..models import utcnow
from ..notifications import notify
from ..permissions import can, require, rule
from ..requestcache import remembered
from ..spaces.models import Challenge, Side
from ..spaces.queries import can_see, is_member, membership_of
from .steering import band_fit, maturity_levels, registration_refusal
from .models import (
    Instrument, Phase, Post, PostReport, Registration, RegistrationStatus, ReportStatus, SpaceMute, Workshop, as_utc,
)

EDIT_WINDOW = timedelta(minutes=15)
POST_MAX = 10_000
REASON_MAX = 500
MUTE_HOURS = (1, 24, 24 * 7, 24 * 30)


def _manages(user, space):
    return can(user, "spaces.manage", space)


@rule("workshops.create")
def _can_create(user, space):
    return _manages(user, space)


@rule("workshops.manage")
def _can_manage(user, workshop):
    return _manages(user, workshop.space)


@rule("workshops.view")
def _can_view(user, workshop):
    return can_see(user, workshop.space)


@rule("workshops.register")
def _can_register(user, workshop):
    return user is not None and is_member(user, workshop.space) and workshop.phase != Phase.CLOSED


def active_mute(user, space):
    """The mute on ``user`` in ``space`` if it still runs, else None."""
    if user is None:
        return None
    mute = remembered(_mute_key(space, user), lambda: db.session.get(SpaceMute, (space.id, user.id)))
    return mute if mute is not None and as_utc(mute.until) > utcnow() else None


def remember_mute(space, user, mute):
    """Keep for the request the mute row (or its absence) a page loaded along with the workshop."""
    remembered(_mute_key(space, user), lambda: mute)


def _mute_key(space, user):
    return ("workshops.mute", space.id, user.id)


def posting_refusal(user, workshop):
    """Why ``user`` may not post in ``workshop`` now, or None if they may."""
    space = workshop.space
    if user is None or not (user.is_admin or is_member(user, space)):
        return _l("Only members of the space post in its workshops.")
    if workshop.is_locked:
        return _l("The thread is locked.")
    if workshop.phase == Phase.CLOSED:
        return _l("The workshop is closed.")
    if workshop.phase == Phase.PREPARING and not _manages(user, space):
        return _l("The thread opens when the workshop starts collecting input.")
    if active_mute(user, space) is not None:
        return _l("You are muted in this space for now.")
    return None


@rule("workshops.post")
def _can_post(user, workshop):
    return posting_refusal(user, workshop) is None


@rule("workshops.edit_post")
def _can_edit_post(user, post):
    return (
        user is not None and post.author_id == user.id and not post.is_hidden
        and utcnow() - as_utc(post.created_at) <= EDIT_WINDOW and _can_post(user, post.workshop)
    )


@rule("workshops.report")
def _can_report(user, post):
    return user is not None and post.author_id != user.id and not post.is_hidden and is_member(user, post.workshop.space)


@rule("workshops.see_hidden")
def _can_see_hidden(user, post):
    return user is not None and (post.author_id == user.id or _manages(user, post.workshop.space))


@rule("workshops.moderate")
def _can_moderate(user, space):
    return _manages(user, space)


# --- planning -------------------------------------------------------------------------------

@dataclass
class WorkshopData:
    title: str
    starts_at: object  # aware datetimes, in any zone
    ends_at: object
    capacity: int
    agenda: str = ""
    location: str = ""
    challenge_ids: list = field(default_factory=list)
    maturity_instrument: str = ""
    maturity_level_from: str = ""
    maturity_level_to: str = ""
    band_restricted: bool = False


def _check(data, space):
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("The workshop must end after it starts."), field="ends_at")
    if data.capacity < 1:
        raise DomainError(_l("A workshop needs room for at least one person."), field="capacity")
    challenges = []
    if data.challenge_ids:
        challenges = db.session.scalars(
            db.select(Challenge).where(Challenge.id.in_(data.challenge_ids), Challenge.space_id == space.id)
        ).all()
        if len(challenges) != len(set(data.challenge_ids)):
            raise DomainError(_l("Link only challenges of this space."), field="challenge_ids")
    if data.maturity_instrument:
        if data.maturity_instrument not in Instrument.LABELS:
            raise DomainError(_l("Choose a maturity instrument from the list."), field="maturity_instrument")
        keys = [key for key, _name in maturity_levels(data.maturity_instrument)]
        low, high = data.maturity_level_from, data.maturity_level_to
        if low not in keys or high not in keys:
            raise DomainError(_l("Choose both levels of the target band from the instrument."), field="maturity_level_from")
        if keys.index(low) > keys.index(high):
            raise DomainError(_l("The lowest level must not be above the highest."), field="maturity_level_to")
    elif data.band_restricted:
        raise DomainError(_l("Choose a target maturity band to restrict the workshop to."), field="band_restricted")
    return challenges


def _apply(workshop, data, challenges):
    workshop.title = " ".join(data.title.split())
    workshop.agenda_md = data.agenda or ""
    workshop.agenda_html = render_markdown(workshop.agenda_md)
    workshop.starts_at = data.starts_at
    workshop.ends_at = data.ends_at
    workshop.location = (data.location or "").strip()
    workshop.capacity = data.capacity
    workshop.challenges = list(challenges)
    band = bool(data.maturity_instrument)
    workshop.maturity_instrument = data.maturity_instrument if band else None
    workshop.maturity_level_from = data.maturity_level_from if band else None
    workshop.maturity_level_to = data.maturity_level_to if band else None
    workshop.band_restricted = band and data.band_restricted


def create_workshop(actor, space, data):
    require(actor, "workshops.create", space)
    challenges = _check(data, space)
    workshop = Workshop(space_id=space.id, space=space, created_by_id=actor.id, phase=Phase.PREPARING)
    _apply(workshop, data, challenges)
    db.session.add(workshop)
    db.session.flush()
    record(actor, "workshop.create", "workshop", workshop.id, space_id=space.id)
    db.session.commit()
    notify.workshop_created(workshop)
    return workshop


def _locked(workshop):
    """Re-read the workshop under a row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite locks the file)."""
    return db.session.get(Workshop, workshop.id, with_for_update=True, populate_existing=True)


def update_workshop(actor, workshop, data):
    """Save the plan; a raised capacity moves people up from the waitlist (told as their notification settings say)."""
    require(actor, "workshops.manage", workshop)
    challenges = _check(data, workshop.space)
    workshop = _locked(workshop)
    _apply(workshop, data, challenges)
    promoted = _fill_free_places(workshop)
    record(actor, "workshop.edit", "workshop", workshop.id, space_id=workshop.space_id)
    db.session.commit()
    notify.waitlist_promoted(promoted)
    return workshop


def change_phase(actor, workshop, phase):
    require(actor, "workshops.manage", workshop)
    if phase not in Phase.LABELS:
        raise DomainError(_l("Choose a phase from the list."), field="phase")
    workshop = _locked(workshop)
    if workshop.phase != phase:
        record(actor, "workshop.phase", "workshop", workshop.id, space_id=workshop.space_id,
               from_phase=workshop.phase, to_phase=phase)
        workshop.phase = phase
    db.session.commit()
    return workshop


def workshop_ideas_select(workshop):
    """The ideas of the workshop's linked challenges (merged ones stay with the idea they joined)."""
    return (
        db.select(Idea)
        .where(Idea.challenge_id.in_([c.id for c in workshop.challenges] or [-1]), Idea.status != IdeaStatus.MERGED)
        .order_by(Idea.challenge_id, Idea.vote_count.desc(), Idea.id)
    )


def _status_before_selection(idea):
    for change in reversed(idea.status_changes):
        if change.to_status == IdeaStatus.SELECTED and change.from_status not in (None, IdeaStatus.SELECTED):
            return change.from_status
    return IdeaStatus.SHORTLISTED


def write_outcome(actor, workshop, text, selected_idea_ids=None):
    """Write the summary and, with ``selected_idea_ids``, mark exactly those ideas of the linked
    challenges as selected (through the ideas area's status flow, so each change is in the idea's
    history); an idea no longer chosen goes back to the status it had before."""
    require(actor, "workshops.manage", workshop)
    if workshop.phase not in Phase.OUTCOME:
        raise DomainError(_l("The outcome is written once the workshop reaches the decide phase."))
    if selected_idea_ids is not None:
        ideas = db.session.scalars(workshop_ideas_select(workshop)).all()
        chosen = set(selected_idea_ids)
        if not chosen <= {idea.id for idea in ideas}:
            raise DomainError(_l("Select only ideas of the workshop's linked challenges."), field="selected_ideas")
        for idea in ideas:
            if idea.id in chosen and idea.status != IdeaStatus.SELECTED:
                ideas_services.change_idea_status(actor, idea, IdeaStatus.SELECTED)
            elif idea.id not in chosen and idea.status == IdeaStatus.SELECTED:
                ideas_services.change_idea_status(actor, idea, _status_before_selection(idea))
    workshop.outcome_md = (text or "").strip()
    workshop.outcome_html = render_markdown(workshop.outcome_md)
    workshop.outcome_at = utcnow() if workshop.outcome_md else None
    record(actor, "workshop.outcome", "workshop", workshop.id, space_id=workshop.space_id)
    db.session.commit()
    return workshop


def vote_in_workshop(actor, workshop, idea_id, take_back=False):
    """Vote (or take the vote back) on an idea of a linked challenge, while the workshop converges.

    The challenge's own voting rules still apply: this only adds the workshop's phase on top.
    """
    if workshop.phase != Phase.CONVERGE:
        raise DomainError(_l("Voting in the workshop is open while it converges."))
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.challenge_id not in {challenge.id for challenge in workshop.challenges}:
        raise NotFound(_l("There is no such idea in this workshop."))
    vote = ideas_services.unvote_idea if take_back else ideas_services.vote_idea
    return vote(actor, idea.challenge, idea.id)


# --- registration ---------------------------------------------------------------------------

def _registration(workshop, user):
    return db.session.scalar(
        db.select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user.id)
    )


def registered_count(workshop):
    return db.session.scalar(
        db.select(db.func.count()).select_from(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.REGISTERED)
    )


def register(actor, workshop):
    """A place if one is free, else a place in the waitlist. Capacity holds under concurrent calls.

    A band-restricted workshop refuses people whose level is outside its band or who have none;
    the space's facilitators, who run it, are never refused.
    """
    require(actor, "workshops.register", workshop, message=_l("Only members of the space register, until the workshop closes."))
    refusal = None if _manages(actor, workshop.space) else registration_refusal(actor, workshop, band_fit(actor, workshop))
    if refusal:
        raise DomainError(refusal)
    workshop = _locked(workshop)
    registration = _registration(workshop, actor)
    if registration is None:
        full = registered_count(workshop) >= workshop.capacity
        registration = Registration(
            workshop_id=workshop.id, user_id=actor.id,
            status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
        )
        db.session.add(registration)
    db.session.commit()
    notify.registered(registration)
    return registration


def cancel_registration(actor, workshop):
    """Give up a place (or a waitlist spot); the first in the waitlist moves up and is told, in the app and
    by e-mail as their notification settings say (immediately, in the daily digest, or not at all)."""
    workshop = _locked(workshop)
    registration = _registration(workshop, actor)
    if registration is None:
        raise DomainError(_l("You are not registered for this workshop."))
    db.session.delete(registration)
    db.session.flush()
    promoted = _fill_free_places(workshop)
    db.session.commit()
    notify.waitlist_promoted(promoted)
    return promoted


def _fill_free_places(workshop):
    """Move people up from the waitlist, first come first served, while places are free (caller holds the lock)."""
    free = workshop.capacity - registered_count(workshop)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        db.select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.id)
        .limit(free)
    ).all()
    now = utcnow()
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
    return waiting


# --- the thread -----------------------------------------------------------------------------

def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write something before you post."), field="body")
    if len(body) > POST_MAX:
        raise DomainError(_l("A post can be at most %(n)d characters.", n=POST_MAX), field="body")
    return body


def create_post(actor, workshop, body, parent_id=None):
    body = _clean_body(body)
    # The row lock makes posts of one workshop commit in id order, which the live poll relies on
    # (a cursor never skips a post that commits late), and makes the lock/phase checks race-free.
    workshop = _locked(workshop)
    refusal = posting_refusal(actor, workshop)
    if refusal:
        raise DomainError(refusal, field="body")
    parent = None
    if parent_id:
        parent = db.session.get(Post, parent_id)
        if parent is None or parent.workshop_id != workshop.id:
            raise DomainError(_l("The post you reply to is not in this thread."), field="body")
        # One level of replies: a reply to a reply joins the same top-level post.
        parent = parent.parent or parent
    membership = membership_of(actor, workshop.space)
    post = Post(
        workshop_id=workshop.id, parent_id=parent.id if parent else None, author_id=actor.id,
        author_side=membership.side if membership else Side.of(actor),
        body_md=body, body_html=render_markdown(body),
    )
    db.session.add(post)
    db.session.commit()
    notify.post_created(post)
    return post


def edit_post(actor, post, body):
    require(actor, "workshops.edit_post", post, message=_l("Posts can be edited by their author for 15 minutes."))
    previous = post.body_md
    post.body_md = _clean_body(body)
    post.body_html = render_markdown(post.body_md)
    post.edited_at = utcnow()
    db.session.commit()
    notify.post_edited(post, previous)
    return post


def quote_text(user, post):
    """The post's text as a Markdown quote, never of a hidden post."""
    if post.is_hidden or not can(user, "workshops.view", post.workshop):
        raise NotFound(_l("That post cannot be quoted."))
    author = post.author.display_name if post.author else _("a former member")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body_md.splitlines())
    return f"> **{author}:**\n{quoted}\n\n"


# --- moderation -----------------------------------------------------------------------------

def _moderator(actor, space):
    require(actor, "workshops.moderate", space)


def _clean_reason(reason, required=True):
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise DomainError(_l("Give a reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("A reason can be at most %(n)d characters.", n=REASON_MAX), field="reason")
    return reason


def set_pinned(actor, post, pinned):
    space = post.workshop.space
    _moderator(actor, space)
    post.is_pinned = bool(pinned)
    record(actor, "post.pin" if pinned else "post.unpin", "workshop_post", post.id, space_id=space.id,
           workshop_id=post.workshop_id)
    db.session.commit()
    return post


def set_locked(actor, workshop, locked):
    _moderator(actor, workshop.space)
    workshop = _locked(workshop)
    workshop.is_locked = bool(locked)
    record(actor, "thread.lock" if locked else "thread.unlock", "workshop", workshop.id, space_id=workshop.space_id)
    db.session.commit()
    return workshop


def _hide(actor, post, reason):
    post.hidden_at = utcnow()
    post.hidden_by_id = actor.id
    post.hidden_reason = reason


def hide_post(actor, post, reason):
    space = post.workshop.space
    _moderator(actor, space)
    reason = _clean_reason(reason)
    _hide(actor, post, reason)
    record(actor, "post.hide", "workshop_post", post.id, reason=reason, space_id=space.id, workshop_id=post.workshop_id)
    db.session.commit()
    notify.post_moderated(post, hidden=True, reason=reason)
    return post


def restore_post(actor, post):
    space = post.workshop.space
    _moderator(actor, space)
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    record(actor, "post.restore", "workshop_post", post.id, space_id=space.id, workshop_id=post.workshop_id)
    db.session.commit()
    notify.post_moderated(post, hidden=False)
    return post


def report_post(actor, post, reason):
    require(actor, "workshops.report", post, message=_l("Members report posts of others that are not hidden."))
    reason = _clean_reason(reason)
    report = PostReport(space_id=post.workshop.space_id, post_id=post.id, reporter_id=actor.id, reason=reason)
    db.session.add(report)
    db.session.flush()
    record(actor, "post.report", "workshop_post", post.id, reason=reason, space_id=post.workshop.space_id,
           report_id=report.id)
    db.session.commit()
    return report


def resolve_report(actor, report, resolution):
    """Close a report: hide the post (with the report's reason) or dismiss the report."""
    _moderator(actor, report.post.workshop.space)
    if report.status != ReportStatus.OPEN:
        raise DomainError(_l("That report has already been handled."))
    if resolution not in (ReportStatus.HIDDEN, ReportStatus.DISMISSED):
        raise NotFound(_l("Unknown resolution."))
    post = report.post
    if resolution == ReportStatus.HIDDEN and not post.is_hidden:
        _hide(actor, post, report.reason)
    report.status = resolution
    report.resolved_at = utcnow()
    report.resolved_by_id = actor.id
    record(actor, f"report.{resolution}", "workshop_post", post.id, reason=report.reason, space_id=report.space_id,
           report_id=report.id)
    db.session.commit()
    if resolution == ReportStatus.HIDDEN:
        notify.post_moderated(post, hidden=True, reason=report.reason)
    return report


def mute_member(actor, space, user_id, hours, reason):
    _moderator(actor, space)
    if hours not in MUTE_HOURS:
        raise DomainError(_l("Choose a period from the list."), field="hours")
    reason = _clean_reason(reason)
    target = membership_of_id(space, user_id)
    if target.is_manager:
        raise DomainError(_l("Facilitators of the space cannot be muted."))
    mute = db.session.get(SpaceMute, (space.id, user_id)) or SpaceMute(space_id=space.id, user_id=user_id)
    mute.until = utcnow() + timedelta(hours=hours)
    mute.reason = reason
    mute.muted_by_id = actor.id
    db.session.add(mute)
    record(actor, "member.mute", "user", user_id, reason=reason, space_id=space.id, hours=hours)
    db.session.commit()
    return mute


def unmute_member(actor, space, user_id):
    _moderator(actor, space)
    mute = db.session.get(SpaceMute, (space.id, user_id))
    if mute is None:
        raise DomainError(_l("That member is not muted."))
    db.session.delete(mute)
    record(actor, "member.unmute", "user", user_id, space_id=space.id)
    db.session.commit()


def membership_of_id(space, user_id):
    from ..spaces.models import SpaceMembership

    membership = db.session.get(SpaceMembership, (space.id, user_id))
    if membership is None or not membership.is_active:
        raise NotFound(_l("That person is not a member of this space."))
    return membership
