"""Scrapy settings for nianbao: polite defaults for government servers, and nianbao's knobs."""

import importlib.metadata
import os

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# Our `crawl` command (crawler/commands/crawl.py): checks the registry and the archive before it
# starts (exit 2), exits 1 when a run did not finish or its storage failed.
COMMANDS_MODULE = "crawler.commands"

# Identify ourselves honestly, in ASCII only (some firewalls reject other header bytes): name,
# version and project URL, plus the operator's mail address or URL from $NIANBAO_CONTACT.
# The project has no public home yet: this URL is a placeholder to replace when it has one.
NIANBAO_PROJECT_URL = "https://github.com/nianbao/nianbao"
NIANBAO_CONTACT = os.environ.get("NIANBAO_CONTACT", "").strip()
if not NIANBAO_CONTACT.isascii():
    raise ValueError(
        f"NIANBAO_CONTACT must be ASCII (it goes into an HTTP header): {NIANBAO_CONTACT!r}"
    )
USER_AGENT = f"nianbao/{importlib.metadata.version('nianbao')} (+{NIANBAO_PROJECT_URL}" + (
    f"; {NIANBAO_CONTACT})" if NIANBAO_CONTACT else ")"
)

# Politeness: robots.txt, one request at a time per host, a delay that AutoThrottle stretches
# when a server slows down. Government servers are small; many portals are crawled in parallel.
ROBOTSTXT_OBEY = True
# Politeness is per host (one request at a time, the delay); the global cap only has to keep
# memory bounded. Pages are a few hundred KB; 64 at the DOWNLOAD_MAXSIZE cap at once would be
# 3.2 GB.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Hosts are served idlest first; among equally idle hosts one whose delay has run out first (a
# request waiting out its host's delay would hold one of the global slots), then the portal due
# first (the spider starts with the portals least recently visited), so that repeated short
# runs cover the registry.
SCHEDULER_PRIORITY_QUEUE = "crawler.portal_queue.PortalOrderQueue"
# What a callback yields is handled by this many tasks per response; Scrapy starts them all for
# every response, and ours yield one item or a few dozen requests. 100 (the default) cost more
# CPU than any of our middlewares on the registry-scale bench.
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 1.0
# The delay is a minimum, not a mean around which Scrapy draws 0.5x-1.5x: a host never sees two
# requests closer than it, and the queue, which holds a request back until its host's delay
# has run out, never hands the downloader one that must still wait.
DOWNLOAD_DELAY_JITTER = 0
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
# Dropped pages are mostly pages classification rejected, dozens per portal: DEBUG, not WARNING.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
# The run summary (crawler/progress.py) replaces Scrapy's stats dump, whose per-portal keys
# run to thousands of lines on the whole registry (-s STATS_DUMP=True brings it back).
STATS_DUMP = False

ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractPipeline": 100,
    "crawler.pipelines.attachments.AttachmentPipeline": 150,
    "crawler.pipelines.classify.ClassifyPipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
    "crawler.pipelines.store.StorePipeline": 400,
}

# Raw captures: the WARC writer sits next to the downloader (after HttpCache at 900), so it
# keeps bodies as served (before decompression) and every redirect and retried response.
DOWNLOADER_MIDDLEWARES = {
    # The fetch guard refuses internal addresses and non-registry hosts. It sits after
    # HttpProxyMiddleware (750), whose `proxy` meta says who resolves the name, and before the
    # WARC writer, so a refused request leaves no capture.
    "crawler.fetch_guard.FetchGuardMiddleware": 760,
    "crawler.captures.CaptureMiddleware": 950,
    # robots.txt as Scrapy obeys it, but an unreachable one is a line, not a traceback.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.QuietRobotsTxtMiddleware": 100,
    # Tells the archive context of requests that robots.txt (or offsite) dropped.
    "crawler.request_done.IgnoredRequestMiddleware": 50,
}
NIANBAO_WARC_ENABLED = True
# Empty: a `warc` folder next to the SQLite database (./data/warc for other databases).
NIANBAO_WARC_DIR = ""
# Start a new WARC file past this size: 1 GB files are the web-archiving convention and
# still easy to copy and checksum.
NIANBAO_WARC_MAX_BYTES = 1024 * 1024 * 1024

# Networks (CIDR) the fetch guard lets requests reach although they are internal, e.g.
# ["127.0.0.0/8"] for the local test portal. Empty in production: a government page must never
# send the crawler to loopback, private, link-local or cloud-metadata addresses.
NIANBAO_ALLOWED_NETWORKS: list[str] = []

# Near-duplicate reports (MinHash LSH over character shingles). Shingles, permutations and
# bands define the stored index (changing them means re-signing the archive); 32 bands of 4
# rows make a pair with Jaccard 0.5 a candidate with probability 0.87 and one with 0.6 with
# 0.99, while unrelated reports (< 0.1) rarely are. The threshold is read off the
# precision/recall curve of tests/fixtures/pairs (bench/near_duplicate_curve.py): 0.8 is the
# highest that keeps recall 1.0 (hard positives >= 0.84); the year/issuer guard rejects the
# same issuer's next-year report (up to 0.98 similar), and where year or issuer is unknown
# a high threshold is what keeps precision.
NIANBAO_SHINGLE_CHARS = 5
NIANBAO_MINHASH_PERMUTATIONS = 128
NIANBAO_LSH_BANDS = 32
NIANBAO_NEAR_DUPLICATE_THRESHOLD = 0.8

# Attachments: a report page links its report file and at most a few annexes (附件1-4); more
# links are download lists, not one report.
NIANBAO_ATTACHMENTS_PER_PAGE = 5
# A page that points to its file (详见附件, 予以公开) only introduces it when its own body, header
# lines removed, is at most this share of the file's text: a cover note is a paragraph, a report
# page that also links its PDF copy is about as long as the file.
NIANBAO_INTRODUCTION_MAX_SHARE = 0.3

# Scanned reports (PDFs without a text layer, image files) are read by OCR on this machine
# (RapidOCR's bundled models, no network). A page takes a few CPU seconds: the page cap keeps a
# 200-page scanned annex from holding a worker for long; the report text is in the first pages.
NIANBAO_OCR = True
NIANBAO_OCR_MAX_PAGES = 30
# OCR runs in the parsing pool like any document, but a scan of 30 pages takes a minute or two
# of CPU, and the ONNX runtime maps ~1.8 GB of address space (~700 MB resident): a file found to
# be a scan is OCR'd under these limits instead of NIANBAO_PARSE_TIMEOUT and _MEMORY_MB.
NIANBAO_OCR_TIMEOUT = 240
NIANBAO_OCR_MEMORY_MB = 2560

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
# A catalogue of bodies (部门信息公开) lists a county's departments, usually 20-50; each is
# followed like a column, since departments must publish their own reports.
NIANBAO_DEPARTMENTS_PER_CATALOGUE = 60
# Re-crawls skip detail pages earlier runs hold and stop paging a column at the first page
# that is unchanged (304, same digest) or lists only known reports; False re-walks everything.
NIANBAO_INCREMENTAL = True
# Known report pages on a recent year (this year minus this many, and later; or, where the year
# is unknown, first seen since Jan 1 of that year) are asked again every run with
# If-None-Match/If-Modified-Since: corrections come within a year or two of publication, and an
# unchanged page costs a 304. 2 in 2026: reports on 2024 and later. -1 never revisits.
NIANBAO_REVISIT_YEARS_BACK = 2
# Stop paging a column at the first page whose dated items all predate a report on this year
# (published from Jan 1 of the next year on). 0 or empty pages every column to its end: the
# default, because a new archive wants the back-fill; scheduled re-runs set a recent year
# (README's cron example: three years back keeps late and re-published reports in reach).
NIANBAO_MIN_REPORT_YEAR = 0
# The recall safety net: a portal whose crawl gave no report on the last few years (the
# 2019 rule makes a report due every April 1), or whose column paging broke, gets a
# best-first exploration of this many pages once the regular crawl is done; 40 covers a
# catalogue of departments and one column in each of a few of them. 0 turns it off. A portal
# explored within the interval is not explored again: its site rarely changes in a month, and
# scheduled re-runs must stay cheap.
NIANBAO_SAFETY_NET_PAGES = 40
NIANBAO_SAFETY_NET_YEARS_BACK = 2
NIANBAO_SAFETY_NET_INTERVAL_DAYS = 30
# Site search (Hanweb jsearchfront/jrobot, TRS was5) where a homepage has a search form: one
# query per term, its result links only hints that still go through extraction and
# classification. The broad term also finds titles without 年度报告 (关于2022年…情况的报告).
NIANBAO_SITE_SEARCH_TERMS = ["法治政府建设"]

# Outermost: tells the archive context when a response's callback output is used up (its
# portal is completed once none of its requests is pending).
SPIDER_MIDDLEWARES = {"crawler.request_done.ResponseProcessedMiddleware": 10}
# Extensions are made, and their signal handlers run, in this order. When the spider closes:
# the health rows are written while the run is open, then the archive context finishes the run
# (real reason, counts, per-portal visits), then progress prints the summary read back from it.
EXTENSIONS = {
    # The parsing pool is the crawl's worker processes, which the extract and attachment
    # pipelines await.
    "crawler.worker_pool.ParsingPool": 100,
    # Per-portal health rows (pages, reports, errors, warnings) for every run.
    "crawler.health.PortalHealthExtension": 400,
    # One crawl, one archive: engine, run row, portal rows, what earlier runs left.
    "crawler.archive_context.ArchiveContext": 500,
    # Its progress line replaces Scrapy's "Crawled N pages" line.
    "crawler.progress.ProgressExtension": 900,
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.operator_log.OperatorLogExtension": 100,
}
NIANBAO_HEALTH_ENABLED = True
# One progress line per interval (seconds; 0 turns progress and the summary off): a minute
# keeps a whole-registry log short, often enough to see a stall. A live bar too when
# stderr is a terminal.
NIANBAO_PROGRESS_INTERVAL = 60.0
NIANBAO_PROGRESS_BAR = True
# Library messages that repeat per page (trafilatura, retries given up, migrations) go to DEBUG.
NIANBAO_QUIET_ROUTINE_LOGS = True

# Bounded cost per document. Parsing runs in worker processes, never on the reactor thread, so
# a hostile file delays only itself. Two workers leave the reactor a core on a small host and
# keep up with the downloads (extraction averages ~22 ms a page on tests/fixtures/corpus).
NIANBAO_PARSE_WORKERS = 2
# Real reports parse in well under a second; a document still busy after this is hostile or
# pathological (jusText, trafilatura's fallback, is quadratic in a page's short paragraphs),
# and its worker is killed and replaced.
NIANBAO_PARSE_TIMEOUT = 60
# Address space per worker (an idle one maps ~90 MB; lxml's tree of a 10 MB page needs ~180 MB
# more): past it an allocation fails in that worker alone, a failure row, and the crawl's
# processes stay under 1 GB.
NIANBAO_PARSE_MEMORY_MB = 384
# Report pages weigh tens of kB, pages with inline images a few MB; lxml's tree of 10 MB of
# dense markup takes ~180 MB, so a larger page is a failure row rather than gigabytes of
# tree. List pages past it are not parsed for links either.
NIANBAO_MAX_HTML_BYTES = 10 * 1024 * 1024
# The parsing pool awaits worker results as asyncio futures: Scrapy's default reactor, named
# here because the pool relies on it.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# The shared frontier (crawler/frontier.py): with a Redis URL here or in $NIANBAO_REDIS_URL,
# every process of a run shares one scrapy-redis queue and fingerprint set, and per-host
# politeness holds across processes (crawler/politeness.py). Empty: one process, as before.
ADDONS = {"crawler.frontier.SharedFrontier": 0}
NIANBAO_REDIS_URL = ""
# Keys live under <prefix>:<run>: (queue, fingerprints, workers); hosts' leases under
# <prefix>:host:, shared by every run. The run defaults to today's UTC date, so the processes
# one cron line starts share it; name it to start a second run on the same day.
NIANBAO_REDIS_PREFIX = "nianbao"
NIANBAO_REDIS_RUN = ""
# Seconds between a process's heartbeats, and how long without one before the others take
# back the requests it had in flight: long enough for a busy process's reactor to stall (a
# worker pool starting, a slow database) without being taken for dead.
NIANBAO_FRONTIER_HEARTBEAT = 5.0
NIANBAO_FRONTIER_DEAD_AFTER = 30.0

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
