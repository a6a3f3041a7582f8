"""Scrapy settings for nianbao: polite defaults for government servers, and nianbao's knobs."""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves honestly; NIANBAO_CONTACT lets an operator add a mail address or URL.
USER_AGENT = "nianbao/0.1 (archive of 法治政府建设年度报告; research crawler; obeys robots.txt)"
NIANBAO_CONTACT = ""

# Politeness: robots.txt, one request at a time per host, a delay that AutoThrottle stretches
# when a server slows down. Government servers are small; many portals are crawled in parallel.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Never hammer a failing site: one retry, and a cap on what one response may weigh.
RETRY_TIMES = 1
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractPipeline": 100,
    "crawler.pipelines.classify.ClassifyPipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
    "crawler.pipelines.store.StorePipeline": 400,
}

# Where the archive lives; empty means $NIANBAO_DB_URL, else ./data/nianbao.sqlite.
NIANBAO_DB_URL = ""
# The shipped portal registry; `-a registry=FILE` or `-a site=URL` override it per run.
NIANBAO_REGISTRY = ""
# Discovery limits per site: enough for a county portal's columns and a few years of
# pagination, small enough that one odd site cannot eat the crawl.
NIANBAO_SITE_PAGE_BUDGET = 300
NIANBAO_MAX_HOPS = 3
NIANBAO_COLUMNS_PER_PAGE = 8
NIANBAO_MAX_LIST_PAGES = 30

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
