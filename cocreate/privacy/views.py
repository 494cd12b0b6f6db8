import json

from flask import Blueprint, Response, flash, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..errors import DomainError
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to
from . import services
from .forms import DeleteAccountForm

bp = Blueprint("privacy", __name__)


@bp.route("/profile/data")
@login_required
def download_data():
    data = services.export_personal_data(current_user, current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="cocreate-data-{current_user.id}.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/profile/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, current_user, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            logout_user()
            session.clear()
            flash(_("Your account is deleted. What you wrote stays, signed as a deleted user."), "info")
            return redirect_to(url_for("main.home"))
    return render_template("privacy/delete_account.html", form=form), form_status(form)
