from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..web.forms import choices
from .choices import KINDS, MUNICIPALITIES, SECTORS, SIZE_BANDS

DESCRIPTION_MAX = 5000


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=120)])
    kind = SelectField(_l("Kind"), choices=choices(KINDS), validators=[DataRequired()])
    sector = SelectField(_l("Sector"), choices=choices(SECTORS), validators=[DataRequired()])
    size_band = SelectField(_l("Size"), choices=choices(SIZE_BANDS), validators=[DataRequired()])
    municipality = SelectField(
        _l("Municipality"), choices=choices({m: m for m in MUNICIPALITIES}), validators=[DataRequired()]
    )
    description = TextAreaField(
        _l("About the organisation"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description=_l("Markdown is supported."),
    )


class OrganisationSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search organisations"), validators=[Optional(), Length(max=100)])
