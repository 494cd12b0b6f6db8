"""Error pages in the site's own look, and DomainError turned into a status."""
import logging
import math
import time

from flask import g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..errors import DomainError
from .htmx import wants_fragment

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("File too large"),
    422: _l("Could not be saved"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}
MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have permission to see or do this."),
    404: _l("We could not find that page. It may have been moved, or it may not be visible to you."),
    405: _l("That action is not available here."),
    409: _l("Someone changed this at the same time. Please reload and try again."),
    413: _l("The file is larger than the site accepts."),
    422: _l("Please check what you entered."),
    429: _l("You have made too many requests in a short time. Please wait a minute and try again."),
    500: _l("An unexpected error happened on our side. Nothing you typed was saved twice; please try again."),
    503: _l("The site cannot reach its database just now. Please try again in a moment."),
}


def _seconds_until_reset():
    """When the limit that refused this request lets the next one through (one read of its window)."""
    from ..extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    try:
        return max(1, math.ceil(current.reset_at - time.time()))
    except Exception:  # the limiter's storage went away between the count and here
        log.warning("Could not read the rate limit window", exc_info=True)
        return 60


def render_error(code, message=None):
    template = "errors/_error_fragment.html" if wants_fragment() else "errors/error.html"
    body = render_template(
        template,
        code=code,
        title=TITLES.get(code, TITLES[500]),
        message=message or MESSAGES.get(code, MESSAGES[500]),
    )
    headers = {}
    if request.htmx.boosted:
        # A boosted navigation shows the whole error page instead of the usual
        # swap into #flashes (htmx-config's responseHandling for 4xx/5xx).
        headers = {"HX-Retarget": "body", "HX-Reswap": "innerHTML show:top"}
        if request.method != "GET":
            headers["HX-Push-Url"] = "false"
    return body, code, headers


def init_app(app):
    from ..extensions import db

    @app.teardown_appcontext
    def end_session_even_if_the_database_went_away(_error):
        # Runs before Flask-SQLAlchemy's own teardown. If the server shut down mid-request, the
        # rollback of session.remove() raises; the answer was already made, so drop the session
        # quietly (its dead connection is invalidated) instead of turning the answer into a 500.
        try:
            db.session.remove()
        except OperationalError as error:
            log.warning("Database gone while ending a request: %s", error)
            db.session.registry.clear()

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("Your form expired or was sent from elsewhere. Please reload the page and try again."))

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_error(error.status_code, error.message)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        log.error("Database error: %s", error)
        from ..extensions import db, login_manager

        db.session.rollback()
        # The page is drawn as for a visitor: loading the signed-in person would need the database.
        g._login_user = login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code or 500
        if isinstance(error, ServiceUnavailable):
            code = 503
        if code != 429:
            return render_error(code)
        response = make_response(render_error(code, MESSAGES[429]))
        response.headers["Retry-After"] = str(_seconds_until_reset())
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if app.testing and not app.config.get("SHOW_ERROR_PAGES"):
            raise error
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
