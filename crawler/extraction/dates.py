"""Date parsing for Chinese government pages: Arabic and Chinese-numeral dates, URL dates."""

from __future__ import annotations

import datetime
import email.utils
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from archive.numerals import CN_DIGIT_CLASS, cn_numeral_to_int

# Reports and their pages fall in this span; anything outside is an index number or a typo.
MIN_YEAR = 1990
MAX_YEAR = 2100

# Digits may not touch the match: that is what makes index numbers (052224292-201902-125711,
# 2025-48086) fail instead of yielding a false date.
NUMERIC_DATE_RE = re.compile(
    r"(?<![\d\-/.])(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?![\d])\s*日?"
)
CN_DATE_RE = re.compile(
    rf"([{CN_DIGIT_CLASS}]{{4}})\s*年\s*([{CN_DIGIT_CLASS}十]{{1,2}})\s*月"
    rf"\s*([{CN_DIGIT_CLASS}十]{{1,3}})\s*日"
)
TRS_URL_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+")
HANWEB_URL_RE = re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/")


@dataclass(frozen=True)
class DateCandidate:
    """A date seen on a page, with where it was seen (source) and the text it came from."""

    value: datetime.date
    source: str
    raw: str


def make_date(year: int, month: int, day: int) -> datetime.date | None:
    """Return the date if it is valid and within the plausible span, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def iter_dates(text: str) -> Iterator[tuple[datetime.date, str]]:
    """Yield (date, raw) for every valid date in text, in order of appearance."""
    found: list[tuple[int, datetime.date, str]] = []
    for match in NUMERIC_DATE_RE.finditer(text):
        value = make_date(*(int(g) for g in match.groups()))
        if value is not None:
            found.append((match.start(), value, match.group(0).strip()))
    for match in CN_DATE_RE.finditer(text):
        value = make_date(*(cn_numeral_to_int(g) for g in match.groups()))
        if value is not None:
            found.append((match.start(), value, match.group(0)))
    for _, value, raw in sorted(found, key=lambda item: item[0]):
        yield value, raw


def parse_date(text: str) -> datetime.date | None:
    """Return the first date in text, or None."""
    return next((value for value, _ in iter_dates(text)), None)


def date_from_url(url: str) -> DateCandidate | None:
    """Return the date encoded in a TRS (tYYYYMMDD_) or Hanweb (/art/YYYY/M/D/) article URL."""
    for pattern in (TRS_URL_RE, HANWEB_URL_RE):
        match = pattern.search(url)
        if match:
            value = make_date(*(int(g) for g in match.groups()))
            if value is not None:
                return DateCandidate(value, "url", match.group(0))
    return None


def date_from_http(last_modified: str | None) -> DateCandidate | None:
    """Return the date of an HTTP Last-Modified header value, or None if absent or malformed."""
    if not last_modified:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return None
    return DateCandidate(moment.date(), "http:last-modified", last_modified)


# Trust order for published_at (DESIGN.md "Metadata, in order of trust"); 更新时间 is last because
# it moves whenever an editor touches the page.
PUBLISHED_SOURCES = (
    "meta:PubDate",
    "meta:firstpublishedtime",
    "table:发布日期",
    "label:发布时间",
    "label:发布日期",
    "table:发布时间",
    "table:公开日期",
    "label:公开日期",
    "table:公开时间",
    "label:公开时间",
    # The date a disclosure platform files the document under, where it names no other.
    "table:发文日期",
    "label:发文日期",
    "label:时间",
    "label:日期",
    "byline",
    "url",
    "label:更新时间",
)
# "http:last-modified" is kept among a page's candidates but never picked: static CMS pages are
# regenerated when a template changes, so the header dates the file, not the publication.
WRITTEN_SOURCES = (
    "table:成文日期",
    "label:成文日期",
    "table:签发日期",
    "label:签发日期",
    "table:印发日期",
    "label:印发日期",
    "signature",
)


def pick_date(candidates: Sequence[DateCandidate], sources: Sequence[str]) -> datetime.date | None:
    """Return the value of the first candidate whose source ranks best in sources."""
    for source in sources:
        for candidate in candidates:
            if candidate.source == source:
                return candidate.value
    return None
