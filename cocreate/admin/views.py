from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..accounts import services as account_services
from ..accounts.models import Role, User
from ..extensions import db
from ..pagination import paginate
from ..permissions import can
from ..web.htmx import redirect_to, render_page

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin():
    if not can(current_user, "admin.manage_users"):
        abort(403)


@bp.route("/users")
def users():
    q = (request.args.get("q") or "").strip()[:100]
    select = db.select(User).options(selectinload(User.role_rows)).order_by(User.display_name, User.id)
    if q:
        pattern = f"%{q.lower()}%"
        select = select.where(or_(db.func.lower(User.display_name).like(pattern), User.email.like(pattern)))
    page = paginate(select, per_page=25)
    return render_page("admin/users.html", block="results", page=page, q=q, roles=Role.ALL)


@bp.route("/users/<int:user_id>/roles/<role>", methods=["POST"])
def change_role(user_id, role):
    user = db.session.get(User, user_id)
    if user is None or role not in Role.ALL:
        abort(404)
    if request.form.get("grant") == "1":
        account_services.grant_role(current_user, user, role)
        flash(_("%(name)s now has the role %(role)s.", name=user.display_name, role=Role.LABELS[role]), "success")
    else:
        account_services.revoke_role(current_user, user, role)
        flash(_("%(name)s no longer has the role %(role)s.", name=user.display_name, role=Role.LABELS[role]), "success")
    return redirect_to(url_for("admin.users", q=request.args.get("q") or None, page=request.args.get("page") or None))
