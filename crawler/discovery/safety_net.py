"""The recall safety net: a bounded best-first exploration of a portal whose columns gave no
recent report, or whose column paging broke. Links are ranked by the column and title scores
of `links`; catalogue trees (部门信息公开, 部门, 机构) are walked down to the departments."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from dataclasses import dataclass, field

from crawler.discovery.links import (
    ARTICLE_URL,
    TITLE_YEAR,
    Link,
    column_score,
    is_candidate_report_link,
    is_pager_link,
)
from crawler.extraction.signature import ORG_SUFFIX_RE
from crawler.file_kinds import DOWNLOAD_KINDS, is_file_of

# Catalogues of the bodies under a government (DESIGN.md: county department reports usually
# sit in the county portal's department sub-catalogue), weighted like COLUMN_WORDS.
CATALOGUE_WORDS = {
    "部门信息公开": 6,
    "部门": 3,
    "机构": 3,
    "单位": 2,
    "县直": 2,
    "市直": 2,
    "乡镇": 2,
}
# A report-like title outranks every column: it is what the exploration is for.
REPORT_LINK_SCORE = 100
# A department's own page, listed by a catalogue: as promising as a 法治政府 column, since
# its reports sit one level below.
DEPARTMENT_SCORE = 6
# A page listing this many bodies (…局, …委员会, …办公室) is a catalogue of departments.
MIN_DEPARTMENT_LINKS = 4
# Longer anchors are titles, not the names of bodies.
MAX_DEPARTMENT_NAME = 20


def is_department_name(text: str) -> bool:
    return (
        0 < len(text) <= MAX_DEPARTMENT_NAME
        and ORG_SUFFIX_RE.search(text) is not None
        and not TITLE_YEAR.search(text)
    )


def is_catalogue_anchor(anchor: str) -> bool:
    """A link named as a catalogue of bodies: 部门信息公开, 部门, 机构, 乡镇…"""
    return any(word in anchor for word in CATALOGUE_WORDS)


def is_catalogue(anchor: str, links: list[Link]) -> bool:
    """A catalogue of bodies: reached by a catalogue word, or listing many departments."""
    if is_catalogue_anchor(anchor):
        return True
    return len(department_links(links)) >= MIN_DEPARTMENT_LINKS


def department_links(links: list[Link]) -> list[Link]:
    """Links named as bodies (…局, …委员会, …办公室), not articles, attachments or pagers."""
    return [
        link
        for link in links
        if is_department_name(link.text)
        and not ARTICLE_URL.search(link.url)
        and not is_file_of(link.url.split("?", 1)[0], DOWNLOAD_KINDS)
    ]


def exploration_score(link: Link, on_catalogue: bool) -> int:
    """How promising `link` is for finding a report; 0 or less: not worth a request."""
    path = link.url.split("?", 1)[0].lower()
    if is_file_of(path, DOWNLOAD_KINDS):
        return 0
    if is_candidate_report_link(link):
        return REPORT_LINK_SCORE
    if ARTICLE_URL.search(link.url) or TITLE_YEAR.search(link.text) or is_pager_link(link):
        return 0
    score = column_score(link)
    score += sum(weight for word, weight in CATALOGUE_WORDS.items() if word in link.text)
    if on_catalogue and is_department_name(link.text):
        score += DEPARTMENT_SCORE
    return score


@dataclass(frozen=True)
class SafetyNetOutcome:
    """What the safety net did on one portal: why it ran, what it spent, found and tried."""

    reason: str
    pages: int = 0
    found: tuple[str, ...] = ()
    tried: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lead:
    """A link waiting in the exploration's frontier."""

    link: Link
    score: int

    @property
    def is_report(self) -> bool:
        return self.score >= REPORT_LINK_SCORE


@dataclass
class Exploration:
    """The frontier of one portal's exploration, best lead first, within a page budget."""

    reason: str
    budget: int
    pages: int = 0
    found: list[str] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)
    tried_reports: set[str] = field(default_factory=set)
    _heap: list[tuple[int, int, Lead]] = field(default_factory=list)
    _offered: set[str] = field(default_factory=set)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    def offer(self, links: list[Link], on_catalogue: bool) -> None:
        for link in links:
            self.offer_scored(link, exploration_score(link, on_catalogue))

    def offer_scored(self, link: Link, score: int) -> None:
        """A lead whose score the caller knows: a column's next page ranks as the column."""
        if score > 0 and link.url not in self._offered:
            self._offered.add(link.url)
            heapq.heappush(self._heap, (-score, next(self._order), Lead(link, score)))

    def take(self, requested: set[str]) -> Lead | None:
        """The best lead not fetched yet, counted against the budget; None when spent."""
        while self._heap and self.pages < self.budget:
            _, _, lead = heapq.heappop(self._heap)
            if lead.link.url in requested:
                continue
            self.pages += 1
            if not lead.is_report:
                self.tried.append(lead.link.url)
            return lead
        return None

    def outcome(self) -> SafetyNetOutcome:
        return SafetyNetOutcome(self.reason, self.pages, tuple(self.found), tuple(self.tried))


def recent_report_year(years_back: int, today: dt.date | None = None) -> int:
    """The earliest report year that counts as recent: a report on year Y is due by April 1
    of Y+1, so the last few years before this one."""
    return (today or dt.date.today()).year - years_back
