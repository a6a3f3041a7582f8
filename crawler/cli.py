"""The `nianbao` command: the archive's query commands plus `extract`, which needs the crawler."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive.cli import Commands, build_parser, run


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
        "title": page.title,
        "published_at": page.published_at.isoformat() if page.published_at else None,
        "written_at": page.written_at.isoformat() if page.written_at else None,
        "publisher": page.publisher,
        "issuer": page.issuer,
        "host_site": page.host_site,
        "report_year": page.report_year,
        "is_report": verdict.is_report,
        "reason": verdict.reason,
        "charset": page.charset,
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


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(add_extract_command), argv)
