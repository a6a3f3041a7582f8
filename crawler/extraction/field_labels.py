"""The labels of a page's info fields that date it and name its publisher, as government sites
and disclosure platforms (政府信息公开) word them: metadata reads the values behind them, and the
text drops their lines as page chrome (`archive.issuer.alternation` makes a pattern of them)."""

# When the page was published (发布, 公开, and 发文 where a platform gives no other date), when
# the document was written or signed (成文, 签发, 印发), and 更新.
NAMED_DATE_LABELS = (
    "发布时间", "发布日期", "公开日期", "公开时间", "发文日期",
    "成文日期", "签发日期", "印发日期", "更新时间",
)  # fmt: skip
# Who published it (the bare 来源 is spelt with a space as often as not: each reader allows it).
NAMED_PUBLISHER_LABELS = (
    "文章来源", "信息来源", "发布机构", "发文机关", "发布单位", "发文单位", "供稿单位",
)  # fmt: skip
