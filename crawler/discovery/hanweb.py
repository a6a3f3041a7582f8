"""Hanweb 大汉 JCMS columns: later list pages come from POST dataproxy.jsp as XML records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

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
