"""Chinese numerals and years as official texts write them, for crawler and archive alike.

They live in archive because coverage reads years out of issuer names too, and the crawler may
import archive but not the other way round.
"""

from __future__ import annotations

# Zero is written 〇, ○ (a circle), ◯, 零, a letter O (half or full width) or an Arabic 0
# (二0二三年) on real pages.
ZEROS = "〇○◯零ＯO0０"
CN_DIGITS = dict.fromkeys(ZEROS, 0) | {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A regex character class body (no brackets): the digits a Chinese-numeral year is written in.
CN_DIGIT_CLASS = "".join(CN_DIGITS)
# A four-digit year in Arabic or Chinese numerals (2023, 二〇二三, 二0二三); no group.
YEAR_NUMBER = rf"(?:\d{{4}}|[{CN_DIGIT_CLASS}]{{4}})"
# A year as titles and opening sentences write it: 2023年, 2023 年度, 二〇二三年.
YEAR_LABEL = rf"{YEAR_NUMBER}\s*年度?"


def cn_numeral_to_int(text: str) -> int:
    """Convert 二〇二三 (digit by digit) or 二十九/十二/三十一 (with 十) to an int."""
    if "十" not in text:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def year_value(text: str) -> int:
    """The int of a year matched by YEAR_NUMBER, Arabic or Chinese."""
    return int(text) if text.isdigit() else cn_numeral_to_int(text)
