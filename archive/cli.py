"""The `nianbao` query commands: search, list, show, cite, export, stats."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from archive.citation import cite_report
from archive.coverage import coverage
from archive.db import ArchiveError, describe_archive, open_archive_for_reading
from archive.export import EXPORTERS, report_record
from archive.provenance import Provenance, get_provenance
from archive.query import (
    SORTS,
    ReportFilter,
    ReportView,
    archive_stats,
    get_report,
    iter_reports,
    list_reports,
    search_reports,
)
from archive.search_language import QuerySyntaxError, parse_query
from archive.vocabulary import CoverageStatus

Handler = Callable[[argparse.Namespace], int]

SEARCH_SYNTAX = """Full-text search of report titles and texts.

  行政复议 行政执法        both terms (AND)
  行政复议 OR 行政诉讼     either term
  行政复议 -复议委员会     the first, not the second (also: NOT 复议委员会)
  "法治政府 建设"          a phrase, spaces ignored
  法                        terms of any length, 1-2 characters too

Traditional characters and full-width letters match their simplified and half-width forms.
Hits are ranked by relevance (bm25; title matches weigh more) unless --sort date."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


# Range checks turn a huge number into a one-line usage error instead of an OverflowError deep
# in the database driver. Row ids are 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1
YEARS = (1949, 2100)


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


year_type = bounded_int(*YEARS)
id_type = bounded_int(1, MAX_ID)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_type, help="report year (the year the report covers)")
    parser.add_argument("--publisher", help="publisher (source bureau) contains this text")
    parser.add_argument("--since", type=_date, help="published on or after YYYY-MM-DD")
    parser.add_argument("--until", type=_date, help="published on or before YYYY-MM-DD")


def _add_listing(parser: argparse.ArgumentParser) -> None:
    _add_filters(parser)
    parser.add_argument(
        "--limit", type=bounded_int(0, MAX_ID), help="show at most this many reports"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")


def _filter(args: argparse.Namespace) -> ReportFilter:
    return ReportFilter(
        year=args.year, publisher=args.publisher, since=args.since, until=args.until
    )


def _session(args: argparse.Namespace) -> Session:
    return Session(open_archive_for_reading(args.db))


REPORT_TABLE_HEADER = f"{'id':>6}  year  published   title  [publisher]"


def _print_reports(
    reports: Sequence[ReportView],
    as_json: bool,
    snippets: Sequence[Sequence[str]] = (),
) -> None:
    """A table with a header (or JSON lines); snippets, when given, under each row."""
    if not as_json and reports:
        print(REPORT_TABLE_HEADER)
    for number, report in enumerate(reports):
        if as_json:
            record = report_record(report)
            del record["text"]
            if snippets:
                record["snippets"] = list(snippets[number])
            print(json.dumps(record, ensure_ascii=False))
            continue
        published = report.published_at.isoformat() if report.published_at else "----------"
        year = report.report_year or "????"
        publisher = report.publisher or "-"
        print(f"{report.id:>6}  {year}  {published}  {report.title}  [{publisher}]")
        for snippet in snippets[number] if snippets else ():
            print(f"{'':>8}{snippet}")


# Matches in snippets: bold red on a terminal, plain markers where the output is text or JSON.
TERMINAL_MARKS = ("\033[1;31m", "\033[0m")
PLAIN_MARKS = ("«", "»")


def cmd_search(args: argparse.Namespace) -> int:
    try:
        query = parse_query(" ".join(args.text))
    except QuerySyntaxError as error:
        print(f"nianbao search: {error}", file=sys.stderr)
        return 2
    with _session(args) as session:
        result = search_reports(session, query, _filter(args), args.limit, args.offset, args.sort)
    if not result.total:
        print("no reports match", file=sys.stderr)
        return 0
    marks = TERMINAL_MARKS if sys.stdout.isatty() and not args.json else PLAIN_MARKS
    snippets = [[f.render(*marks) for f in hit.snippets] for hit in result.hits]
    if not args.json:
        last = args.offset + len(result.hits)
        total = f"about {result.total}" if result.total_is_estimate else str(result.total)
        print(f"{total} reports match; {args.offset + 1}-{last} by {args.sort}")
    _print_reports([hit.report for hit in result.hits], args.json, snippets)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with _session(args) as session:
        _print_reports(list_reports(session, _filter(args), args.limit), args.json)
    return 0


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
    with _session(args) as session:
        report = get_report(session, args.id)
        provenance = get_provenance(session, args.id) if args.provenance else None
    if report is None:
        print(f"no report with id {args.id}", file=sys.stderr)
        return 1
    record = report_record(report)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    for field in ("title", "report_year", "published_at", "written_at", "publisher", "issuer"):
        print(f"{field}: {record[field] or '-'}")
    print(f"host: {report.host} ({report.host_site or '-'})")
    if provenance is not None:
        _print_provenance(provenance)
        return 0
    for url in report.urls:
        print(f"url: {url}")
    print()
    print(report.text)
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    with _session(args) as session:
        citation = cite_report(session, args.id)
    if citation is None:
        print(f"no report with id {args.id}", file=sys.stderr)
        return 1
    print(citation.render())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if not args.output:
        with _session(args) as session:
            count = EXPORTERS[args.format](iter_reports(session, _filter(args)), sys.stdout)
    else:
        target = Path(args.output)
        if not target.parent.is_dir():
            print(f"nianbao: no folder {target.parent} to export into", file=sys.stderr)
            return 2
        if target.exists() and not args.force:
            print(f"nianbao: {target} exists; add --force to replace it", file=sys.stderr)
            return 2
        count = _export_to_file(args, target)
    print(f"exported {count} reports", file=sys.stderr)
    return 0


def _export_to_file(args: argparse.Namespace, target: Path) -> int:
    """Write next to the target and rename on success: a failed export leaves no file behind
    and never a truncated copy of the old one."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    temporary = Path(name)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as out, _session(args) as session:
            count = EXPORTERS[args.format](iter_reports(session, _filter(args)), out)
    except BaseException:
        temporary.unlink()
        raise
    temporary.chmod(0o644)  # mkstemp's private 0600 would make the export unreadable to others
    temporary.replace(target)
    return count


def cmd_stats(args: argparse.Namespace) -> int:
    with _session(args) as session:
        stats = archive_stats(session)
    if args.json:
        print(json.dumps(stats.__dict__, ensure_ascii=False, default=str))
        return 0
    for name in ("reports", "sightings", "captures", "failures", "portals", "crawl_runs"):
        print(f"{name}: {getattr(stats, name)}")
    for year, count in sorted(stats.reports_by_year.items(), key=lambda kv: kv[0] or 0):
        print(f"  report year {year or 'unknown'}: {count}")
    return 0


# The subcommand registry argparse hands out; extensions add their commands to it.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def cmd_coverage(args: argparse.Namespace) -> int:
    with _session(args) as session:
        rows = coverage(session, args.year, args.code or "")
    if args.status:
        rows = [row for row in rows if row.status == args.status]
    if args.json:
        for row in rows:
            record = {
                **row.__dict__,
                "published_at": row.published_at and row.published_at.isoformat(),
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    for row in rows:
        published = row.published_at.isoformat() if row.published_at else "-"
        report = row.report_id if row.report_id is not None else "-"
        print(
            f"{row.division_code:>6}  {row.status:<8} {published:<10}  {report!s:>6}  {row.portal}"
        )
    counts = Counter(row.status for row in rows)
    print(", ".join(f"{status}: {counts[status]}" for status in CoverageStatus), file=sys.stderr)
    return 0


def build_parser(*extensions: Callable[[Commands], None]) -> argparse.ArgumentParser:
    """The query CLI; `extensions` add commands that live outside the archive (extract)."""
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

    search = commands.add_parser(
        "search",
        help="full-text search of titles and texts",
        description=SEARCH_SYNTAX,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("text", nargs="+", help="the query, e.g. 行政复议 -复议委员会")
    _add_listing(search)
    search.set_defaults(limit=20)
    search.add_argument("--offset", type=int, default=0, help="skip this many hits (paging)")
    search.add_argument(
        "--sort", choices=SORTS, default="relevance", help="relevance (bm25) or newest first"
    )
    search.set_defaults(handler=cmd_search)

    listing = commands.add_parser("list", help="list reports, newest first")
    _add_listing(listing)
    listing.set_defaults(handler=cmd_list)

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

    cite = commands.add_parser("cite", help="a GB/T 7714 citation of one report")
    cite.add_argument("id", type=id_type)
    cite.set_defaults(handler=cmd_cite)

    export = commands.add_parser("export", help="export reports, one per line")
    export.add_argument("--format", choices=sorted(EXPORTERS), default="jsonl")
    export.add_argument("-o", "--output", help="write to this file instead of stdout")
    export.add_argument("--force", action="store_true", help="replace an existing output file")
    _add_filters(export)
    export.set_defaults(handler=cmd_export)

    cover = commands.add_parser(
        "coverage",
        help="per portal: its own report on a year published on time, late, undated or missing",
    )
    cover.add_argument("--year", type=year_type, required=True, help="report year, e.g. 2023")
    cover.add_argument("--code", help="division code prefix, e.g. 51 (四川) or 5107 (绵阳)")
    cover.add_argument(
        "--status", choices=list(CoverageStatus), help="only portals with this status"
    )
    cover.add_argument("--json", action="store_true", help="one JSON object per line")
    cover.set_defaults(handler=cmd_coverage)

    stats = commands.add_parser("stats", help="counts of reports, sightings, captures, failures")
    stats.add_argument("--json", action="store_true", help="as one JSON object")
    stats.set_defaults(handler=cmd_stats)
    for extend in extensions:
        extend(commands)
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


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(), argv)
