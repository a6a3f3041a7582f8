"""`python -m crawler.registry_build SRC_DIR [OUT]`: rebuild the shipped portal registry
from the public portal lists in SRC_DIR (../shared/data/portals) and the seed portals.

The 2019 list is old and a few rows are mis-mapped, so the build drops rows whose site names
another body (registry_check), lets the newer provincial list and the seed portals replace
rows of the same government, and adds prefectures the list lacks where its own county rows
show the prefecture's domain (hgq.lanzhou.gov.cn, ydx.lanzhou.gov.cn → www.lanzhou.gov.cn).
Every row stays a lead to verify by crawling it."""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from crawler.registry import REQUIRED_COLUMNS, SHIPPED_REGISTRY, SITE_NAME_COLUMN, PortalEntry
from crawler.registry_check import site_name_disagreement, units

DIVISION_LIST = "gov_homepages_by_division_code_2019.csv"
PROVINCE_LIST = "baiyigali_provincial_homepages.jsonl"
# The portals behind the seed report texts (../shared/seeds) that the 2019 list lacks or
# lists at an older address.
SEED_PORTALS = (
    PortalEntry("绵阳市安州区", "http://www.anzhou.gov.cn/", "county", "510705"),
    PortalEntry("昆明市东川区", "http://www.kmdc.gov.cn/", "county", "530113"),
    PortalEntry("兰州市司法局", "http://sfj.lanzhou.gov.cn/", "department", "620100"),
)
# Division codes whose "prefecture" is not one: the municipalities' districts (11, 12, 31,
# 50) and county-level units governed by the province directly (xx90).
MUNICIPALITIES = ("11", "12", "31", "50")
PROVINCE_DIRECT = "90"
# A prefecture's domain is inferred when this many of its counties sit below it. One is
# enough on the 2019 list (sx.hd.gov.cn → 邯郸 www.hd.gov.cn): a county's own domain is
# excluded because its www host is then a row already, the province's by name.
MIN_COUNTIES_ON_DOMAIN = 1


def normalized_homepage(url: str) -> str:
    """A bare host gets its root path; a page or query URL is kept as it is."""
    url = url.strip()
    return url + "/" if urlsplit(url).path == "" and not urlsplit(url).query else url


def division_portals(path: Path) -> list[PortalEntry]:
    """One entry per row of the 2019 list: name from the division path (省|市|县)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            PortalEntry(
                name=row["gov_name_path"].replace("|", ""),
                homepage=normalized_homepage(row["homepage"]),
                level=row["level"],
                division_code=row["gov_code"],
                site_name=row["site_name"].strip(),
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


def registered_domain(host: str) -> str:
    """hgq.lanzhou.gov.cn → lanzhou.gov.cn; "" for www hosts and hosts without a subdomain."""
    labels = host.split(".")
    return ".".join(labels[1:]) if len(labels) >= 4 and labels[0] != "www" else ""


def inferred_prefectures(portals: Sequence[PortalEntry]) -> list[PortalEntry]:
    """Prefectures without a row whose counties sit on subdomains of one domain that is not
    the province's: that domain's www host is the prefecture's portal."""
    codes = {p.division_code for p in portals if p.level != "department"}
    hosts = {p.host for p in portals}
    province_domains = {p.host.removeprefix("www.") for p in portals if p.level == "province"}
    counties: dict[str, list[PortalEntry]] = defaultdict(list)
    for portal in portals:
        if portal.level == "county":
            counties[portal.division_code[:4]].append(portal)
    found = []
    for prefix, rows in sorted(counties.items()):
        if prefix + "00" in codes or prefix[:2] in MUNICIPALITIES or prefix[2:] == PROVINCE_DIRECT:
            continue
        domains = Counter(d for p in rows if (d := registered_domain(p.host)))
        domains = Counter({d: n for d, n in domains.items() if d not in province_domains})
        if not domains:
            continue
        domain, count = domains.most_common(1)[0]
        host = "www." + domain
        if count >= MIN_COUNTIES_ON_DOMAIN and host not in hosts:
            name = _prefecture_name(rows[0])
            found.append(PortalEntry(name, f"http://{host}/", "prefecture", prefix + "00"))
    return found


def _prefecture_name(county: PortalEntry) -> str:
    return "".join(units(county.name)[:2])


def build_registry(source: Path, rejected: list[PortalEntry] | None = None) -> list[PortalEntry]:
    """The 2019 list without the rows whose site is another body's, newer provincial and
    seed rows in place of the same government's row at another host (first homepage wins
    otherwise), then the inferred prefectures."""
    listed = division_portals(source / DIVISION_LIST)
    kept = [p for p in listed if site_name_disagreement(p) is None]
    if rejected is not None:
        rejected.extend(p for p in listed if site_name_disagreement(p) is not None)
    newer = province_portals(source / PROVINCE_LIST, listed) + list(SEED_PORTALS)
    moved = {(p.division_code, p.level): p.host for p in newer if p.level != "department"}
    kept = [p for p in kept if moved.get((p.division_code, p.level), p.host) == p.host]
    known = {(p.division_code, p.level, p.host) for p in kept}
    newer = [p for p in newer if (p.division_code, p.level, p.host) not in known]
    portals = _unique(kept + newer)
    return portals + inferred_prefectures(portals)


def _unique(portals: Iterable[PortalEntry]) -> list[PortalEntry]:
    seen: dict[str, PortalEntry] = {}
    for portal in portals:
        seen.setdefault(portal.homepage, portal)
    return list(seen.values())


def write_registry(portals: Sequence[PortalEntry], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow((*REQUIRED_COLUMNS, SITE_NAME_COLUMN))
        for p in portals:
            writer.writerow((p.name, p.homepage, p.level, p.division_code, p.site_name))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.registry_build", description=__doc__)
    parser.add_argument("source", type=Path, help="folder with the public portal lists")
    parser.add_argument("output", type=Path, nargs="?", default=SHIPPED_REGISTRY)
    args = parser.parse_args(argv)
    rejected: list[PortalEntry] = []
    portals = build_registry(args.source, rejected)
    write_registry(portals, args.output)
    for portal in rejected:
        print(f"dropped {portal.division_code} {portal.name}: {site_name_disagreement(portal)}")
    levels = Counter(p.level for p in portals)
    print(f"{args.output}: {len(portals)} portals ({dict(sorted(levels.items()))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
