"""Working-area proposals: /working-areas/...

The endorse button answers htmx with itself, and out of band the count; without
JavaScript the form posts and the page reloads at the same place.
"""
from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..pagination import paginate
from ..permissions import can
from ..spaces.models import Theme, ThemeKind
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_page, wants_fragment
from . import queries, services
from .forms import AcceptForm, DeclineForm, ProposalCommentForm, ProposalForm
from .models import ProposalStatus

bp = Blueprint("areas", __name__)


@bp.app_context_processor
def _labels():
    return {"proposal_status_labels": ProposalStatus.LABELS}


def _show_url(proposal, anchor=None):
    return url_for("areas.show", proposal_id=proposal.id, _anchor=anchor)


@bp.route("/")
def index():
    status = request.args.get("status", ProposalStatus.PROPOSED)
    if status not in ProposalStatus.LABELS:
        status = ProposalStatus.PROPOSED
    page = paginate(queries.proposals_with_status(status))
    return render_page(
        "areas/index.html", block="proposals", page=page, current_status=status, status_counts=queries.status_counts(),
        endorsements=queries.endorsement_counts([proposal.id for proposal in page.items]),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can(current_user, "areas.propose"):
        abort(403)
    form = ProposalForm()
    form.barrier_ids.choices = [
        (theme.id, theme.name)
        for theme in db.session.scalars(
            db.select(Theme).where(Theme.kind == ThemeKind.BARRIER).order_by(Theme.position, Theme.id)
        )
    ]
    if form.validate_on_submit():
        data = services.ProposalData(
            title=form.title.data or "", description=form.description.data or "",
            rationale=form.rationale.data or "", barrier_ids=form.barrier_ids.data or [],
        )
        try:
            proposal = services.propose_working_area(current_user, data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your proposal is posted. Other LSG members can now endorse it."), "success")
            return redirect_to(_show_url(proposal))
    return render_template("areas/form.html", form=form), form_status(form)


def _render_show(proposal, comment_form=None, accept_form=None, decline_form=None, status=200):
    count = queries.endorsement_counts([proposal.id]).get(proposal.id, 0)
    return render_template(
        "areas/show.html", proposal=proposal, endorsement_count=count, endorsers=queries.endorsers(proposal),
        has_endorsed=services.has_endorsed(current_user if current_user.is_authenticated else None, proposal),
        comments=queries.comments(proposal), comment_form=comment_form or ProposalCommentForm(formdata=None),
        accept_form=accept_form or AcceptForm(formdata=None), decline_form=decline_form or DeclineForm(formdata=None),
    ), status


@bp.route("/<int:proposal_id>")
def show(proposal_id):
    return _render_show(queries.proposal_or_404(proposal_id))


def _endorsement_answer(proposal, service):
    try:
        service(current_user, proposal)
    except DomainError as error:
        db.session.rollback()
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    if not wants_fragment():
        return redirect_to(_show_url(proposal, anchor="endorsements"))
    return render_template(
        "areas/_endorse_response.html", proposal=proposal,
        endorsement_count=queries.endorsement_counts([proposal.id]).get(proposal.id, 0),
        has_endorsed=services.has_endorsed(current_user, proposal),
    )


@bp.route("/<int:proposal_id>/endorse", methods=["POST"])
@login_required
def endorse(proposal_id):
    return _endorsement_answer(queries.proposal_or_404(proposal_id), services.endorse)


@bp.route("/<int:proposal_id>/unendorse", methods=["POST"])
@login_required
def unendorse(proposal_id):
    return _endorsement_answer(queries.proposal_or_404(proposal_id), services.withdraw_endorsement)


@bp.route("/<int:proposal_id>/comments", methods=["POST"])
@login_required
def comment(proposal_id):
    proposal = queries.proposal_or_404(proposal_id)
    if not can(current_user, "areas.comment", proposal):
        abort(403)
    form = ProposalCommentForm()
    if form.validate_on_submit():
        try:
            comment = services.add_comment(current_user, proposal, form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            return redirect_to(_show_url(proposal, anchor=f"comment-{comment.id}"))
    return _render_show(proposal, comment_form=form, status=422)


@bp.route("/<int:proposal_id>/accept", methods=["POST"])
@login_required
def accept(proposal_id):
    proposal = queries.proposal_or_404(proposal_id)
    if not can(current_user, "areas.decide", None):
        abort(403)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            theme = services.accept_proposal(current_user, proposal, form.name_da.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Accepted. “%(name)s” is now a working area that challenges can be tied to.",
                    name=theme.name), "success")
            return redirect_to(_show_url(proposal))
    return _render_show(proposal, accept_form=form, status=422)


@bp.route("/<int:proposal_id>/decline", methods=["POST"])
@login_required
def decline(proposal_id):
    proposal = queries.proposal_or_404(proposal_id)
    if not can(current_user, "areas.decide", None):
        abort(403)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_proposal(current_user, proposal, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("The proposal is declined. The reason is shown with it."), "success")
            return redirect_to(_show_url(proposal))
    return _render_show(proposal, decline_form=form, status=422)
