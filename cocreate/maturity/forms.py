from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..orgs.models import Position
from ..web.forms import choices

POSITION_LABELS = {
    Position.STAFF: _l("Staff"),
    Position.EXECUTIVE: _l("Executive"),
    Position.BOARD: _l("Board member"),
}


class PositionForm(FlaskForm):
    position = SelectField(_l("Your position"), choices=choices(POSITION_LABELS), validators=[DataRequired()],
                           description=_l("Executives and board members also take the management assessment."))


class CohortBuilderForm(FlaskForm):
    """Read from the query string for a preview; CSRF is checked app-wide when it is posted to save."""

    class Meta:
        csrf = False

    instrument = SelectField(_l("Instrument"), validators=[DataRequired()])
    pool = SelectField(_l("Pool"), validators=[DataRequired()])
    dimension = SelectField(_l("Segment by"), validators=[Optional()],
                            description=_l("Form cohorts on one dimension instead of the overall score."))
    min_size = IntegerField(_l("Minimum size"), default=4, validators=[DataRequired(), NumberRange(1, 50)])
    max_size = IntegerField(_l("Maximum size"), default=12, validators=[DataRequired(), NumberRange(1, 50)])
    target_size = IntegerField(_l("Target size"), default=8, validators=[DataRequired(), NumberRange(1, 50)])
    max_spread = DecimalField(_l("Largest score spread"), default=25, places=1,
                              validators=[DataRequired(), NumberRange(0, 100)])


class CohortMessageForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=5000)])
