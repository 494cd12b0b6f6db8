from flask import Blueprint, abort, current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..extensions import db, limiter
from ..mail import send_mail
from ..web.forms import attach_error, form_status, safe_next
from ..web.htmx import redirect_to
from . import services
from .forms import ForgotPasswordForm, LoginForm, ProfileForm, ResetPasswordForm, SignupForm
from .models import User, user_by_email

bp = Blueprint("accounts", __name__)


def auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


def start_session(user, remember=False):
    """Log in with a fresh session, so a session fixed before log-in is worthless."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user, remember=remember)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect_to(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.sign_up(
                services.NewAccount(
                    email=form.email.data, display_name=form.display_name.data, password=form.password.data
                )
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            start_session(user)
            flash(_("Welcome to Cocreate, %(name)s!", name=user.display_name), "success")
            return redirect_to(safe_next(request.args.get("next"), url_for("orgs.choose")))
    return render_template("accounts/signup.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect_to(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            start_session(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect_to(safe_next(request.args.get("next"), url_for("main.home")))
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect_to(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is not None and user.is_active:
            link = url_for("accounts.reset_password", token=services.make_reset_token(user), _external=True)
            send_mail(
                user.email,
                _("Reset your Cocreate password"),
                _(
                    "Hello %(name)s,\n\nFollow this link within an hour to choose a new password:\n%(link)s\n\n"
                    "If you did not ask for this, you can ignore this e-mail.",
                    name=user.display_name,
                    link=link,
                ),
            )
        # The same answer whether or not the address has an account.
        flash(_("If an account uses that address, we have sent it a link to reset the password."), "info")
        return redirect_to(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def reset_password(token):
    try:
        user = services.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect_to(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    form.known_email = user.email
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect_to(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, token=token), form_status(form)


@bp.route("/people/<int:user_id>")
def profile(user_id):
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    return render_template("accounts/profile.html", user=user)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user, bio=current_user.bio_md) if request.method == "GET" else ProfileForm()
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            current_user,
            display_name=form.display_name.data,
            bio=form.bio.data,
            preferred_language=form.preferred_language.data,
        )
        flash(_("Your profile is saved."), "success")
        return redirect_to(url_for("accounts.profile", user_id=current_user.id))
    return render_template("accounts/edit_profile.html", form=form), form_status(form)
