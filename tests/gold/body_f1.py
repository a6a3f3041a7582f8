"""Body text quality on the second gold set (tests/gold2): character precision, recall, F1.

Each gold2 page comes with a full main-text annotation (a .txt beside the page). The score
compares characters as multisets: both texts are NFKC-normalised and every whitespace,
punctuation, symbol and control character is dropped, so only letters and digits count and
layout choices (line breaks, full-width commas, bullets) never move the figure. Per page,
precision = shared / extracted, recall = shared / gold; an empty extraction scores 0 on all
three. The set's figures are the means over pages (macro average), so a long page weighs as
much as a short one. Bare trafilatura runs on the same bytes in the same run as the baseline.

Run `python -m tests.gold.body_f1` for the table; tests/test_gold_floors.py gates BODY_FLOORS.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from crawler.extraction.page import extract_page

GOLD2 = Path(__file__).resolve().parent.parent / "gold2"
MANIFEST = GOLD2 / "manifest.jsonl"
# Floors for our extractor on gold2, set at (never above) the figures measured when the set
# was added; see tests/gold2/README.md for the run that produced them.
BODY_FLOORS = {"f1": 0.98, "precision": 0.97, "recall": 0.99}
MAX_EMPTY_OUTPUTS = 0
IGNORED_CATEGORIES = ("P", "S", "Z", "C")


@dataclass(frozen=True)
class PageScore:
    """Character precision, recall and F1 of one extraction against its gold text."""

    file: str
    precision: float
    recall: float
    f1: float
    empty: bool


@dataclass(frozen=True)
class SetScore:
    """Macro averages over the pages of a set and the pages that came out empty."""

    pages: tuple[PageScore, ...]

    def mean(self, name: str) -> float:
        return sum(getattr(page, name) for page in self.pages) / len(self.pages)

    @property
    def empty(self) -> tuple[str, ...]:
        return tuple(page.file for page in self.pages if page.empty)


def load_manifest() -> list[dict[str, Any]]:
    return [json.loads(line) for line in MANIFEST.read_text("utf-8").splitlines() if line]


def scored_characters(text: str) -> Counter[str]:
    """The multiset of letters and digits of a text, NFKC-normalised."""
    normalised = unicodedata.normalize("NFKC", text)
    return Counter(
        char for char in normalised if not unicodedata.category(char).startswith(IGNORED_CATEGORIES)
    )


def score_text(file: str, extracted: str, gold: str) -> PageScore:
    found, wanted = scored_characters(extracted), scored_characters(gold)
    shared = sum((found & wanted).values())
    if not found or not shared:
        return PageScore(file, 0.0, 0.0, 0.0, empty=not found)
    precision = shared / sum(found.values())
    recall = shared / sum(wanted.values())
    return PageScore(file, precision, recall, 2 * precision * recall / (precision + recall), False)


def ours(body: bytes, entry: dict[str, Any]) -> str:
    return extract_page(body, entry["url"], declared_charset=entry.get("declared_charset")).text


def bare_trafilatura(body: bytes, entry: dict[str, Any]) -> str:
    """trafilatura on the raw bytes with its own decoding, comments off, tables on."""
    text = trafilatura.extract(body, include_comments=False, include_tables=True)
    return text or ""


def evaluate(extractor: Callable[[bytes, dict[str, Any]], str]) -> SetScore:
    scores = []
    for entry in load_manifest():
        body = (GOLD2 / "pages" / entry["file"]).read_bytes()
        gold = (GOLD2 / "pages" / entry["gold"]).read_text("utf-8")
        scores.append(score_text(entry["file"], extractor(body, entry), gold))
    return SetScore(tuple(scores))


def floor_failures(score: SetScore) -> list[str]:
    """Every figure of our extractor below its floor; empty when the gate passes."""
    failures = [
        f"body {name} {score.mean(name):.3f} < floor {floor:.2f}"
        for name, floor in BODY_FLOORS.items()
        if score.mean(name) < floor
    ]
    if len(score.empty) > MAX_EMPTY_OUTPUTS:
        failures.append(f"empty outputs {len(score.empty)} > {MAX_EMPTY_OUTPUTS}: {score.empty}")
    return failures


def format_table(results: dict[str, SetScore]) -> str:
    lines = [
        f"gold2 pages: {len(next(iter(results.values())).pages)}",
        f"{'extractor':<18}{'precision':>10}{'recall':>10}{'F1':>10}{'empty':>8}",
    ]
    for name, score in results.items():
        lines.append(
            f"{name:<18}{score.mean('precision'):>10.3f}{score.mean('recall'):>10.3f}"
            f"{score.mean('f1'):>10.3f}{len(score.empty):>8}"
        )
    lines.append("per page (ours / trafilatura F1):")
    ours_pages, baseline_pages = results["ours"].pages, results["trafilatura"].pages
    for mine, theirs in zip(ours_pages, baseline_pages, strict=True):
        lines.append(
            f"  {mine.f1:.3f} P{mine.precision:.2f} R{mine.recall:.2f}"
            f"  {theirs.f1:.3f}  {mine.file}"
        )
    return "\n".join(lines)


def main() -> None:
    results = {"ours": evaluate(ours), "trafilatura": evaluate(bare_trafilatura)}
    print(format_table(results))
    failures = floor_failures(results["ours"])
    print("floors: " + ("all met" if not failures else "; ".join(failures)))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
