from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from ..web.forms import choices
from .models import EmailMode


class EmailModeForm(FlaskForm):
    email_mode = RadioField(_l("E-mail me about notifications"), choices=choices(EmailMode.LABELS),
                            default=EmailMode.DEFAULT)
