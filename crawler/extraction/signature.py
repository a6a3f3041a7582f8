"""The closing block of an official document: signing body and signature date.

Read from the tail of the body text, whatever the template did to its lines: one line per
paragraph, blank lines between signer and date, or the whole article run into one line (DedeCMS
tables). The text is cut into segments at whitespace and walked back from the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.issuer import ORGANISATION_SUFFIXES, alternation
from archive.numerals import CN_DIGIT_CLASS
from crawler.extraction.dates import DateCandidate, iter_dates

# The signature sits in the last few segments, after the last sentence of the text; only
# annex lines (附件：1.…) and page tools (打印 关闭 上一篇…) may follow it.
SIGNATURE_SEGMENTS = 12
MAX_SIGNER_CHARS = 40
# Joint signatures (中共XX区委 / XX区人民政府) put at most this many bodies above one date.
MAX_SIGNERS = 3
ORG_SUFFIX_RE = re.compile(rf"{alternation(ORGANISATION_SUFFIXES)}$")
# A segment holding the end of a sentence is prose: the signature is below the last one.
SENTENCE_END_RE = re.compile(r"[。！？!?]")
# A date line that follows prose or a signer; (盖章) and 此页无正文 sit right above it too.
AFTER_PROSE_RE = re.compile(r"(?:[。！？；;]|[(（]?盖章[)）]|此页无正文[)）]?)$")
# 2020 年 2 月 20 日: spaces inside a date would cut it into segments.
DATE_CHARS = rf"\d{CN_DIGIT_CLASS}十"
SPACED_DATE_RE = re.compile(rf"(?<=[{DATE_CHARS}年月])[ \u3000\xa0]+(?=[{DATE_CHARS}年月日])")
BRACKETS = "()（）[]【】"


@dataclass(frozen=True)
class Signature:
    """The signing body (None when the date stands alone) and the signature date."""

    signer: str | None
    date: DateCandidate


def read_signature(text: str) -> Signature | None:
    """The signature block at the end of a body text, or None."""
    segments = SPACED_DATE_RE.sub("", text).split()[-SIGNATURE_SEGMENTS:]
    for index in range(len(segments) - 1, -1, -1):
        segment = segments[index]
        found = dated_segment(segment)
        if found is not None:
            signer_text, date = found
            signers = [signer_text] if signer_text else preceding_signers(segments[:index])
            if signers or is_after_prose(segments[:index]):
                return Signature("".join(signers) or None, date)
        if SENTENCE_END_RE.search(segment):
            return None
    return None


def dated_segment(segment: str) -> tuple[str, DateCandidate] | None:
    """(signer glued before it or "", date) when the segment ends with a date and holds
    nothing else but an organisation name."""
    bare = segment.strip(BRACKETS)
    found = list(iter_dates(bare))
    if not found:
        return None
    value, raw = found[-1]
    if not bare.endswith(raw):
        return None
    prefix = bare[: -len(raw)].strip(BRACKETS)
    if prefix and not is_signer(prefix):
        return None
    return prefix, DateCandidate(value, "signature", raw)


def is_signer(segment: str) -> bool:
    """A bare organisation name: short, no label colon, ending like a body's name."""
    return (
        len(segment) <= MAX_SIGNER_CHARS
        and not any(ch in segment for ch in ":：")
        and ORG_SUFFIX_RE.search(segment) is not None
    )


def preceding_signers(segments: list[str]) -> list[str]:
    """The organisation names right above the date, in reading order."""
    signers: list[str] = []
    for segment in reversed(segments[-MAX_SIGNERS:]):
        if not is_signer(segment):
            break
        signers.insert(0, segment)
    return signers


def is_after_prose(segments: list[str]) -> bool:
    """A date with no signer counts only right below the text (not below a label such as 时间：)."""
    return bool(segments) and AFTER_PROSE_RE.search(segments[-1]) is not None
