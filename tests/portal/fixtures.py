"""Source material of the portal (saved real pages and seed report texts in `tests/fixtures/`),
read as bytes, and the seed texts cut down to their report bodies."""

import re
from pathlib import Path

# Shared with the extraction tests: real pages in corpus/pages, seed texts in seeds/.
FIXTURES = Path(__file__).parent.parent / "fixtures"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _seed_lines(name: str) -> list[str]:
    text = read_fixture(name).decode("utf-8")
    return [line.strip() for line in text.splitlines()]


def _body_between(lines: list[str], first: str, last: str | None = None) -> tuple[str, ...]:
    """The non-empty lines from the one starting with `first` to the one containing `last`
    (or to the end): the seeds still carry the chrome a naive extractor left around the body."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = (
        len(lines)
        if last is None
        else next(i for i, ln in enumerate(lines[start:], start) if last in ln) + 1
    )
    return tuple(line for line in lines[start:end] if line)


def anzhou_2022_body() -> tuple[str, ...]:
    body = _body_between(
        _seed_lines("seeds/seed_000_anzhou.txt"), "2022年,绵阳市安州区", "有效发挥社会监督作用"
    )
    # The seed lost 年/日 of the signature date (they sat in separate spans).
    return (*body, "绵阳市安州区人民政府", "2023年1月29日")


def anzhou_2021_body() -> tuple[str, ...]:
    """The previous year's report, derived for the portal as `lanzhou_2022_body` is: the
    report's own years (2021-2023) one earlier, so it opens "2021年,绵阳市安州区"."""
    return tuple(
        re.sub(r"202[1-3]年", lambda m: f"{int(m.group(0)[:4]) - 1}年", p)
        for p in anzhou_2022_body()
    )


def kmdc_2018_body() -> tuple[str, ...]:
    return _body_between(_seed_lines("seeds/seed_002_kmdc.txt"), "2018年,我区在市委")


def lanzhou_2023_body() -> tuple[str, ...]:
    text = read_fixture("seeds/seed_003_lanzhou.txt").decode("utf-8")
    start = text.index("2023年,兰州市司法局")
    end = text.index("坚实法治保障。") + len("坚实法治保障。")
    # The original is one table cell; its paragraphs survive only as "。 " joints.
    return tuple(p.strip() for p in re.split(r"(?<=。) ", text[start:end]))


def lanzhou_2022_body() -> tuple[str, ...]:
    """A second-year variant of the 2023 report, derived for the portal (the seeds hold one
    year per issuer): every year one earlier, so the body opens "2022年,兰州市司法局"."""
    return tuple(
        re.sub(r"20(1\d|2\d)年", lambda m: f"{int(m.group(0)[:4]) - 1}年", p)
        for p in lanzhou_2023_body()
    )


def qiaokou_2024_body() -> tuple[str, ...]:
    lines = _seed_lines("seeds/seed_004_qiaokou.txt")
    end = lines.index("扫一扫在手机上查看当前页面")
    body = _body_between(lines[:end], "2024年,口区")
    return tuple(restore_qiao(p) for p in body)


def restore_qiao(text: str) -> str:
    """Put back the 硚 that a GB2312 decode dropped (硚口区, 法治硚口)."""
    text = re.sub(r"(?<!硚)口区", "硚口区", text)
    return text.replace("法治口", "法治硚口")
