"""Hanweb 大汉 JCMS columns: later list pages come from POST dataproxy.jsp as XML records;
older columns embed their records as script XML in the page and page it as
`index.html?uid=UNIT&pageNum=N` or through the datastore's <nextgroup> dataproxy link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
# The column page's script carries the proxy's form fields as `name: 'value'` or `name=value`.
PROXY_FIELDS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
# Older JCMS templates: `<div id="UNIT"><script type="text/xml"><datastore><nextgroup>
# <![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&…&unitid=UNIT…"></a>]]></nextgroup>
# <recordset><record><![CDATA[<li>…</li>]]></record>…`, with `jpage({totalRecord: N,
# perPage: M})` beside it (seen on jiangsu.gov.cn and gxj.yancheng.gov.cn columns).
DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.DOTALL | re.IGNORECASE)
NEXT_GROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.DOTALL)
UNIT_ID = re.compile(r"\bunitid\b['\"]?\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
TOTAL_RECORD = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
PER_PAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class DataProxy:
    """What a column page tells about its dataproxy.jsp paging."""

    form: dict[str, str]
    total_records: int
    per_page: int

    def page_request(self, base_url: str, number: int) -> tuple[str, dict[str, str]] | None:
        """(URL, form) of list page `number` (page 1 is the column's HTML), None past the end."""
        start = (number - 1) * self.per_page + 1
        if number < 2 or start > self.total_records:
            return None
        end = min(start + self.per_page - 1, self.total_records)
        query = f"?startrecord={start}&endrecord={end}&perpage={self.per_page}"
        return urljoin(base_url, DATAPROXY_PATH + query), dict(self.form)


def _field(script: str, name: str) -> str | None:
    match = re.search(rf"\b{name}\s*[:=]\s*['\"]?([^'\"&,;\s}}]*)", script)
    return match.group(1) if match else None


def find_dataproxy(html: str) -> DataProxy | None:
    """The dataproxy parameters of a Hanweb column page, or None for other families."""
    if "dataproxy.jsp" not in html:
        return None
    form = {name: value for name in PROXY_FIELDS if (value := _field(html, name)) is not None}
    total, per_page = TOTAL_RECORD.search(html), PER_PAGE.search(html)
    if "columnid" not in form or not total or not per_page:
        return None
    return DataProxy(form=form, total_records=int(total.group(1)), per_page=int(per_page.group(1)))


def record_fragments(xml: str) -> list[Selector]:
    """Each <record> of a dataproxy answer, parsed as the HTML fragment it wraps."""
    records = re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", xml, re.DOTALL)
    return [Selector(text=fragment) for fragment in records]


@dataclass(frozen=True)
class EmbeddedList:
    """A column page whose records sit in script XML: how many it shows, how many there are."""

    records: int
    total_records: int | None
    per_page: int | None
    unit: str | None
    next_group: str | None  # the datastore's dataproxy link to the records after these

    def page_count(self) -> int | None:
        if not self.total_records or not self.per_page:
            return None
        return -(-self.total_records // self.per_page)


def find_embedded_list(html: str) -> EmbeddedList | None:
    """The script-XML list of an older Hanweb column page, or None when it has none."""
    stores = DATASTORE.findall(html)
    if not stores:
        return None
    records = sum(len(record_fragments(store)) for store in stores)
    total, per_page = TOTAL_RECORD.search(html), PER_PAGE.search(html)
    unit, group = UNIT_ID.search(html), NEXT_GROUP.search(html)
    return EmbeddedList(
        records=records,
        total_records=int(total.group(1)) if total else None,
        per_page=int(per_page.group(1)) if per_page else None,
        unit=unit.group(1) if unit else None,
        next_group=group.group(1).replace("&amp;", "&") if group else None,
    )


def embedded_page_urls(column_url: str, listing: EmbeddedList, number: int) -> list[str]:
    """Where page `number` + 1 of an embedded list may be: the static `?uid=&pageNum=` page
    and the next-group dataproxy answer; none once the records are all shown."""
    count = listing.page_count()
    if count is not None and number >= count:
        return []
    if listing.total_records is not None and listing.records >= listing.total_records:
        return []
    urls = []
    if listing.unit is not None:
        query = {"uid": listing.unit, "pageNum": str(number + 1)}
        urls.append(_with_query(column_url, query))
    if listing.next_group is not None:
        urls.append(_with_query(urljoin(column_url, listing.next_group), {"page": str(number)}))
    return urls


def _with_query(url: str, fields: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | fields
    return urlunsplit(parts._replace(query=urlencode(query)))
