"""A person's data, found through every column that points at their account.

Reading the foreign keys of ``db.metadata`` rather than a hand-kept list means a table
added later is part of the download (and of the deletion) without anyone remembering it.
"""
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.models import record
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from ..permissions import require, rule

EXPORT_FORMAT = "cocreate-personal-data"
DELETED_NAME = "Deleted user"
# Columns that hold secrets rather than information about the person.
SECRET_COLUMNS = {("users", "password_hash")}
# Rows that exist only because the person takes part; they go with the account.
# Everything else they wrote (ideas, comments, posts, votes, challenges) stays, attributed to DELETED_NAME.
PARTICIPATION_TABLES = ("organisation_memberships", "space_memberships", "user_roles", "workshop_registrations",
                        "space_mutes", "idea_vote_notices")


@rule("privacy.manage_account")
def _can_manage_account(user, account):
    return user is not None and user.id == account.id


def user_columns():
    """[(table, column)] for every column with a foreign key to ``users.id``."""
    users = db.metadata.tables["users"]
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table is users for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row_dict(table, row):
    return {key: _plain(value) for key, value in row._mapping.items() if (table.name, key) not in SECRET_COLUMNS}


def export_personal_data(actor, user):
    """Everything stored about ``user``, as a dict ready for JSON: the profile and each table's rows."""
    require(actor, "privacy.manage_account", user)
    users = db.metadata.tables["users"]
    profile = db.session.execute(db.select(users).where(users.c.id == user.id)).one()
    data = {"format": EXPORT_FORMAT, "exported_at": utcnow().isoformat(), "profile": _row_dict(users, profile)}
    by_table = {}
    for table, column in user_columns():
        rows = db.session.execute(db.select(table).where(column == user.id)).all()
        bucket = by_table.setdefault(table.name, {})
        for row in rows:
            key = tuple(row._mapping[c.name] for c in table.primary_key.columns) or tuple(row)
            bucket[key] = _row_dict(table, row)
    data.update({name: list(rows.values()) for name, rows in by_table.items()})
    return data


def delete_account(actor, user, password):
    """Remove the person's personal data and participation; what they wrote stays, attributed to DELETED_NAME.

    Their places at coming workshops go to the waitlist as if they had cancelled.
    """
    from ..workshops.models import Registration, Workshop
    from ..workshops.services import cancel_registration

    require(actor, "privacy.manage_account", user)
    if not user.check_password(password or ""):
        raise DomainError(_l("That is not your password."), field="password")
    coming = db.session.scalars(
        db.select(Workshop).join(Registration).where(Registration.user_id == user.id, Workshop.starts_at > utcnow())
    ).all()
    for workshop in coming:
        cancel_registration(user, workshop)
    for name in PARTICIPATION_TABLES:
        table = db.metadata.tables[name]
        db.session.execute(table.delete().where(table.c.user_id == user.id))
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = DELETED_NAME
    user.bio_md = user.bio_html = ""
    user.preferred_language = None
    user.set_password(secrets.token_urlsafe(32))
    user.is_active = False
    record(None, "account.delete", "user", user.id)
    db.session.commit()
    db.session.expire(user)
    return db.session.get(User, user.id)
