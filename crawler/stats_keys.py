"""Names of the crawl stats nianbao adds to Scrapy's (counts for the stats dump; data the
crawl's components share goes through the archive context, crawler/archive_context.py)."""

# List pages after which paging stopped: every item older than the years of interest.
OLD_LISTS_STAT = "nianbao/lists_before_min_report_year"
