"""Start-up wiring: load the instruments once, and give templates the maturity helpers."""
from flask import current_app
from flask_babel import get_locale

from .instruments import InstrumentError, load_instruments

EXTENSION_KEY = "maturity_instruments"
COMPANY = "company"
MANAGEMENT = "management"


def instruments():
    """The registry loaded at start-up."""
    return current_app.extensions[EXTENSION_KEY]


def localized(text):
    """An instrument text (en/da) in the page's language."""
    return text.get(str(get_locale()))


def init_app(app):
    directory = app.config.get("MATURITY_INSTRUMENT_DIR")
    try:
        registry = load_instruments(directory)
    except InstrumentError as error:
        # Wrong scores later would be worse than no app now: stop with the loader's message.
        raise RuntimeError(f"Maturity instruments could not be loaded: {error}") from error
    for key in (COMPANY, MANAGEMENT):
        if key not in registry.keys():
            raise RuntimeError(f"Maturity instruments could not be loaded: no {key!r} instrument")
    app.extensions[EXTENSION_KEY] = registry

    from . import queries

    app.jinja_env.filters["localized"] = localized
    app.jinja_env.globals.update(
        badges_for_users=queries.badges_for_users,
        badges_for_organisations=queries.badges_for_organisations,
        maturity_summary=queries.maturity_summary,
    )
