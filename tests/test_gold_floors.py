"""CI gate on extraction quality: every figure of the gold set stays at or above its floor."""

from hashlib import sha256

from tests.gold import body_f1
from tests.gold.evaluate import TESTS, evaluate, floor_failures, load_gold


def test_gold_set_meets_every_floor() -> None:
    assert floor_failures(evaluate(load_gold())) == []


def test_gold_set_covers_corpus_and_seeds() -> None:
    files = [gold["file"] for gold in load_gold()]
    assert sum("fixtures/corpus/" in name for name in files) == 38
    assert sum("gold/pages/seed_" in name for name in files) >= 5


def test_gold2_body_meets_every_floor() -> None:
    assert body_f1.floor_failures(body_f1.evaluate(body_f1.ours)) == []


def test_gold2_is_independent_of_the_dev_corpus() -> None:
    """At least 30 pages with provenance, none byte-identical to a dev-set page."""
    entries = body_f1.load_manifest()
    dev_pages = {sha256((TESTS / gold["file"]).read_bytes()).digest() for gold in load_gold()}
    gold2_pages = {
        sha256((body_f1.GOLD2 / "pages" / e["file"]).read_bytes()).digest() for e in entries
    }
    assert len(entries) >= 30
    assert all(entry["source_repo"] and entry["commit"] and entry["license"] for entry in entries)
    assert not dev_pages & gold2_pages
