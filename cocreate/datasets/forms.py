from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..web.forms import choices
from .models import DatasetVisibility, Licence
from .services import DESCRIPTION_MAX, TITLE_MAX

FILE_HINT = _l("CSV, XLSX, JSON, PDF or plain text (.txt), up to %(size)s.")


class ChallengeChecklist(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DatasetDetailsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the data set a title.")),
                                                 Length(max=TITLE_MAX)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description=_l("Markdown is supported. Where do the data come from, and what does each column mean?"),
    )
    licence = RadioField(_l("Licence"), choices=choices(Licence.LABELS), default=Licence.CC_BY,
                         validators=[DataRequired(message=_l("Choose a licence."))])
    visibility = RadioField(_l("Who may see it"), choices=choices(DatasetVisibility.LABELS),
                            default=DatasetVisibility.MEMBERS,
                            validators=[DataRequired(message=_l("Choose who may see the data set."))])
    challenge_ids = ChallengeChecklist(_l("Linked challenges"), coerce=int, choices=[], validate_choice=False)


class DatasetUploadForm(DatasetDetailsForm):
    file = FileField(_l("File"))


class VersionForm(FlaskForm):
    file = FileField(_l("File"))
