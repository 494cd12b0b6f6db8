"""Data sets of a space: /spaces/<slug>/datasets/...

Files are only ever sent by ``download``, after the same visibility check as the page; a data
set a person may not see answers 404, whichever of its ids or numbers they try.
"""
from flask import Blueprint, abort, current_app, flash, g, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import DomainError
from ..extensions import limiter
from ..pagination import paginate
from ..permissions import can
from ..spaces.queries import membership_of, space_for_member_or_404
from ..web.errors import render_error
from ..web.forms import attach_error, form_status
from ..web.htmx import redirect_to, render_page
from . import queries, services, storage
from .forms import FILE_HINT, DatasetDetailsForm, DatasetUploadForm, VersionForm
from .models import DatasetVisibility, FileKind, Licence

bp = Blueprint("datasets", __name__, url_prefix="/spaces/<slug>/datasets")


def upload_limit():
    return current_app.config["RATELIMIT_UPLOAD"]


def uploader_key():
    """Uploads are counted per person, so colleagues behind one office address don't share a limit."""
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or ""


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    return render_error(413, _("The file is larger than %(size)s, the most the site accepts. Go back and choose a "
                               "smaller file, or split the data into several files.",
                               size=file_size(current_app.config["MAX_CONTENT_LENGTH"])))


@bp.app_context_processor
def _labels():
    return {"licence_labels": Licence.LABELS, "licence_short": Licence.SHORT, "file_kind_labels": FileKind.LABELS}


@bp.app_template_global()
def datasets_of_challenge(challenge):
    return queries.challenge_datasets(current_user, challenge)


@bp.app_template_global()
def datasets_of_space(space):
    return queries.space_dataset_overview(current_user, space)


def _space(slug):
    space = space_for_member_or_404(slug, current_user)
    g.space_membership = membership_of(current_user, space)
    return space


def _dataset(slug, dataset_id):
    space = _space(slug)
    return space, queries.dataset_in_space_or_404(current_user, space, dataset_id)


def _show_url(dataset, **args):
    return url_for("datasets.show", slug=dataset.space.slug, dataset_id=dataset.id, **args)


def _file_hint():
    return FILE_HINT % {"size": file_size(current_app.config["MAX_CONTENT_LENGTH"])}


def _prepare(form, space):
    challenges = queries.space_challenge_choices(space)
    form.challenge_ids.choices = [(challenge.id, challenge.title) for challenge in challenges]
    if not space.is_public:
        form.visibility.choices = [choice for choice in form.visibility.choices
                                   if choice.value != DatasetVisibility.PUBLIC]


def _details(form):
    return services.DatasetData(
        title=form.title.data or "", description=form.description.data or "", licence=form.licence.data,
        visibility=form.visibility.data, challenge_ids=form.challenge_ids.data or [],
    )


def _upload(form):
    file = form.file.data
    return services.Upload(file.filename, file.stream) if file else None


@bp.route("/")
def index(slug):
    space = _space(slug)
    page = paginate(queries.space_datasets(current_user, space))
    return render_page(
        "datasets/index.html", block="results", space=space, page=page,
        latest=queries.latest_versions([dataset.id for dataset in page.items]),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(upload_limit, methods=["POST"], key_func=uploader_key)
def create(slug):
    space = _space(slug)
    if not can(current_user, "datasets.upload", space):
        abort(403)
    form = DatasetUploadForm()
    _prepare(form, space)
    if form.validate_on_submit():
        try:
            dataset = services.upload_dataset(current_user, space, _details(form), _upload(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The data set is uploaded."), "success")
            return redirect_to(_show_url(dataset))
    return render_page("datasets/form.html", space=space, dataset=None, form=form, file_hint=_file_hint(),
                       status=form_status(form))


@bp.route("/<int:dataset_id>")
def show(slug, dataset_id):
    space, dataset = _dataset(slug, dataset_id)
    number = request.args.get("version", type=int)
    version = queries.version_or_404(dataset, number) if number else dataset.versions[0]
    return render_page("datasets/show.html", block="preview", space=space, dataset=dataset, version=version)


@bp.route("/<int:dataset_id>/versions/<int:number>/download")
def download(slug, dataset_id, number):
    _space_unused, dataset = _dataset(slug, dataset_id)
    version = queries.version_or_404(dataset, number)
    path = storage.blob_path(version.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=version.content_type, as_attachment=True, download_name=version.filename,
        conditional=True, etag=version.sha256, max_age=0,
    )
    response.headers["Content-Type"] = version.content_type  # send_file would add a second charset
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache" if dataset.is_public else "private, no-store"
    return response


@bp.route("/<int:dataset_id>/versions/new", methods=["GET", "POST"])
@login_required
@limiter.limit(upload_limit, methods=["POST"], key_func=uploader_key)
def new_version(slug, dataset_id):
    space, dataset = _dataset(slug, dataset_id)
    if not can(current_user, "datasets.edit", dataset):
        abort(403)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            version = services.upload_version(current_user, dataset, _upload(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Version %(n)d is uploaded.", n=version.number), "success")
            return redirect_to(_show_url(dataset))
    return render_page("datasets/version_form.html", space=space, dataset=dataset, form=form,
                       file_hint=_file_hint(), status=form_status(form))


@bp.route("/<int:dataset_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, dataset_id):
    space, dataset = _dataset(slug, dataset_id)
    if not can(current_user, "datasets.edit", dataset):
        abort(403)
    if request.method == "GET":
        form = DatasetDetailsForm(
            formdata=None, obj=dataset, description=dataset.description_md,
            challenge_ids=[challenge.id for challenge in dataset.challenges],
        )
    else:
        form = DatasetDetailsForm()
    _prepare(form, space)
    if form.validate_on_submit():
        try:
            services.update_dataset(current_user, dataset, _details(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The data set is saved."), "success")
            return redirect_to(_show_url(dataset))
    return render_page("datasets/form.html", space=space, dataset=dataset, form=form, status=form_status(form))


@bp.route("/<int:dataset_id>/delete", methods=["GET", "POST"])
@login_required
def delete(slug, dataset_id):
    space, dataset = _dataset(slug, dataset_id)
    if not can(current_user, "datasets.edit", dataset):
        abort(403)
    if request.method == "POST":
        services.delete_dataset(current_user, dataset)
        flash(_("The data set is deleted."), "success")
        return redirect_to(url_for("datasets.index", slug=space.slug))
    return render_page("datasets/delete.html", space=space, dataset=dataset)


@bp.app_template_filter("filesize")
def file_size(size):
    """Bytes in the reader's number format, in units of 1024 as the size limit is: 512 bytes, 12.3 kB, 4.5 MB."""
    from flask_babel import format_decimal

    if size < 1024:
        return _("%(n)s bytes", n=format_decimal(size))
    if size < 1024 * 1024:
        return _("%(n)s kB", n=format_decimal(round(size / 1024, 1)))
    return _("%(n)s MB", n=format_decimal(round(size / 1024 / 1024, 1)))


@bp.app_template_filter("number")
def number(value):
    from flask_babel import format_decimal

    return "–" if value is None else format_decimal(value)
