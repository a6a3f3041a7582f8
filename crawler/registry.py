"""The portal registry: which government websites to crawl, read from a CSV file."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.vocabulary import Level

SHIPPED_REGISTRY = Path(__file__).parent / "data" / "portals.csv"
REQUIRED_COLUMNS = ("name", "homepage", "level", "division_code")
# Optional: the site's own name as the source list gives it, for `nianbao portals --check`.
SITE_NAME_COLUMN = "site_name"
LEVELS = frozenset(level.value for level in Level)
DIVISION_CODE = re.compile(r"\d{6}")


class RegistryError(ValueError):
    """A registry file or row that cannot be used; the message names the row."""


@dataclass(frozen=True)
class PortalEntry:
    name: str
    homepage: str
    level: str
    division_code: str
    site_name: str = ""

    def __post_init__(self) -> None:
        parts = urlsplit(self.homepage)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"homepage is not an http(s) URL: {self.homepage!r}")
        if self.level not in LEVELS:
            raise ValueError(f"level {self.level!r} is not one of {sorted(LEVELS)}")
        if self.division_code and not DIVISION_CODE.fullmatch(self.division_code):
            raise ValueError(f"division_code {self.division_code!r} is not 6 digits")

    @property
    def host(self) -> str:
        return urlsplit(self.homepage).hostname or ""


def load_registry(path: Path = SHIPPED_REGISTRY) -> list[PortalEntry]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise RegistryError(f"{path}: missing columns {', '.join(missing)}")
        return [_entry(path, reader.line_num, row) for row in reader]


def _entry(path: Path, line: int, row: dict[str, str]) -> PortalEntry:
    try:
        return PortalEntry(
            name=(row["name"] or "").strip(),
            homepage=(row["homepage"] or "").strip(),
            level=(row["level"] or "").strip(),
            division_code=(row["division_code"] or "").strip(),
            site_name=(row.get(SITE_NAME_COLUMN) or "").strip(),
        )
    except ValueError as error:
        raise RegistryError(f"{path}:{line}: {error}") from None


def filter_portals(
    portals: list[PortalEntry], code_prefix: str = "", level: str = "", name: str = ""
) -> list[PortalEntry]:
    """The portals whose division code starts with `code_prefix`, of `level`, named `*name*`."""
    return [
        p
        for p in portals
        if p.division_code.startswith(code_prefix)
        and (not level or p.level == level)
        and name in p.name
    ]


def ad_hoc_portal(url: str) -> PortalEntry:
    """A one-off site given on the command line (`-a site=URL`)."""
    return PortalEntry(
        name=urlsplit(url).hostname or url, homepage=url, level="unknown", division_code=""
    )
