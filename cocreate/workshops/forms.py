from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..web.forms import choices
from .models import Instrument, Phase
from .services import MUTE_HOURS, POST_MAX, REASON_MAX


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=160)])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=20_000)],
                           description=_l("Markdown is supported."))
    starts_at = DateTimeLocalField(_l("Starts (Danish time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends (Danish time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    location = StringField(_l("Online link or place"), validators=[Optional(), Length(max=300)],
                           description=_l("A link starting with https:// or an address."))
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(min=1, max=1000)])
    challenge_ids = SelectMultipleField(_l("Linked challenges"), coerce=int, validators=[Optional()])
    maturity_instrument = SelectField(_l("Target maturity"), validators=[Optional()])
    maturity_level_from = SelectField(_l("From level"), validators=[Optional()])
    maturity_level_to = SelectField(_l("To level"), validators=[Optional()])
    band_restricted = BooleanField(
        _l("Only for people in the target band"),
        description=_l("Registration outside the band is refused, and people without an assessment are asked "
                       "to take it first. Otherwise they can register after a notice."),
    )

    def set_choices(self, challenges, levels):
        self.challenge_ids.choices = choices({challenge.id: challenge.title for challenge in challenges})
        self.maturity_instrument.choices = choices({"": _l("Any maturity"), **Instrument.LABELS})
        self.maturity_level_from.choices = choices({"": "—", **levels})
        self.maturity_level_to.choices = choices({"": "—", **levels})


class PhaseForm(FlaskForm):
    phase = SelectField(_l("Phase"), choices=choices(Phase.LABELS), validators=[DataRequired()])


class PostForm(FlaskForm):
    body = TextAreaField(_l("Your post"), validators=[DataRequired(), Length(max=POST_MAX)],
                         description=_l("Markdown is supported."))
    parent_id = HiddenField()


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX)])


class MuteForm(FlaskForm):
    hours = SelectField(_l("For"), coerce=int, validators=[DataRequired()], choices=choices(dict(zip(
        MUTE_HOURS, (_l("One hour"), _l("One day"), _l("One week"), _l("30 days")),
    ))))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX)])


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Outcome summary"), validators=[Optional(), Length(max=20_000)],
                            description=_l("Markdown is supported. It shows on the workshop, its space and its linked challenges."))
    # The ideas of the linked challenges; the checked ones are marked "selected".
    selected_ideas = SelectMultipleField(_l("Selected ideas"), coerce=int, validators=[Optional()], choices=[])
