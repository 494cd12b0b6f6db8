from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             description=_l("To make sure it is you."))
    confirm = BooleanField(
        _l("I understand that my account and personal data are deleted for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
