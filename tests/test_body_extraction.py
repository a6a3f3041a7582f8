"""Body extraction on small hand-written pages: container choice, link lists, no empty output."""

from crawler.extraction.page import extract_page

ARTICLE = (
    "<p>3月5日，某某区召开安全生产工作会议，部署下一阶段重点工作，要求各部门压实责任。</p>"
    "<p>会议指出，要坚持问题导向，扎实开展隐患排查整治，确保全区安全形势稳定。</p>"
)


def body_of(html: str) -> str:
    return extract_page(html.encode("utf-8"), "https://www.example.gov.cn/art/1.html").text


def page(body: str) -> str:
    return f"<html><head><title>某某区召开会议</title></head><body>{body}</body></html>"


def test_script_filled_container_falls_back_to_the_article() -> None:
    text = body_of(page(f'<div class="TRS_Editor"></div><div class="main">{ARTICLE}</div>'))
    assert "扎实开展隐患排查整治" in text


def test_container_of_widgets_only_falls_back_to_the_article() -> None:
    widgets = '<div id="content"><span>分享到：</span><span>【打印本页】</span></div>'
    text = body_of(page(f'{widgets}<div class="main">{ARTICLE}</div>'))
    assert "扎实开展隐患排查整治" in text


def test_image_only_body_stays_empty() -> None:
    text = body_of(page('<div class="TRS_Editor"><img src="scan1.jpg"></div><p>网站地图</p>'))
    assert text == ""


def test_link_list_inside_the_container_is_dropped() -> None:
    related = "".join(f'<li><a href="/art/{n}.html">相关新闻标题第{n}条</a></li>' for n in range(5))
    text = body_of(page(f'<div class="TRS_Editor">{ARTICLE}<ul>{related}</ul></div>'))
    assert "扎实开展隐患排查整治" in text
    assert "相关新闻标题" not in text


def test_attachment_list_inside_the_container_is_kept() -> None:
    files = "".join(f'<li><a href="/f/{n}.pdf">附件{n}：实施细则</a></li>' for n in range(4))
    text = body_of(page(f'<div class="TRS_Editor">{ARTICLE}<ul>{files}</ul></div>'))
    assert "附件3：实施细则" in text


def test_copyright_and_breadcrumb_lines_are_chrome() -> None:
    footer = (
        "<p>现在位置： 首页 >> 东区新闻 >> 正文</p>"
        "<p>Copyright © 2000 - 2024 All Rights Reserved.</p>"
    )
    text = body_of(page(f'<div class="TRS_Editor">{ARTICLE}{footer}</div>'))
    assert "现在位置" not in text
    assert "Copyright" not in text


def test_comment_thread_inside_the_container_is_dropped() -> None:
    # Longer than the article, so trafilatura's own comment filter alone would lose the body.
    opinion = "说得好，支持一下这样的做法，希望各地都能学习借鉴并长期坚持下去。" * 3
    comments = f'<div class="comment-list"><p>网友甲：{opinion}</p><p>网友乙：{opinion}</p></div>'
    text = body_of(page(f'<div class="article-content">{ARTICLE}{comments}</div>'))
    assert "扎实开展隐患排查整治" in text
    assert "网友甲" not in text


def test_link_item_list_outside_any_container_is_dropped() -> None:
    items = "".join(
        f'<li>2021-01-{n:02d}<a href="/a/{n}.html">推荐阅读的另一篇文章标题第{n}条</a></li>'
        for n in range(1, 9)
    )
    text = body_of(
        page(f'<div class="main"><h1>某某区召开会议</h1>{ARTICLE}</div><ul>{items}</ul>')
    )
    assert "扎实开展隐患排查整治" in text
    assert "推荐阅读" not in text


def test_wrapper_of_a_short_article_and_a_link_list_keeps_the_article() -> None:
    links = "".join(
        f'<li><a href="/a/{n}.html">其他栏目新闻标题第{n}条</a></li>' for n in range(10)
    )
    short = '<img src="drill.jpg"><p>5月20日，某某镇组织开展防汛应急演练，检验预案可行性。</p>'
    text = body_of(page(f'<div id="content"><div class="wrap">{short}<ul>{links}</ul></div></div>'))
    assert "防汛应急演练" in text
    assert "其他栏目新闻标题" not in text
