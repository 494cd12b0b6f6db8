from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..spaces.forms import CheckboxesField
from .services import COMMENT_MAX, DESCRIPTION_MAX, RATIONALE_MAX, REASON_MAX, TITLE_MAX


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Give the working area a title.")), Length(max=TITLE_MAX)],
        description=_l("A short name, e.g. “Shared product data between suppliers and dealers”."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(message=_l("Describe the working area.")), Length(max=DESCRIPTION_MAX)],
        description=_l("What would the programme work on? Markdown is supported."),
    )
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[DataRequired(message=_l("Say why the programme should work on this.")),
                    Length(max=RATIONALE_MAX)],
        description=_l("Why now, and what do companies gain? Plain text, at most 5,000 characters."),
    )
    barrier_ids = CheckboxesField(
        _l("Related barriers"), coerce=int, validate_choice=False,
        validators=[DataRequired(message=_l("Choose at least one barrier the working area relates to."))],
        description=_l("Which of the named barriers would this working area help break down?"),
    )


class ProposalCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"), validators=[DataRequired(message=_l("Write a comment first.")), Length(max=COMMENT_MAX)],
        description=_l("Markdown is supported."),
    )


class AcceptForm(FlaskForm):
    name_da = StringField(
        _l("Name in Danish"), validators=[Optional(), Length(max=200)],
        description=_l("How the working area is called on the Danish pages. Left empty, the title is used."),
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Give the reason for declining, so the proposer knows why.")),
                    Length(max=REASON_MAX)],
        description=_l("Shown to everyone with the proposal."),
    )
