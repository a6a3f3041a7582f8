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


def content_key(text: str) -> str:
    """The exact-duplicate key of a report text: sha256 of its normalized form."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
