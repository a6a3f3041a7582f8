"""The `nianbao` program: the archive's commands (archive/cli.py) plus those that need the
crawler: `extract` (what extraction finds in saved pages) and `portals` (the registry)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive.cli import ARCHIVE_COMMANDS, Commands, build_parser, run
from archive.output import Format, Layout, add_format_options, chosen_format, write_rows
from crawler.registry import (
    LEVELS,
    SHIPPED_REGISTRY,
    PortalEntry,
    RegistryError,
    filter_portals,
    load_registry,
)
from crawler.registry_check import check_registry


def extracted_record(path: Path, url: str) -> dict[str, Any]:
    """What the pipeline would learn from one saved page, as JSON-ready values."""
    # Imported here so that query commands start without loading trafilatura.
    from crawler.classify import classify_report
    from crawler.extraction.page import extract_page

    page = extract_page(path.read_bytes(), url)
    verdict = classify_report(page.title, page.text, url)
    return {
        "file": str(path),
        "url": url,
        **page.metadata_record(),
        "is_report": verdict.is_report,
        "reason": verdict.reason,
        "charset": page.charset,
        "charset_source": page.charset_source,
        "charset_confident": page.charset_confident,
        "text": page.text,
    }


# Extraction answers one JSON object per page: its text has no place in a table.
EXTRACT_LAYOUT = Layout(("file", "url", "title"))


def cmd_extract(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        path = Path(name)
        url = args.url or path.resolve().as_uri()
        try:
            record = extracted_record(path, url)
        except (OSError, ValueError) as error:
            print(f"{name}: {error}", file=sys.stderr)
            status = 1
            continue
        write_rows([record], EXTRACT_LAYOUT, Format.JSON, sys.stdout)
        sys.stdout.flush()  # one page's line as soon as it is read
    return status


def add_extract_command(commands: Commands) -> None:
    extract = commands.add_parser(
        "extract", help="print what extraction finds in saved pages (one JSON line each)"
    )
    extract.add_argument("files", nargs="+", metavar="FILE", help="saved HTML pages")
    extract.add_argument("--url", help="the URL the pages were fetched from (for URL dates)")
    extract.set_defaults(handler=cmd_extract)


PORTAL_LAYOUT = Layout(("division_code", "level", "name", "homepage"))


def cmd_portals(args: argparse.Namespace) -> int:
    try:
        portals = load_registry(args.registry)
    except (OSError, RegistryError) as error:
        print(error, file=sys.stderr)
        return 1
    if args.check:
        return print_registry_check(portals)
    chosen = filter_portals(portals, args.code, args.level or "", args.name)
    write_rows(map(dataclasses.asdict, chosen), PORTAL_LAYOUT, chosen_format(args), sys.stdout)
    return 0


def print_registry_check(portals: list[PortalEntry]) -> int:
    """Each finding with its rows, then a count per kind; status 1 when anything was found."""
    findings = check_registry(portals)
    for finding in findings:
        print("\n".join(finding.lines()))
    kinds = Counter(f.kind for f in findings)
    counts = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(f"{len(portals)} portals: {counts or 'no problems found'}")
    return 1 if findings else 0


def add_portals_command(commands: Commands) -> None:
    portals = commands.add_parser("portals", help="list the portal registry, filtered")
    portals.add_argument("--code", default="", metavar="PREFIX", help="division code prefix")
    portals.add_argument("--level", choices=sorted(LEVELS), help="province, county, …")
    portals.add_argument("--name", default="", help="name contains this text")
    add_format_options(portals)
    portals.add_argument(
        "--check",
        action="store_true",
        help="report duplicate division codes, shared hosts and site names naming another body",
    )
    portals.add_argument(
        "--registry", type=Path, default=SHIPPED_REGISTRY, help="registry CSV (default: shipped)"
    )
    portals.set_defaults(handler=cmd_portals)


# Every command of `nianbao`: the archive's, then those that need the crawler.
COMMANDS = (*ARCHIVE_COMMANDS, add_extract_command, add_portals_command)


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(*COMMANDS), argv)
