"""Template globals and filters shared by every page."""
from flask import current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .markdown import as_html
from .permissions import can


def _can(action, obj=None):
    return can(current_user, action, obj)


def url_with(**changes):
    """The current URL with some query arguments changed (for filters and paging)."""
    from flask import url_for

    args = request.args.to_dict()
    for key, value in changes.items():
        if value in (None, ""):
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["html"] = as_html
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""

    from .accounts.models import Role
    from .orgs.choices import KINDS, SECTORS, SIZE_BANDS

    app.jinja_env.globals.update(
        org_kinds=KINDS, org_sectors=SECTORS, org_size_bands=SIZE_BANDS, role_labels=Role.LABELS
    )

    @app.context_processor
    def inject_globals():
        return {
            "can": _can,
            "csrf_token": generate_csrf,
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "url_with": url_with,
        }
