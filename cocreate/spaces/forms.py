from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..orgs.choices import SECTORS
from ..web.forms import choices
from .models import ChallengeStatus, JoinPolicy, Visibility
from .services import BODY_MAX, TITLE_MAX

MARKDOWN_HINT = _l("Markdown is supported. At most 20,000 characters.")


class SpaceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the space a title.")), Length(max=120)])
    slug = StringField(
        _l("Web address"), validators=[Optional(), Length(max=60)],
        description=_l("The end of the space’s address: lower-case letters, digits and hyphens. Left empty, it is made from the title."),
    )
    purpose = StringField(
        _l("Purpose"), validators=[Optional(), Length(max=300)],
        description=_l("One sentence: why do these companies, customers and suppliers work together here?"),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=BODY_MAX)], description=MARKDOWN_HINT)
    sector = SelectField(_l("Sector"), choices=choices(SECTORS), validators=[DataRequired()])
    visibility = SelectField(_l("Who can read it"), choices=choices(Visibility.LABELS), validators=[DataRequired()])
    join_policy = SelectField(_l("Who can join"), choices=choices(JoinPolicy.LABELS), validators=[DataRequired()])


class GroupCheckboxInput(CheckboxInput):
    """A box of a group is never ``required`` in the browser: that would demand every box be ticked.
    The field's own validator checks that at least one is."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("required", False)
        return super().__call__(field, **kwargs)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = GroupCheckboxInput()


class ChallengeForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Give the challenge a title.")), Length(max=TITLE_MAX)]
    )
    body = TextAreaField(
        _l("Describe the challenge"),
        validators=[DataRequired(message=_l("Describe the challenge.")), Length(max=BODY_MAX)],
        description=MARKDOWN_HINT,
    )
    theme_ids = CheckboxesField(
        _l("Barriers"), coerce=int, validate_choice=False,
        validators=[DataRequired(message=_l("Choose at least one barrier the challenge is about."))],
        description=_l("Which of the named barriers does it touch? Choose one or more."),
    )
    tags = StringField(
        _l("Tags"), validators=[Optional(), Length(max=300)], description=_l("Optional, separated by commas."),
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(ChallengeStatus.LABELS), validators=[DataRequired()])


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
