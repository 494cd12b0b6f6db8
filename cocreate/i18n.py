"""English and Danish: locale choice and the translation catalogs.

Catalogs are kept as one ``.po`` file per area in ``cocreate/translations/<lang>/``
so that areas never edit each other's catalog. They are read straight from the
``.po`` files once per process (no compile step to forget), merged into one
catalog per language.
"""
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user

CATALOG_DIR = Path(__file__).parent / "translations"
_catalogs = {}


def load_catalog(language):
    """All ``.po`` files of ``language`` merged into one babel Catalog."""
    merged = Catalog(locale=language)
    for po_file in sorted((CATALOG_DIR / language).glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


def _translations(language):
    if language not in _catalogs:
        if not (CATALOG_DIR / language).is_dir():
            _catalogs[language] = NullTranslations()
        else:
            buffer = BytesIO()
            write_mo(buffer, load_catalog(language))
            buffer.seek(0)
            _catalogs[language] = Translations(fp=buffer)
    return _catalogs[language]


class PoDomain(Domain):
    """A Flask-Babel domain that reads the per-area ``.po`` files."""

    def get_translations(self):
        return _translations(str(get_locale()))


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app):
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale, default_domain="messages")
    babel.domain_instance = PoDomain()


def extract_messages(root=None):
    """Every translatable string in the code and templates: {msgid: [locations]}."""
    from babel.messages.extract import extract_from_dir

    root = Path(root or Path(__file__).resolve().parent.parent)
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
    found = {}
    for folder, method_map in (
        ("cocreate", [("**.py", "python")]),
        ("templates", [("**.html", "jinja2")]),
    ):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            root / folder, method_map, keywords=keywords, options_map={"**.html": {"trimmed": "true"}}
        ):
            msgids = message if isinstance(message, tuple) else (message,)
            for msgid in msgids:
                if msgid:
                    found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def missing_translations(language="da"):
    catalog = load_catalog(language)
    return {msgid: where for msgid, where in extract_messages().items() if msgid not in catalog}
