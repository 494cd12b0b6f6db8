from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..web.forms import choices
from .passwords import password_problems

LANGUAGE_CHOICES = choices({"": _l("Browser default"), "en": "English", "da": "Dansk"})
BIO_MAX = 5000


class StrongPassword:
    """Checks the password against the rules, using the form's e-mail and name."""

    def __call__(self, form, field):
        email = form.email.data if hasattr(form, "email") else getattr(form, "known_email", "")
        name = form.display_name.data if hasattr(form, "display_name") else ""
        problems = password_problems(field.data or "", email=email or "", display_name=name or "")
        if problems:
            raise ValidationError(" ".join(str(problem) for problem in problems))


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=2, max=80)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters; a short sentence works well."),
    )
    confirm = PasswordField(
        _l("Repeat password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))]
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=2, max=80)])
    bio = TextAreaField(
        _l("About you"),
        validators=[Optional(), Length(max=BIO_MAX)],
        description=_l("Markdown is supported: **bold**, *italic*, lists and links."),
    )
    preferred_language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[Optional()])
