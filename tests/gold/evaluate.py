"""Extraction quality on the gold set: per-field accuracy, body precision/recall, CI floors.

Run `python -m tests.gold.evaluate` for the table; tests/test_gold_floors.py fails CI when a
figure drops below its floor in FLOORS.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.classify import classify_report
from crawler.extraction.page import ExtractedPage, extract_page

TESTS = Path(__file__).resolve().parent.parent
GOLD_FILE = Path(__file__).resolve().parent / "pages.jsonl"
# A gold key that is absent is not checked on that page; null means "the page has none".
FIELDS = ("title", "published_at", "written_at", "publisher", "issuer", "report_year", "is_report")
# Issue 3's floors. Accuracy floors are shares of checked pages; chrome leaks are a count.
FLOORS = {
    "title": 0.95,
    "published_at": 0.95,
    "publisher": 0.90,
    "report_year": 1.0,
    "is_report": 1.0,
    "body_recall": 0.98,
}
MAX_CHROME_LEAKS = 0
WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")


@dataclass
class Scores:
    """Counts over the whole gold set; misses and leaks name the page for the report."""

    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    with_total: int = 0
    with_found: int = 0
    misses: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.checked[name] if self.checked[name] else 1.0

    @property
    def recall(self) -> float:
        return self.with_found / self.with_total if self.with_total else 1.0

    @property
    def precision(self) -> float:
        """Found body snippets over found body snippets plus leaked chrome snippets."""
        found = self.with_found + len(self.leaks)
        return self.with_found / found if found else 1.0


def load_gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD_FILE.read_text("utf-8").splitlines() if line]


def squeeze(text: str) -> str:
    """Whitespace-free text: a snippet may span a line break the extractor chose."""
    return WHITESPACE_RE.sub("", text)


def extract_gold_page(gold: dict[str, Any]) -> ExtractedPage:
    body = (TESTS / gold["file"]).read_bytes()
    return extract_page(body, gold["url"], declared_charset=gold.get("declared_charset"))


def observed_fields(page: ExtractedPage) -> dict[str, Any]:
    """The gold fields as extraction and classification report them (dates as ISO strings)."""
    verdict = classify_report(page.title, page.text, page.url)
    return {**page.metadata_record(), "is_report": verdict.is_report}


def score_page(gold: dict[str, Any], scores: Scores) -> None:
    page = extract_gold_page(gold)
    observed = observed_fields(page)
    for name in FIELDS:
        # report_year is what a report covers; other pages' years are not asked for.
        if name not in gold or (name == "report_year" and not gold["is_report"]):
            continue
        scores.checked[name] += 1
        if observed[name] == gold[name]:
            scores.correct[name] += 1
        else:
            scores.misses.append(f"{gold['file']}: {name} {observed[name]!r} != {gold[name]!r}")
    text = squeeze(page.text)
    for snippet in gold["with"]:
        scores.with_total += 1
        if squeeze(snippet) in text:
            scores.with_found += 1
        else:
            scores.misses.append(f"{gold['file']}: body lacks {snippet!r}")
    scores.leaks.extend(
        f"{gold['file']}: {snippet!r}" for snippet in gold["without"] if squeeze(snippet) in text
    )


def evaluate(golds: list[dict[str, Any]]) -> Scores:
    scores = Scores()
    for gold in golds:
        score_page(gold, scores)
    return scores


def floor_failures(scores: Scores) -> list[str]:
    """Every figure below its floor, as a readable line; empty when the gate passes."""
    figures = {name: scores.accuracy(name) for name in FIELDS} | {"body_recall": scores.recall}
    failures = [
        f"{name} {figures[name]:.1%} < floor {floor:.0%}"
        for name, floor in FLOORS.items()
        if figures[name] < floor
    ]
    if len(scores.leaks) > MAX_CHROME_LEAKS:
        failures.append(f"chrome leaks {len(scores.leaks)} > {MAX_CHROME_LEAKS}: {scores.leaks}")
    return failures


def format_table(scores: Scores, pages: int) -> str:
    lines = [f"gold pages: {pages}", f"{'figure':<16}{'value':>8}{'n':>8}{'floor':>8}"]
    for name in FIELDS:
        floor = f"{FLOORS[name]:.0%}" if name in FLOORS else "-"
        value = f"{scores.accuracy(name):.1%}"
        lines.append(f"{name:<16}{value:>8}{scores.checked[name]:>8}{floor:>8}")
    recall_floor = f"{FLOORS['body_recall']:.0%}"
    lines.append(f"{'body_recall':<16}{scores.recall:>8.1%}{scores.with_total:>8}{recall_floor:>8}")
    lines.append(f"{'body_precision':<16}{scores.precision:>8.1%}{'':>8}{'-':>8}")
    lines.append(f"{'chrome_leaks':<16}{len(scores.leaks):>8}{'':>8}{MAX_CHROME_LEAKS:>8}")
    lines.extend(f"miss  {miss}" for miss in scores.misses)
    lines.extend(f"leak  {leak}" for leak in scores.leaks)
    return "\n".join(lines)


def main() -> None:
    golds = load_gold()
    scores = evaluate(golds)
    print(format_table(scores, len(golds)))
    failures = floor_failures(scores)
    print("floors: " + ("all met" if not failures else "; ".join(failures)))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
