from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import created_at_column


class Role:
    """Platform roles on top of "participant", which everyone is."""

    FACILITATOR = "facilitator"
    LSG = "lsg"
    ADMIN = "admin"
    ALL = (FACILITATOR, LSG, ADMIN)
    LABELS = {
        FACILITATOR: _l("Facilitator"),
        LSG: _l("LSG member"),
        ADMIN: _l("Admin"),
    }


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so that uniqueness ignores letter case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    bio_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    bio_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    preferred_language: Mapped[str | None] = mapped_column(String(5))
    is_active: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at = created_at_column()

    # Loaded only where asked for (the signed-in person, the admin's user list): authors in a list
    # never need their roles, and loading them cost one more query per list of people.
    role_rows: Mapped[list["UserRole"]] = relationship(back_populates="user", cascade="all, delete-orphan")
    membership = relationship("OrganisationMembership", back_populates="user", uselist=False, lazy="joined")

    def __repr__(self):
        return f"<User {self.id} {self.email}>"

    def set_password(self, password):
        # Scrypt (memory-hard) by default; the test suite picks a cheap method to stay fast.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, role):
        return role in self.roles

    @property
    def is_admin(self):
        return self.has_role(Role.ADMIN)

    @property
    def is_facilitator(self):
        return self.has_role(Role.FACILITATOR) or self.is_admin

    @property
    def is_lsg(self):
        return self.has_role(Role.LSG)

    @property
    def organisation(self):
        membership = self.membership
        return membership.organisation if membership and membership.is_active else None


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at = created_at_column()

    user: Mapped[User] = relationship(back_populates="role_rows")


def normalise_email(email):
    return (email or "").strip().lower()


def user_by_email(email):
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))



