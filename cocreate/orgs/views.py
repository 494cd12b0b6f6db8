from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..errors import DomainError
from ..extensions import db
from ..pagination import paginate
from ..permissions import can
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_page
from . import services
from .forms import OrganisationForm, OrganisationSearchForm
from .models import MembershipStatus, Organisation, OrganisationMembership

bp = Blueprint("orgs", __name__)


def _organisation_or_404(organisation_id):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _search(query_text):
    select = db.select(Organisation).order_by(Organisation.name_key)
    if query_text:
        select = select.where(Organisation.name_key.contains(query_text.lower(), autoescape=True))
    return select


@bp.route("/")
def index():
    form = OrganisationSearchForm(request.args)
    q = (form.q.data or "").strip() if form.validate() else ""
    page = paginate(_search(q))
    return render_page("orgs/index.html", block="results", form=form, page=page, q=q)


@bp.route("/choose")
@login_required
def choose():
    """Right after sign-up: create an organisation or ask to join one."""
    if current_user.membership is not None:
        return redirect_to(url_for("orgs.show", organisation_id=current_user.membership.organisation_id))
    form = OrganisationSearchForm(request.args)
    q = (form.q.data or "").strip() if form.validate() else ""
    page = paginate(_search(q), per_page=8)
    return render_page("orgs/choose.html", block="results", form=form, page=page, q=q)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(current_user, _data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("%(name)s is created, and you are its admin.", name=organisation.name), "success")
            return redirect_to(url_for("orgs.show", organisation_id=organisation.id))
    return render_template("orgs/form.html", form=form, organisation=None), form_status(form)


@bp.route("/<int:organisation_id>")
def show(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    memberships = db.session.scalars(
        db.select(OrganisationMembership)
        .where(OrganisationMembership.organisation_id == organisation.id)
        .options(selectinload(OrganisationMembership.user))
        .order_by(OrganisationMembership.created_at)
    ).all()
    members = [m for m in memberships if m.status == MembershipStatus.ACTIVE]
    pending = [m for m in memberships if m.status == MembershipStatus.PENDING]
    return render_template("orgs/show.html", organisation=organisation, members=members, pending=pending)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    if not can(current_user, "orgs.manage", organisation):
        abort(403)
    if request.method == "GET":
        form = OrganisationForm(obj=organisation, description=organisation.description_md)
    else:
        form = OrganisationForm()
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, organisation, _data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The organisation is saved."), "success")
            return redirect_to(url_for("orgs.show", organisation_id=organisation.id))
    return render_template("orgs/form.html", form=form, organisation=organisation), form_status(form)


@bp.route("/<int:organisation_id>/join", methods=["POST"])
@login_required
def join(organisation_id):
    organisation = _organisation_or_404(organisation_id)
    services.request_to_join(current_user, organisation)
    flash(_("Your request to join %(name)s is sent to its admins.", name=organisation.name), "success")
    return redirect_to(url_for("orgs.show", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/members/<int:user_id>/<action>", methods=["POST"])
@login_required
def member_action(organisation_id, user_id, action):
    organisation = _organisation_or_404(organisation_id)
    handlers = {
        "approve": (services.approve_request, _("The request is approved.")),
        "decline": (services.decline_request, _("The request is declined.")),
        "remove": (services.remove_member, _("The member is removed.")),
        "make-admin": (lambda a, o, u: services.set_admin(a, o, u, True), _("The member is now an admin.")),
        "revoke-admin": (lambda a, o, u: services.set_admin(a, o, u, False), _("The member is no longer an admin.")),
    }
    if action not in handlers:
        abort(404)
    handler, message = handlers[action]
    if action == "remove" and user_id == current_user.id:
        message = _("You have left %(name)s.", name=organisation.name)
    try:
        handler(current_user, organisation, user_id)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    return redirect_to(url_for("orgs.show", organisation_id=organisation.id))


def _data(form):
    return services.OrganisationData(
        name=form.name.data,
        kind=form.kind.data,
        sector=form.sector.data,
        size_band=form.size_band.data,
        municipality=form.municipality.data,
        description=form.description.data or "",
    )
