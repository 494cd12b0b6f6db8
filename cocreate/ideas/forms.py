from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..web.forms import choices
from .models import IdeaStatus, VotingMode
from .services import BODY_MAX, BUDGET_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX


class IdeaForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the idea a title.")),
                                                 Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Describe the idea"), validators=[Optional(), Length(max=BODY_MAX)],
        description=_l("Markdown is supported. What would you do, and who would take part?"),
    )


class IdeaStatusForm(FlaskForm):
    status = SelectField(
        _l("New status"), choices=choices({key: IdeaStatus.LABELS[key] for key in IdeaStatus.FLOW}),
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("Needed when you decline an idea; everyone sees it."),
    )


class MergeForm(FlaskForm):
    target_id = SelectField(_l("Merge this idea into"), coerce=int, validate_choice=False,
                            validators=[DataRequired(message=_l("Choose the idea to merge into."))])


class VotingRulesForm(FlaskForm):
    is_open = BooleanField(_l("Voting is open"))
    mode = SelectField(_l("How members vote"), choices=choices(VotingMode.LABELS), validators=[DataRequired()])
    budget = IntegerField(
        _l("Votes per member"), default=3, validators=[Optional(), NumberRange(min=1, max=BUDGET_MAX)],
        description=_l("For dot voting: how many votes each member has for this challenge, at most one per idea."),
    )
    voters_visible = BooleanField(
        _l("Facilitators may see who voted for what"),
        description=_l("Members are told before they vote. It can only be switched on while nobody has voted."),
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(message=_l("Write something first.")),
                                                    Length(max=COMMENT_MAX)],
                         description=_l("Markdown is supported."))
    parent_id = HiddenField()
