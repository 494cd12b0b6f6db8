from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import csrf
from ..pagination import paginate
from ..spaces.queries import is_member, space_for_member_or_404
from ..web.forms import attach_error, form_status, safe_next
from ..web.htmx import redirect_to, render_page, wants_fragment
from . import queries, services
from .delivery import TokenExpired, email_mode, user_for_token
from .forms import EmailModeForm
from .messages import sentence

bp = Blueprint("notifications", __name__)
BADGE_POLL_SECONDS = 30


@bp.app_template_global()
def notification_sentence(notification):
    return sentence(notification)


@bp.app_template_global()
def email_mode_form():
    """The e-mail choice of the signed-in person, for the profile page."""
    return EmailModeForm(formdata=None, email_mode=email_mode(current_user.id))


@bp.route("/notifications/")
@login_required
def index():
    page = paginate(queries.notifications_for(current_user))
    return render_page("notifications/index.html", block="list", page=page)


@bp.route("/notifications/badge")
def badge():
    """The navigation's unread count, polled by htmx; a 304 when nothing changed (one query)."""
    if not current_user.is_authenticated:
        return "", 204
    count, newest = queries.badge_state(current_user)
    etag = f"n{current_user.id}-{count}-{newest}-{get_locale()}"
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(render_template("notifications/_badge.html", unread=count, poll=True))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/notifications/<int:notification_id>")
@login_required
def open(notification_id):
    """Mark the notification read and go where it points."""
    notification = services.mark_read(current_user, notification_id)
    return redirect(safe_next(notification.url, url_for("notifications.index")), code=303)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    notification = services.mark_read(current_user, notification_id)
    if wants_fragment():
        return render_template("notifications/_item.html", notification=notification, oob_badge=True)
    return redirect_to(safe_next(request.form.get("next"), url_for("notifications.index")))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    services.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect_to(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = EmailModeForm(email_mode=email_mode(current_user.id)) if request.method == "GET" else EmailModeForm()
    if form.validate_on_submit():
        try:
            services.set_email_mode(current_user, current_user, form.email_mode.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your e-mail choice is saved."), "success")
            return redirect_to(safe_next(request.args.get("next"), url_for("notifications.settings")))
    return render_template("notifications/settings.html", form=form), form_status(form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail clients post here without a session (RFC 8058)
def unsubscribe(token):
    try:
        user = user_for_token(token)
    except TokenExpired:
        return render_template("notifications/unsubscribe.html", expired=True), 410
    if user is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    if request.method == "POST":
        services.unsubscribe(user)
        return render_template("notifications/unsubscribe.html", done=True, user=user)
    return render_template("notifications/unsubscribe.html", token=token, user=user)


# --- following ------------------------------------------------------------------------------

def _follow_page(kind, target_id, status=200):
    spec, target = services.followable_or_404(current_user, kind, target_id)
    following = services.is_following(current_user, kind, target.id)
    return render_page("notifications/follow.html", block="button", status=status, spec=spec, target=target,
                       kind=kind, following=following, url=spec.url_of(target))


@bp.route("/follow/<kind>/<int:target_id>")
@login_required
def follow_state(kind, target_id):
    return _follow_page(kind, target_id)


@bp.route("/follow/<kind>/<int:target_id>", methods=["POST"])
@login_required
def follow(kind, target_id):
    services.follow(current_user, kind, target_id)
    return _after_follow(kind, target_id, _("You follow this now."))


@bp.route("/follow/<kind>/<int:target_id>/remove", methods=["POST"])
@login_required
def unfollow(kind, target_id):
    services.followable_or_404(current_user, kind, target_id)
    services.unfollow(current_user, kind, target_id)
    return _after_follow(kind, target_id, _("You no longer follow this."))


def _after_follow(kind, target_id, message):
    if wants_fragment():
        return _follow_page(kind, target_id)
    flash(message, "success")
    return redirect_to(safe_next(request.form.get("next"), url_for("notifications.follow_state", kind=kind,
                                                                   target_id=target_id)))


# --- @mention suggestions -------------------------------------------------------------------

@bp.route("/spaces/<slug>/mention-suggestions")
@login_required
def mention_suggestions(slug):
    space = space_for_member_or_404(slug, current_user)
    if not is_member(current_user, space):
        return render_template("notifications/_mentions.html", names=[], fragment=None, space=space)
    text = request.args.get("body", "")
    fragment, names = services.suggest_members(space, text)
    return render_template("notifications/_mentions.html", names=names, fragment=fragment, space=space)


@bp.app_template_global()
def mention_attributes(space):
    """htmx attributes for a post or comment textarea: suggest member names after an ``@``."""
    return {
        "hx-get": url_for("notifications.mention_suggestions", slug=space.slug),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "next .mention-suggestions",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
    }
