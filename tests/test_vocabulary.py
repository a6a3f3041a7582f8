"""The domain's shared words: numerals and years, organisation suffixes, file kinds, and the
stored string values."""

from __future__ import annotations

import re

import pytest

from archive.issuer import ORGANISATION_SUFFIXES, alternation
from archive.numerals import YEAR_LABEL, YEAR_NUMBER, cn_numeral_to_int, year_value
from archive.vocabulary import CoverageStatus, IssuerKind, Match, Stage, TextSource
from crawler.file_kinds import DOCUMENT_KINDS, READABLE_KINDS, is_file_of


@pytest.mark.parametrize(
    "year", ["二〇二三", "二○二三", "二◯二三", "二零二三", "二O二三", "二0二三"]
)
def test_every_way_of_writing_zero_reads_as_zero(year: str) -> None:
    assert year_value(year) == 2023


def test_arabic_year_reads_as_itself() -> None:
    assert year_value("2023") == 2023


def test_numeral_with_ten_reads_as_tens() -> None:
    assert cn_numeral_to_int("二十九") == 29


@pytest.mark.parametrize("text", ["2023年", "2023 年度", "二〇二三年度", "二0二三年"])
def test_year_label_matches_titles_years(text: str) -> None:
    assert re.fullmatch(YEAR_LABEL, text)


def test_year_number_needs_four_digits() -> None:
    assert not re.fullmatch(YEAR_NUMBER, "二〇二")


def test_longer_suffix_wins_in_an_alternation() -> None:
    match = re.search(rf"{alternation(ORGANISATION_SUFFIXES)}$", "绵阳市安州区人民政府")
    assert match is not None and match.group() == "人民政府"


def test_image_files_are_readable_but_not_documents() -> None:
    assert "png" in READABLE_KINDS and "png" not in DOCUMENT_KINDS


def test_file_kind_ignores_letter_case() -> None:
    assert is_file_of("/files/REPORT.PDF", DOCUMENT_KINDS)


def test_a_page_is_no_file() -> None:
    assert not is_file_of("/fzzf/t20230130_1.html", READABLE_KINDS)


@pytest.mark.parametrize(
    ("member", "stored"),
    [
        (Stage.FETCH, "fetch"),
        (Stage.DISCOVERY, "discovery"),
        (Stage.EXTRACT, "extract"),
        (Stage.CHARSET, "charset"),
        (Stage.ATTACHMENT, "attachment"),
        (Stage.PROCESS, "process"),
        (Stage.STORE, "store"),
        (TextSource.PAGE, "page"),
        (TextSource.ATTACHMENT, "attachment"),
        (TextSource.OCR, "ocr"),
        (Match.NEW, "new"),
        (Match.EXACT, "exact"),
        (Match.NEAR, "near"),
        (CoverageStatus.ON_TIME, "on_time"),
        (CoverageStatus.MISSING, "missing"),
        (IssuerKind.JOINT, "joint"),
    ],
)
def test_enumerations_equal_the_stored_strings(member: str, stored: str) -> None:
    assert member == stored and f"{member}" == stored
