"""Bar charts drawn on the server as inline SVG, in the style of the maturity charts.

The page always shows the same numbers in a table next to each chart.
"""
from markupsafe import Markup, escape

from ..maturity.charts import _fmt, _open_svg


def weekly_bars_svg(points, title, description, width=420, height=170):
    """``points``: [(label, count)] oldest first; a column per week with its count above it."""
    left, right, top, bottom = 12, 12, 20, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((count for _label, count in points), default=0) or 1
    slot = plot_w / max(len(points), 1)
    bar_w = slot * 0.64
    parts = [_open_svg(width, height, title, description, "bar-chart")]
    parts.append(f'<line class="bar-chart__axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>')
    for index, (label, count) in enumerate(points):
        bar_h = plot_h * count / highest
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        parts.append(f'<rect class="bar-chart__bar" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(bar_h)}"/>')
        parts.append(f'<text class="bar-chart__value" x="{_fmt(x + bar_w / 2)}" y="{_fmt(y - 5)}" text-anchor="middle">{count}</text>')
        if index % 2 == 0 or len(points) <= 6:
            parts.append(f'<text class="bar-chart__tick" x="{_fmt(x + bar_w / 2)}" y="{height - 10}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def level_bars_svg(rows, title, description, width=420, row_height=30):
    """``rows``: [(label, count, rank)] lowest level first; a horizontal bar per level, coloured by rank."""
    label_w, right, top = 150, 40, 6
    height = top * 2 + row_height * len(rows)
    plot_w = width - label_w - right
    highest = max((count for _label, count, _rank in rows), default=0) or 1
    parts = [_open_svg(width, height, title, description, "level-chart")]
    for index, (label, count, rank) in enumerate(rows):
        y = top + row_height * index
        bar_w = plot_w * count / highest
        parts.append(f'<text class="level-chart__label" x="{label_w - 8}" y="{_fmt(y + row_height / 2 + 4)}" '
                     f'text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="level-chart__bar level-chart__bar--rank-{int(rank)}" x="{label_w}" y="{_fmt(y + 5)}" '
                     f'width="{_fmt(bar_w)}" height="{row_height - 10}"/>')
        parts.append(f'<text class="level-chart__value" x="{_fmt(label_w + bar_w + 6)}" y="{_fmt(y + row_height / 2 + 4)}">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
