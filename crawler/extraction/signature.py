"""The closing block of an official document: signing body and signature date."""

from __future__ import annotations

import re

from crawler.extraction.dates import DateCandidate, iter_dates

# The signature sits in the last few lines; further up a dated line is content.
SIGNATURE_WINDOW = 6
# A signature date line is the date alone (plus spaces); longer lines are sentences.
MAX_DATE_LINE_EXTRA = 2
MAX_SIGNER_CHARS = 40
ORG_SUFFIX_RE = re.compile(r"(人民政府|政府|司法局|局|委员会|委|厅|办公室|管委会|管理局|中心|办)$")


def signature_date(lines: list[str]) -> DateCandidate | None:
    """Return the date of a date-only line near the end of the body, if there is one."""
    for line in reversed(lines[-SIGNATURE_WINDOW:]):
        found = list(iter_dates(line))
        if len(found) == 1:
            value, raw = found[0]
            if len(line.replace(" ", "")) <= len(raw.replace(" ", "")) + MAX_DATE_LINE_EXTRA:
                return DateCandidate(value, "signature", raw)
    return None


def signer(lines: list[str]) -> str | None:
    """Return the signing body: a short organisation-name line just above the signature date."""
    window = lines[-SIGNATURE_WINDOW:]
    for index in range(len(window) - 1, 0, -1):
        if signature_date([window[index]]) is not None:
            candidate = window[index - 1].strip()
            if len(candidate) <= MAX_SIGNER_CHARS and ORG_SUFFIX_RE.search(candidate):
                return candidate.replace(" ", "")
    return None
