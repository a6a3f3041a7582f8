"""The `nianbao` command: the archive's query commands plus `extract` and `portals`, which
need the crawler, and `health`, the crawl runs' per-portal health."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from archive.cli import Commands, build_parser, id_type, run
from archive.db import open_archive_for_reading
from archive.health import list_health
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
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return status


def add_extract_command(commands: Commands) -> None:
    extract = commands.add_parser(
        "extract", help="print what extraction finds in saved pages (one JSON line each)"
    )
    extract.add_argument("files", nargs="+", metavar="FILE", help="saved HTML pages")
    extract.add_argument("--url", help="the URL the pages were fetched from (for URL dates)")
    extract.set_defaults(handler=cmd_extract)


def cmd_portals(args: argparse.Namespace) -> int:
    try:
        portals = load_registry(args.registry)
    except (OSError, RegistryError) as error:
        print(error, file=sys.stderr)
        return 1
    if args.check:
        return print_registry_check(portals)
    for portal in filter_portals(portals, args.code, args.level or "", args.name):
        if args.json:
            print(json.dumps(dataclasses.asdict(portal), ensure_ascii=False))
        else:
            print(f"{portal.division_code}\t{portal.level}\t{portal.name}\t{portal.homepage}")
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
    portals.add_argument("--json", action="store_true", help="one JSON object per line")
    portals.add_argument(
        "--check",
        action="store_true",
        help="report duplicate division codes, shared hosts and site names naming another body",
    )
    portals.add_argument(
        "--registry", type=Path, default=SHIPPED_REGISTRY, help="registry CSV (default: shipped)"
    )
    portals.set_defaults(handler=cmd_portals)


def cmd_health(args: argparse.Namespace) -> int:
    engine = open_archive_for_reading(args.db)
    with Session(engine) as session:
        views = list_health(session, args.run)
    engine.dispose()
    for view in views:
        if args.warnings_only and not view.warnings:
            continue
        if args.json:
            print(json.dumps(dataclasses.asdict(view), ensure_ascii=False))
            continue
        print(
            f"{view.run_id:>4}  {view.pages_fetched:>5} pages  {view.reports_found:>3} reports  "
            f"{view.errors:>3} errors  {view.name}  {view.homepage}"
        )
        if view.completed is False:
            print("      not completed: the run stopped before this portal was done")
        for warning in view.warnings:
            print(f"      warning: {warning}")
        if view.safety_net:
            found = ", ".join(view.safety_net_found) or "no report"
            print(f"      safety net ({view.safety_net}, {view.safety_net_pages} pages): {found}")
            if not view.safety_net_found:
                print(f"      safety net tried: {', '.join(view.safety_net_tried) or 'nothing'}")
    return 0


def add_health_command(commands: Commands) -> None:
    health = commands.add_parser(
        "health", help="per portal of a crawl run: pages, reports, errors and warnings"
    )
    health.add_argument("--run", type=id_type, metavar="ID", help="crawl run id (default: latest)")
    health.add_argument("--warnings-only", action="store_true", help="only portals with warnings")
    health.add_argument("--json", action="store_true", help="one JSON object per line")
    health.set_defaults(handler=cmd_health)


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(add_extract_command, add_portals_command, add_health_command), argv)
