"""A district portal whose disclosure platform (/gongkai/) has one catalogue per body:
政府信息公开 → 部门信息公开 lists the departments (/gongkai/site_<dept>/), each department page
lists its channels (/gongkai/site_<dept>/channel_<hex>/), and a channel lists documents
(doc_<hex>.html) that open with an info table (标题/索引号/文号/发文日期/发布机构). The
司法局's report sits three levels below the department list; the homepage links only the
platform's front page."""

# ruff: noqa: E501 -- the templates keep the real pages' markup lines whole, to stay recognisable

import hashlib
from dataclasses import dataclass
from datetime import datetime
from html import escape

from tests.portal import filler
from tests.portal.site import Article, Page, Site, html_page, latest_first, robots_page
from tests.portal.variants.column_items import look_alike, yearly_look_alikes
from tests.portal.variants.texts import huaiyin_sfj_2023

HOST = "www.huaiyin.gov.cn"
NAME = "济南市槐荫区人民政府"
REPORT_TITLE = "槐荫区司法局2023年法治政府建设年度报告"
# A real trap of such platforms: a council agenda item explained, about the year's rule of law.
AGENDA_TITLE = "区政府常务会议议题解读：关于2023年度法治建设工作情况的汇报"


@dataclass(frozen=True)
class Channel:
    name: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Department:
    slug: str
    name: str
    credit_code: str
    channels: tuple[Channel, ...]


def _hex(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:24]


def channel_path(dept: Department, channel: Channel) -> str:
    return f"/gongkai/site_{dept.slug}/channel_{_hex(dept.slug, channel.name)}/"


def doc_path(dept: Department, channel: Channel, article: Article) -> str:
    return f"{channel_path(dept, channel)}doc_{_hex(dept.slug, article.doc_id)}.html"


def departments() -> tuple[Department, ...]:
    sfj = "槐荫区司法局"
    report = Article(6583952, REPORT_TITLE, datetime(2024, 2, 5, 10, 30), sfj, huaiyin_sfj_2023())
    justice = Department(
        "hyqsfj",
        sfj,
        "113701040042210000",
        (
            Channel(
                "法治政府建设",
                (
                    report,
                    look_alike(
                        6590011, filler.work_points("槐荫区", 2024), datetime(2024, 3, 8, 9, 0), sfj
                    ),
                    look_alike(
                        6401230,
                        filler.implementation_plan("槐荫区"),
                        datetime(2022, 3, 1, 9, 0),
                        sfj,
                    ),
                ),
            ),
            Channel(
                "政府信息公开年报",
                tuple(
                    look_alike(
                        6500000 + year,
                        filler.disclosure_report(sfj, year),
                        datetime(year + 1, 1, 29, 9, 11),
                        sfj,
                    )
                    for year in range(2021, 2026)
                ),
            ),
        ),
    )
    education = Department(
        "hyqjyj",
        "槐荫区教育和体育局",
        "113701040042219999",
        (
            Channel(
                "工作计划",
                yearly_look_alikes(
                    6600000, "槐荫区教育和体育局", range(2022, 2026), "槐荫区教育和体育局"
                ),
            ),
        ),
    )
    office = Department(
        "hyqzfbgs",
        "槐荫区人民政府办公室",
        "113701040042200001",
        (
            Channel(
                "会议解读",
                (
                    Article(
                        6537798,
                        AGENDA_TITLE,
                        datetime(2023, 12, 20, 16, 0),
                        "区政府办公室",
                        (
                            "十九届区政府第37次常务会议“关于2023年度法治建设工作情况的汇报”议题的解读如下：",
                            "一、议题背景。为做好2023年度法治建设考核工作，区司法局认真梳理总结2023年度法治建设工作，现汇报相关工作情况。",
                            "二、议题目的。各部门、各街道要高度重视法治建设工作，按照责任分工，抓好各项任务落实。",
                        ),
                    ),
                    look_alike(
                        6537900,
                        filler.meeting_news("槐荫区", 2024),
                        datetime(2024, 2, 27, 17, 0),
                        "区政府办公室",
                    ),
                ),
            ),
        ),
    )
    return (office, justice, education)


def doc_paths() -> list[str]:
    return [
        doc_path(dept, channel, article)
        for dept in departments()
        for channel in dept.channels
        for article in channel.articles
    ]


def _table(dept: Department, article: Article) -> str:
    assert article.published is not None
    return f"""<table class="xxgk-table" width="100%">
<tr><th>标题:</th><td colspan="3">{escape(article.title)}</td></tr>
<tr><th>索引号:</th><td>{dept.credit_code}/{article.published:%Y}-{article.doc_id}</td><th>文号:</th><td>无文号</td></tr>
<tr><th>发文日期:</th><td>{article.published:%Y-%m-%d}</td><th>发布机构:</th><td>{escape(article.source or dept.name)}</td></tr>
</table>"""


def _doc_main(dept: Department, article: Article) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""{_table(dept, article)}
<div class="doc-title"><h1>{escape(article.title)}</h1></div>
<div class="doc-tools">字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>　打印整页 打印内容 分享</div>
<div class="doc-content" id="zoom">{body}</div>
<div class="qr">扫码使用手机浏览本页内容</div>"""


def _render(title: str, crumbs: str, main: str, last_modified: datetime | None) -> Page:
    return html_page(
        f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="SiteName" content="{NAME}"><meta name="SiteIDCode" content="3701040001"></head>
<body>
<div class="top">无障碍阅读 关怀版 <a href="/">返回首页</a></div>
<div class="head"><div class="logo">政府信息公开</div></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/gongkai/">政府信息公开</a>{crumbs}</div>
<div class="main">{main}</div>
<div class="foot">主办单位：{NAME}办公室　网站标识码：3701040001　鲁ICP备05003625号</div>
</body></html>
""",
        last_modified=last_modified,
    )


def build_gongkai_site() -> Site:
    all_departments = departments()
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/search/", "/gongkai/search/"))}
    pages["/"] = pages["/index.html"] = _render(
        NAME, "", '<ul class="nav"><li><a href="/gongkai/">政府信息公开</a></li></ul>', None
    )
    pages["/gongkai/"] = _render(
        f"政府信息公开_{NAME}",
        "",
        '<ul class="gk-nav"><li><a href="/gongkai/site_hyqzfbgs/">区政府信息公开</a></li>'
        '<li><a href="/gongkai/bmxxgk.html">部门信息公开</a></li>'
        '<li><a href="/gongkai/zfxxgkzn.html">政府信息公开指南</a></li></ul>',
        None,
    )
    pages["/gongkai/zfxxgkzn.html"] = _render("政府信息公开指南", "", "<p>指南</p>", None)
    dept_links = "".join(
        f'<li><a href="/gongkai/site_{d.slug}/">{escape(d.name)}</a></li>'
        for d in all_departments[1:]
    )
    pages["/gongkai/bmxxgk.html"] = _render(
        f"部门信息公开_{NAME}",
        " &gt; 部门信息公开",
        f'<ul class="dept-list">{dept_links}</ul>',
        None,
    )
    for dept in all_departments:
        crumbs = f' &gt; <a href="/gongkai/site_{dept.slug}/">{escape(dept.name)}</a>'
        links = "".join(
            f'<li><a href="{channel_path(dept, c)}">{escape(c.name)}</a></li>'
            for c in dept.channels
        )
        pages[f"/gongkai/site_{dept.slug}/"] = pages[f"/gongkai/site_{dept.slug}/index.html"] = (
            _render(
                f"{dept.name}_{NAME}",
                crumbs,
                f'<div class="dept-name">{escape(dept.name)}</div><div class="lm">法定主动公开内容</div><ul class="channels">{links}</ul>',
                None,
            )
        )
        for channel in dept.channels:
            items = latest_first(channel.articles)
            rows = "".join(
                f'<li><a href="{doc_path(dept, channel, a)}" title="{escape(a.title)}">{escape(a.title)}</a>'
                f"<span>{a.published:%Y-%m-%d}</span></li>"
                for a in items
            )
            pages[channel_path(dept, channel)] = _render(
                f"{channel.name}_{dept.name}",
                f"{crumbs} &gt; {escape(channel.name)}",
                f'<ul class="doc-list">{rows}</ul><div class="page">共{len(items)}条 1/1页</div>',
                items[0].published,
            )
            for article in items:
                pages[doc_path(dept, channel, article)] = _render(
                    f"{article.title}_{NAME}", crumbs, _doc_main(dept, article), article.published
                )
    return Site(HOST, pages)
