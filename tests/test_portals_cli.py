"""`nianbao portals` and the registry builder: filters over the shipped registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.registry import SHIPPED_REGISTRY
from crawler.registry_build import build_registry, write_registry

PORTAL_LISTS = Path("/work/shared/data/portals")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_portals_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["portals", "--help"])
    assert exit_.value.code == 0 and "usage: nianbao portals" in capsys.readouterr().out


def test_portals_filter_by_code_prefix_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        json.loads(line)
        for line in run(capsys, "portals", "--code", "5107", "--level", "county", "--json").split(
            "\n"
        )
        if line
    ]
    assert rows and all(r["division_code"].startswith("5107") for r in rows)
    assert {r["level"] for r in rows} == {"county"}


def test_portals_filter_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "portals", "--name", "司法局").splitlines() == [
        "division_code  level       name          homepage",
        "620100         department  兰州市司法局  http://sfj.lanzhou.gov.cn/",
    ]


def test_portals_bad_registry_row_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,homepage,level,division_code\n坏行,ftp://x,county,510705\n", "utf-8")
    assert main(["portals", "--registry", str(path)]) == 1
    assert "bad.csv:2: homepage" in capsys.readouterr().err


@pytest.mark.skipif(not PORTAL_LISTS.is_dir(), reason="public portal lists not on this machine")
def test_builder_reproduces_the_shipped_registry(tmp_path: Path) -> None:
    output = tmp_path / "portals.csv"
    write_registry(build_registry(PORTAL_LISTS), output)
    assert output.read_bytes() == SHIPPED_REGISTRY.read_bytes()
