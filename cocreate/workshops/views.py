from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..ideas import queries as idea_queries, services as idea_services
from ..ideas.models import Idea
from ..pagination import paginate, paginate_in_one
from ..permissions import can
from ..spaces.queries import space_for_member_or_404
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_macro, render_page, wants_fragment
from . import queries, services, steering
from .calendar import workshop_ics
from .dates import moment as local_time, to_local, to_utc, when
from .forms import MuteForm, OutcomeForm, PhaseForm, PostForm, ReasonForm, WorkshopForm
from .models import Instrument, Phase, PostReport, as_utc

bp = Blueprint("workshops", __name__)


def _space(slug):
    return space_for_member_or_404(slug, current_user)


def _workshop(slug, workshop_id):
    workshop = queries.workshop_by_slug_or_404(slug, workshop_id, current_user)
    return workshop.space, workshop


def _post(slug, workshop_id, post_id):
    space, workshop = _workshop(slug, workshop_id)
    return space, workshop, queries.post_in_workshop_or_404(workshop, post_id)


def _show_url(workshop, **args):
    return url_for("workshops.show", slug=workshop.space.slug, workshop_id=workshop.id, **args)


def _post_url(post):
    page = queries.page_of(post)
    return _show_url(post.workshop, page=page if page > 1 else None, _anchor=f"post-{post.id}")


def _require(action, obj):
    if not can(current_user, action, obj):
        abort(403)


# --- workshops ------------------------------------------------------------------------------

@bp.route("/spaces/<slug>/workshops/")
def index(slug):
    space = _space(slug)
    page = paginate(queries.space_workshops_select(space))
    return render_page("workshops/index.html", block="results", space=space, page=page, phases=Phase.LABELS)


def _level_choices():
    language = str(get_locale())
    return {
        key: f"{Instrument.LABELS[instrument]}: {name.get(language)}"
        for instrument in Instrument.LABELS
        for key, name in services.maturity_levels(instrument)
    }


@bp.app_template_global("workshop_level_names")
def _level_names():
    language = str(get_locale())
    return {key: name.get(language) for instrument in Instrument.LABELS for key, name in services.maturity_levels(instrument)}


def _workshop_form(space, **initial):
    form = WorkshopForm(**initial)
    form.set_choices(db.session.scalars(
        db.select(services.Challenge).where(services.Challenge.space_id == space.id).order_by(services.Challenge.id)
    ).all(), _level_choices())
    return form


def _workshop_data(form):
    return services.WorkshopData(
        title=form.title.data, agenda=form.agenda.data or "", starts_at=to_utc(form.starts_at.data),
        ends_at=to_utc(form.ends_at.data), location=form.location.data or "", capacity=form.capacity.data,
        challenge_ids=form.challenge_ids.data or [], maturity_instrument=form.maturity_instrument.data or "",
        maturity_level_from=form.maturity_level_from.data or "", maturity_level_to=form.maturity_level_to.data or "",
        band_restricted=bool(form.band_restricted.data),
    )


@bp.route("/spaces/<slug>/workshops/new", methods=["GET", "POST"])
@login_required
def create(slug):
    space = _space(slug)
    _require("workshops.create", space)
    form = _workshop_form(space)
    if form.validate_on_submit():
        try:
            workshop = services.create_workshop(current_user, space, _workshop_data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The workshop is planned. Open it for input when you are ready."), "success")
            return redirect_to(_show_url(workshop))
    return render_template("workshops/form.html", form=form, space=space, workshop=None), form_status(form)


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, workshop_id):
    space, workshop = _workshop(slug, workshop_id)
    _require("workshops.manage", workshop)
    if request.method == "GET":
        form = _workshop_form(
            space, obj=workshop, agenda=workshop.agenda_md, starts_at=to_local(workshop.starts_at),
            ends_at=to_local(workshop.ends_at), challenge_ids=[c.id for c in workshop.challenges],
        )
    else:
        form = _workshop_form(space)
    if form.validate_on_submit():
        try:
            services.update_workshop(current_user, workshop, _workshop_data(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The workshop is saved."), "success")
            return redirect_to(_show_url(workshop))
    return render_template("workshops/form.html", form=form, space=space, workshop=workshop), form_status(form)


def _thread_context(workshop, viewer, post_form, figures):
    """Everything the thread needs; a fixed number of queries whatever the thread's length."""
    page = paginate_in_one(queries.thread_page_select(workshop), per_page=queries.THREAD_PAGE_SIZE)
    return {
        "viewer": viewer,
        "page": page,
        "pinned": queries.pinned_posts(workshop) if page.page == 1 else [],
        # Only the last page grows: new top-level posts land there, so only it polls.
        "is_last_page": page.page >= page.pages,
        "cursor": figures.last_post_id,
        "post_form": post_form,
    }


def _post_form_for(workshop, viewer):
    """The new-post form, set up as a reply (``?reply_to=``) and prefilled with a quote (``?quote=``)."""
    form = PostForm(formdata=None)
    reply_to = request.args.get("reply_to", type=int)
    if reply_to:
        parent = queries.post_in_workshop_or_404(workshop, reply_to)
        form.parent_id.data = str(parent.parent_id or parent.id)
        if request.args.get("quote") and viewer.may_quote(parent):
            try:
                form.body.data = services.quote_text(current_user, parent)
            except DomainError:
                abort(404)
    return form


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>")
def show(slug, workshop_id):
    space, workshop = _workshop(slug, workshop_id)
    viewer = queries.ThreadViewer(current_user, workshop)
    return _render_show(space, workshop, viewer, _post_form_for(workshop, viewer), block="post_form")


def _render_show(space, workshop, viewer, post_form, block=None, status=200):
    figures = queries.thread_figures(workshop, with_reports=viewer.moderates)
    registration = queries.registration_of(current_user, workshop)
    fit = steering.band_fit(current_user, workshop) if current_user.is_authenticated else None
    return render_page(
        "workshops/show.html", block=block, status=status, space=space, workshop=workshop,
        phases=Phase.LABELS, phase_form=PhaseForm(formdata=None, phase=workshop.phase),
        registration=registration, registered=figures.registered, waitlisted=figures.waitlisted, fit=fit,
        band_refusal=steering.registration_refusal(current_user, workshop, fit)
        if fit and not registration and not viewer.moderates else None,
        boards=queries.workshop_ideas(workshop, current_user) if workshop.phase != Phase.PREPARING else [],
        can_vote=workshop.phase == Phase.CONVERGE and can(current_user, "ideas.vote", workshop.challenges[0])
        if workshop.challenges else False,
        report_count=figures.open_reports,
        **_thread_context(workshop, viewer, post_form, figures),
    )


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>.ics")
def calendar(slug, workshop_id):
    _space_, workshop = _workshop(slug, workshop_id)
    body = workshop_ics(workshop, _show_url(workshop, _external=True))
    return body, 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="workshop-{workshop.id}.ics"',
    }


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/phase", methods=["POST"])
@login_required
def change_phase(slug, workshop_id):
    _space_, workshop = _workshop(slug, workshop_id)
    form = PhaseForm()
    try:
        services.change_phase(current_user, workshop, form.phase.data if form.validate() else "")
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(_("The workshop is now in the phase: %(phase)s.", phase=Phase.LABELS[workshop.phase]), "success")
    return redirect_to(_show_url(workshop))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(slug, workshop_id):
    space, workshop = _workshop(slug, workshop_id)
    _require("workshops.manage", workshop)
    ideas = db.session.scalars(services.workshop_ideas_select(workshop)).all()
    if request.method == "GET":
        form = OutcomeForm(outcome=workshop.outcome_md, selected_ideas=[i.id for i in ideas if i.status == "selected"])
    else:
        form = OutcomeForm()
    form.selected_ideas.choices = [(idea.id, idea.title) for idea in ideas]
    if form.validate_on_submit():
        try:
            services.write_outcome(current_user, workshop, form.outcome.data,
                                   form.selected_ideas.data or [] if ideas else None)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The outcome is saved."), "success")
            return redirect_to(_show_url(workshop))
    return render_template("workshops/outcome.html", form=form, space=space, workshop=workshop,
                           ideas=ideas), form_status(form)


# --- ideas of the linked challenges ---------------------------------------------------------

@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/ideas/<int:idea_id>/vote", methods=["POST"])
@login_required
def vote(slug, workshop_id, idea_id):
    return _cast(slug, workshop_id, idea_id, take_back=False)


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/ideas/<int:idea_id>/unvote", methods=["POST"])
@login_required
def unvote(slug, workshop_id, idea_id):
    return _cast(slug, workshop_id, idea_id, take_back=True)


def _cast(slug, workshop_id, idea_id, take_back):
    """A vote from the workshop page: the ideas area's vote, with the button answered in place."""
    space, workshop = _workshop(slug, workshop_id)
    outcome = None
    try:
        outcome = services.vote_in_workshop(current_user, workshop, idea_id, take_back=take_back)
    except DomainError as error:
        db.session.rollback()
        if error.status_code == 404:
            abort(404)
        if error.status_code == 403:
            raise
        flash(str(error.message), "error")
    if not wants_fragment():
        return redirect_to(_show_url(workshop, _anchor=f"idea-{idea_id}"))
    if outcome is None:
        idea = db.session.get(Idea, idea_id)
        outcome = idea_services.VoteOutcome(
            idea, idea_queries.rules_of(idea.challenge), idea_queries.has_voted(current_user, idea),
            idea_queries.votes_used(current_user, idea.challenge),
        )
    return render_macro("ideas/_vote.html", "vote_response", space, outcome.idea.challenge, outcome, workshop=workshop)


# --- registration ---------------------------------------------------------------------------

@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/register", methods=["POST"])
@login_required
def register(slug, workshop_id):
    _space_, workshop = _workshop(slug, workshop_id)
    try:
        registration = services.register(current_user, workshop)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
        return redirect_to(_show_url(workshop, _anchor="workshop-registration"))
    if steering.band_fit(current_user, workshop).outside:
        flash(_("Note: this workshop targets another maturity level than yours. You are welcome, but it may be "
                "pitched above or below where you are now."), "warning")
    if registration.is_registered:
        flash(_("You are registered. Add the workshop to your calendar."), "success")
    else:
        flash(_("The workshop is full, so you are on the waitlist. We e-mail you if a place frees up."), "info")
    return redirect_to(_show_url(workshop))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/cancel", methods=["POST"])
@login_required
def cancel(slug, workshop_id):
    _space_, workshop = _workshop(slug, workshop_id)
    try:
        services.cancel_registration(current_user, workshop)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(_("Your registration is cancelled."), "success")
    return redirect_to(_show_url(workshop))


# --- the thread -----------------------------------------------------------------------------

@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts", methods=["GET"])
def poll(slug, workshop_id):
    """Live updates by polling with a cursor: the posts after ``?after=<id>``, or 204 if there are none.

    Why polling and not a push channel (SSE, WebSocket): the answer depends only on the
    shared database and the cursor the browser sends, so any process of the site can
    answer any poll and nothing is kept in a process between requests. Ids of one
    workshop's posts commit in order (``create_post`` holds the workshop row lock), so
    "id above the cursor, in id order" yields every post exactly once.
    """
    _space_, workshop = _workshop(slug, workshop_id)
    cursor = request.args.get("after", type=int)
    if cursor is None:
        return redirect_to(_show_url(workshop))
    posts = queries.posts_after(workshop, cursor)
    if not posts:
        return "", 204
    if not wants_fragment():
        return redirect_to(_show_url(workshop, page=queries.last_page(workshop)))
    return render_template(
        "workshops/_poll.html", workshop=workshop, space=workshop.space, posts=posts,
        viewer=queries.ThreadViewer(current_user, workshop), cursor=posts[-1].id,
    )


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts", methods=["POST"])
@login_required
def create_post(slug, workshop_id):
    space, workshop = _workshop(slug, workshop_id)
    form = PostForm()
    if form.validate_on_submit():
        try:
            post = services.create_post(current_user, workshop, form.body.data, _int(form.parent_id.data))
        except DomainError as error:
            attach_error(form, error)
        else:
            return redirect_to(_post_url(post))
    # The page comes back with the text still in the form.
    viewer = queries.ThreadViewer(current_user, workshop)
    return _render_show(space, workshop, viewer, form, block="post_form", status=form_status(form))


def _int(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(slug, workshop_id, post_id):
    space, workshop, post = _post(slug, workshop_id, post_id)
    _require("workshops.edit_post", post)
    form = PostForm(body=post.body_md) if request.method == "GET" else PostForm()
    if form.validate_on_submit():
        try:
            services.edit_post(current_user, post, form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your post is saved."), "success")
            return redirect_to(_post_url(post))
    return render_template(
        "workshops/post_form.html", form=form, space=space, workshop=workshop, post=post,
        title=_("Edit your post"), action=url_for("workshops.edit_post", slug=slug, workshop_id=workshop.id, post_id=post.id),
    ), form_status(form)


def _reason_page(space, workshop, post, form, title, action, status=200):
    return render_template(
        "workshops/reason_form.html", form=form, space=space, workshop=workshop, post=post, title=title, action=action,
        viewer=queries.ThreadViewer(current_user, workshop),
    ), status


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(slug, workshop_id, post_id):
    space, workshop, post = _post(slug, workshop_id, post_id)
    _require("workshops.report", post)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.report_post(current_user, post, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Thank you. The space’s facilitators will look at the post."), "success")
            return redirect_to(_post_url(post))
    action = url_for("workshops.report_post", slug=slug, workshop_id=workshop.id, post_id=post.id)
    return _reason_page(space, workshop, post, form, _("Report a post"), action, form_status(form))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide_post(slug, workshop_id, post_id):
    space, workshop, post = _post(slug, workshop_id, post_id)
    _require("workshops.moderate", space)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.hide_post(current_user, post, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The post is hidden."), "success")
            return redirect_to(_post_url(post))
    action = url_for("workshops.hide_post", slug=slug, workshop_id=workshop.id, post_id=post.id)
    return _reason_page(space, workshop, post, form, _("Hide a post"), action, form_status(form))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts/<int:post_id>/restore", methods=["POST"])
@login_required
def restore_post(slug, workshop_id, post_id):
    _space_, workshop, post = _post(slug, workshop_id, post_id)
    services.restore_post(current_user, post)
    flash(_("The post is shown again."), "success")
    return redirect_to(_post_url(post))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/posts/<int:post_id>/pin", methods=["POST"])
@login_required
def pin_post(slug, workshop_id, post_id):
    _space_, workshop, post = _post(slug, workshop_id, post_id)
    pinned = request.form.get("pinned") == "1"
    services.set_pinned(current_user, post, pinned)
    flash(_("The post is pinned.") if pinned else _("The post is no longer pinned."), "success")
    return redirect_to(_show_url(workshop))


@bp.route("/spaces/<slug>/workshops/<int:workshop_id>/lock", methods=["POST"])
@login_required
def lock_thread(slug, workshop_id):
    _space_, workshop = _workshop(slug, workshop_id)
    locked = request.form.get("locked") == "1"
    services.set_locked(current_user, workshop, locked)
    flash(_("The thread is locked.") if locked else _("The thread is open again."), "success")
    return redirect_to(_show_url(workshop))


# --- the space's moderation -----------------------------------------------------------------

@bp.route("/spaces/<slug>/moderation")
@login_required
def moderation(slug):
    space = _space(slug)
    _require("workshops.moderate", space)
    page = paginate(queries.open_reports(space))
    return render_page(
        "workshops/moderation.html", block="reports", space=space, page=page, mutes=queries.active_mutes(space),
    )


@bp.route("/spaces/<slug>/moderation/reports/<int:report_id>/<resolution>", methods=["POST"])
@login_required
def resolve_report(slug, report_id, resolution):
    space = _space(slug)
    report = db.session.get(PostReport, report_id)
    if report is None or report.space_id != space.id:
        abort(404)
    try:
        services.resolve_report(current_user, report, resolution)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(_("The post is hidden and the report closed.") if resolution == "hidden" else _("The report is dismissed."),
              "success")
    return redirect_to(url_for("workshops.moderation", slug=space.slug))


@bp.route("/spaces/<slug>/moderation/mutes/<int:user_id>", methods=["GET", "POST"])
@login_required
def mute_member(slug, user_id):
    space = _space(slug)
    _require("workshops.moderate", space)
    membership = services.membership_of_id(space, user_id)
    form = MuteForm()
    if form.validate_on_submit():
        try:
            services.mute_member(current_user, space, user_id, form.hours.data, form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("%(name)s is muted in this space.", name=membership.user.display_name), "success")
            return redirect_to(url_for("workshops.moderation", slug=space.slug))
    return render_template("workshops/mute.html", form=form, space=space, membership=membership), form_status(form)


@bp.route("/spaces/<slug>/moderation/mutes/<int:user_id>/lift", methods=["POST"])
@login_required
def unmute_member(slug, user_id):
    space = _space(slug)
    try:
        services.unmute_member(current_user, space, user_id)
    except DomainError as error:
        if error.status_code != 422:
            raise
        flash(str(error.message), "error")
    else:
        flash(_("The mute is lifted."), "success")
    return redirect_to(url_for("workshops.moderation", slug=space.slug))


@bp.route("/spaces/<slug>/audit")
@login_required
def audit_log(slug):
    space = _space(slug)
    _require("workshops.moderate", space)
    action = request.args.get("action", "")
    actions = queries.audit_actions(space)
    page = paginate(queries.audit_entries(space, action if action in actions else ""))
    return render_page("workshops/audit.html", block="entries", space=space, page=page, actions=actions, action=action)


# --- blocks other areas' pages include ------------------------------------------------------

@bp.app_template_global()
def workshop_overview(space=None):
    """(upcoming workshops, the latest past ones) for the home and space pages."""
    return queries.workshop_overview(current_user, space)


@bp.app_template_global()
def recommended_workshops(limit=3):
    return queries.recommended_workshops(current_user, limit)


@bp.app_template_filter("workshop_when")
def workshop_when(workshop):
    """The workshop's start and end in Danish time, the same way on every page."""
    return when(workshop.starts_at, workshop.ends_at, str(get_locale()))


@bp.app_template_filter("utc_iso")
def utc_iso(moment):
    return as_utc(moment).isoformat() if moment else ""


@bp.app_template_filter("local_moment")
def local_moment(moment):
    return local_time(moment, str(get_locale())) if moment else ""


@bp.app_template_global()
def workshops_of_challenge(challenge):
    return queries.challenge_workshops(challenge)
