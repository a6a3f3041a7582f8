"""A county site whose reports come to nothing in every way that used to lose one quietly:
report files (DOCX, OFD) in corrupt containers, a redirect loop, a chain of redirects longer
than Scrapy follows, a gzip bomb, a page nested thousands of elements deep, image-only
reports of two different governments, and a report page with no text at all.

Variant "repaired" serves the same files intact: the next run must fetch them again."""

from __future__ import annotations

import dataclasses
import gzip
import io
import struct
import zipfile
from collections.abc import Callable
from datetime import datetime

from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.site import Article, Column, Page, Site, SiteInfo

HOST = "www.lossless.gov.cn"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFD = "application/ofd"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFD_NS = "http://www.ofdspec.org/2016"
# What DOWNLOAD_MAXSIZE the test sets, and what the bomb inflates to (well past it).
BOMB_LIMIT = 400_000
BOMB_BYTES = 4_000_000
DEEP_NESTING = 3000
REDIRECT_CHAIN = 25  # Scrapy follows at most 20 (REDIRECT_MAX_TIMES)
REPAIRED = "repaired"  # the variant whose files are intact
PER_PAGE = 10  # one item short of the site's articles: the oldest sits on page 2


def _paragraphs(county: str) -> tuple[str, ...]:
    """A report text of its own for each county, so no two of them dedupe."""
    return (
        f"2023年，{county}坚持以习近平法治思想为指导，深入推进依法行政，全面建设法治政府。",
        f"一、主要举措和成效。{county}依法全面履行政府职能，深化“放管服”改革，"
        "严格规范公正文明执法，行政复议和应诉工作持续规范。",
        f"二、存在的不足和原因。{county}部分执法人员法治意识仍需加强。",
        f"三、党政主要负责人履行推进法治建设第一责任人职责情况。{county}主要负责人带头尊法学法守法用法。",
        f"四、2024年工作安排。{county}将持续深化法治政府建设。",
    )


def _corrupt_docx_crc(body: bytes) -> bytes:
    """The stored CRC-32 of word/document.xml no longer matches its bytes."""
    data = bytearray(body)
    data[14] ^= 0xFF  # local header CRC
    central = data.rfind(b"PK\x01\x02")
    data[central + 16] ^= 0xFF  # central directory CRC
    return bytes(data)


def _corrupt_deflate(body: bytes) -> bytes:
    """Bytes inside the first member's deflate stream overwritten."""
    data = bytearray(body)
    name_length, extra_length = struct.unpack_from("<HH", data, 26)
    start = 30 + name_length + extra_length
    for offset in range(start + 4, start + 40):
        data[offset] ^= 0x5A
    return bytes(data)


def _unsupported_method(body: bytes) -> bytes:
    """Compression method 99 (AE-x encryption), which zipfile cannot read."""
    return _patch_headers(body, 8, 10, lambda _: 99)


def _encrypted(body: bytes) -> bytes:
    """The general-purpose flag says: encrypted, a password is needed."""
    return _patch_headers(body, 6, 8, lambda flags: flags | 1)


def _patch_headers(body: bytes, local: int, central: int, change: Callable[[int], int]) -> bytes:
    data = bytearray(body)
    for offset in (local, data.rfind(b"PK\x01\x02") + central):
        struct.pack_into("<H", data, offset, change(struct.unpack_from("<H", data, offset)[0]))
    return bytes(data)


def _deflated_zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx(paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{WORD_NS}"><w:body>{body}</w:body></w:document>'
    return _deflated_zip({"word/document.xml": document})


def _ofd(paragraphs: tuple[str, ...]) -> bytes:
    objects = "".join(
        f"<ofd:TextObject><ofd:TextCode X='0' Y='{n}'>{p}</ofd:TextCode></ofd:TextObject>"
        for n, p in enumerate(paragraphs)
    )
    layer = f"<ofd:Content><ofd:Layer>{objects}</ofd:Layer></ofd:Content>"
    page = f'<ofd:Page xmlns:ofd="{OFD_NS}">{layer}</ofd:Page>'
    return _deflated_zip({"Doc_0/Pages/Page_0/Content.xml": page})


@dataclasses.dataclass(frozen=True)
class BrokenFile:
    doc_id: int
    county: str
    kind: str  # docx or ofd
    damage: Callable[[bytes], bytes]

    @property
    def title(self) -> str:
        return f"{self.county}2023年法治政府建设年度报告"

    def path(self) -> str:
        return f"/fzzf/files/report_{self.doc_id}.{self.kind}"

    def body(self, repaired: bool) -> bytes:
        build = _docx if self.kind == "docx" else _ofd
        intact = build(_paragraphs(self.county))
        return intact if repaired else self.damage(intact)


BROKEN_FILES = (
    BrokenFile(9101, "弥渡县", "docx", _corrupt_docx_crc),
    BrokenFile(9102, "巍山县", "docx", _corrupt_deflate),
    BrokenFile(9103, "永平县", "ofd", _unsupported_method),
    BrokenFile(9104, "云龙县", "docx", _encrypted),
)
DEEP_ID, DEEP_COUNTY = 9110, "洱源县"
# Image-only reports (scans pasted as pictures) of two different governments.
SCANNED = {9111: "剑川县", 9112: "鹤庆县"}
EMPTY_ID = 9113  # a report title over an empty body: nothing to store
LOOP_ID, CHAIN_ID, BOMB_ID = 9120, 9121, 9122


def article_url(doc_id: int) -> str:
    return f"http://{HOST}/fzzf/content_{doc_id}.html"


def report_title(county: str) -> str:
    return f"{county}2023年法治政府建设年度报告"


def build_lossless_site(variant: str = "") -> Site:
    info = SiteInfo(
        HOST, "大理测试县人民政府", "大理测试县人民政府办公室", "5329000099", "滇ICP备0000001号"
    )
    when = datetime(2024, 3, 10, 9, 0)
    # The first broken file's page is the oldest item, alone on the list's second page: once
    # the first page is unchanged, only the direct retry of failed pages reaches it.
    articles = [
        Article(
            f.doc_id,
            f.title,
            datetime(2024, 1, 5, 9, 0) if f is BROKEN_FILES[0] else when,
            "司法局",
            (f"现将《{f.title}》予以公开，详见附件。",),
        )
        for f in BROKEN_FILES
    ]
    articles.append(Article(DEEP_ID, report_title(DEEP_COUNTY), when, "司法局", ("DEEP",)))
    articles += [
        Article(doc_id, report_title(county), when, "司法局", ("SCAN",))
        for doc_id, county in SCANNED.items()
    ]
    articles.append(Article(EMPTY_ID, report_title("漾濞县"), when, "司法局", ()))
    for doc_id, county in ((LOOP_ID, "宾川县"), (CHAIN_ID, "南涧县"), (BOMB_ID, "祥云县")):
        articles.append(Article(doc_id, report_title(county), when, "司法局", ("见附件。",)))
    site = build_generic_site(
        info, (Column("fzzf", "法治政府建设", tuple(articles)),), GenericStyle(per_page=PER_PAGE)
    )
    pages = dict(site.pages)
    for file in BROKEN_FILES:
        link = f'详见附件：<a href="{file.path()}">{file.title}.{file.kind}</a>'
        _edit(pages, file.doc_id, "详见附件。", link)
        content_type = DOCX if file.kind == "docx" else OFD
        pages[file.path()] = Page(file.body(variant == REPAIRED), content_type, when)
    deep = "".join(f"<p>{p}</p>" for p in _paragraphs(DEEP_COUNTY))
    _edit(pages, DEEP_ID, "<p>DEEP</p>", "<div>" * DEEP_NESTING + deep + "</div>" * DEEP_NESTING)
    for doc_id in SCANNED:
        scans = "".join(f'<p><img src="/fzzf/files/scan_{doc_id}_{n}.jpg"></p>' for n in (1, 2))
        _edit(pages, doc_id, "<p>SCAN</p>", scans)
    pages.update(_redirects())
    bomb = gzip.compress(b" " * BOMB_BYTES)
    pages[f"/fzzf/content_{BOMB_ID}.html"] = Page(
        bomb, "text/html; charset=utf-8", headers=(("Content-Encoding", "gzip"),)
    )
    return dataclasses.replace(site, pages=pages)


def _edit(pages: dict[str, Page], doc_id: int, old: str, new: str) -> None:
    path = f"/fzzf/content_{doc_id}.html"
    text = pages[path].body.decode("utf-8")
    assert old in text, f"the generic article template changed: no {old!r}"
    pages[path] = dataclasses.replace(pages[path], body=text.replace(old, new).encode("utf-8"))


def _redirects() -> dict[str, Page]:
    """content_LOOP ↔ loop_back, and content_CHAIN → chain_1 → … → chain_N."""

    def moved(path: str) -> Page:
        return Page(b"", "text/html", status=302, headers=(("Location", path),))

    pages = {
        f"/fzzf/content_{LOOP_ID}.html": moved("/fzzf/loop_back.html"),
        "/fzzf/loop_back.html": moved(f"/fzzf/content_{LOOP_ID}.html"),
        f"/fzzf/content_{CHAIN_ID}.html": moved("/fzzf/chain_1.html"),
    }
    for hop in range(1, REDIRECT_CHAIN):
        pages[f"/fzzf/chain_{hop}.html"] = moved(f"/fzzf/chain_{hop + 1}.html")
    return pages
