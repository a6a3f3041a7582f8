"""Texts of the non-report articles that share the report lists: the look-alikes a
classifier must reject (信息公开年报, 工作要点, 实施方案, 解读, news about a report)."""


def disclosure_report(region: str, year: int) -> tuple[str, tuple[str, ...]]:
    return f"{region}{year}年政府信息公开工作年度报告", (
        "本报告根据《中华人民共和国政府信息公开条例》要求编制，内容包括总体情况、"
        "主动公开政府信息情况、收到和处理政府信息公开申请情况等。",
        f"一、总体情况。{year}年，{region}坚持以公开为常态、不公开为例外，"
        f"全年主动公开政府信息一千余条。",
        "二、存在的主要问题及改进情况。部分单位公开内容不够及时，下一步将加强培训和督查。",
    )


def work_points(region: str, year: int) -> tuple[str, tuple[str, ...]]:
    return f"{region}{year}年法治政府建设工作要点", (
        f"为深入推进依法行政，加快建设法治政府，结合{region}实际，制定{year}年工作要点如下。",
        "一、深入学习贯彻习近平法治思想。二、依法全面履行政府职能。三、严格规范公正文明执法。",
        "各单位要对照工作要点，细化工作措施，确保各项任务按时完成。",
    )


def implementation_plan(region: str) -> tuple[str, tuple[str, ...]]:
    return f"{region}法治政府建设实施方案（2021-2025年）", (
        f"为在新发展阶段持续深入推进依法行政，全面建设法治政府，结合{region}实际，制定本方案。",
        "一、总体要求。二、主要任务和具体措施。三、组织保障。",
        "到2025年，政府行为全面纳入法治轨道，法治政府建设取得重大进展。",
    )


def interpretation(report_title: str) -> tuple[str, tuple[str, ...]]:
    return f"关于《{report_title}》的解读", (
        f"近日，《{report_title}》正式公开发布。现就有关内容解读如下。",
        "一、报告的主要内容。报告总结了一年来法治政府建设的主要举措和成效，"
        "分析了存在的不足，提出了下一年度的工作安排。",
        "二、报告的亮点。行政执法“三项制度”全面落实，行政复议工作持续规范。",
    )


def meeting_news(region: str, year: int) -> tuple[str, tuple[str, ...]]:
    return f"{region}召开{year}年全面依法治区工作会议", (
        f"会议听取了《{region}{year - 1}年法治政府建设年度报告》起草情况汇报，"
        f"审议了{year}年工作要点。",
        "会议强调，要压紧压实党政主要负责人履行推进法治建设第一责任人职责，"
        "推动法治政府建设各项任务落地见效。",
    )
