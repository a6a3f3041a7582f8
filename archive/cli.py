"""The archive's commands of `nianbao` (search, list, show, cite, export, stats, coverage,
diff, health, runs, serve, snapshot) and the frame every command runs in: the parser, the
shared options, one-line errors.

A command is a `cmd_<name>(args) -> exit status` and an `add_<name>_command(commands)` that
declares its options; listing the adder in ARCHIVE_COMMANDS puts it in `nianbao`. Commands
that need the crawler are added by crawler/cli.py, which assembles the program."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import os
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy.exc import DatabaseError

from archive.citation import cite_report
from archive.coverage import coverage
from archive.coverage_page import render_html, write_page
from archive.db import ArchiveError, describe_archive, reading_session
from archive.export import EXPORT_FORMATS, export_reports, report_record
from archive.filters import ReportFilter, add_filter_options, filter_from_args
from archive.health import HealthView, list_health
from archive.output import Format, Layout, add_format_options, chosen_format, write_rows
from archive.provenance import Provenance, get_provenance
from archive.query import (
    SORTS,
    ReportView,
    archive_stats,
    get_report,
    iter_reports,
    list_reports,
    search_reports,
)
from archive.runs_command import cmd_runs
from archive.search_language import QuerySyntaxError, parse_query
from archive.serve import add_serve_command
from archive.snapshot import add_snapshot_command
from archive.structure_cli import (
    DIFF_DESCRIPTION,
    cmd_diff,
    print_structure,
    structure_of,
    structure_record,
)
from archive.vocabulary import CoverageStatus

Handler = Callable[[argparse.Namespace], int]
# The subcommand registry argparse hands out; each add_<name>_command adds one command to it.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
CommandAdder = Callable[[Commands], None]

# Range checks turn a huge number into a one-line usage error instead of an OverflowError deep
# in the database driver. Row ids are 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer between low and high inclusive."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not between {low} and {high}")
        return number

    return parse


id_type = bounded_int(1, MAX_ID)
count_type = bounded_int(0, MAX_ID)


def _fail(command: str, message: str) -> int:
    print(f"nianbao {command}: {message}", file=sys.stderr)
    return 2


# -- search and list -------------------------------------------------------------------------

SEARCH_SYNTAX = """Full-text search of report titles and texts.

  行政复议 行政执法        both terms (AND)
  行政复议 OR 行政诉讼     either term
  行政复议 -复议委员会     the first, not the second (also: NOT 复议委员会)
  "法治政府 建设"          a phrase, spaces ignored
  法                        terms of any length, 1-2 characters too

Traditional characters and full-width letters match their simplified and half-width forms.
Hits are ranked by relevance (bm25; title matches weigh more) unless --sort date."""

# A report in a listing: the table's columns; JSON carries every field but the text.
REPORT_LAYOUT = Layout(
    ("id", "report_year", "published_at", "publisher", "title"), right_aligned=frozenset({"id"})
)
# A hit's snippets go under its row (a table) or in a column of their own (CSV).
HIT_LAYOUT = dataclasses.replace(REPORT_LAYOUT, details="snippets")
# Matches in snippets: bold red on a terminal, plain markers where the output is text or JSON.
TERMINAL_MARKS = ("\033[1;31m", "\033[0m")
PLAIN_MARKS = ("«", "»")


def _listed(report: ReportView, snippets: Sequence[str] | None = None) -> dict[str, Any]:
    record = report_record(report)
    del record["text"]
    if snippets is not None:
        record["snippets"] = list(snippets)
    return record


def _add_listing_options(parser: argparse.ArgumentParser, default_limit: int | None) -> None:
    add_filter_options(parser)
    parser.add_argument(
        "--limit", type=count_type, default=default_limit, help="show at most this many reports"
    )
    add_format_options(parser)


def cmd_search(args: argparse.Namespace) -> int:
    try:
        query = parse_query(" ".join(args.text))
    except QuerySyntaxError as error:
        return _fail("search", str(error))
    where = filter_from_args(args)
    with reading_session(args.db) as session:
        result = search_reports(session, query, where, args.limit, args.offset, args.sort)
    if not result.total:
        print("no reports match", file=sys.stderr)
        return 0
    form = chosen_format(args)
    marks = TERMINAL_MARKS if sys.stdout.isatty() and form == Format.TABLE else PLAIN_MARKS
    if form == Format.TABLE:
        last = args.offset + len(result.hits)
        total = f"about {result.total}" if result.total_is_estimate else str(result.total)
        print(f"{total} reports match; {args.offset + 1}-{last} by {args.sort}")
    records = (
        _listed(hit.report, [fragment.render(*marks) for fragment in hit.snippets])
        for hit in result.hits
    )
    write_rows(records, HIT_LAYOUT, form, sys.stdout)
    return 0


def add_search_command(commands: Commands) -> None:
    search = commands.add_parser(
        "search",
        help="full-text search of titles and texts",
        description=SEARCH_SYNTAX,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("text", nargs="+", help="the query, e.g. 行政复议 -复议委员会")
    _add_listing_options(search, default_limit=20)
    search.add_argument("--offset", type=count_type, default=0, help="skip this many hits")
    search.add_argument(
        "--sort", choices=SORTS, default="relevance", help="relevance (bm25) or newest first"
    )
    search.set_defaults(handler=cmd_search)


def cmd_list(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        reports = list_reports(session, filter_from_args(args), args.limit)
    write_rows(map(_listed, reports), REPORT_LAYOUT, chosen_format(args), sys.stdout)
    return 0


def add_list_command(commands: Commands) -> None:
    listing = commands.add_parser("list", help="list reports, newest first")
    _add_listing_options(listing, default_limit=None)
    listing.set_defaults(handler=cmd_list)


# -- one report ------------------------------------------------------------------------------


def _print_provenance(provenance: Provenance) -> None:
    print(f"content_key: {provenance.content_key}")
    if provenance.previous_version_id is not None:
        print(f"previous version: {provenance.previous_version_id}")
    print("sightings:")
    for s in provenance.sightings:
        similarity = f" {s.similarity:.2f}" if s.similarity is not None else ""
        print(f"  {s.url}  [{s.match}{similarity}]")
        print(f"    seen {s.first_seen:%Y-%m-%d %H:%M} .. {s.last_seen:%Y-%m-%d %H:%M}")
        print(f"    page showed: {s.page_published_at or '-'}  {s.page_publisher or '-'}")
    print("captures:")
    for c in provenance.captures:
        print(f"  {c.fetched_at:%Y-%m-%d %H:%M:%S}  {c.status}  {c.url}  {c.digest}")
        if c.warc_file:
            print(f"    warc: {c.warc_file} @{c.warc_offset} {c.warc_record_id}")


def cmd_show(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        report = get_report(session, args.id)
        provenance = get_provenance(session, args.id) if args.provenance else None
        structure = structure_of(session, report) if report else None
    if report is None or structure is None:
        print(f"no report with id {args.id}", file=sys.stderr)
        return 1
    record = report_record(report)
    if args.json:
        print(json.dumps(record | structure_record(structure), ensure_ascii=False, indent=2))
        return 0
    for field in ("title", "report_year", "published_at", "written_at", "publisher", "issuer"):
        print(f"{field}: {record[field] or '-'}")
    print(f"host: {report.host} ({report.host_site or '-'})")
    print_structure(structure)
    if provenance is not None:
        _print_provenance(provenance)
        return 0
    for url in report.urls:
        print(f"url: {url}")
    print()
    print(report.text)
    return 0


def add_show_command(commands: Commands) -> None:
    show = commands.add_parser("show", help="one report with its metadata, URLs and text")
    show.add_argument("id", type=id_type)
    show.add_argument("--json", action="store_true", help="as one JSON object")
    show.add_argument(
        "--provenance",
        action="store_true",
        help="every sighting (match, first/last seen, page date and publisher) and every "
        "capture (WARC file, offset, record id) instead of the text",
    )
    show.set_defaults(handler=cmd_show)


def cmd_cite(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        citation = cite_report(session, args.id)
    if citation is None:
        print(f"no report with id {args.id}", file=sys.stderr)
        return 1
    print(citation.render())
    return 0


def add_cite_command(commands: Commands) -> None:
    cite = commands.add_parser("cite", help="a GB/T 7714 citation of one report")
    cite.add_argument("id", type=id_type)
    cite.set_defaults(handler=cmd_cite)


# -- export ----------------------------------------------------------------------------------


def _export_format(args: argparse.Namespace) -> Format:
    if args.excel:
        return Format.EXCEL
    return EXPORT_FORMATS[args.format or "jsonl"]


def cmd_export(args: argparse.Namespace) -> int:
    if args.excel and args.format not in (None, "csv"):
        return _fail("export", "--excel writes CSV; leave out --format or give --format csv")
    where = filter_from_args(args)
    if not args.output:
        with reading_session(args.db) as session:
            count = export_reports(iter_reports(session, where), _export_format(args), sys.stdout)
    else:
        target = Path(args.output)
        if not target.parent.is_dir():
            return _fail("export", f"no folder {target.parent} to export into")
        if target.exists() and not args.force:
            return _fail("export", f"{target} exists; add --force to replace it")
        count = _export_to_file(args, where, target)
    print(f"exported {count} reports", file=sys.stderr)
    return 0


def _export_to_file(args: argparse.Namespace, where: ReportFilter, target: Path) -> int:
    """Write next to the target and rename on success: a failed export leaves no file behind
    and never a truncated copy of the old one."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    temporary = Path(name)
    try:
        with (
            open(descriptor, "w", encoding="utf-8", newline="") as out,
            reading_session(args.db) as session,
        ):
            count = export_reports(iter_reports(session, where), _export_format(args), out)
    except BaseException:
        temporary.unlink()
        raise
    temporary.chmod(0o644)  # mkstemp's private 0600 would make the export unreadable to others
    temporary.replace(target)
    return count


def add_export_command(commands: Commands) -> None:
    export = commands.add_parser("export", help="export reports with their text, one per line")
    export.add_argument(
        "--format", choices=sorted(EXPORT_FORMATS), help="jsonl (the default) or csv"
    )
    export.add_argument(
        "--excel", action="store_true", help="CSV with a UTF-8 byte order mark, for Excel"
    )
    export.add_argument("-o", "--output", help="write to this file instead of stdout")
    export.add_argument("--force", action="store_true", help="replace an existing output file")
    add_filter_options(export)
    export.set_defaults(handler=cmd_export)


# -- the archive as a whole ------------------------------------------------------------------

STATS_LAYOUT = Layout(("what", "count"), right_aligned=frozenset({"count"}))
STATS_COUNTS = ("reports", "sightings", "captures", "failures", "portals", "crawl_runs")


def cmd_stats(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        stats = archive_stats(session)
    form = chosen_format(args)
    if form == Format.JSON:  # one object, the year counts nested
        print(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, default=str))
        return 0
    by_year = sorted(stats.reports_by_year.items(), key=lambda item: item[0] or 0)
    rows = [{"what": name, "count": getattr(stats, name)} for name in STATS_COUNTS] + [
        {"what": f"reports on {year or 'an unknown year'}", "count": count}
        for year, count in by_year
    ]
    write_rows(rows, STATS_LAYOUT, form, sys.stdout)
    return 0


def add_stats_command(commands: Commands) -> None:
    stats = commands.add_parser("stats", help="counts of reports, sightings, captures, failures")
    add_format_options(stats)
    stats.set_defaults(handler=cmd_stats)


COVERAGE_LAYOUT = Layout(
    (
        "report_year",
        "division_code",
        "level",
        "status",
        "published_at",
        "report_id",
        "complete",
        "portal",
    ),
    right_aligned=frozenset({"report_id"}),
)


# The table's "complete" column: the report holds the four required parts, or not, or there is
# no report (or no text) to judge.
COMPLETE_MARKS = {True: "complete", False: "incomplete", None: "-"}


def cmd_coverage(args: argparse.Namespace) -> int:
    where = filter_from_args(args)
    if args.html:
        return _write_coverage_page(args, where)
    if not where.years:
        return _fail("coverage", "which report year? add --year, e.g. --year 2023")
    with reading_session(args.db) as session:
        rows = [row for year in sorted(where.years) for row in coverage(session, year, where)]
    if args.status:
        rows = [row for row in rows if row.status == args.status]
    form = chosen_format(args)
    records: Iterable[dict[str, Any]] = map(dataclasses.asdict, rows)
    if form == Format.TABLE:
        records = ({**record, "complete": COMPLETE_MARKS[record["complete"]]} for record in records)
    write_rows(records, COVERAGE_LAYOUT, form, sys.stdout)
    counts = Counter(row.status for row in rows)
    print(", ".join(f"{status}: {counts[status]}" for status in CoverageStatus), file=sys.stderr)
    return 0


def _write_coverage_page(args: argparse.Namespace, where: ReportFilter) -> int:
    """`coverage --html FILE`: every report year in the archive unless --year names some."""
    with reading_session(args.db) as session:
        page = render_html(session, where)
    try:
        write_page(Path(args.html), page)
    except OSError as error:
        return _fail("coverage", f"cannot write {args.html}: {error.strerror}")
    print(f"wrote {args.html} ({len(page.encode()):,} bytes)", file=sys.stderr)
    return 0


def add_coverage_command(commands: Commands) -> None:
    cover = commands.add_parser(
        "coverage",
        help="per portal: its own report on a year published on time, late, undated or missing",
        description="--year (required, except with --html) names the report years; region, "
        "level, issuer and host choose the portals; publisher, publish dates, --from-attachment "
        "and --needs-ocr choose the reports that count, and then only portals with such a report "
        "are listed.",
    )
    add_filter_options(cover)
    cover.add_argument(
        "--status", choices=list(CoverageStatus), help="only portals with this status"
    )
    add_format_options(cover)
    cover.add_argument(
        "--html",
        metavar="FILE",
        help="write one self-contained page instead: a portals × years heatmap, publish dates "
        "against the April 1 deadline, counts (every report year unless --year)",
    )
    cover.set_defaults(handler=cmd_coverage)


def add_diff_command(commands: Commands) -> None:
    diff = commands.add_parser(
        "diff",
        help="what changed between two reports, section by section",
        description=DIFF_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("old", type=id_type, help="the earlier report (or the only id)")
    diff.add_argument("new", type=id_type, nargs="?", help="the later report")
    diff.add_argument("--json", action="store_true", help="as one JSON object")
    diff.set_defaults(handler=cmd_diff)


HEALTH_LAYOUT = Layout(
    ("run_id", "pages_fetched", "reports_found", "errors", "name", "homepage"),
    right_aligned=frozenset({"run_id", "pages_fetched", "reports_found", "errors"}),
    details="notes",
)


def _health_notes(view: HealthView) -> list[str]:
    """What a table shows under a portal's row: its warnings and what the safety net did."""
    notes = [f"warning: {warning}" for warning in view.warnings]
    if view.completed is False:
        notes.insert(0, "not completed: the run stopped before this portal was done")
    if view.safety_net:
        found = ", ".join(view.safety_net_found) or "no report"
        notes.append(f"safety net ({view.safety_net}, {view.safety_net_pages} pages): {found}")
        if not view.safety_net_found:
            notes.append(f"safety net tried: {', '.join(view.safety_net_tried) or 'nothing'}")
    return notes


def cmd_health(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        views = list_health(session, args.run)
    form = chosen_format(args)
    shown = [view for view in views if view.warnings or not args.warnings_only]
    records: Iterable[dict[str, Any]] = (
        dataclasses.asdict(view) | ({} if form == Format.JSON else {"notes": _health_notes(view)})
        for view in shown
    )
    write_rows(records, HEALTH_LAYOUT, form, sys.stdout)
    return 0


def add_health_command(commands: Commands) -> None:
    health = commands.add_parser(
        "health", help="per portal of a crawl run: pages, reports, errors and warnings"
    )
    health.add_argument("--run", type=id_type, metavar="ID", help="crawl run id (default: latest)")
    health.add_argument("--warnings-only", action="store_true", help="only portals with warnings")
    add_format_options(health)
    health.set_defaults(handler=cmd_health)


def add_runs_command(commands: Commands) -> None:
    runs = commands.add_parser(
        "runs", help="crawl runs, newest first: when, how they ended, counts, portals completed"
    )
    runs.add_argument("--limit", type=bounded_int(1, MAX_ID), default=20, help="at most N runs")
    add_format_options(runs)
    runs.set_defaults(handler=cmd_runs)


ARCHIVE_COMMANDS: tuple[CommandAdder, ...] = (
    add_search_command,
    add_list_command,
    add_show_command,
    add_cite_command,
    add_export_command,
    add_stats_command,
    add_coverage_command,
    add_diff_command,
    add_health_command,
    add_runs_command,
    add_serve_command,
    add_snapshot_command,
)


# -- the frame -------------------------------------------------------------------------------


def build_parser(*adders: CommandAdder) -> argparse.ArgumentParser:
    """The `nianbao` parser with the global options and the commands the adders declare."""
    parser = argparse.ArgumentParser(
        prog="nianbao", description="Query the archive of rule-of-law government reports."
    )
    parser.add_argument(
        "--db", help="database URL or SQLite file (default: $NIANBAO_DB_URL or ./data/)"
    )
    parser.add_argument(
        "--version", action="version", version=f"nianbao {importlib.metadata.version('nianbao')}"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_command in adders:
        add_command(commands)
    return parser


def excluded_terms_as_not(argv: Sequence[str]) -> list[str]:
    """`search 行政复议 -复议委员会`: argparse would take `-复议委员会` for an option. After the
    `search` command, a dash word that is no option of ours is an excluded term, which the
    query language also spells `NOT 复议委员会`."""
    words = list(argv)
    if "search" not in words:
        return words
    start = words.index("search") + 1
    return words[:start] + [
        part
        for word in words[start:]
        for part in (
            ["NOT", word[1:]]
            if word.startswith("-")
            and len(word) > 1
            and not word.startswith("--")
            and word not in ("-h",)
            else [word]
        )
    ]


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse and dispatch; an unusable archive is one line on stderr and exit status 2."""
    args = parser.parse_args(excluded_terms_as_not(sys.argv[1:] if argv is None else argv))
    handler: Handler = args.handler
    try:
        return handler(args)
    except ArchiveError as error:
        print(f"nianbao: {error}", file=sys.stderr)
    except DatabaseError as error:  # e.g. a SQLite file damaged past its first page
        where = describe_archive(args.db)
        print(f"nianbao: {where} is not a nianbao archive: {error.orig}", file=sys.stderr)
    except BrokenPipeError:
        # The reader (head, less) has gone: stop quietly, as SIGPIPE would have stopped us.
        # Python flushes stdout again at exit, so point it at /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    return 2
