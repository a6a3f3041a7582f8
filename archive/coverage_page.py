"""The coverage page: one self-contained HTML file showing who published their report, when,
and who did not (a portal × year heatmap, publish dates against the deadline, counts).

Charts are Vega-Lite specs built with Altair and drawn in the browser by the Vega bundle that
vl-convert ships, inlined into the page, so the page works offline and keeps its tooltips.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.coverage import CoverageRow, coverage, deadline
from archive.filters import ReportFilter
from archive.models import CrawlRun, Report
from archive.vocabulary import CoverageStatus

# One colour per status, in the order the legend and the table list them: the two kinds of
# published report in green and orange, undated in blue (published, timeliness unknown), and
# missing in a light grey so that gaps read as gaps rather than as one more category.
STATUS_COLOURS = {
    CoverageStatus.ON_TIME: "#2e8b57",
    CoverageStatus.LATE: "#e8871e",
    CoverageStatus.UNDATED: "#6a8fc7",
    CoverageStatus.MISSING: "#d9d9d9",
}
LEVEL_ORDER = ("province", "prefecture", "county", "department")
HEATMAP_ROW_PX, HEATMAP_YEAR_PX = 16, 56
CALENDAR_LANES = 7
# Axis ticks of the calendar chart: the first of each month around the deadline, as days after
# April 1 in a common (non-leap) year. A leap year moves a label by one day at most.
CALENDAR_MONTHS = [
    ((dt.date(2001, month, 1) - dt.date(2001, 4, 1)).days, f"{month}月1日")
    for month in range(1, 13)
]


@dataclass(frozen=True)
class CoverageCell:
    """One portal on one report year, with what a reader hovering over it wants to know."""

    row: str  # the heatmap's row label: division code and portal name
    portal: str
    division_code: str
    level: str
    report_year: int
    status: CoverageStatus
    report_id: int | None
    title: str
    published_at: str  # YYYY-MM-DD, or "" when missing or undated
    days_after_deadline: int | None


@dataclass(frozen=True)
class ArchiveSource:
    """What the page was generated from: the archive and its latest crawl run."""

    archive: str
    latest_run: str
    generated_at: str


def render_html(engine_or_session: Engine | Session, where: ReportFilter = ReportFilter()) -> str:
    """The coverage page for the filter's report years (default: every report year in the
    archive) of the portals and reports the filter keeps, as `nianbao coverage` lists them."""
    if isinstance(engine_or_session, Session):
        return _render(engine_or_session, where)
    with Session(engine_or_session) as session:
        return _render(session, where)


def _render(session: Session, where: ReportFilter) -> str:
    chosen = sorted(where.years) if where.years else archive_report_years(session)
    cells = coverage_cells(session, chosen, where)
    shown = dataclasses.replace(where, years=frozenset())
    described = [f"report years {_year_span(chosen)}"]
    described += [f"{name} {value}" for name, value in _filter_fields(shown)]
    return page_html(cells, chosen, archive_source(session), ", ".join(described))


def _filter_fields(where: ReportFilter) -> list[tuple[str, object]]:
    """The filter's fields that differ from the default, for the page's subtitle."""
    default = ReportFilter()
    return [
        (field.name, getattr(where, field.name))
        for field in dataclasses.fields(where)
        if getattr(where, field.name) != getattr(default, field.name)
    ]


def archive_report_years(session: Session) -> list[int]:
    """Every year from the archive's earliest report year to its latest, gaps included."""
    low, high = session.execute(
        select(func.min(Report.report_year), func.max(Report.report_year))
    ).one()
    return list(range(low, high + 1)) if low is not None and high is not None else []


def coverage_cells(
    session: Session, years: Sequence[int], where: ReportFilter = ReportFilter()
) -> list[CoverageCell]:
    """The coverage rows of every year, ordered by region (division code) and level."""
    rows = [row for year in years for row in coverage(session, year, where)]
    titles = _report_titles(session, years)
    rows.sort(key=lambda row: (row.division_code, _level_rank(row.level), row.portal))
    return [_cell(row, titles.get(row.report_id or 0, "")) for row in rows]


def _report_titles(session: Session, years: Sequence[int]) -> dict[int, str]:
    """Titles by report id, for the years shown (selected by year, not by a list of ids: a
    national page names more reports than SQLite takes parameters in one statement)."""
    found = session.execute(
        select(Report.id, Report.title).where(Report.report_year.in_(list(years)))
    )
    return {report_id: title for report_id, title in found}


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _cell(row: CoverageRow, title: str) -> CoverageCell:
    due = deadline(row.report_year)
    return CoverageCell(
        row=f"{row.division_code} {row.portal}",
        portal=row.portal,
        division_code=row.division_code,
        level=row.level,
        report_year=row.report_year,
        status=row.status,
        report_id=row.report_id,
        title=title,
        published_at=row.published_at.isoformat() if row.published_at else "",
        days_after_deadline=(row.published_at - due).days if row.published_at else None,
    )


def archive_source(session: Session) -> ArchiveSource:
    bind = session.get_bind()
    run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1)).first()
    latest = "no crawl run recorded"
    if run is not None:
        finished = f"finished {run.finished_at:%Y-%m-%d %H:%M}" if run.finished_at else "unfinished"
        latest = (
            f"crawl run {run.id}: started {run.started_at:%Y-%m-%d %H:%M}, {finished}"
            f" ({run.finish_reason or 'no finish reason'}), {run.pages_fetched} pages,"
            f" {run.reports_new} new reports"
        )
    return ArchiveSource(
        archive=bind.engine.url.render_as_string(hide_password=True),
        latest_run=latest,
        generated_at=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    )


def _status_colour_scale() -> alt.Scale:
    return alt.Scale(
        domain=[str(status) for status in STATUS_COLOURS],
        range=list(STATUS_COLOURS.values()),
    )


def heatmap_spec(cells: Sequence[CoverageCell]) -> dict[str, Any]:
    """Portals (rows, by region and level) × report years, coloured by status."""
    # A sort key per row, not Vega-Lite's sort list: that compiles to one nested expression per
    # row, and at 2,300 rows the browser's parser runs out of stack.
    row_order = {row: index for index, row in enumerate(dict.fromkeys(cell.row for cell in cells))}
    chart = (
        alt.Chart(alt.NamedData(name="cells"), width=alt.Step(HEATMAP_YEAR_PX))
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "report_year:O", title="report year", axis=alt.Axis(orient="top", labelAngle=0)
            ),
            y=alt.Y(
                "row:N",
                sort=alt.EncodingSortField("order"),
                title=None,
                axis=alt.Axis(labelLimit=360),
            ),
            color=alt.Color("status:N", scale=_status_colour_scale(), title="status"),
            tooltip=[
                alt.Tooltip("portal:N", title="portal"),
                alt.Tooltip("level:N", title="level"),
                alt.Tooltip("report_year:O", title="report year"),
                alt.Tooltip("status:N", title="status"),
                alt.Tooltip("title:N", title="report"),
                alt.Tooltip("published_at:N", title="published"),
            ],
        )
        .properties(height=alt.Step(HEATMAP_ROW_PX))
        .transform_calculate(row="datum.division_code + ' ' + datum.portal")
    )
    fields = ("division_code", "portal", "level", "report_year", "status", "title", "published_at")
    rows = [{**_record(cell, fields), "order": row_order[cell.row]} for cell in cells]
    return chart_spec(chart, {"cells": rows})


def calendar_spec(cells: Sequence[CoverageCell], years: Sequence[int]) -> dict[str, Any]:
    """Each dated report as a dot on the calendar of the year after its report year, one row
    per report year, with the April 1 deadline as a red rule."""
    fields = ("portal", "report_year", "status", "title", "published_at", "days_after_deadline")
    dated = [
        # Spread within the year's band so dots on one day stay apart; fixed lanes rather than
        # random jitter, so the same archive always draws the same picture.
        {**_record(cell, fields), "lane": index % CALENDAR_LANES}
        for index, cell in enumerate(c for c in cells if c.days_after_deadline is not None)
    ]
    ticks = [day for day, _label in CALENDAR_MONTHS]
    label_of = " : ".join(f"datum.value == {day} ? '{label}'" for day, label in CALENDAR_MONTHS)
    dots = (
        alt.Chart(alt.NamedData(name="dated"))
        .mark_circle(size=70, opacity=0.75)
        .encode(
            x=alt.X(
                "days_after_deadline:Q",
                title="publish date (in the year after the report year)",
                scale=alt.Scale(domain=[ticks[0], ticks[-1]], clamp=True),
                axis=alt.Axis(values=list(ticks), labelExpr=f"{label_of} : ''", grid=True),
            ),
            y=alt.Y("report_year:O", title="report year", scale=alt.Scale(domain=list(years))),
            yOffset=alt.YOffset("lane:Q", scale=alt.Scale(domain=[-1, CALENDAR_LANES])),
            color=alt.Color("status:N", scale=_status_colour_scale(), legend=None),
            tooltip=[
                alt.Tooltip("portal:N", title="portal"),
                alt.Tooltip("title:N", title="report"),
                alt.Tooltip("published_at:N", title="published"),
                alt.Tooltip("days_after_deadline:Q", title="days after the deadline"),
            ],
        )
    )
    deadline_rule = (
        alt.Chart(alt.InlineData(values=[{"day": 0, "label": "deadline: April 1"}]))
        .mark_rule(color="#c0392b", strokeWidth=2, strokeDash=[6, 3])
        .encode(x="day:Q")
    )
    deadline_label = deadline_rule.mark_text(
        color="#c0392b", align="left", dx=4, dy=-6, baseline="bottom", fontWeight="bold"
    ).encode(text="label:N", y=alt.value(0))
    layers = alt.LayerChart(
        layer=[dots, deadline_rule, deadline_label], width=720, height=alt.Step(40)
    )
    return chart_spec(layers, {"dated": dated})


def chart_spec(chart: alt.Chart | alt.LayerChart, datasets: dict[str, Any]) -> dict[str, Any]:
    """The chart's Vega-Lite spec with its named datasets, labels one size up from Vega's
    10-11 px (small for CJK names). The rows join the spec after Altair has validated it:
    Altair validates inline rows one by one, which takes a minute for a national archive."""
    configured = chart.configure_axis(labelFontSize=12, titleFontSize=12)
    spec: dict[str, Any] = configured.configure_legend(labelFontSize=12, titleFontSize=12).to_dict()
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def _record(cell: CoverageCell, fields: Sequence[str]) -> dict[str, Any]:
    """The fields a chart shows: every row is repeated in the page, so only those."""
    return {
        field: str(getattr(cell, field)) if field == "status" else getattr(cell, field)
        for field in fields
    }


def summary_table_html(cells: Sequence[CoverageCell], years: Sequence[int]) -> str:
    counts = Counter((cell.report_year, cell.status) for cell in cells)
    head = "".join(f"<th>{html.escape(status)}</th>" for status in CoverageStatus)
    body = "".join(
        f"<tr><th>{year}</th>"
        + "".join(f"<td>{counts[year, status]}</td>" for status in CoverageStatus)
        + f"<td>{sum(counts[year, status] for status in CoverageStatus)}</td></tr>"
        for year in years
    )
    return (
        '<table class="summary"><thead><tr><th>report year</th>'
        f"{head}<th>portals</th></tr></thead><tbody>{body}</tbody></table>"
    )


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script (~0.9 MB); vl-convert builds it in a few
    seconds, so a long-running server builds it once."""
    return vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: report titles come from the web, and a title
    holding `</script>` must not end the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


PAGE_STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;
       margin: 1.5rem 2rem; color: #222; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
h2 { font-size: 1.1rem; margin-top: 2rem; }
.source { color: #555; font-size: .9rem; margin: 0; }
table.summary { border-collapse: collapse; margin-top: .5rem; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: .25rem .7rem; }
table.summary td { text-align: right; font-variant-numeric: tabular-nums; }
.legend-note { color: #555; font-size: .9rem; max-width: 60rem; }
"""

# SVG, not canvas: a national heatmap is taller than the largest canvas a browser draws.
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def page_html(
    cells: Sequence[CoverageCell], years: Sequence[int], source: ArchiveSource, filters: str
) -> str:
    undated = sum(cell.status == CoverageStatus.UNDATED for cell in cells)
    specs = {"heatmap": heatmap_spec(cells), "calendar": calendar_spec(cells, years)}
    embeds = "\n".join(
        f"vegaEmbed('#{name}', {script_json(spec)}, {script_json(EMBED_OPTIONS)});"
        for name, spec in specs.items()
    )
    facts = [
        f"archive: {source.archive}",
        source.latest_run,
        f"{filters}; generated {source.generated_at}",
    ]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>nianbao coverage {html.escape(_year_span(years))}</title>
<style>{PAGE_STYLE}</style>
<script>{vega_bundle()}</script>
</head>
<body>
<h1>Rule-of-law reports: who published on time</h1>
{"".join(f'<p class="source">{html.escape(fact)}</p>' for fact in facts)}
<h2>Counts per status</h2>
{summary_table_html(cells, years)}
<p class="legend-note">A portal is credited only with its own body's report. The report on year
Y is due before April 1 of year Y+1: <b>on_time</b> published before it, <b>late</b> on or after
it, <b>undated</b> found but showing no publish date, <b>missing</b> not found.</p>
<h2>Publish dates against the deadline</h2>
<p class="legend-note">{undated} undated report(s) are not on the calendar. Hover a dot for the
report and its date.</p>
<div id="calendar"></div>
<h2>Portals by region and level</h2>
<p class="legend-note">Rows by division code, so that a region's portals sit together (the
longest part of a national page, hence last). Hover a cell for the report.</p>
<div id="heatmap"></div>
<script>
{embeds}
</script>
</body>
</html>
"""


def write_page(target: Path, page: str) -> None:
    """Write into a temporary file next to the target, renamed when complete: a failed write
    leaves no half page behind. Raises OSError when the target cannot be written."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    temporary = Path(name)
    try:
        with open(descriptor, "w", encoding="utf-8") as out:
            out.write(page)
        temporary.chmod(0o644)  # mkstemp's private 0600 would hide the page from a web server
        temporary.replace(target)
    except BaseException:
        temporary.unlink()
        raise


def _year_span(years: Sequence[int]) -> str:
    if not years:
        return "(none)"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
