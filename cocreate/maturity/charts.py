"""Charts drawn on the server as inline SVG: a radar of dimension scores and a history line.

Every text that goes into the markup passes through ``escape``; the result is Markup so
templates print it without ``|safe``. Each chart is an image with a title and a
description, and the page shows the same numbers in a table.
"""
import math
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)


def _fmt(number):
    return f"{number:.1f}"


def _open_svg(width, height, title, description, css_class):
    serial = next(_ids)
    title_id, desc_id = f"chart-{serial}-title", f"chart-{serial}-desc"
    return (
        f'<svg class="{escape(css_class)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
    )


def radar_svg(axes, title, description, size=320):
    """``axes``: [(label, score 0..100 or None)]; missing scores are drawn at 0."""
    centre, radius = size / 2, size / 2 - 56
    parts = [_open_svg(size, size, title, description, "radar")]
    n = len(axes)

    def point(index, value):
        angle = -math.pi / 2 + 2 * math.pi * index / n
        distance = radius * value / 100
        return centre + distance * math.cos(angle), centre + distance * math.sin(angle)

    for ring in (25, 50, 75, 100):
        ring_points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon class="radar__ring" points="{ring_points}"/>')
    for index, (label, _score) in enumerate(axes):
        x, y = point(index, 100)
        parts.append(f'<line class="radar__axis" x1="{_fmt(centre)}" y1="{_fmt(centre)}" x2="{_fmt(x)}" y2="{_fmt(y)}"/>')
        lx, ly = point(index, 122)
        anchor = "middle" if abs(lx - centre) < 8 else ("start" if lx > centre else "end")
        parts.append(f'<text class="radar__label" x="{_fmt(lx)}" y="{_fmt(ly + 4)}" text-anchor="{anchor}">{escape(label)}</text>')
    shape = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, s or 0) for i, (_l, s) in enumerate(axes)))
    parts.append(f'<polygon class="radar__shape" points="{shape}"/>')
    for index, (_label, score) in enumerate(axes):
        x, y = point(index, score or 0)
        parts.append(f'<circle class="radar__dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def history_svg(points, title, description, width=420, height=160):
    """``points``: [(label, score 0..100)] oldest first; a line with a dot and value per point."""
    left, right, top, bottom = 36, 16, 14, 28
    parts = [_open_svg(width, height, title, description, "history-chart")]
    plot_w, plot_h = width - left - right, height - top - bottom
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(f'<line class="history-chart__grid" x1="{left}" y1="{_fmt(y)}" x2="{width - right}" y2="{_fmt(y)}"/>')
        parts.append(f'<text class="history-chart__tick" x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end">{tick}</text>')
    step = plot_w / max(len(points) - 1, 1)
    coordinates = [
        (left + (step * i if len(points) > 1 else plot_w / 2), top + plot_h * (1 - score / 100))
        for i, (_label, score) in enumerate(points)
    ]
    if len(coordinates) > 1:
        line = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)
        parts.append(f'<polyline class="history-chart__line" points="{line}"/>')
    for (label, score), (x, y) in zip(points, coordinates):
        parts.append(f'<circle class="history-chart__dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4"/>')
        parts.append(f'<text class="history-chart__value" x="{_fmt(x)}" y="{_fmt(y - 8)}" text-anchor="middle">{_fmt(score)}</text>')
        parts.append(f'<text class="history-chart__tick" x="{_fmt(x)}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
