"""The Word report: outline, figures, tables and official-document typography, read back from real files.

What separates the official report from the internal review version is in ``test_report_versions``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from lxml import etree

from jixiao.core.result import EvaluationResult
from jixiao.io.report.body import EMPTY
from jixiao.io.report.chart import chart_rows, render_chart
from jixiao.io.report.docx import report_title, write_report_docx
from tests.conftest import make, run

#: the seed's fund picture: 153 万元 budgeted, 100 arrived and spent, and a claimed 100 分 “优秀”
FUNDS_153 = [
    {
        "source": "current",
        "detail": "市财政拨款",
        "initial_budget_wan": 153,
        "annual_budget_wan": 153,
        "arrivals": [{"amount_wan": 60, "date": "2022-03-15"}, {"amount_wan": 40, "date": "2022-09-20"}],
        "executed_wan": 100,
    }
]
CLAIMS_153 = {"total_score": 100, "grade": "优秀", "arrival_rate_pct": "65.36%", "spend_rate_pct": "100%"}

#: every part of the outline filled in
RICH = {
    "project": {
        "name": "科普专项经费",
        "year": 2022,
        "department": "湛江市科学技术协会",
        "unit": "湛江市科学技术协会",
        "background": "市科协是湛江市科技工作者的群众组织。\n实施科普法律法规和全民科学素质行动计划。",
        "basis": [
            {"title": "中华人民共和国科学技术普及法"},
            {"title": "湛江市级科普专项资金管理暂行办法", "number": "湛财工〔2014〕54号"},
        ],
        "content_items": ["加强科普能力建设", "推动和完善青少年科技教育模式"],
        "implementation": "各项活动按计划实施。",
        "expected_input_wan": 153,
        "expected_input_source": "市财政拨款",
    },
    "funds": FUNDS_153,
    "allocations": [
        {"recipient": "湛江市农村专业技术协会等", "amount_wan": 23, "purpose": "重点学术活动项目", "count": 19},
        {"recipient": "廉江市科协", "amount_wan": 7, "purpose": "3+1 工作"},
    ],
    "goals": [
        {"kind": "overall", "expected": "开展科普活动，提升公民科学素质", "actual": "全年开展科普活动 120 场"},
        {"kind": "phase", "title": "重点人群", "expected": "扎实开展重点人群科学素质行动"},
    ],
    "outputs": [
        {"title": "红树林科普知识大赛", "date": "2022-06-01", "participants": 6115, "indicator": "答题人数"},
        {"title": "学术交流活动", "count": 100, "count_unit": "场", "approximate": True, "amount_wan": 23},
    ],
    "surveys": [{"id": "s1", "title": "参与群众满意度调查", "respondents": 200, "satisfied": 190, "method": "问卷"}],
    "organisation": {
        "evaluated_object": "科学普及知识、学术交流、青少年科技教育活动等活动",
        "scope": "本年度组织实施开展学术交流，普及科学知识",
        "method": "根据项目支出绩效自评指标评分表进行评分",
        "framework_description": "财政支出绩效评价指标体系",
        "leadership": [
            {"role": "组长", "name": "郭荣波", "position": "主席"},
            {"role": "副组长", "name": "王宏彪", "position": "副主席"},
        ],
        "deadline": "2023-04-20",
        "steps": ["成立领导小组", "开展评价", "结果汇总"],
        "documents": ["项目支出绩效自评报告", "项目支出绩效自评基础数据表"],
    },
    "narrative": {
        "conclusion": "年初工作目标任务全部完成，群众满意度较高。",
        "fund_arrival": "预算安排153万元，财政资金划拨100万元。",
        "fund_execution": "共使用经费100万元。",
        # 25 hanzi after the two-character indent, then a ， that hangs at the line end (see test_pdf)
        "fund_management": "本项目严格按照相关的程序执行，在项目管理上严格把关，确保项目高质量、有效、快速、安全地顺利进行。",
        "performance": "各项工作稳步推进。",
        "satisfaction": "项目相关方满意度较高。",
        "experience": ["项目制度健全", "2、项目整体执行情况良好"],
        "problems": ["基层科普设施还比较薄弱"],
        "improvements": ["更加全面、细致地制定绩效目标"],
        "result_use": "该项目自评结果将按照相关要求依法依规进行公开，接受社会监督。",
    },
    "claims": CLAIMS_153,
    "notes": ["第二笔资金的到位日期取自市财政局拨款通知，报告原文未写"],
    "explanations": {"S006@claims.total_score": "自评时按到位资金计算执行率，已按全年预算数复核"},
}

OUTLINE = [
    "一、基本情况",
    "二、绩效自评工作开展情况",
    "三、绩效自评结果",
    "四、项目资金使用绩效",
    "五、主要经验及做法、存在的问题及原因分析",
    "六、改进意见",
    "七、绩效自评结果拟应用和公开情况",
]
REVIEW_OUTLINE = [*OUTLINE, "附件1：一致性检查发现", "附件2：录入说明"]


def rich_result() -> EvaluationResult:
    return run(make(**RICH))


def minimal_result() -> EvaluationResult:
    """Only the project name and year: every part of the outline is empty."""
    return run({"project": {"name": "空白项目", "year": 2023}})


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[EvaluationResult, docx.document.Document, Path]:
    """The official report of the rich evaluation."""
    result = rich_result()
    path = write_report_docx(result, tmp_path_factory.mktemp("docx") / "rich.docx")
    return result, docx.Document(str(path)), path


@pytest.fixture(scope="module")
def rich_review(tmp_path_factory: pytest.TempPathFactory) -> tuple[EvaluationResult, docx.document.Document, Path]:
    """The review version of the rich evaluation."""
    result = rich_result()
    path = write_report_docx(result, tmp_path_factory.mktemp("docx") / "rich-review.docx", variant="review")
    return result, docx.Document(str(path)), path


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_with(document: docx.document.Document, first_header: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(f"没有首列为“{first_header}”的表格")


def row_named(rows: list[list[str]], name: str) -> list[str]:
    return next(r for r in rows if name in r)


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


def test_title_and_outline_in_order(rich):
    result, document, _ = rich
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text.replace("\n", "") == "2022年度科普专项经费项目支出绩效自评报告"
    assert report_title(result).replace("\n", "") == document.core_properties.title
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == OUTLINE
    level2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert level2[:2] == ["（一）项目概况", "（二）绩效目标"]


def test_basic_information(rich):
    _, document, _ = rich
    body = texts(document)
    assert "（1）《中华人民共和国科学技术普及法》" in body
    assert "（2）《湛江市级科普专项资金管理暂行办法》（湛财工〔2014〕54号）" in body
    assert "本项目（科普专项经费）的主管部门和实施单位均为湛江市科学技术协会。" in body
    assert "2022年科普专项经费预期投入153.00 万元，资金来源：市财政拨款。" in body
    assert "实施科普法律法规和全民科学素质行动计划。" in body  # each line of the background its own paragraph
    assert "开展科普活动，提升公民科学素质" in body
    assert "重点人群：扎实开展重点人群科学素质行动" in body


def test_work_organisation(rich):
    _, document, _ = rich
    body = texts(document)
    assert "自评对象：科学普及知识、学术交流、青少年科技教育活动等活动" in body
    assert "于2023年4月20日前完成自评工作。" in body
    assert "（1）成立领导小组" in body and "（3）结果汇总" in body
    group = table_with(document, "序号")
    assert group[1] == ["1", "组长", "郭荣波", "主席"]
    assert any("等级划分：90.00（含）—100.00分为优" in t for t in body)


def test_fund_table_rows_and_total(rich):
    _, document, _ = rich
    rows = table_with(document, "资金来源")
    assert [h.replace("\n", "") for h in rows[0]] == [
        "资金来源",
        "年初预算数（万元）",
        "全年预算数（万元）",
        "实际到位（万元）",
        "全年执行数（万元）",
    ]
    assert rows[1] == ["当年财政拨款（市财政拨款）", "153.00", "153.00", "100.00", "100.00"]
    assert rows[-1] == ["合计", "153.00", "153.00", "100.00", "100.00"]


def test_fund_rates_with_formula_and_inputs(rich, rich_review):
    result, document, _ = rich
    body = "\n".join(texts(document))
    for figure in (result.funds.arrival_rate, result.funds.spend_rate, result.funds.execution_rate):
        assert figure.explanation.text() in body
    assert (
        "资金到位率：实际到位资金 ÷ 全年预算数 × 100% = 65.36%（实际到位资金 100.00 万元；全年预算数 153.00 万元）"
        in body
    )
    assert "当年财政拨款于2022年3月15日到位60.00 万元。" in body
    # the unit's own figures beside the computed ones are for the reviewer, not for the official report
    assert "单位报告所述" not in body
    assert "单位报告所述：资金到位率65.36%，支出率100.00%。" in "\n".join(texts(rich_review[1]))


def test_allocations_table(rich):
    _, document, _ = rich
    rows = next(
        [[c.text for c in r.cells] for r in t.rows]
        for t in document.tables
        if t.rows[0].cells[1].text == "接收单位/对象"
    )
    assert rows[1] == ["1", "湛江市农村专业技术协会等", "23.00", "重点学术活动项目", "19"]
    assert rows[-1][:3] == ["合计", "合计", "30.00"]  # 合计 spans 序号 and 接收单位


def test_claimed_and_computed_scores_both_stated(rich):
    result, document, _ = rich
    body = texts(document)
    assert "单位自评总分：100.00分，自评等级：优秀。" in body
    assert (
        "按“财预〔2020〕10号 项目支出绩效自评”评分规则和“项目支出绩效自评表（财预〔2020〕10号 附1）”指标体系计算："
        "总分 96.54 分，等级“优”，比单位自评低 3.46 分。"
    ) in body
    assert f"计算过程：{result.total.explanation.text()}。" in body
    summary = table_with(document, "口径")
    assert summary[1][:3] == ["单位自评", "100.00", "优秀"]
    assert summary[2][:3] == ["按评分规则计算", "96.54", "优"]


def test_indicator_score_table(rich):
    result, document, _ = rich
    rows = table_with(document, "一级\n指标")
    assert [h.replace("\n", "") for h in rows[0]] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "实际完成值",
        "自评得分",
        "计算得分",
        "计算依据",
    ]
    execution = row_named(rows, "预算执行率")
    assert execution[3:8] == ["10.00", "100%", "65.36%", "—", "6.54"]  # the 附1 target as the table prints it
    score = result.score_of(("产出指标", "数量指标", "科普活动场次"))
    leaf = row_named(rows, "科普活动场次")
    assert leaf[:8] == [
        "产出指标",
        "数量指标",
        "科普活动场次",
        "30.00",
        "≥100场",
        score.indicator.actual,
        "30.00",
        "30.00",
    ]
    assert score.explanation.formula in leaf[8] and "完成率" in leaf[8]
    # the merged 一级 cell continues into the next leaf's row
    assert row_named(rows, "答题人数")[:2] == ["产出指标", "数量指标"]
    total, note = rows[-2:]
    # the unit gave no self-score on the 预算执行率 row, so its column is not added up; its stated 100 is named
    assert total[0] == "合计" and total[3] == "100.00" and total[6:8] == ["不完整", "96.54"]
    assert "单位所述自评总分 100.00 分，计算得分比单位自评低 3.46 分" in total[8]
    assert set(note) == {
        f"注：计算得分按“{result.rules.name}”计算；加粗的计算得分与自评得分相差超过0.50分；"
        "“按自评”表示该指标无法计算，总分中计入单位自评分（超过可得档次上限的按上限计入）。"
    }
    for score in result.indicators:
        assert any(score.explanation.formula in row[8] for row in rows)


def test_chart_is_embedded_with_single_spacing(rich):
    _, document, _ = rich
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Mm(150)
    picture = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    assert picture.style.name == "图片"
    assert picture.style.paragraph_format.line_spacing == 1.0
    assert picture.style.paragraph_format.first_line_indent == 0
    assert "图1　各一级指标分值与得分" in texts(document)


def test_outputs_and_surveys(rich):
    _, document, _ = rich
    outputs = table_with(document, "序号")  # the leadership table comes first
    outputs = next(
        [[c.text for c in r.cells] for r in t.rows] for t in document.tables if t.rows[0].cells[2].text == "活动/产出"
    )
    assert outputs[1] == ["1", "2022年6月1日", "红树林科普知识大赛", "—", "6115", "—", "答题人数"]
    assert outputs[2][2:4] == ["学术交流活动", "100场（约数）"] and outputs[2][5] == "23.00"
    surveys = table_with(document, "调查名称")
    assert surveys[1] == ["参与群众满意度调查", "问卷", "200", "190", "95.00%"]


def test_closing_sections(rich):
    _, document, _ = rich
    body = texts(document)
    assert "（1）项目制度健全" in body
    assert "（2）项目整体执行情况良好" in body  # a mix of numbered and unnumbered items is renumbered alike
    assert "（1）更加全面、细致地制定绩效目标" in body
    assert "该项目自评结果将按照相关要求依法依规进行公开，接受社会监督。" in body


def test_items_that_bring_their_own_numbers_keep_them(tmp_path):
    narrative = {"improvements": ["1.加强业务学习", "2.严肃财经纪律"], "problems": ["2022年预算不确定因素多"]}
    document = docx.Document(str(write_report_docx(run(make(narrative=narrative)), tmp_path / "n.docx")))
    body = texts(document)
    assert ["1.加强业务学习", "2.严肃财经纪律"] == body[body.index("六、改进意见") + 1 : body.index("六、改进意见") + 3]
    assert "（1）2022年预算不确定因素多" in body  # a year is not an item number


def test_review_version_lists_every_finding_in_words_with_the_units_explanation(rich_review):
    result, document, _ = rich_review
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == REVIEW_OUTLINE
    rows = table_with(document, "编号")
    assert rows[0] == ["编号", "级别", "问题", "位置", "单位说明"]
    assert [r[0] for r in rows[1:]] == [f.id for f in result.findings]
    s006 = rows[1]
    assert s006[:4] == ["S006", "错误", result.findings[0].message, "单位自述 · 自评总分"]
    assert s006[4] == "自评时按到位资金计算执行率，已按全年预算数复核"
    assert row_named(rows, "S008")[3:] == ["绩效指标", "未说明"]  # an error the unit has not explained
    assert row_named(rows, "F005")[3:] == ["项目资金", "—"]
    assert row_named(rows, "T002")[3] == "绩效目标第 2 项 · 实际完成情况"
    body = texts(document)
    assert (
        "按“财预〔2020〕10号 项目支出绩效自评”对本报告数据进行一致性检查，共发现6条（错误3条、警告3条），其中2条错误单位尚未说明。"
        in body
    )
    for heading in ("附件1：一致性检查发现", "附件2：录入说明"):
        assert next(p for p in document.paragraphs if p.text == heading).paragraph_format.page_break_before
    assert body[body.index("附件2：录入说明") + 1] == "（1）第二笔资金的到位日期取自市财政局拨款通知，报告原文未写"


def test_empty_parts_read_none_in_the_official_report_and_not_filled_in_for_the_reviewer(tmp_path):
    result = minimal_result()
    official = docx.Document(str(write_report_docx(result, tmp_path / "empty.docx")))
    review = docx.Document(str(write_report_docx(result, tmp_path / "empty-review.docx", variant="review")))
    for document, empty in ((official, "无"), (review, EMPTY)):
        body = texts(document)
        after = {h: body[body.index(h) + 1] for h in ("六、改进意见", "七、绩效自评结果拟应用和公开情况")}
        assert after == {"六、改进意见": empty, "七、绩效自评结果拟应用和公开情况": empty}
        assert body.count(empty) >= 20
        assert f"项目资金：{empty}" in body
        assert len(document.inline_shapes) == 0  # no indicators, no chart
    official_text = "\n".join(texts(official))
    assert EMPTY not in official_text and "未填写" not in official_text
    assert "单位自评总分：未填写，自评等级：未填写。" in texts(review)


def four_level_result() -> EvaluationResult:
    """The 广东 four-level framework, whose points are the unit's own, with a long qualitative 完成值."""

    def leaf(name: str, points: int, target: str, actual: str) -> dict:
        return {"name": name, "points": points, "target": target, "actual": actual, "claimed_score": points}

    tree = [
        {
            "name": "产出",
            "points": 60,
            "children": [
                {
                    "name": "效率性",
                    "points": 60,
                    "children": [
                        {"name": "完成进度", "points": 60, "children": [leaf("活动完成", 60, "≥100场", "120场")]}
                    ],
                }
            ],
        },
        {
            "name": "效益",
            "points": 40,
            "children": [
                {
                    "name": "效果性",
                    "points": 40,
                    "children": [
                        {
                            "name": "社会效益",
                            "points": 40,
                            "children": [
                                leaf(
                                    "公民科学素质",
                                    40,
                                    "明显提升",
                                    "达成年度指标：全年开展科普活动，覆盖全市各县（市、区），群众反响良好",
                                )
                            ],
                        }
                    ],
                }
            ],
        },
    ]
    return run(make(framework="guangdong-4level", indicators=tree, framework_note="分值取自市财政局 2022 年模板"))


def test_unofficial_points_are_called_the_units_configuration(tmp_path):
    result = four_level_result()
    assert not result.framework.points_official
    document = docx.Document(str(write_report_docx(result, tmp_path / "gd.docx")))
    body = "\n".join(texts(document))
    assert (
        f"分值说明：“{result.framework.name}”的分值不是官方文件规定的分值，而是单位的配置。分值取自市财政局 2022 年模板"
        in body
    )
    rows = table_with(document, "一级\n指标")
    assert "预算执行率" not in [r[0] for r in rows]  # this framework scores execution inside the tree, if at all
    assert row_named(rows, "活动完成")[:4] == ["产出", "效率性", "完成进度", "活动完成"]


def test_a_four_level_table_gets_a_landscape_section(tmp_path):
    document = docx.Document(str(write_report_docx(four_level_result(), tmp_path / "gd.docx")))
    orientations = [str(s.orientation) for s in document.sections]
    assert orientations == ["PORTRAIT (0)", "LANDSCAPE (1)", "PORTRAIT (0)"]
    landscape = document.sections[1]
    assert (round(landscape.page_width.mm), round(landscape.page_height.mm)) == (297, 210)
    text_width = Length(landscape.page_width - landscape.left_margin - landscape.right_margin)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级\n指标")
    grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert 156 / 25.4 * 1440 < grid <= text_width.twips + 12
    for section in document.sections:  # every section shows the page number
        assert section.footer.paragraphs[0].text == "— 1 —"


# --------------------------------------------------------------------------------------------
# Typography
# --------------------------------------------------------------------------------------------


def _fonts(rpr) -> dict[str, str | None]:
    fonts = rpr.find(qn("w:rFonts"))
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia", "cs", "asciiTheme", "eastAsiaTheme")}


def test_page_is_a4_with_official_margins(rich):
    _, document, _ = rich
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_body_runs_are_fangsong_16pt_exact_28pt_with_two_char_indent(rich):
    _, document, _ = rich
    normal = document.styles["Normal"]
    assert _fonts(normal.element.rPr) == {
        "ascii": "仿宋_GB2312",
        "hAnsi": "仿宋_GB2312",
        "eastAsia": "仿宋_GB2312",
        "cs": "仿宋_GB2312",
        "asciiTheme": None,
        "eastAsiaTheme": None,
    }
    assert normal.font.size.pt == 16
    fmt = normal.paragraph_format
    assert fmt.line_spacing.pt == 28 and str(fmt.line_spacing_rule) == "EXACTLY (4)"
    ind = normal.element.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:firstLineChars")), ind.get(qn("w:firstLine"))) == ("200", "640")
    body = [p for p in document.paragraphs if p.style.name == "Normal" and p.text]
    assert len(body) > 40
    for paragraph in body:
        for r in paragraph.runs:
            # runs inherit from the style: no run names another font
            assert r.font.name in (None, "仿宋_GB2312")
            rpr = r._r.rPr
            assert rpr is None or rpr.find(qn("w:rFonts")) is None


def test_heading_and_title_fonts_without_theme_fonts(rich):
    _, document, path = rich
    expected = {
        "Title": ("方正小标宋简体", 22),
        "heading 1": ("黑体", 16),
        "heading 2": ("楷体_GB2312", 16),
        "heading 3": ("仿宋_GB2312", 16),
        "表格文字": ("宋体", 10),
        "表格文字（小）": ("宋体", 9),
    }
    for name, (font, size) in expected.items():
        style = document.styles[name]
        own = style.element.rPr.find(qn("w:rFonts"))
        base = style.base_style
        if own is None:  # 表格文字（小） takes the fonts of 表格文字
            own = base.element.rPr.find(qn("w:rFonts"))
        assert own.get(qn("w:eastAsia")) == font and own.get(qn("w:ascii")) == font and own.get(qn("w:hAnsi")) == font
        assert (style.font.size or base.font.size).pt == size
    assert document.styles["heading 3"].font.bold
    assert not document.styles["heading 1"].font.bold
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults") : styles.index("</w:docDefaults>")]
    assert "Theme" not in defaults
    assert 'w:eastAsia="zh-CN"' in defaults
    assert 'w:eastAsia="仿宋_GB2312"' in defaults


def test_tables_have_grid_widths_within_the_text_block(rich):
    _, document, _ = rich
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert grid and all(w > 0 for w in grid)
        assert sum(grid) <= round(156 / 25.4 * 1440) + len(grid)  # half a twip of rounding per column
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


#: child order of the WordprocessingML schema (ECMA-376 part 1, §17.3.1.26, §17.3.2.28, §17.4.66, §17.6.17):
#: Word refuses a document whose properties are out of order, LibreOffice does not, so test it here
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em "
    "lang eastAsianLayout specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
    "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
}


def test_properties_are_in_schema_order(rich, tmp_path):
    assert_schema_order(rich[2])
    assert_schema_order(write_report_docx(four_level_result(), tmp_path / "gd.docx"))  # with sections in paragraphs


def assert_schema_order(path: Path) -> None:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    order = {tag: names.split() for tag, names in SCHEMA_ORDER.items()}
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in parts:
            root = etree.fromstring(z.read(name))
            for tag, names in order.items():
                for element in root.iter(f"{w}{tag}"):
                    children = [c.tag.removeprefix(w) for c in element if c.tag.startswith(w)]
                    unknown = [c for c in children if c not in names]
                    assert not unknown, (name, tag, unknown)
                    positions = [names.index(c) for c in children]
                    assert positions == sorted(positions), (name, tag, children)


def test_footer_page_number_odd_right_even_left(rich):
    _, document, _ = rich
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert "PAGE" in paragraph._p.xml
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert footer.paragraphs[0].style.font.size.pt == 14


# --------------------------------------------------------------------------------------------
# Chart and determinism (speed is measured by bench/, not asserted here)
# --------------------------------------------------------------------------------------------


def test_chart_rows_sum_branches():
    result = rich_result()
    rows = chart_rows(result)
    assert [r.label for r in rows] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert [str(r.points) for r in rows] == ["10", "50", "30", "10"]
    assert str(rows[0].computed.quantize(rows[0].points / 1000)) == "6.54"
    assert rows[1].claimed == 50 and rows[1].computed == 50


def test_chart_is_a_deterministic_png():
    result = rich_result()
    first, second = render_chart(result), render_chart(rich_result())
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second


def test_same_result_same_document(tmp_path):
    result = rich_result()
    chart = render_chart(result)
    a = write_report_docx(result, tmp_path / "a.docx", chart)
    b = write_report_docx(result, tmp_path / "b.docx", chart)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            assert za.read(name) == zb.read(name), name
