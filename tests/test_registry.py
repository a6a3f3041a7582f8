"""The portal registry: the shipped file loads, bad rows are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.registry import RegistryError, ad_hoc_portal, load_registry

HEADER = "name,homepage,level,division_code\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_registry_covers_thousands_of_portals() -> None:
    portals = load_registry()
    assert len(portals) > 2000 and {p.level for p in portals} >= {
        "province",
        "prefecture",
        "county",
    }


def test_shipped_registry_has_unique_homepages() -> None:
    homepages = [p.homepage for p in load_registry()]
    assert len(homepages) == len(set(homepages))


def test_row_with_bad_url_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "安州区,http://www.anzhou.gov.cn/,county,510705\n坏行,ftp://x,county,510705\n",
    )
    with pytest.raises(RegistryError, match=r"registry.csv:3: homepage"):
        load_registry(path)


def test_row_with_bad_division_code_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "安州区,http://www.anzhou.gov.cn/,county,5107\n")
    with pytest.raises(RegistryError, match=r":2: division_code"):
        load_registry(path)


def test_missing_column_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="missing columns level"):
        load_registry(write(tmp_path, "name,homepage,division_code\n"))


def test_ad_hoc_site_is_a_portal_of_unknown_level() -> None:
    portal = ad_hoc_portal("http://www.kmdc.gov.cn/")
    assert (portal.host, portal.level) == ("www.kmdc.gov.cn", "unknown")
