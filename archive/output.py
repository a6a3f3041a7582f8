"""How commands print rows: an aligned table under a header, JSON lines, or CSV (with a byte
order mark for Excel) — one formatter, so every command's output reads and parses alike."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TextIO

# Column widths are measured on the first rows only, so a long listing streams.
WIDTH_SAMPLE = 200
COLUMN_GAP = "  "
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
UTF8_BOM = "\ufeff"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"  # one JSON object per line
    CSV = "csv"
    EXCEL = "excel"  # CSV with a UTF-8 byte order mark


@dataclass(frozen=True)
class Layout:
    """The columns a table and a CSV file show, in order. A JSON line carries the whole record.
    `details` names a record key whose lines a table prints under the row (snippets, warnings);
    CSV gives it a column of its own."""

    columns: tuple[str, ...]
    right_aligned: frozenset[str] = frozenset()
    details: str | None = None


def add_format_options(parser: argparse.ArgumentParser) -> None:
    """--json, --csv and --excel, read back with `chosen_format`; the default is a table."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="one JSON object per line")
    group.add_argument("--csv", action="store_true", help="CSV with a header row")
    group.add_argument(
        "--excel", action="store_true", help="CSV with a UTF-8 byte order mark, for Excel"
    )


def chosen_format(args: argparse.Namespace) -> Format:
    if args.json:
        return Format.JSON
    if args.excel:
        return Format.EXCEL
    return Format.CSV if args.csv else Format.TABLE


def write_rows(
    records: Iterable[Mapping[str, Any]], layout: Layout, form: Format, out: TextIO
) -> int:
    """Write the records in the format asked for; the number written."""
    if form == Format.JSON:
        return _write_json(records, out)
    if form in (Format.CSV, Format.EXCEL):
        return _write_csv(records, layout, out, bom=form == Format.EXCEL)
    return _write_table(records, layout, out)


def _write_json(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=_plain) + "\n")
        count += 1
    return count


def _write_csv(
    records: Iterable[Mapping[str, Any]], layout: Layout, out: TextIO, *, bom: bool
) -> int:
    columns = layout.columns + ((layout.details,) if layout.details else ())
    if bom:
        out.write(UTF8_BOM)
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for record in records:
        writer.writerow([_cell(record.get(column), "") for column in columns])
        count += 1
    return count


def _write_table(records: Iterable[Mapping[str, Any]], layout: Layout, out: TextIO) -> int:
    """Nothing for no rows; else the header, then one line per row (the last column unpadded)
    and its detail lines indented beneath."""
    rows = iter(records)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    if not sample:
        return 0
    widths = {column: display_width(column) for column in layout.columns}
    for record in sample:
        for column in layout.columns:
            widths[column] = max(widths[column], display_width(_cell(record.get(column))))
    out.write(_line({c: c for c in layout.columns}, layout, widths) + "\n")
    count = 0
    for record in itertools.chain(sample, rows):
        out.write(_line({c: _cell(record.get(c)) for c in layout.columns}, layout, widths) + "\n")
        for detail in record.get(layout.details, ()) if layout.details else ():
            out.write(f"{'':8}{detail}\n")
        count += 1
    return count


def _line(cells: Mapping[str, str], layout: Layout, widths: Mapping[str, int]) -> str:
    parts = []
    for number, column in enumerate(layout.columns):
        text, pad = cells[column], " " * (widths[column] - display_width(cells[column]))
        if column in layout.right_aligned:
            parts.append(pad + text)
        elif number == len(layout.columns) - 1:
            parts.append(text)
        else:
            parts.append(text + pad)
    return COLUMN_GAP.join(parts)


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: Any, missing: str = "-") -> str:
    if value is None or value == "":
        return missing
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)  # URLs hold no spaces
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)
