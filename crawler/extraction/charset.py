"""Decode raw page bytes to text: BOM, HTTP header, <meta> declaration, then detection."""

from __future__ import annotations

import codecs
import re

# GB2312/GBK pages routinely contain characters outside those sets (硚, 堃, 䶮…); GB18030 is a
# strict superset, so decoding with it never loses text that the label undersells.
GB_SUPERSET = "gb18030"
GB_LABELS = frozenset({"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "csgb2312", "euc-cn"})

# Declarations sit in <head>; 4 KiB covers real pages without scanning whole documents.
META_SCAN_BYTES = 4096
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)

# Servers often send a default ISO-8859-1 header for pages that are really GBK or UTF-8; such
# single-byte labels decode anything without error, so a <meta> declaration outranks them.
WEAK_DECLARATIONS = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalize_charset(label: str | None) -> str | None:
    """Return a Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in GB_LABELS:
        return GB_SUPERSET
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_meta_charset(body: bytes) -> str | None:
    """Return the charset declared by <meta charset> or <meta http-equiv>, if any."""
    match = META_CHARSET_RE.search(body[:META_SCAN_BYTES])
    return normalize_charset(match.group(1).decode("ascii")) if match else None


def _try_decode(body: bytes, charset: str | None) -> str | None:
    if charset is None:
        return None
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_and_decode(body: bytes) -> tuple[str, str]:
    """Decode undeclared bytes: UTF-8 if valid, else GB18030 (the usual legacy encoding here)."""
    text = _try_decode(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    return body.decode(GB_SUPERSET, errors="replace"), GB_SUPERSET


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, charset_used). declared = charset from the HTTP Content-Type header, if any.

    Order: BOM, HTTP header, <meta charset>/<meta http-equiv>, then detection. GB2312/GBK
    labels are decoded as gb18030. If the declared charset fails to decode strictly, detect
    instead (utf-8 strict, then gb18030).
    """
    for bom, bom_charset in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_charset, errors="replace"), bom_charset
    header = normalize_charset(declared)
    meta = sniff_meta_charset(body)
    if header in WEAK_DECLARATIONS and meta is not None:
        header = None
    for charset in (header, meta):
        text = _try_decode(body, charset)
        if text is not None and charset is not None:
            return text, charset
    return detect_and_decode(body)
