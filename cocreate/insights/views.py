from flask import Blueprint, Response, abort, current_app, flash, jsonify, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..orgs.choices import SECTORS, SIZE_BANDS
from ..orgs.models import MembershipStatus, Organisation, OrganisationMembership
from ..permissions import can
from ..spaces.models import Space
from ..spaces.queries import space_visible_or_404, visible_space_filter
from ..web.forms import attach_error, form_status
from ..models import utcnow
from ..web.htmx import redirect_to, render_page, wants_fragment
from ..web.pagecache import cached_fragment
from . import opendata, queries, reports, services
from .forms import CoachingSessionForm, ProgrammeFilterForm
from .models import CoachingSession

bp = Blueprint("insights", __name__)

DATASET_PATH = "<any(challenges, ideas, workshops, posts, themes):dataset>.<any(csv, json):fmt>"
COACHING_LIST = 50


def _require_programme():
    if not can(current_user, "insights.programme"):
        abort(403)


def _segment_form():
    form = ProgrammeFilterForm(request.args)
    form.sector.choices = [("", _("All sectors")), *SECTORS.items()]
    form.size_band.choices = [("", _("All sizes")), *SIZE_BANDS.items()]
    valid = form.validate()
    if not valid:
        return form, queries.Segment()
    return form, queries.Segment(form.sector.data or None, form.size_band.data or None)


@bp.route("/programme/")
@login_required
def dashboard():
    _require_programme()
    fragment = wants_fragment()

    def render():
        form, segment = _segment_form()
        figures = queries.dashboard(current_user, segment)
        html = render_template("insights/_figures.html", figures=figures, counted_at=utcnow(),
                               charts=reports.dashboard_charts(figures), series_labels=reports.series_labels())
        return html if fragment else render_template("insights/_filters.html", form=form) + html

    # The figures count every post and vote of the last twelve weeks (a scan of the whole activity at
    # programme size), so they are kept for DASHBOARD_CACHE_SECONDS per viewer (what they may see),
    # filter as asked and language; the page says when they were counted. The filter form is kept
    # with them (rendering its two lists cost a sixth of a cached view); an htmx filter change
    # swaps the figures only.
    asked = (request.args.get("sector", ""), request.args.get("size_band", ""))
    key = f"dashboard:{'figures' if fragment else 'page'}:{current_user.id}:{asked!r}:{get_locale()}"
    body_html = cached_fragment(key, current_app.config["DASHBOARD_CACHE_SECONDS"], render)
    if fragment:
        return body_html
    return render_template("insights/dashboard.html", body_html=body_html)


@bp.route("/programme/competence-gaps")
@login_required
def gaps():
    _require_programme()
    report = queries.gap_report(list(SECTORS), list(SIZE_BANDS))
    return render_page("insights/gaps.html", report=report, sectors=SECTORS, size_bands=SIZE_BANDS,
                       min_cell=queries.MIN_CELL)


@bp.route("/programme/competence-gaps.csv")
@login_required
def gaps_csv():
    _require_programme()
    report = queries.gap_report(list(SECTORS), list(SIZE_BANDS))
    return _csv_response(reports.gap_report_lines(report, SECTORS, SIZE_BANDS), "competence-gaps.csv")


def _coaching_form():
    form = CoachingSessionForm()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name_key)).all()
    form.organisation_id.choices = [("", _("Choose an organisation")), *((oid, name) for oid, name in organisations)]
    people = db.session.execute(
        select(OrganisationMembership.user_id, Organisation.name, User.display_name)
        .join(Organisation, Organisation.id == OrganisationMembership.organisation_id)
        .join(User, User.id == OrganisationMembership.user_id)
        .where(OrganisationMembership.status == MembershipStatus.ACTIVE)
        .order_by(Organisation.name_key, User.display_name)
    ).all()
    form.person_id.choices = [("", _("The organisation as a whole")),
                              *((user_id, f"{name} ({organisation})") for user_id, organisation, name in people)]
    return form


@bp.route("/programme/coaching", methods=["GET", "POST"])
@login_required
def coaching():
    if not can(current_user, "insights.coach"):
        abort(403)
    form = _coaching_form()
    if form.validate_on_submit():
        try:
            services.record_coaching_session(current_user, services.CoachingData(
                organisation_id=form.organisation_id.data, person_id=form.person_id.data,
                held_on=form.held_on.data, note=form.note.data or ""))
            flash(_("The coaching session is recorded."), "success")
            return redirect_to(url_for("insights.coaching"))
        except DomainError as error:
            attach_error(form, error)
    sessions = db.session.scalars(
        select(CoachingSession).options(joinedload(CoachingSession.organisation), joinedload(CoachingSession.person),
                                        joinedload(CoachingSession.facilitator))
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc()).limit(COACHING_LIST)
    ).all()
    return render_page("insights/coaching.html", block="coaching_form", status=form_status(form), form=form,
                       sessions=sessions)


@bp.route("/open-data/")
def open_data():
    spaces = db.session.scalars(select(Space).where(visible_space_filter(current_user)).order_by(Space.title)).all()
    return render_page("insights/open_data.html", spaces=spaces, datasets=opendata.DATASETS,
                       dataset_labels=reports.dataset_labels())


def _export_space(slug):
    return space_visible_or_404(slug, current_user) if slug is not None else None


def _filename(space, name):
    return f"cocreate-{space.slug if space else 'platform'}-{name}"


def _csv_response(lines, filename):
    response = Response(lines, mimetype="text/csv")  # rows are read already: the generator needs no request
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _json_response(payload, filename):
    response = jsonify(payload)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scope(space):
    return {"space": space.slug, "title": space.title} if space else {"space": None, "title": "Cocreate"}


@bp.route(f"/open-data/{DATASET_PATH}")
@bp.route(f"/open-data/spaces/<slug>/{DATASET_PATH}")
def export(dataset, fmt, slug=None):
    space = _export_space(slug)
    data = opendata.read(dataset, current_user, space)
    filename = f"{_filename(space, dataset)}.{fmt}"
    if fmt == "csv":
        return _csv_response(opendata.csv_lines(data), filename)
    return _json_response(opendata.as_json([data], _scope(space)), filename)


@bp.route("/open-data/all.json")
@bp.route("/open-data/spaces/<slug>/all.json")
def export_all(slug=None):
    space = _export_space(slug)
    return _json_response(opendata.as_json(opendata.read_all(current_user, space), _scope(space)),
                          f"{_filename(space, 'all')}.json")
