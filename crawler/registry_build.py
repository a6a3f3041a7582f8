"""`python -m crawler.registry_build SRC_DIR [OUT]`: rebuild the shipped portal registry
from the public portal lists in SRC_DIR (../shared/data/portals) and the seed portals."""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from crawler.registry import REQUIRED_COLUMNS, SHIPPED_REGISTRY, PortalEntry

DIVISION_LIST = "gov_homepages_by_division_code_2019.csv"
PROVINCE_LIST = "baiyigali_provincial_homepages.jsonl"
# The portals behind the seed report texts (../shared/seeds) that the 2019 list lacks.
SEED_PORTALS = (
    PortalEntry("绵阳市安州区", "http://www.anzhou.gov.cn/", "county", "510705"),
    PortalEntry("昆明市东川区", "http://www.kmdc.gov.cn/", "county", "530113"),
    PortalEntry("兰州市司法局", "http://sfj.lanzhou.gov.cn/", "department", "620100"),
)


def normalized_homepage(url: str) -> str:
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def division_portals(path: Path) -> list[PortalEntry]:
    """One entry per row of the 2019 list: name from the division path (省|市|县)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            PortalEntry(
                name=row["gov_name_path"].replace("|", ""),
                homepage=normalized_homepage(row["homepage"]),
                level=row["level"],
                division_code=row["gov_code"],
            )
            for row in csv.DictReader(handle)
        ]


def province_portals(path: Path, known: Sequence[PortalEntry]) -> list[PortalEntry]:
    """Provincial portals; their division code is the one the 2019 list gives that province."""
    prefixes = {p.name[:2]: p.division_code[:2] for p in known}
    portals = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            code = prefixes[row["region"][:2]] + "0000"
            portals.append(
                PortalEntry(row["name"], normalized_homepage(row["url"]), "province", code)
            )
    return portals


def build_registry(source: Path) -> list[PortalEntry]:
    """The 2019 list, then provinces on hosts it lacks, then seed portals; first homepage wins."""
    listed = division_portals(source / DIVISION_LIST)
    hosts = {p.host for p in listed}
    extra = [p for p in province_portals(source / PROVINCE_LIST, listed) if p.host not in hosts]
    return _unique(listed + extra + list(SEED_PORTALS))


def _unique(portals: Iterable[PortalEntry]) -> list[PortalEntry]:
    seen: dict[str, PortalEntry] = {}
    for portal in portals:
        seen.setdefault(portal.homepage, portal)
    return list(seen.values())


def write_registry(portals: Sequence[PortalEntry], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REQUIRED_COLUMNS)
        for p in portals:
            writer.writerow((p.name, p.homepage, p.level, p.division_code))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.registry_build", description=__doc__)
    parser.add_argument("source", type=Path, help="folder with the public portal lists")
    parser.add_argument("output", type=Path, nargs="?", default=SHIPPED_REGISTRY)
    args = parser.parse_args(argv)
    portals = build_registry(args.source)
    write_registry(portals, args.output)
    print(f"{args.output}: {len(portals)} portals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
