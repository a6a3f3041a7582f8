"""Names of the crawl stats that nianbao's components share (spider, pipelines, health)."""

# The archive's id of this crawl run, set by the store pipeline when it opens the run.
RUN_ID_STAT = "nianbao/run_id"
# Per portal homepage: known reports still listed, and list pages unchanged since last run.
KNOWN_REPORTS_STAT = "nianbao/known_reports/"
UNCHANGED_LISTS_STAT = "nianbao/unchanged_lists/"
