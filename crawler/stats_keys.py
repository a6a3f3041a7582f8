"""Names of the crawl stats that nianbao's components share (spider, pipelines, health)."""

# The archive's id of this crawl run, set by the store pipeline when it opens the run.
RUN_ID_STAT = "nianbao/run_id"
# Per portal homepage: known reports still listed, and list pages unchanged since last run.
KNOWN_REPORTS_STAT = "nianbao/known_reports/"
UNCHANGED_LISTS_STAT = "nianbao/unchanged_lists/"
# Per portal homepage: changed list pages that look thin now ({url: ListShape}), for the
# health extension to compare with their earlier captures.
THIN_LISTS_STAT = "nianbao/thin_lists/"
# List pages after which paging stopped: every item older than the years of interest.
OLD_LISTS_STAT = "nianbao/lists_before_min_report_year"
# Writes to the archive or the WARC folder that failed (database error, disk full): the run is
# recorded as STORAGE_FAILED, not finished, and `scrapy crawl` exits non-zero.
STORAGE_FAILURES_STAT = "nianbao/storage_failures"
# Per portal homepage: what the recall safety net did (a SafetyNetOutcome), when it ran.
SAFETY_NET_STAT = "nianbao/safety_net/"
