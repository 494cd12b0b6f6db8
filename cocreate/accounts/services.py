"""Account use cases: sign up, authenticate, reset a password, edit a profile, roles."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..audit.models import record
from ..errors import DomainError
from ..extensions import db
from ..markdown import render_markdown
from ..permissions import require, rule
from .models import Role, User, UserRole, normalise_email, user_by_email
from .passwords import password_problems

RESET_SALT = "password-reset"


@rule("admin.manage_users")
def _can_manage_users(user, _obj):
    return user is not None and user.is_admin


@rule("accounts.edit_profile")
def _can_edit_profile(user, profile_user):
    return user is not None and (user.id == profile_user.id or user.is_admin)


@dataclass
class NewAccount:
    email: str
    display_name: str
    password: str


def sign_up(data):
    email = normalise_email(data.email)
    if user_by_email(email) is not None:
        raise DomainError(_l("An account with this e-mail already exists. Log in, or reset your password."), field="email")
    problems = password_problems(data.password, email=email, display_name=data.display_name)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), field="password")
    user = User(email=email, display_name=data.display_name.strip())
    user.set_password(data.password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email, password):
    """The user for these credentials; one message for every failure so e-mails can't be probed."""
    user = user_by_email(email)
    if user is None or not user.is_active or not user.check_password(password):
        raise DomainError(_l("The e-mail or password is not right."), field="password")
    return user


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user):
    # The token carries a fragment of the current hash: once the password changes, it is spent.
    return _reset_serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token):
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise DomainError(_l("This reset link has expired. Ask for a new one."))
    except BadSignature:
        raise DomainError(_l("This reset link is not valid. Ask for a new one."))
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or user.password_hash[-16:] != data.get("h"):
        raise DomainError(_l("This reset link has already been used. Ask for a new one."))
    return user


def reset_password(token, new_password):
    user = user_for_reset_token(token)
    problems = password_problems(new_password, email=user.email, display_name=user.display_name)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), field="password")
    user.set_password(new_password)
    db.session.commit()
    return user


def update_profile(actor, user, *, display_name, bio, preferred_language):
    require(actor, "accounts.edit_profile", user)
    user.display_name = display_name.strip()
    user.bio_md = bio or ""
    user.bio_html = render_markdown(user.bio_md)
    user.preferred_language = preferred_language or None
    db.session.commit()
    return user


def set_language(user, language):
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("That language is not available."))
    if user is not None:
        user.preferred_language = language
        db.session.commit()


def grant_role(actor, user, role):
    require(actor, "admin.manage_users")
    if role not in Role.ALL:
        raise DomainError(_l("Unknown role."))
    if role not in user.roles:
        user.role_rows.append(UserRole(role=role))
        record(actor, "role.grant", "user", user.id, role=role)
        db.session.commit()


def revoke_role(actor, user, role):
    require(actor, "admin.manage_users")
    if role == Role.ADMIN and user.id == actor.id:
        raise DomainError(_l("You cannot remove your own admin role."))
    row = next((row for row in user.role_rows if row.role == role), None)
    if row is not None:
        user.role_rows.remove(row)
        record(actor, "role.revoke", "user", user.id, role=role)
        db.session.commit()


def create_admin(email, display_name, password):
    """Used by ``flask create-admin``: make a new admin or promote an existing account."""
    user = user_by_email(email)
    if user is None:
        user = sign_up(NewAccount(email=email, display_name=display_name, password=password))
    if Role.ADMIN not in user.roles:
        user.role_rows.append(UserRole(role=Role.ADMIN))
        record(None, "role.grant", "user", user.id, role=Role.ADMIN, via="cli")
        db.session.commit()
    return user
