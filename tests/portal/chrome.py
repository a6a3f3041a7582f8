"""Page chrome that every Chinese government site shows around its content: breadcrumb,
font-size switch, QR and print links, and the footer with 主办单位/网站标识码/ICP备/版权所有."""

from html import escape

from tests.portal.site import SiteInfo


def breadcrumb(crumbs: list[tuple[str, str]]) -> str:
    """`crumbs` are (name, href) pairs after 首页; an empty href renders plain text."""
    links = ['<a href="/">首页</a>']
    for name, href in crumbs:
        links.append(f'<a href="{href}">{escape(name)}</a>' if href else escape(name))
    return f'<div class="position">您的位置：{" &gt; ".join(links)}</div>'


def font_switch() -> str:
    return (
        '<span class="font-size">字体：【<a href="javascript:doZoom(18)">大</a> '
        '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span>'
    )


def article_tools() -> str:
    return (
        '<div class="article-tools">'
        '<div class="qrcode"><img src="/images/qrcode.png" alt="">'
        "<p>扫一扫在手机打开当前页</p></div>"
        '<a href="javascript:window.print()">打印本页</a> '
        '<a href="javascript:window.close()">关闭窗口</a></div>'
    )


def footer(site: SiteInfo) -> str:
    return (
        '<div class="footer">'
        '<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>'
        f"<p>主办单位：{escape(site.sponsor)}　版权所有：{escape(site.name)}</p>"
        f"<p>网站标识码：{site.id_code}　"
        f'<a href="https://beian.miit.gov.cn/">{escape(site.icp)}</a></p>'
        "</div>"
    )


def paragraphs_html(paragraphs: tuple[str, ...]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
