"""nianbao's own versions of Scrapy commands (COMMANDS_MODULE)."""
