"""Workshop times: stored in UTC, typed and shown in Danish time (Europe/Copenhagen).

``when`` is the one way a workshop's start and end are written on any page, so lists,
the workshop page and the home page never disagree about the day or the zone.
"""
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time

from .models import as_utc

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
UTC = ZoneInfo("UTC")


def to_utc(local_naive):
    """A naive time typed in a form (Danish time) as an aware UTC time."""
    return local_naive.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def to_local(moment):
    """A stored time as naive Danish time, for a form field."""
    return as_utc(moment).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def local(moment):
    return as_utc(moment).astimezone(LOCAL_ZONE)


def when(starts_at, ends_at, locale):
    """"Thu, Dec 3, 2026 2:00 PM – 4:30 PM", or both dates when it spans days; Danish time."""
    start, end = local(starts_at), local(ends_at)
    first = f"{format_skeleton('yMMMEd', start, locale=locale)} {format_time(start, 'short', locale=locale)}"
    if start.date() == end.date():
        return f"{first} – {format_time(end, 'short', locale=locale)}"
    return f"{first} – {format_skeleton('yMMMEd', end, locale=locale)} {format_time(end, 'short', locale=locale)}"


def moment(value, locale):
    """One point in time (a post, an edit) in Danish time."""
    value = local(value)
    return f"{format_skeleton('yMMMd', value, locale=locale)} {format_time(value, 'short', locale=locale)}"
