"""Precision/recall of near-duplicate decisions on the labelled pairs, per threshold.

Run: python -m bench.near_duplicate_curve [--shingle-chars N]. Prints estimated Jaccard per
pair kind, then the curve for similarity alone and for the full decision (with the
year/issuer guard) that the crawler uses; NIANBAO_NEAR_DUPLICATE_THRESHOLD is read off it.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections import defaultdict

from archive.near_duplicates import (
    DEFAULT_NEAR_DUPLICATES,
    ReportIdentity,
    estimate_similarity,
    is_mergeable,
    sign_text,
)
from tests.fixtures.pairs.labelled import LabelledPair, labelled_pairs

THRESHOLDS = [t / 20 for t in range(2, 20)]


def precision_recall(decisions: list[tuple[bool, bool]]) -> tuple[float, float]:
    """(predicted, actual) pairs -> precision, recall."""
    hits = sum(p and a for p, a in decisions)
    predicted = sum(p for p, _ in decisions)
    actual = sum(a for _, a in decisions)
    return (hits / predicted if predicted else 1.0), (hits / actual if actual else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shingle-chars", type=int, default=DEFAULT_NEAR_DUPLICATES.shingle_chars)
    args = parser.parse_args()
    config = dataclasses.replace(DEFAULT_NEAR_DUPLICATES, shingle_chars=args.shingle_chars)
    pairs = labelled_pairs()
    scored: list[tuple[LabelledPair, float, bool]] = []
    for pair in pairs:
        similarity = estimate_similarity(
            sign_text(pair.a.text, config), sign_text(pair.b.text, config)
        )
        guard = is_mergeable(
            ReportIdentity(pair.a.report_year, pair.a.issuer),
            ReportIdentity(pair.b.report_year, pair.b.issuer),
        )
        scored.append((pair, similarity, guard))
    positives = sum(p.is_same_report for p in pairs)
    print(f"{len(pairs)} labelled pairs ({positives} same report, {len(pairs) - positives} not);")
    print(f"shingles of {config.shingle_chars} chars, {config.permutations} permutations\n")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for pair, similarity, _ in scored:
        by_kind[f"{'+' if pair.is_same_report else '-'} {pair.kind}"].append(similarity)
    print(f"{'kind':<40} {'n':>3} {'min':>5} {'max':>5}")
    for kind, values in sorted(by_kind.items()):
        print(f"{kind:<40} {len(values):>3} {min(values):5.2f} {max(values):5.2f}")
    print(f"\n{'threshold':>9}  {'P sim':>6} {'R sim':>6}  {'P guard':>7} {'R guard':>7}")
    for threshold in THRESHOLDS:
        alone = [(s >= threshold, p.is_same_report) for p, s, _ in scored]
        guarded = [(s >= threshold and g, p.is_same_report) for p, s, g in scored]
        (p1, r1), (p2, r2) = precision_recall(alone), precision_recall(guarded)
        print(f"{threshold:9.2f}  {p1:6.2f} {r1:6.2f}  {p2:7.2f} {r2:7.2f}")


if __name__ == "__main__":
    main()
