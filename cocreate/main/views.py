from flask import Blueprint, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.services import set_language
from ..errors import DomainError
from ..web.forms import safe_next
from ..web.htmx import redirect_to

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    from ..spaces import queries as spaces

    if current_user.is_authenticated:
        context = {
            "my_spaces": spaces.my_spaces(current_user),
            "latest_challenges": spaces.latest_challenges_in_my_spaces(current_user),
            "join_requests": spaces.requests_i_can_decide(current_user),
        }
    else:
        context = {"public_spaces": spaces.public_spaces()}
    return render_template("main/home.html", **context)


@bp.route("/language", methods=["POST"])
def language():
    chosen = request.form.get("lang", "")
    try:
        set_language(current_user if current_user.is_authenticated else None, chosen)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        session["lang"] = chosen
    return redirect_to(safe_next(request.form.get("next"), url_for("main.home")))
