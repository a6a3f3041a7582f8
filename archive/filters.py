"""The report filters users ask for — year, region, level, issuer, publisher, host, publish
dates, attachment-only, needs-OCR — defined once: parsed from the command line and turned into
SQL where-clauses for search, list, export and coverage alike."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from archive.models import Portal, Report, Sighting
from archive.vocabulary import IssuerKind, Level, TextSource

# Report years a user may ask for: bounds turn a huge number into a one-line usage error
# instead of an overflow in the database driver, and keep a year range's expansion small.
YEARS = (1949, 2100)
# Division codes are 6 digits (12 in the statistics bureau's long form); a prefix selects a
# province (51), a prefecture (5107) or a county (510705).
REGION_PREFIX = re.compile(r"\d{1,12}")
HOST = re.compile(r"[a-z0-9.-]{1,253}")
# The levels a report can be filtered by: the issuing body's, as the registry names them.
REPORT_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.DEPARTMENT)
FROM_ATTACHMENT = (TextSource.ATTACHMENT, TextSource.OCR)  # an attached file's text layer or scan


@dataclass(frozen=True)
class ReportFilter:
    """What a query keeps; the default keeps every report. Text filters match literally
    (a % or _ is looked for, not a wildcard)."""

    years: frozenset[int] = frozenset()  # the years reports cover; empty: any year
    region: str = ""  # division code prefix
    level: Level | None = None
    issuer: str = ""  # the issuing body's name contains this
    publisher: str = ""  # the source bureau's name contains this
    host: str = ""  # the site a report was found on, or a subdomain of it
    since: dt.date | None = None  # published on or after
    until: dt.date | None = None  # published on or before
    from_attachment: bool = False  # the text came from an attached file, not the page
    needs_ocr: bool = False  # the report is a scan whose text is still unread
    # True: reports holding the four parts the 2019 rule requires; False: those missing one.
    complete: bool | None = None

    def __post_init__(self) -> None:
        low, high = YEARS
        if any(not low <= year <= high for year in self.years):
            raise ValueError(f"report years lie between {low} and {high}")
        if self.region and not REGION_PREFIX.fullmatch(self.region):
            raise ValueError(f"not a division code prefix: {self.region!r}")
        if self.level is not None and self.level not in REPORT_LEVELS:
            raise ValueError(f"not a report level: {self.level!r}")

    def clauses(self) -> list[ColumnElement[bool]]:
        """Where-clauses on `Report` (for a select that has `Report` in its FROM)."""
        clauses = self.publication_clauses()
        if self.years:
            clauses.append(Report.report_year.in_(sorted(self.years)))
        if self.region:
            clauses.append(_placed(lambda portal: _in_region(portal, self.region)))
        if self.level is not None:
            clauses.append(_report_level(self.level))
        if self.issuer:
            named = func.coalesce(Report.issuer_place, "") + func.coalesce(
                Report.issuer_department, ""
            )
            clauses.append(
                or_(
                    Report.issuer.contains(self.issuer, autoescape=True),
                    named.contains(self.issuer, autoescape=True),
                )
            )
        if self.host:
            clauses.append(_on_host(Report.host, self.host))
        return clauses

    def publication_clauses(self) -> list[ColumnElement[bool]]:
        """The clauses about the report itself (publisher, dates, where its text came from),
        which coverage applies to the reports it credits."""
        clauses: list[ColumnElement[bool]] = []
        if self.publisher:
            clauses.append(Report.publisher.contains(self.publisher, autoescape=True))
        if self.since:
            clauses.append(Report.published_at >= self.since)
        if self.until:
            clauses.append(Report.published_at <= self.until)
        if self.from_attachment:
            clauses.append(Report.text_source.in_([s.value for s in FROM_ATTACHMENT]))
        if self.needs_ocr:
            clauses.append(Report.needs_ocr.is_(True))
        if self.complete is not None:
            # A report without text to judge (parts_complete NULL) is neither.
            clauses.append(Report.parts_complete == self.complete)
        return clauses

    def portal_clauses(self, portal: Any = Portal) -> list[ColumnElement[bool]]:
        """The clauses about the body behind a portal (region, level, issuer's name, host), which
        coverage applies to the portals it lists: a portal's own report is its body's."""
        clauses: list[ColumnElement[bool]] = []
        if self.region:
            clauses.append(_in_region(portal, self.region))
        if self.level is not None:
            clauses.append(portal.level == self.level.value)
        if self.issuer:
            clauses.append(portal.name.contains(self.issuer, autoescape=True))
        if self.host:
            clauses.append(_on_host(portal.host, self.host))
        return clauses


def _in_region(portal: Any, prefix: str) -> ColumnElement[bool]:
    in_region: ColumnElement[bool] = portal.division_code.startswith(prefix)
    return in_region


def _on_host(column: Any, host: str) -> ColumnElement[bool]:
    return or_(column == host, column.endswith("." + host, autoescape=True))


def _placed(condition: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
    """The report was seen on a registry portal meeting the condition. A report seen on no
    portal with a division code (only on a site given ad hoc) is placed by its issuer: on the
    portals of its place's government (a 安州区 report on the 安州区 government's portal)."""
    sighting, seen, named = aliased(Sighting), aliased(Portal), aliased(Portal)
    on_coded_portal = (
        select(sighting.id)
        .join(seen, sighting.portal_id == seen.id)
        .where(sighting.report_id == Report.id, seen.division_code != "")
    )
    # Uncorrelated: the places are read once per query, not once per report.
    places = select(named.government_place).where(
        condition(named), named.government_place.is_not(None)
    )
    return or_(
        on_coded_portal.where(condition(seen)).exists(),
        and_(Report.issuer_place.in_(places), ~on_coded_portal.exists()),
    )


def _report_level(level: Level) -> ColumnElement[bool]:
    """The issuing body's level: a department's report (司法局, even on its county's portal) is
    a department report; the others take the level of the portal that carries them."""
    by_department = Report.issuer_kind == IssuerKind.DEPARTMENT.value
    on_level = _placed(lambda portal: portal.level == level.value)
    if level == Level.DEPARTMENT:
        return or_(by_department, on_level)
    return and_(on_level, or_(Report.issuer_kind.is_(None), ~by_department))


# -- the command line ------------------------------------------------------------------------


def parse_years(value: str) -> frozenset[int]:
    """2022, 2020-2023, 2021,2023 or any mix (2019,2021-2023)."""
    years: set[int] = set()
    for part in value.split(","):
        first, _, last = part.strip().partition("-")
        low, high = _year(first), _year(last) if last else _year(first)
        if low > high:
            raise argparse.ArgumentTypeError(f"year range {part.strip()} runs backwards")
        years.update(range(low, high + 1))
    return frozenset(years)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    low, high = YEARS
    if not low <= year <= high:
        raise argparse.ArgumentTypeError(f"{year} is not a year between {low} and {high}")
    return year


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def parse_date_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    """FIRST..LAST, either side open: 2023-01-01..2023-03-31, 2024-01-01.., ..2023-03-31."""
    first, dots, last = value.partition("..")
    if not dots:
        raise argparse.ArgumentTypeError(f"not a date range (FIRST..LAST): {value!r}")
    since = parse_date(first) if first else None
    until = parse_date(last) if last else None
    if since and until and since > until:
        raise argparse.ArgumentTypeError(f"date range {value} runs backwards")
    return since, until


def parse_region(value: str) -> str:
    if not REGION_PREFIX.fullmatch(value):
        raise argparse.ArgumentTypeError(f"not a division code prefix (digits): {value!r}")
    return value


def parse_host(value: str) -> str:
    host = value.strip().lower().rstrip(".")
    if not HOST.fullmatch(host):
        raise argparse.ArgumentTypeError(f"not a host name: {value!r}")
    return host


class _PublishedRange(argparse.Action):
    """--published FIRST..LAST sets --since and --until."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        namespace.since, namespace.until = cast(tuple[dt.date | None, dt.date | None], values)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters every report query takes, read back with `filter_from_args`."""
    group = parser.add_argument_group("filters (all must hold)")
    group.add_argument(
        "--year",
        type=parse_years,
        metavar="YEARS",
        help="the year reports cover: 2022, a range 2020-2023 or a list 2021,2023",
    )
    group.add_argument(
        "--region",
        type=parse_region,
        metavar="CODE",
        help="division code prefix, e.g. 51 (四川) or 5107 (绵阳): of the portal the report was "
        "found on, or of its issuer's place when that portal has no code",
    )
    group.add_argument(
        "--level",
        choices=[level.value for level in REPORT_LEVELS],
        help="the issuing body's level (a 司法局 report is 'department' wherever it is shown)",
    )
    group.add_argument("--issuer", metavar="TEXT", help="issuing body's name contains TEXT")
    group.add_argument(
        "--publisher", metavar="TEXT", help="publisher (source bureau) contains TEXT"
    )
    group.add_argument(
        "--host", type=parse_host, help="found on this site or a subdomain, e.g. sc.gov.cn"
    )
    group.add_argument(
        "--since", type=parse_date, metavar="DATE", help="published on or after YYYY-MM-DD"
    )
    group.add_argument(
        "--until", type=parse_date, metavar="DATE", help="published on or before YYYY-MM-DD"
    )
    group.add_argument(
        "--published",
        type=parse_date_range,
        action=_PublishedRange,
        metavar="FIRST..LAST",
        help="published in this range (either side may be left open)",
    )
    group.add_argument(
        "--from-attachment",
        action="store_true",
        help="only reports whose text came from an attached file (PDF, DOC, OFD, a scan)",
    )
    group.add_argument(
        "--needs-ocr", action="store_true", help="only scanned reports whose text is still unread"
    )
    completeness = group.add_mutually_exclusive_group()
    completeness.add_argument(
        "--complete",
        dest="complete",
        action="store_const",
        const=True,
        help="only reports holding all four parts the 2019 rule requires",
    )
    completeness.add_argument(
        "--incomplete",
        dest="complete",
        action="store_const",
        const=False,
        help="only reports missing one of them (see `show` for which)",
    )


def filter_from_args(args: argparse.Namespace) -> ReportFilter:
    return ReportFilter(
        years=args.year or frozenset(),
        region=args.region or "",
        level=Level(args.level) if args.level else None,
        issuer=args.issuer or "",
        publisher=args.publisher or "",
        host=args.host or "",
        since=args.since,
        until=args.until,
        from_attachment=args.from_attachment,
        needs_ocr=args.needs_ocr,
        complete=args.complete,
    )
