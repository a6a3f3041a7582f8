"""Build the gold set's seed pages: report texts from tests/fixtures/seeds in real page chrome.

Run `python -m tests.gold.build_seed_pages` to rewrite tests/gold/pages/*.html. The output is
checked in as bytes (some GBK with a misleading or missing label); the gold lives in
tests/gold/pages.jsonl and is written by hand, not by this script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
PAGES = Path(__file__).resolve().parent / "pages"

FOOTER = (
    "<div class='footer'><p><a href='/wzdt/'>网站地图</a> | <a href='/lxwm/'>联系我们</a></p>"
    "<p>主办单位：{host}人民政府办公室　版权所有：{host}人民政府</p>"
    "<p>{icp}ICP备05001234号-1　{icp}公网安备 51070502000123号　网站标识码：{code}</p></div>"
)


def seed_lines(name: str) -> list[str]:
    # En/em spaces have no GBK code; the GBK pages these seeds come from used plain spaces.
    text = (SEEDS / name).read_text("utf-8").replace("\u2002", " ").replace("\u2003", " ")
    return [line.strip(" \u3000\xa0|") for line in text.splitlines()]


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)


def anzhou() -> bytes:
    """Seed 000: GBK bytes labelled gb2312, a header "today" date, signature in 〇-numerals."""
    lines = seed_lines("seed_000_anzhou.txt")
    body = paragraphs(lines[10:75])
    signature = (
        "<p align='right'>绵阳市安州区人民政府</p><p align='right'>二〇二三年一月二十九日</p>"
    )
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "<title>绵阳市安州区人民政府 2022年法治政府建设年度报告-绵阳市安州区人民政府</title>"
        "</head><body><div class='top'>今天是：2025年12月02日 星期二 <a href='#'>无障碍浏览</a>"
        " <a href='#'>长者版</a></div>"
        "<div class='crumb'>您的位置:<a href='/'>首页</a> > <a href='/zwdt/'>政务动态</a> > "
        "<a href='/zwdt/gsgg/'>公示公告</a></div>"
        "<h1 class='title'>绵阳市安州区人民政府 2022年法治政府建设年度报告</h1>"
        "<div class='info'>来源: 司法局发布时间:2023-01-30 15:42浏览次数:<span>1024</span></div>"
        "<div class='tools'>字体:【 <a>大</a> <a>中</a> <a>小</a> 】</div>"
        f"<div id='zoom'><p>绵阳市安州区人民政府文件</p>{body}{signature}</div>"
        "<div class='qr'>扫一扫在手机打开当前页</div>"
        + FOOTER.format(host="绵阳市安州区", icp="蜀", code="5107240001")
        + "</body></html>"
    )
    return page.encode("gbk")


def docshare() -> bytes:
    """Seed 001: a document-sharing page (template text with xx placeholders), UTF-8."""
    lines = seed_lines("seed_001_docshare.txt")
    body = lines[6].removesuffix("查看更多")
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<title>2020年依法行政工作总结二篇 - 文档分享网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/upload'>上传文档</a> <a>登录</a></div>"
        "<h1>2020年依法行政工作总结二篇</h1>"
        "<ul class='doc-meta'><li>2021-05-24 发布</li><li>37.5 KB</li><li>23页</li></ul>"
        f"<div class='notice'>{html.escape(lines[3])}</div>"
        f"<div class='doc-intro'><h2>文档介绍</h2><p>{html.escape(body)}</p>"
        "<a class='more' href='/p-1.html?more'>查看更多</a></div>"
        "<div class='footer'>客服热线 400-000-0000　Copyright © 文档分享网</div></body></html>"
    )
    return page.encode("utf-8")


def kmdc() -> bytes:
    """Seed 002: GBK bytes with no charset label at all, a 政府信息公开 info table."""
    lines = seed_lines("seed_002_kmdc.txt")
    body = paragraphs(lines[22:])
    title = "东川区2018年度法治政府建设情况报告"
    table = (
        "<table class='xxgk'><tr><td>索引号:</td><td>052224292-201902-125711</td>"
        "<td>主题分类:</td><td>政府工作报告</td></tr>"
        "<tr><td>发布机构:</td><td>昆明市东川区人民政府办公室</td>"
        "<td>发布日期:</td><td>2019-02-13 15:13</td></tr>"
        f"<tr><td>名 称:</td><td colspan='3'>{title}</td></tr>"
        "<tr><td>文号:</td><td></td><td>关键字:</td><td></td></tr></table>"
    )
    page = (
        "<html><head><title>昆明市东川区人民政府</title></head><body>"
        "<div class='top'><a>长者模式</a> <a>无障碍浏览</a></div>"
        "<div class='logo'>昆明市东川区人民政府 www.kmdc.gov.cn</div>"
        "<div class='side'><h3>政府信息公开</h3>"
        "<a>政府信息公开指南</a> <a>政府信息公开制度</a></div>"
        f"{table}<h2 class='title'>{title}</h2>"
        "<div class='info'>发布时间:2019-02-13 15:13</div>"
        "<div class='tools'>字号:[ <a>大</a> ]</div>"
        f"<div class='TRS_Editor'><p align='center'><b>{title}</b></p>{body}</div>"
        + FOOTER.format(host="昆明市东川区", icp="滇", code="5301130001")
        + "</body></html>"
    )
    return page.encode("gbk")


def lanzhou() -> bytes:
    """Seed 003: table layout, no date anywhere, UTF-8 bytes served with a wrong gb2312 label."""
    lines = seed_lines("seed_003_lanzhou.txt")
    title = lines[0]
    page = (
        f"<html><head><title>{title}</title></head><body>"
        "<table width='100%'><tr><td class='nav'>首页 | 机构概况 | 政务公开 | 法治政府</td></tr>"
        f"<tr><td align='center' class='bt'><b>{title}</b></td></tr>"
        f"<tr><td class='zw'>{html.escape(lines[2])}</td></tr>"
        "<tr><td align='right'><a href='javascript:window.print()'>打印本页</a> "
        "<a href='javascript:window.close()'>关闭窗口</a></td></tr></table>"
        "<table><tr><td>版权所有：兰州市司法局　陇ICP备05000321号　网站标识码：6201000009</td>"
        "</tr></table></body></html>"
    )
    return page.encode("utf-8")


def qiaokou() -> bytes:
    """Seed 004: GBK bytes labelled gb2312 holding 硚 (outside GB2312), 更新时间 before 发布时间."""
    lines = [
        re.sub(r"(?<!硚)口区", "硚口区", line).replace("法治口", "法治硚口")
        for line in seed_lines("seed_004_qiaokou.txt")
    ]
    body = paragraphs(lines[4:50])
    page = (
        "<html><head><meta charset='gb2312'>"
        "<meta name='SiteName' content='武汉市硚口区人民政府'>"
        "<meta name='SiteIDCode' content='4201040001'>"
        "<meta name='ArticleTitle' content='硚口区2024年度法治政府建设情况报告'>"
        "<meta name='ContentSource' content='硚口区司法局'>"
        "<title>硚口区2024年度法治政府建设情况报告_武汉市硚口区人民政府</title></head><body>"
        "<div class='top'>今天是2025年12月2日 星期二</div>"
        "<div class='crumb'>当前位置：<a>首页</a> > <a>政务公开</a> > <a>法治政府建设</a></div>"
        f"<h2>{lines[0]}</h2><div class='info'>{lines[2]}</div>"
        f"<!--ZJEG_RSS.content.begin--><meta name='ContentStart'>{body}"
        "<meta name='ContentEnd'><!--ZJEG_RSS.content.end-->"
        "<div class='qr'>扫一扫在手机上查看当前页面</div>"
        "<div class='tools'><a>收藏</a> <a>打印</a> <a>关闭</a></div>"
        + FOOTER.format(host="武汉市硚口区", icp="鄂", code="4201040001")
        + "</body></html>"
    )
    return page.encode("gbk")


def anzhou_news() -> bytes:
    """A news item on seed 000's site that mentions the report: not the report itself."""
    page = (
        "<html><head><meta charset='utf-8'>"
        "<title>区政府召开第15次常务会议 审议《2022年法治政府建设年度报告》-绵阳市安州区人民政府"
        "</title></head><body>"
        "<div class='crumb'>您的位置:<a href='/'>首页</a> > <a>政务动态</a> > <a>安州要闻</a></div>"
        "<h1 class='title'>区政府召开第15次常务会议 审议《2022年法治政府建设年度报告》</h1>"
        "<div class='info'>来源: 区政府办发布时间:2023-01-18 09:10浏览次数:<span>311</span></div>"
        "<div id='zoom'><p>1月17日，区长主持召开区政府第15次常务会议，审议《绵阳市安州区人民政府"
        "2022年法治政府建设年度报告》，研究部署2023年依法行政重点工作。</p>"
        "<p>会议强调，要坚持以习近平法治思想为指导，持续深化法治政府示范创建，"
        "确保年度报告按时向社会公开。</p></div>"
        "<div class='qr'>扫一扫在手机打开当前页</div>"
        + FOOTER.format(host="绵阳市安州区", icp="蜀", code="5107240001")
        + "</body></html>"
    )
    return page.encode("utf-8")


BUILDERS: dict[str, Callable[[], bytes]] = {
    "seed_000_anzhou.html": anzhou,
    "seed_001_docshare.html": docshare,
    "seed_002_kmdc.html": kmdc,
    "seed_003_lanzhou.html": lanzhou,
    "seed_004_qiaokou.html": qiaokou,
    "seed_000_anzhou_news.html": anzhou_news,
}


def main() -> None:
    PAGES.mkdir(exist_ok=True)
    for name, build in BUILDERS.items():
        (PAGES / name).write_bytes(build())
        print(f"wrote {PAGES / name}")


if __name__ == "__main__":
    main()
