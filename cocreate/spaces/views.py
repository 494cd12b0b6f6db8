from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..mail import send_mail
from ..orgs.choices import SECTORS
from ..pagination import paginate, paginate_in_one
from ..permissions import can
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_page, wants_fragment
from . import queries, services
from .forms import ChallengeForm, InviteForm, SpaceForm, StatusForm
from .models import ChallengeStatus, Side, Theme

bp = Blueprint("spaces", __name__)


def _theme_choices():
    return [(theme.id, theme.name) for theme in queries.barriers()]


def _theme_from_args():
    slug = request.args.get("barrier", "")
    return db.session.scalar(db.select(Theme).where(Theme.slug == slug)) if slug else None


# --- barriers -------------------------------------------------------------------------------

@bp.route("/barriers/")
def barriers():
    return render_template(
        "spaces/barriers.html", themes=queries.barriers(), counts=queries.theme_counts(current_user)
    )


@bp.route("/barriers/<slug>")
def barrier(slug):
    theme = queries.theme_by_slug_or_404(slug)
    status = request.args.get("status", "")
    page = paginate_in_one(queries.theme_challenges(current_user, theme, status))
    return render_page(
        "spaces/barrier.html", block="challenges", theme=theme, page=page, status_filter=status,
        status_counts=queries.theme_status_counts(current_user, theme),
    )


# --- spaces ---------------------------------------------------------------------------------

@bp.route("/spaces/")
def index():
    q = request.args.get("q", "").strip()[:100]
    theme = _theme_from_args()
    sector = request.args.get("sector", "")
    sector = sector if sector in SECTORS else ""
    page = paginate(queries.space_directory(current_user, q, theme, sector))
    ids = [space.id for space in page.items]
    return render_page(
        "spaces/index.html", block="results", page=page, q=q, theme=theme, sector=sector,
        themes=queries.barriers(), members=queries.member_counts(ids), challenges=queries.challenge_counts(ids),
    )


@bp.route("/spaces/new", methods=["GET", "POST"])
@login_required
def create():
    if not can(current_user, "spaces.create"):
        abort(403)
    form = SpaceForm()
    if form.validate_on_submit():
        try:
            space = services.create_space(current_user, _space_data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The space %(title)s is created, and you are its owner.", title=space.title), "success")
            return redirect_to(url_for("spaces.show", slug=space.slug))
    return render_template("spaces/form.html", form=form, space=None), form_status(form)


@bp.route("/spaces/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    if not can(current_user, "spaces.manage", space):
        abort(403)
    if request.method == "GET":
        form = SpaceForm(obj=space, description=space.description_md)
    else:
        form = SpaceForm()
    if form.validate_on_submit():
        try:
            services.update_space(current_user, space, _space_data(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("The space is saved."), "success")
            return redirect_to(url_for("spaces.show", slug=space.slug))
    return render_template("spaces/form.html", form=form, space=space), form_status(form)


def _space_data(form):
    return services.SpaceData(
        title=form.title.data, slug=form.slug.data or "", purpose=form.purpose.data or "",
        description=form.description.data or "", visibility=form.visibility.data,
        join_policy=form.join_policy.data, sector=form.sector.data,
    )


@bp.route("/spaces/<slug>")
def show(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    theme = _theme_from_args()
    status = request.args.get("status", "")
    side = request.args.get("side", "")
    sort = request.args.get("sort", "newest")
    page = paginate_in_one(queries.space_challenges(space, theme, status, side, sort))
    return render_page(
        "spaces/show.html", block="challenges", space=space, page=page, themes=queries.barriers(),
        filters={"barrier": theme.slug if theme else "", "status": status, "side": side, "sort": sort},
        membership=queries.membership_of(current_user, space), statuses=ChallengeStatus.LABELS, sides=Side.LABELS,
    )


def _membership_answer(space, message, category="success"):
    """htmx swaps the membership panel in place; without JavaScript the page reloads."""
    flash(message, category)
    if wants_fragment():
        return render_page(
            "spaces/show.html", block="membership", space=space, membership=queries.membership_of(current_user, space)
        )
    return redirect_to(url_for("spaces.show", slug=space.slug))


@bp.route("/spaces/<slug>/join", methods=["POST"])
@login_required
def join(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    try:
        membership = services.join_space(current_user, space)
    except DomainError as error:
        if error.status_code != 422:
            raise
        return _membership_answer(space, str(error.message), "error")
    if membership.is_active:
        return _membership_answer(space, _("Welcome to %(title)s.", title=space.title))
    return _membership_answer(space, _("Your request to join is sent to the space’s facilitators."))


@bp.route("/spaces/<slug>/leave", methods=["POST"])
@login_required
def leave(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    try:
        services.leave_space(current_user, space)
    except DomainError as error:
        return _membership_answer(space, str(error.message), "error")
    if not space.is_public and not current_user.is_admin:
        flash(_("You have left %(title)s.", title=space.title), "success")
        return redirect_to(url_for("spaces.index"))
    return _membership_answer(space, _("You have left %(title)s.", title=space.title))


@bp.route("/spaces/<slug>/members")
def members(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    return _render_members(space, InviteForm())


def _render_members(space, invite_form, status=200):
    members, requests = queries.space_members(space)
    return render_page(
        "spaces/members.html", block="members", status=status, space=space, members=members, requests=requests,
        invite_form=invite_form, roles=services.SpaceRole.LABELS, sides=Side.LABELS,
    )


@bp.route("/spaces/<slug>/members/<int:user_id>/<action>", methods=["POST"])
@login_required
def member_action(slug, user_id, action):
    space = queries.space_for_member_or_404(slug, current_user)
    handlers = {
        "approve": (services.approve_request, _("The request is approved.")),
        "decline": (services.decline_request, _("The request is declined.")),
        "remove": (services.remove_member, _("The member is removed.")),
        "make-facilitator": (
            lambda a, s, u: services.set_member_role(a, s, u, services.SpaceRole.FACILITATOR),
            _("The member is now a facilitator of the space."),
        ),
        "make-member": (
            lambda a, s, u: services.set_member_role(a, s, u, services.SpaceRole.MEMBER),
            _("The person is now a plain member of the space."),
        ),
    }
    if action not in handlers:
        abort(404)
    handler, message = handlers[action]
    try:
        handler(current_user, space, user_id)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    if wants_fragment():
        return _render_members(space, InviteForm(formdata=None))
    return redirect_to(url_for("spaces.members", slug=space.slug))


@bp.route("/spaces/<slug>/invite", methods=["POST"])
@login_required
def invite(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    if not can(current_user, "spaces.manage", space):
        abort(403)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation, token = services.invite_by_email(current_user, space, form.email.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            link = url_for("spaces.accept_invitation", token=token, _external=True)
            send_mail(
                invitation.email,
                _("You are invited to %(title)s on Cocreate", title=space.title),
                _(
                    "Hello,\n\n%(name)s invites you to the co-creation space “%(title)s” on Cocreate.\n"
                    "Follow this link within 14 days; if you have no account yet, you can create one on the way:\n"
                    "%(link)s\n",
                    name=current_user.display_name, title=space.title, link=link,
                ),
            )
            flash(_("An invitation is sent to %(email)s.", email=invitation.email), "success")
            if wants_fragment():
                return _render_members(space, InviteForm(formdata=None))
            return redirect_to(url_for("spaces.members", slug=space.slug))
    return _render_members(space, form, status=form_status(form))


@bp.route("/spaces/invitations/<token>")
def accept_invitation(token):
    services.invitation_for_token(token)
    if not current_user.is_authenticated:
        flash(_("Create an account, or log in, to accept the invitation."), "info")
        return redirect_to(url_for("accounts.signup", next=request.path))
    try:
        space = services.accept_invitation(current_user, token)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
        return redirect_to(url_for("main.home"))
    flash(_("Welcome to %(title)s.", title=space.title), "success")
    return redirect_to(url_for("spaces.show", slug=space.slug))


# --- challenges -----------------------------------------------------------------------------

def _challenge_or_404(slug, challenge_id):
    challenge = queries.challenge_by_slug_or_404(slug, challenge_id, current_user)
    return challenge.space, challenge


@bp.route("/spaces/<slug>/challenges/new", methods=["GET", "POST"])
@login_required
def new_challenge(slug):
    space = queries.space_for_member_or_404(slug, current_user)
    if not can(current_user, "spaces.post", space):
        abort(403)
    form = ChallengeForm()
    form.theme_ids.choices = _theme_choices()
    if form.validate_on_submit():
        try:
            challenge = services.post_challenge(current_user, space, _challenge_data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your challenge is posted."), "success")
            return redirect_to(url_for("spaces.challenge", slug=space.slug, challenge_id=challenge.id))
    return render_template("spaces/challenge_form.html", form=form, space=space, challenge=None), form_status(form)


@bp.route("/spaces/<slug>/challenges/<int:challenge_id>")
def challenge(slug, challenge_id):
    space, challenge = _challenge_or_404(slug, challenge_id)
    return render_template(
        "spaces/challenge.html", space=space, challenge=challenge,
        status_form=StatusForm(formdata=None, status=challenge.status), statuses=ChallengeStatus.LABELS,
        sides=Side.LABELS,
    )


@bp.route("/spaces/<slug>/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit_challenge(slug, challenge_id):
    space, challenge = _challenge_or_404(slug, challenge_id)
    if not can(current_user, "challenges.edit", challenge):
        abort(403)
    if request.method == "GET":
        form = ChallengeForm(
            formdata=None, title=challenge.title, body=challenge.body_md, tags=challenge.tags,
            theme_ids=[theme.id for theme in challenge.themes],
        )
    else:
        form = ChallengeForm()
    form.theme_ids.choices = _theme_choices()
    if form.validate_on_submit():
        try:
            services.edit_challenge(current_user, challenge, _challenge_data(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("The challenge is saved."), "success")
            return redirect_to(url_for("spaces.challenge", slug=space.slug, challenge_id=challenge.id))
    return render_template(
        "spaces/challenge_form.html", form=form, space=space, challenge=challenge
    ), form_status(form)


@bp.route("/spaces/<slug>/challenges/<int:challenge_id>/status", methods=["POST"])
@login_required
def challenge_status(slug, challenge_id):
    space, challenge = _challenge_or_404(slug, challenge_id)
    if not can(current_user, "challenges.edit", challenge):
        abort(403)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_challenge_status(current_user, challenge, form.status.data)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The status is now “%(status)s”.", status=ChallengeStatus.LABELS[challenge.status]), "success")
    else:
        flash(_("Choose one of the options offered."), "error")
    if wants_fragment():
        return render_page(
            "spaces/challenge.html", block="status", space=space, challenge=challenge,
            status_form=StatusForm(formdata=None, status=challenge.status), statuses=ChallengeStatus.LABELS,
        )
    return redirect_to(url_for("spaces.challenge", slug=space.slug, challenge_id=challenge.id))


def _challenge_data(form):
    return services.ChallengeData(
        title=form.title.data or "", body=form.body.data or "", theme_ids=form.theme_ids.data or [],
        tags=form.tags.data or "",
    )
