"""Dedupe keys: what makes two report texts the same report."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(text: str) -> str:
    """Fold the differences that chrome and re-typesetting introduce: width, spaces, punctuation."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def content_key(text: str) -> str:
    """The exact-duplicate key of a report text: sha256 of its normalized form."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
