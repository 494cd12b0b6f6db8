from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .services import NOTE_MAX


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class CoachingSessionForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=_optional_int, validators=[DataRequired()])
    person_id = SelectField(_l("Person coached (optional)"), coerce=_optional_int, validators=[Optional()],
                            description=_l("Leave empty for a session with the organisation as a whole."))
    held_on = DateField(_l("Date of the session"), validators=[DataRequired()])
    note = TextAreaField(_l("Short note"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("What was worked on; no personal details."))


class ProgrammeFilterForm(FlaskForm):
    """Read from the query string: the dashboard is a GET page."""

    class Meta:
        csrf = False

    sector = SelectField(_l("Sector"), validators=[Optional()])
    size_band = SelectField(_l("Size band"), validators=[Optional()])
