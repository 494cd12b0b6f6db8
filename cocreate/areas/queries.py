"""Reads about working-area proposals: lists with their endorsement counts, one proposal in full."""
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..extensions import db
from ..orgs.models import OrganisationMembership
from .models import Endorsement, ProposalComment, ProposalStatus, ProposalStatusChange, WorkingAreaProposal


def _author_with_organisation(attribute):
    return joinedload(attribute).joinedload(User.membership).joinedload(OrganisationMembership.organisation)


def proposals_with_status(status):
    """Newest first; decided ones by the time of the decision."""
    order = WorkingAreaProposal.created_at if status == ProposalStatus.PROPOSED else WorkingAreaProposal.decided_at
    return (
        db.select(WorkingAreaProposal)
        .where(WorkingAreaProposal.status == status)
        .options(
            selectinload(WorkingAreaProposal.barriers), joinedload(WorkingAreaProposal.theme),
            _author_with_organisation(WorkingAreaProposal.author),
        )
        .order_by(order.desc(), WorkingAreaProposal.id.desc())
    )


def status_counts():
    rows = db.session.execute(
        db.select(WorkingAreaProposal.status, db.func.count()).group_by(WorkingAreaProposal.status)
    )
    return dict(rows.all())


def endorsement_counts(proposal_ids):
    """{proposal_id: endorsements} in one query."""
    if not proposal_ids:
        return {}
    rows = db.session.execute(
        db.select(Endorsement.proposal_id, db.func.count())
        .where(Endorsement.proposal_id.in_(proposal_ids))
        .group_by(Endorsement.proposal_id)
    )
    return dict(rows.all())


def proposal_or_404(proposal_id):
    proposal = db.session.scalar(
        db.select(WorkingAreaProposal)
        .where(WorkingAreaProposal.id == proposal_id)
        .options(
            selectinload(WorkingAreaProposal.barriers), joinedload(WorkingAreaProposal.theme),
            _author_with_organisation(WorkingAreaProposal.author),
            selectinload(WorkingAreaProposal.status_changes).joinedload(ProposalStatusChange.actor),
        )
    )
    if proposal is None:
        abort(404)
    return proposal


def endorsers(proposal):
    return db.session.scalars(
        db.select(User)
        .join(Endorsement, Endorsement.user_id == User.id)
        .where(Endorsement.proposal_id == proposal.id)
        .order_by(Endorsement.created_at, User.id)
    ).all()


def comments(proposal):
    return db.session.scalars(
        db.select(ProposalComment)
        .where(ProposalComment.proposal_id == proposal.id)
        .options(_author_with_organisation(ProposalComment.author))
        .order_by(ProposalComment.id)
    ).unique().all()

