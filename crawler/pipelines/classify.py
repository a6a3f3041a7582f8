"""Classification pipeline: keeps rule-of-law reports, drops everything else with a reason."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from archive.vocabulary import Stage
from crawler.classify import classify_report
from crawler.items import ReportPage


class ClassifyPipeline:
    def process_item(self, item: object) -> object:
        if not isinstance(item, ReportPage) or item.extracted is None:
            return item
        page = item.extracted
        item.verdict = classify_report(page.title, page.text, item.url)
        if not item.verdict.is_report and not page.charset_confident:
            # Mojibake fails every report test; keep a failure row so the page is looked at.
            return item.failure(
                Stage.CHARSET,
                f"uncertain charset {page.charset} ({page.charset_source}): {item.verdict.reason}",
            )
        if not item.verdict.is_report:
            raise DropItem(f"not a report: {item.url}: {item.verdict.reason}")
        return item
