"""Working-area proposal use cases.

Who may do what (these rules are the only place that decides it):

- Anyone may read the proposals: the LSG works in the open.
- LSG members propose working areas, and endorse those of other LSG members, once each and never
  their own, while a proposal is under discussion.
- LSG members, facilitators and admins comment.
- Facilitators and admins accept a proposal (it becomes a working area in the taxonomy, so
  challenges can be tied to it) or decline it with a reason. Either decision is final and audited.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..audit.models import record
from ..errors import DomainError
from ..extensions import db
from ..markdown import render_markdown
from ..models import utcnow
from ..notifications import notify
from ..permissions import require, rule
from ..spaces.models import Theme, ThemeKind
from ..spaces.services import slugify
from .models import Endorsement, ProposalComment, ProposalStatus, ProposalStatusChange, WorkingAreaProposal

TITLE_MAX = 160
DESCRIPTION_MAX = 20_000
RATIONALE_MAX = 5_000
COMMENT_MAX = 5_000
REASON_MAX = 2_000
TARGET = "working_area_proposal"


@rule("areas.propose")
def _can_propose(user, _obj):
    return user is not None and user.is_lsg


@rule("areas.endorse")
def _can_endorse(user, proposal):
    return user is not None and user.is_lsg and proposal.is_open and proposal.author_id != user.id


@rule("areas.comment")
def _can_comment(user, _proposal):
    return user is not None and (user.is_lsg or user.is_facilitator)


@rule("areas.decide")
def _can_decide(user, proposal):
    return user is not None and user.is_facilitator and (proposal is None or proposal.is_open)


# --- proposing ------------------------------------------------------------------------------

@dataclass
class ProposalData:
    title: str
    description: str
    rationale: str
    barrier_ids: list = field(default_factory=list)


def _check_proposal(data):
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_l("Give the working area a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_l("Keep the title under %(max)d characters.", max=TITLE_MAX), field="title")
    if not (data.description or "").strip():
        raise DomainError(_l("Describe the working area."), field="description")
    if len(data.description) > DESCRIPTION_MAX:
        raise DomainError(_l("Keep the description under %(max)d characters.", max=DESCRIPTION_MAX),
                          field="description")
    rationale = (data.rationale or "").strip()
    if not rationale:
        raise DomainError(_l("Say why the programme should work on this."), field="rationale")
    if len(rationale) > RATIONALE_MAX:
        raise DomainError(_l("Keep the rationale under %(max)d characters.", max=RATIONALE_MAX), field="rationale")
    barriers = db.session.scalars(
        db.select(Theme).where(Theme.id.in_(data.barrier_ids or []), Theme.kind == ThemeKind.BARRIER)
    ).all()
    if not barriers:
        raise DomainError(_l("Choose at least one barrier the working area relates to."), field="barrier_ids")
    return title, rationale, barriers


def propose_working_area(actor, data):
    require(actor, "areas.propose", message=_l("Only members of the Local Support Group propose working areas."))
    title, rationale, barriers = _check_proposal(data)
    proposal = WorkingAreaProposal(
        author_id=actor.id, title=title, description_md=data.description,
        description_html=render_markdown(data.description), rationale=rationale, barriers=list(barriers),
        status=ProposalStatus.PROPOSED,
    )
    proposal.status_changes.append(ProposalStatusChange(actor_id=actor.id, to_status=ProposalStatus.PROPOSED))
    db.session.add(proposal)
    db.session.flush()
    record(actor, "working_area.propose", TARGET, proposal.id)
    db.session.commit()
    notify.working_area_joined(actor.id, proposal)
    return proposal


# --- endorsing ------------------------------------------------------------------------------

def has_endorsed(user, proposal):
    return user is not None and db.session.get(Endorsement, (proposal.id, user.id)) is not None


def endorse(actor, proposal):
    if proposal.author_id == actor.id:
        raise DomainError(_l("You cannot endorse your own proposal."))
    if not proposal.is_open:
        raise DomainError(_l("This proposal is decided; it takes no more endorsements."))
    require(actor, "areas.endorse", proposal, message=_l("Only members of the Local Support Group endorse proposals."))
    if has_endorsed(actor, proposal):
        raise DomainError(_l("You have endorsed this proposal already."))
    db.session.add(Endorsement(proposal_id=proposal.id, user_id=actor.id))
    record(actor, "working_area.endorse", TARGET, proposal.id)
    try:
        db.session.commit()
    except IntegrityError:
        # A double click that raced the first: the first one counted.
        db.session.rollback()
        raise DomainError(_l("You have endorsed this proposal already."))
    notify.working_area_joined(actor.id, proposal)


def withdraw_endorsement(actor, proposal):
    endorsement = db.session.get(Endorsement, (proposal.id, actor.id))
    if endorsement is None:
        raise DomainError(_l("You have not endorsed this proposal."))
    if not proposal.is_open:
        raise DomainError(_l("This proposal is decided; endorsements can no longer change."))
    db.session.delete(endorsement)
    record(actor, "working_area.withdraw_endorsement", TARGET, proposal.id)
    db.session.commit()


# --- comments -------------------------------------------------------------------------------

def add_comment(actor, proposal, body):
    require(actor, "areas.comment", proposal,
            message=_l("Members of the Local Support Group and facilitators comment on proposals."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write a comment first."), field="body")
    if len(body) > COMMENT_MAX:
        raise DomainError(_l("Keep the comment under %(max)d characters.", max=COMMENT_MAX), field="body")
    comment = ProposalComment(proposal_id=proposal.id, author_id=actor.id, body_md=body, body_html=render_markdown(body))
    db.session.add(comment)
    db.session.commit()
    notify.working_area_commented(comment, proposal)
    return comment


# --- deciding -------------------------------------------------------------------------------

def _change_status(actor, proposal, status, reason=""):
    proposal.status_changes.append(
        ProposalStatusChange(actor_id=actor.id, from_status=proposal.status, to_status=status, reason=reason)
    )
    proposal.status = status
    proposal.decided_at = utcnow()


def _require_decidable(actor, proposal):
    if not proposal.is_open:
        raise DomainError(_l("This proposal has been decided already."))
    require(actor, "areas.decide", proposal, message=_l("Only facilitators and admins decide on proposals."))


def _unique_slug(title):
    base = slugify(title)[:70].strip("-") or "working-area"
    taken = set(db.session.scalars(db.select(Theme.slug).where(Theme.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def accept_proposal(actor, proposal, name_da=""):
    """The proposal becomes a working area; ``name_da`` is its Danish name (the title if left empty)."""
    _require_decidable(actor, proposal)
    name_da = " ".join((name_da or "").split())[:200] or proposal.title
    position = db.session.scalar(db.select(db.func.coalesce(db.func.max(Theme.position), 0))) + 1
    theme = Theme(
        kind=ThemeKind.WORKING_AREA, slug=_unique_slug(proposal.title), name_en=proposal.title, name_da=name_da,
        description_en=proposal.rationale, description_da=proposal.rationale, position=position,
    )
    db.session.add(theme)
    db.session.flush()
    proposal.theme_id = theme.id
    _change_status(actor, proposal, ProposalStatus.ACCEPTED)
    record(actor, "working_area.accept", TARGET, proposal.id, theme_id=theme.id)
    db.session.commit()
    notify.working_area_decided(actor, proposal)
    return theme


def decline_proposal(actor, proposal, reason):
    _require_decidable(actor, proposal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for declining, so the proposer knows why."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Keep the reason under %(max)d characters.", max=REASON_MAX), field="reason")
    proposal.decline_reason = reason
    _change_status(actor, proposal, ProposalStatus.DECLINED, reason)
    record(actor, "working_area.decline", TARGET, proposal.id, reason=reason)
    db.session.commit()
    notify.working_area_decided(actor, proposal)
    return proposal
