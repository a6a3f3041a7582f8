"""Keyword-in-context snippets: where a report's text says what was searched for, with the
matches marked, for the terminal, HTML and JSON alike."""

from __future__ import annotations

from dataclasses import dataclass

from archive.search_language import Term, normalize

# Characters shown on each side of a match, and fragments shown per report.
CONTEXT_CHARS = 30
MAX_FRAGMENTS = 2


@dataclass(frozen=True)
class Fragment:
    """A piece of text as alternating plain and matched parts: parts[1], parts[3], … matched."""

    parts: tuple[str, ...]
    starts_text: bool
    ends_text: bool

    def render(self, before: str, after: str) -> str:
        """The fragment with each match between `before` and `after` (e.g. ANSI bold,
        <mark> tags, or [ ]), and … where the text goes on."""
        body = "".join(
            f"{before}{part}{after}" if number % 2 else part
            for number, part in enumerate(self.parts)
        )
        return ("" if self.starts_text else "…") + body + ("" if self.ends_text else "…")


def _term_text(term: Term) -> str:
    """The normalized characters of a term, punctuation and spaces dropped."""
    return "".join(ch for ch in normalize(term.text) if ch.isalnum())


def match_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Where the terms occur in `text`, sorted, overlaps merged. The text is searched as it
    is (lower-cased); only when a term is not found so is it searched in the folded text,
    whose characters line up with the original when folding kept the length."""
    lowered = text.lower()
    folded: str | None = None
    spans = []
    for term in terms:
        needle = _term_text(term)
        if not needle:
            continue
        haystack = lowered
        if needle not in lowered:
            folded = normalize(text) if folded is None else folded
            if len(folded) != len(text):
                continue
            haystack = folded
        start = haystack.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = haystack.find(needle, start + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def keyword_snippets(text: str, terms: tuple[Term, ...]) -> tuple[Fragment, ...]:
    """Up to MAX_FRAGMENTS windows around the first matches, each with every match marked."""
    spans = match_spans(text, terms)
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        if windows and start - CONTEXT_CHARS <= windows[-1][1]:
            continue
        if len(windows) == MAX_FRAGMENTS:
            break
        windows.append((max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)))
    fragments = []
    for low, high in windows:
        parts, cursor = [], low
        for start, end in spans:
            if start >= low and end <= high:
                parts += [_flat(text[cursor:start]), _flat(text[start:end])]
                cursor = end
        parts.append(_flat(text[cursor:high]))
        fragments.append(Fragment(tuple(parts), low == 0, high == len(text)))
    return tuple(fragments)


def _flat(piece: str) -> str:
    """Line breaks inside a snippet become spaces: a snippet is one line."""
    return " ".join(piece.split("\n"))
