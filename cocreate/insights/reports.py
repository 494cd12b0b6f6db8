"""What the dashboard and the report show beyond the figures: chart markup and the CSV of the report."""
import csv
import io

from flask_babel import format_date, gettext as _

from ..maturity.setup import COMPANY, localized
from .charts import level_bars_svg, weekly_bars_svg
from .queries import SERIES

SUPPRESSED = "fewer than 5"


def series_labels():
    return {"posts": _("Workshop posts"), "ideas": _("Ideas"), "votes": _("Votes"), "members": _("New members")}


def dataset_labels():
    return {"challenges": _("Challenges"), "ideas": _("Ideas with votes and status"),
            "workshops": _("Workshops with outcomes"), "posts": _("Workshop posts"),
            "themes": _("Barriers and working areas")}


def instrument_labels():
    return {COMPANY: _("Company maturity (organisations)"), "management": _("Management maturity (executives)")}


def dashboard_charts(figures):
    labels = series_labels()
    weekly = {}
    for name in SERIES:
        points = [(format_date(week, "d/M"), count) for week, count in zip(figures.activity.weeks,
                                                                             figures.activity.series[name])]
        weekly[name] = weekly_bars_svg(
            points, _("%(series)s per week", series=labels[name]),
            _("Columns for the last %(weeks)d weeks; the numbers are in the table below.", weeks=len(points)))
    levels = {}
    for distribution in figures.distributions:
        rows = [(localized(level.name), count, level.rank) for level, count in distribution.counts]
        levels[distribution.instrument_key] = level_bars_svg(
            rows, instrument_labels()[distribution.instrument_key],
            _("How many are at each level; the numbers are in the table beside the chart."))
    return {"weekly": weekly, "levels": levels}


def _csv_cell(cell, value):
    return SUPPRESSED if cell.suppressed else value


def gap_report_lines(report, sectors, size_bands):
    """The report as CSV lines, with the same suppression as the page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("grouping", "group", "dimension", "dimension_name", "organisations", "average_score",
                     "share_below_moderately_advanced_percent"))
    names = {"all": {"all": "All organisations"}, "sector": {k: str(k) for k in sectors},
             "size_band": {k: str(k) for k in size_bands}}
    for grouping, groups in report.groupings:
        for group, _count in groups:
            for dimension in report.instrument.dimensions:
                cell = report.cell(grouping, group, dimension.code)
                writer.writerow((grouping, names[grouping][group], dimension.code, dimension.name.get("en"),
                                 _csv_cell(cell, cell.organisations), _csv_cell(cell, cell.average),
                                 _csv_cell(cell, cell.share_below)))
    yield buffer.getvalue()
