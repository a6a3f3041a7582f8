"""Site search as a discovery hint: the search forms of the CMS families (Hanweb
jsearchfront/jrobot, TRS was5) found on a homepage, and the query URL for a term."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

# The families' search scripts and the field each reads the query from.
SEARCH_SCRIPTS = {
    "/jsearchfront/search.do": "q",
    "/jrobot/search.do": "q",
    "/was5/web/search": "searchword",
}


@dataclass(frozen=True)
class SearchEndpoint:
    action: str  # the script's absolute URL, without a query
    query_field: str
    # The form's fixed fields (websiteid, channelid, …), in page order.
    fixed: tuple[tuple[str, str], ...]

    def query_url(self, term: str) -> str:
        """The GET URL of a search for `term`."""
        return f"{self.action}?{urlencode([*self.fixed, (self.query_field, term)])}"


def find_search_endpoints(selector: Selector, page_url: str) -> list[SearchEndpoint]:
    """The site-search forms on a page whose action is a known family's search script."""
    endpoints: list[SearchEndpoint] = []
    for form in selector.css("form"):
        action = urljoin(page_url, (form.attrib.get("action") or "").strip())
        parts = urlsplit(action)
        query_field = SEARCH_SCRIPTS.get(parts.path)
        if query_field is None or parts.scheme not in ("http", "https"):
            continue
        fixed = [*parse_qsl(parts.query), *_hidden_fields(form)]
        endpoint = SearchEndpoint(
            urlunsplit(parts._replace(query="", fragment="")),
            query_field,
            tuple((name, value) for name, value in fixed if name != query_field),
        )
        if endpoint not in endpoints:
            endpoints.append(endpoint)
    return endpoints


def _hidden_fields(form: Selector) -> list[tuple[str, str]]:
    return [
        (field.attrib["name"], field.attrib.get("value", ""))
        for field in form.css("input[name]")
        if field.attrib.get("type", "").lower() == "hidden"
    ]
