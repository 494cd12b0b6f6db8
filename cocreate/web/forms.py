"""Small helpers so every form view behaves the same on errors."""
from urllib.parse import urlsplit

from flask import request
from wtforms.fields.choices import SelectChoice


def attach_error(form, error):
    """Show a service's DomainError on its field, or above the form.

    Refusals that are not about the input (403, 404, 409) go on to the error pages.
    """
    if error.status_code != 422:
        raise error
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors or []) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def form_status(form):
    """422 when a submitted form is shown again with errors (htmx swaps it in place)."""
    return 422 if request.method == "POST" and (form.errors or form.form_errors) else 200


def safe_next(url, fallback):
    """Only follow ``next=`` to a path on this site (no scheme, host or ``//``).

    Whitespace and control characters are refused too: browsers drop tabs and line
    breaks from a URL, which would turn ``/<tab>/evil.example`` into ``//evil.example``.
    """
    if not url:
        return fallback
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return fallback
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        return fallback
    return url


def choices(mapping):
    """Select options from a {value: label} mapping."""
    return [SelectChoice(value, label) for value, label in mapping.items()]
