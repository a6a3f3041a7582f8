"""CI gate on extraction quality: every figure of the gold set stays at or above its floor."""

from tests.gold.evaluate import evaluate, floor_failures, load_gold


def test_gold_set_meets_every_floor() -> None:
    assert floor_failures(evaluate(load_gold())) == []


def test_gold_set_covers_corpus_and_seeds() -> None:
    files = [gold["file"] for gold in load_gold()]
    assert sum("fixtures/corpus/" in name for name in files) == 38
    assert sum("gold/pages/seed_" in name for name in files) >= 5
