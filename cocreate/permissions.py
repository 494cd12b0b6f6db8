"""``can(user, action, obj)``: the one question views, templates and services ask.

Each area registers its rules with ``rule("area.action")``; a rule is a
function ``(user, obj) -> bool``. Services call ``require`` so a forbidden act
fails there even if a view forgot to ask.
"""
from flask_babel import lazy_gettext as _l

from .errors import PermissionDenied

_rules = {}


def rule(action):
    def register(predicate):
        if action in _rules:
            raise ValueError(f"permission rule {action!r} registered twice")
        _rules[action] = predicate
        return predicate

    return register


def can(user, action, obj=None):
    predicate = _rules.get(action)
    if predicate is None:
        raise KeyError(f"no permission rule named {action!r}")
    if user is None or not getattr(user, "is_authenticated", False):
        user = None
    return bool(predicate(user, obj))


def require(user, action, obj=None, message=None):
    if not can(user, action, obj):
        raise PermissionDenied(message or _l("You are not allowed to do that."))
