"""The string values the archive stores, each defined once; the values are the stored text."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a URL failed (failures.stage). Homepages, columns, lists and search pages fail
    in DISCOVERY; a report page names the stage it got to."""

    FETCH = "fetch"
    DISCOVERY = "discovery"
    EXTRACT = "extract"
    CHARSET = "charset"  # not a report, and its charset was a guess: mojibake is likely
    ATTACHMENT = "attachment"
    PROCESS = "process"  # a pipeline raised unexpectedly
    STORE = "store"  # the archive could not write what was fetched


class TextSource(StrEnum):
    """Where a report's text came from (reports.text_source)."""

    PAGE = "page"
    ATTACHMENT = "attachment"  # the page only introduced its file
    OCR = "ocr"  # the file was a scan, its text recognised


class Match(StrEnum):
    """How a page matched its report (sightings.match); VERSION is only a store outcome:
    the text at a known URL changed, and the new version's first sighting is NEW."""

    NEW = "new"
    EXACT = "exact"
    NEAR = "near"
    VERSION = "version"


class CoverageStatus(StrEnum):
    """A portal's own report on a year: published before the deadline, after it, without a
    shown date, or not found."""

    ON_TIME = "on_time"
    LATE = "late"
    UNDATED = "undated"
    MISSING = "missing"


class IssuerKind(StrEnum):
    """What kind of body issued a report (reports.issuer_kind)."""

    GOVERNMENT = "government"  # 人民政府, 管委会
    JOINT = "joint"  # the party committee and the government together (中共X区委 X区人民政府)
    DEPARTMENT = "department"  # 司法局, 发展和改革委员会, …


class RequiredPart(StrEnum):
    """The four parts a report must hold (督察工作规定, 2019, art. 25), in the rule's order;
    reports.parts_found keeps them as a bitmask, bit i for the i-th part."""

    MEASURES = "measures"  # the year's main measures and results
    SHORTCOMINGS = "shortcomings"  # shortcomings, problems and their causes
    LEADERS_DUTY = "leaders_duty"  # how the principal leaders performed their duty
    PLANS = "plans"  # next year's plans

    @property
    def bit(self) -> int:
        return 1 << list(RequiredPart).index(self)


class Level(StrEnum):
    """A portal's place in the hierarchy (portals.level); UNKNOWN for a site given ad hoc."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    DEPARTMENT = "department"  # a department's own site (司法局, 发改委, …)
    UNKNOWN = "unknown"


class VisitOutcome(StrEnum):
    """How far one run got on one portal (portal_visits.outcome): every request it discovered
    was done, some pages were fetched before the run stopped, or none was."""

    COMPLETED = "completed"
    PARTIAL = "partial"
    NOT_VISITED = "not_visited"
