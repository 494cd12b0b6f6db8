"""An iCalendar (RFC 5545) file for one workshop, written by hand: one VEVENT needs no library."""
from ..models import utcnow
from .models import as_utc

UTC_FORMAT = "%Y%m%dT%H%M%SZ"


def escape_text(text):
    """TEXT values escape backslash, semicolon and comma, and write newlines as ``\\n``."""
    return (
        (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    )


def fold(line):
    """Lines longer than 75 octets continue on the next line after CRLF and a space (never inside a character)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment):
    return as_utc(moment).astimezone(utcnow().tzinfo).strftime(UTC_FORMAT)


def workshop_ics(workshop, url, host="cocreate"):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cocreate//Workshops//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:workshop-{workshop.id}@{host}",
        f"DTSTAMP:{_utc(utcnow())}",
        f"DTSTART:{_utc(workshop.starts_at)}",
        f"DTEND:{_utc(workshop.ends_at)}",
        f"SUMMARY:{escape_text(workshop.title)}",
        f"DESCRIPTION:{escape_text(workshop.agenda_md)}",
        f"URL:{url}",
    ]
    if workshop.location:
        lines.append(f"LOCATION:{escape_text(workshop.location)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
