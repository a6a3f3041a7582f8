"""Dedupe keys: what makes two report texts the same report."""

from __future__ import annotations

import functools
import hashlib
import unicodedata

import opencc


@functools.cache
def _traditional_to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold_script(text: str) -> str:
    """Traditional characters as simplified ones (a mirror in traditional script is a copy)."""
    return str(_traditional_to_simplified().convert(text))


def normalize_text(text: str) -> str:
    """Fold what reposts and mirrors change: width, script (traditional), spaces, punctuation."""
    folded = fold_script(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


# A text with fewer letters and digits than this once normalized (an empty body, "详见附件",
# a date line) says nothing about which report it is: it gets no content key, so it is never
# an exact or near duplicate of another page. One sentence of a report is longer; whole
# reports run to thousands of characters.
MIN_KEYED_CHARS = 20


def content_key(text: str) -> str | None:
    """The exact-duplicate key of a report text: sha256 of its normalized form; None when
    the text is too short to tell one report from another."""
    normalized = normalize_text(text)
    if len(normalized) < MIN_KEYED_CHARS:
        return None
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def page_key(url: str) -> str:
    """Stands in for the content key of a stored page without text: unique to its URL (and
    never equal to a content key, which is bare hex), so it matches no other page."""
    return "page:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:59]
