"""nianbao's Scrapy commands (COMMANDS_MODULE): `crawl`, with checks before it starts."""
