from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..orgs.models import Organisation
from ..permissions import can
from ..web.forms import attach_error, choices, form_status, safe_next
from ..web.htmx import redirect_to, render_page, wants_fragment
from . import queries, services
from .charts import history_svg, radar_svg
from .forms import CohortBuilderForm, CohortMessageForm, PositionForm
from .models import Assessment, Cohort
from .setup import COMPANY, MANAGEMENT, instruments, localized

bp = Blueprint("maturity", __name__)


@bp.route("/")
@login_required
def index():
    form = PositionForm(position=current_user.membership.position if current_user.membership else None)
    totals = {key: len(instruments().latest(key).dimensions) for key in (COMPANY, MANAGEMENT)}
    return render_template("maturity/index.html", summary=queries.maturity_summary(current_user), form=form,
                           totals=totals)


@bp.route("/position", methods=["POST"])
@login_required
def set_position():
    form = PositionForm()
    if form.validate_on_submit():
        services.set_position(current_user, form.position.data)
        flash(_("Your position is saved."), "success")
    else:
        flash(_("Choose staff, executive or board member."), "error")
    return redirect_to(safe_next(request.form.get("next"), url_for("maturity.index")))


@bp.route("/start/<instrument_key>", methods=["POST"])
@login_required
def start(instrument_key):
    assessment = services.start_assessment(current_user, instrument_key)
    return redirect_to(url_for("maturity.step", assessment_id=assessment.id, number=assessment.step + 1))


def _assessment_or_404(assessment_id, action):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can(current_user, action, assessment):
        abort(404)
    return assessment


def _step_answers(instrument, index):
    answers = {}
    for item in instrument.dimensions[index].items:
        raw = request.form.get(item.id, "")
        if raw.isdigit():
            answers[item.id] = int(raw)
    return answers


@bp.route("/assessments/<int:assessment_id>/steps/<int:number>", methods=["GET", "POST"])
@login_required
def step(assessment_id, number):
    assessment = _assessment_or_404(assessment_id, "maturity.answer")
    instrument = services.instrument_of(assessment)
    total = len(instrument.dimensions)
    if not 1 <= number <= total:
        abort(404)
    error = None
    if request.method == "POST":
        move = request.form.get("move", "save")
        finish = move == "next" and number == total
        try:
            services.save_step(current_user, assessment, number - 1, _step_answers(instrument, number - 1),
                               finish=finish)
        except DomainError as problem:
            if problem.status_code != 422:
                raise
            error = str(problem.message)
        else:
            if finish:
                flash(_("Your assessment is complete."), "success")
                return redirect_to(url_for("maturity.results", assessment_id=assessment.id))
            if move == "next":
                return redirect_to(url_for("maturity.step", assessment_id=assessment.id, number=number + 1))
            if move == "back" and number > 1:
                return redirect_to(url_for("maturity.step", assessment_id=assessment.id, number=number - 1))
            if wants_fragment():
                return render_page("maturity/step.html", block="save_status", **_step_context(assessment, instrument, number))
            flash(_("Your answers are saved."), "success")
            return redirect_to(url_for("maturity.step", assessment_id=assessment.id, number=number))
    context = _step_context(assessment, instrument, number, error=error)
    return render_page("maturity/step.html", block="save_status" if error else None,
                       status=422 if error else 200, **context)


def _step_context(assessment, instrument, number, error=None):
    return dict(assessment=assessment, instrument=instrument, number=number, total=len(instrument.dimensions),
                dimension=instrument.dimensions[number - 1], answers=assessment.answers or {}, error=error,
                saved=request.method == "POST" and error is None)


def _profile_view(instrument, profile, title):
    axes = [(d.code, profile.dimension_scores[d.code]) for d in instrument.dimensions]
    description = "; ".join(f"{d.code} {localized(d.name)}: {profile.dimension_scores[d.code]}" for d in instrument.dimensions)
    return radar_svg(axes, title, description)


def _history_view(assessments, title):
    points = [(a.completed_at.strftime("%d.%m.%y"), a.overall) for a in assessments]
    description = "; ".join(f"{label}: {score}" for label, score in points)
    return history_svg(points, title, description)


@bp.route("/assessments/<int:assessment_id>")
@login_required
def results(assessment_id):
    assessment = _assessment_or_404(assessment_id, "maturity.view")
    if not assessment.is_complete:
        return redirect_to(url_for("maturity.step", assessment_id=assessment.id, number=assessment.step + 1)) \
            if can(current_user, "maturity.answer", assessment) else abort(404)
    instrument, profile = queries.profile_of(assessment)
    past = queries.history(assessment.instrument_key, organisation_id=assessment.organisation_id,
                           user_id=assessment.subject_user_id)
    return render_template(
        "maturity/results.html", assessment=assessment, instrument=instrument, profile=profile,
        radar=_profile_view(instrument, profile, _("Dimension scores")),
        history=past, history_chart=_history_view(past, _("Overall score over time")) if past else None,
    )


def _organisation_or_404(organisation_id, action):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(current_user, action, organisation):
        abort(404)
    return organisation


@bp.route("/organisations/<int:organisation_id>/team")
@login_required
def team(organisation_id):
    organisation = _organisation_or_404(organisation_id, "maturity.view_team")
    instrument, profile, executives = queries.team_profile_of(organisation)
    radar = _profile_view(instrument, profile, _("Management team dimension scores")) if profile.answered else None
    return render_template("maturity/team.html", organisation=organisation, instrument=instrument,
                           profile=profile, executives=executives, radar=radar)


def _builder_form():
    form = CohortBuilderForm(request.values)
    registry = instruments()
    form.instrument.choices = choices({key: localized(registry.latest(key).name) for key in (COMPANY, MANAGEMENT)})
    form.pool.choices = choices({pool.key: pool.label for pool in services.available_pools().values()})
    chosen = form.instrument.data if form.instrument.data in (COMPANY, MANAGEMENT) else COMPANY
    form.instrument.data = chosen
    form.dimension.choices = choices({"": _("Overall score"), **{
        d.code: f"{d.code} {localized(d.name)}" for d in registry.latest(chosen).dimensions}})
    return form


def _parameters(form):
    return services.CohortParameters(
        instrument_key=form.instrument.data, pool=form.pool.data, dimension=form.dimension.data or None,
        min_size=form.min_size.data, max_size=form.max_size.data, target_size=form.target_size.data,
        max_spread=float(form.max_spread.data),
    )


@bp.route("/cohorts/builder", methods=["GET", "POST"])
@login_required
def builder():
    if not can(current_user, "maturity.facilitate"):
        abort(403)
    form = _builder_form()
    preview = None
    submitted = bool(request.values.get("instrument"))
    if submitted and form.validate():
        try:
            if request.method == "POST":
                saved = services.save_cohorts(current_user, _parameters(form), request.form.getlist("name"))
                flash(_("%(count)d cohorts are saved.", count=len(saved)), "success")
                return redirect_to(url_for("maturity.cohorts"))
            preview = services.preview_cohorts(current_user, _parameters(form))
        except DomainError as error:
            attach_error(form, error)
    status = 422 if submitted and (form.errors or form.form_errors) else 200
    return render_page("maturity/builder.html", block="preview", status=status, form=form, preview=preview)


@bp.route("/cohorts")
@login_required
def cohorts():
    if not can(current_user, "maturity.facilitate"):
        abort(403)
    saved = db.session.scalars(db.select(Cohort).order_by(Cohort.created_at.desc(), Cohort.id)).all()
    return render_template("maturity/cohorts.html", cohorts=saved)


def _cohort_or_404(cohort_id):
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if not can(current_user, "maturity.facilitate"):
        abort(403)
    return cohort


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@login_required
def cohort(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    form = CohortMessageForm()
    if form.validate_on_submit():
        try:
            message = services.message_cohort(current_user, cohort, form.subject.data, form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The message is sent to %(count)d people.", count=message.recipients), "success")
            return redirect_to(url_for("maturity.cohort", cohort_id=cohort.id))
    instrument = instruments().get(cohort.instrument_key, cohort.instrument_version)
    levels = {level.key: level for level in instrument.levels}
    return render_template("maturity/cohort.html", cohort=cohort, form=form, levels=levels,
                           current=queries.current_levels_for_cohort(cohort)), form_status(form)


@bp.route("/progress")
@login_required
def progress():
    if not can(current_user, "maturity.facilitate"):
        abort(403)
    instrument = instruments().latest(COMPANY)
    return render_template("maturity/progress.html", rows=queries.organisation_progress(),
                           levels={level.key: level for level in instrument.levels})
