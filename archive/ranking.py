"""Relevance of a few candidate reports, from how often each term occurs in their titles and
texts: bm25's term frequency and length part, without the index (whose bm25 reads every match
of a phrase first, to weigh it by rarity, which costs more than the page it ranks). The
occurrences are counted by the database where it can (`rank_counted`), or from the texts."""

from __future__ import annotations

from archive.search_language import Query, normalize

# bm25's usual constants: how fast repeated matches stop adding (K1), and how much a long
# text is discounted (B).
K1 = 1.2
B = 0.75
# A match in the title counts this many times a match in the text, as in the index's bm25.
TITLE_WEIGHT = 4.0


def needles(query: Query) -> list[str]:
    """Each positive term as the characters it matches in normalized text."""
    return ["".join(ch for ch in normalize(term.text) if ch.isalnum()) for term in query.terms]


def _weighted_counts(title: str, text: str, needles: list[str]) -> list[float]:
    return [TITLE_WEIGHT * title.count(needle) + text.count(needle) for needle in needles]


def weighted_counts(title: str, text: str, needles: list[str]) -> list[float]:
    """Each term's matches, title matches weighted. Texts are searched lower-cased, and folded
    (traditional to simplified) only where that finds nothing: folding is the slow part."""
    counts = _weighted_counts(title.lower(), text.lower(), needles)
    if not any(counts):
        counts = _weighted_counts(normalize(title), normalize(text), needles)
    return counts


def _relevance(counts: list[float], length: int, average_length: float) -> float:
    """Higher is better: each term's weighted matches, saturating, discounted by the text's
    length against the candidates' average."""
    discount = K1 * (1 - B + B * length / max(average_length, 1.0))
    return sum(count * (K1 + 1) / (count + discount) for count in counts)


def rank_counted(candidates: list[tuple[int, int, list[float]]]) -> list[int]:
    """The ids of (id, text length in bytes, weighted counts) candidates, best first (ties:
    lower id first)."""
    if not candidates:
        return []
    average = sum(length for _, length, _ in candidates) / len(candidates)
    scored = [(-_relevance(counts, length, average), i) for i, length, counts in candidates]
    return [i for _, i in sorted(scored)]


def rank_candidates(candidates: list[tuple[int, str, str]], query: Query) -> list[int]:
    """The ids of (id, title, text) candidates, best first (ties: lower id first)."""
    terms = needles(query)
    return rank_counted(
        [(i, len(text), weighted_counts(t, text, terms)) for i, t, text in candidates]
    )
