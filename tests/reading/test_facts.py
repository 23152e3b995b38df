"""The identifying facts of a document — kind, year, project, unit, score — read from its labels, titles
and layout. Each example is a small made-up document in one of the layouts the readers meet: a table with
label and value in neighbouring cells, web text with one cell per line, cells run together by OCR, a
traditional-character mirror, a publishing site's header. What cannot be read with confidence stays None."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.audit.document import DocumentKind
from jixiao.reading.normalise import clean
from tests.reading.sources import fact_value, read_lines, read_table


def test_label_in_a_cell_and_value_in_the_next_cell():
    ex = read_table(
        ("项目支出绩效自评表", "", "", ""),
        ("(2023年度)", "", "", ""),
        ("项目名称", "乡村道路养护项目", "", ""),
        ("主管部门", "某县交通运输局", "实施单位", "某县公路管理站"),
        ("项目资金(万元)", "年初预算数", "全年预算数", "全年执行数"),
    )
    assert ex.kind is DocumentKind.TABLE
    assert fact_value(ex, "project") == "乡村道路养护项目"
    assert fact_value(ex, "unit") == "某县公路管理站"
    assert fact_value(ex, "year") == 2023


def test_one_cell_per_line_as_web_pages_give_tables():
    ex = read_lines(
        "项目支出绩效自评表",
        "(2022年度)",
        "项目名称",
        "农村饮水安全巩固提升资金",
        "主管部门",
        "某市水利局",
        "实施单位",
        "某市农村供水管理中心",
        "项目资金(万元)",
        "年初预算数",
    )
    assert fact_value(ex, "project") == "农村饮水安全巩固提升资金"
    assert fact_value(ex, "unit") == "某市农村供水管理中心"
    assert fact_value(ex, "year") == 2022


def test_label_synonyms_of_transfer_payment_tables():
    ex = read_lines(
        "中央财政耕地保护资金绩效目标自评表",
        "专项(项目)名称 | 耕地地力保护补贴",
        "中央主管部门 | 农业农村部 | 资金使用单位 | 某县农业技术推广中心",
    )
    assert fact_value(ex, "project") == "耕地地力保护补贴"
    assert fact_value(ex, "unit") == "某县农业技术推广中心"


@pytest.mark.parametrize(
    ("project_label", "unit_label", "score_label", "grade_label", "year_label"),
    [
        ("资金名称", "预算单位", "自评总得分", "绩效等级", "所属年度"),
        ("转移支付资金名称", "项目单位", "绩效自评得分", "自评结果等级", "项目年度"),
        ("项目(政策)名称", "填报单位", "自评得分", "评价等级", "自评年度"),
        ("专项(资金)名称", "项目承担单位", "自评得分", "自评等级", "评价年度"),
    ],
)
def test_other_provinces_names_for_the_identifying_labels(
    project_label, unit_label, score_label, grade_label, year_label
):
    ex = read_table(
        ("项目支出绩效自评表", "", "", ""),
        (year_label, "2023年", "", ""),
        (project_label, "乡村道路养护项目", "", ""),
        ("主管部门", "某县交通运输局", unit_label, "某县公路管理站"),
        (score_label, "92.5", grade_label, "优"),
        ("项目资金(万元)", "年初预算数", "全年预算数", "全年执行数"),
    )
    read = {name: fact_value(ex, name) for name in ("project", "unit", "self_score", "grade", "year")}
    assert read == {
        "project": "乡村道路养护项目",
        "unit": "某县公路管理站",
        "self_score": Decimal("92.5"),
        "grade": "优",
        "year": 2023,
    }


@pytest.mark.parametrize("gap", [" | ", "\t", "  "])
def test_the_total_row_gives_score_and_grade_whether_its_cells_are_bordered_tabbed_or_spaced(gap: str):
    row = gap.join(("其他需要说明事项", "无", "总分", "100", "96", "优"))
    ex = read_lines("项目支出绩效自评表", "一级指标 | 二级指标 | 三级指标", row)
    assert (fact_value(ex, "self_score"), fact_value(ex, "grade")) == (Decimal(96), "优")


def test_a_report_states_its_grade_as_the_result_of_the_evaluation():
    ex = read_lines("某某项目绩效自评报告", "一、基本情况", "本项目自评总得分93分，绩效评价结果为优秀。")
    assert (fact_value(ex, "self_score"), fact_value(ex, "grade")) == (Decimal(93), "优秀")
    assert fact_value(read_lines("某某项目绩效自评报告", "评价等级为中等。"), "grade") == "中"


def test_a_word_that_starts_with_a_grade_character_is_no_grade():
    assert fact_value(read_lines("某某项目绩效自评报告", "评价结果:中央资金使用规范。"), "grade") is None


def test_the_tables_cell_wins_over_a_title_that_wraps_it():
    ex = read_lines(
        "某县教育体育局学生资助项目绩效自评表", "项目名称 | 学生资助项目", "实施单位 | 某县学生资助管理中心"
    )
    assert fact_value(ex, "project") == "学生资助项目"
    assert fact_value(ex, "unit") == "某县学生资助管理中心"


def test_traditional_character_mirror_is_read_in_simplified_characters():
    ex = read_lines(
        "轉移支付(項目)名稱 | 動物防疫補助",
        "地方主管部門 | 省農業農村廳 | 資金使用單位 | 某市畜牧獸醫服務中心",
    )
    assert fact_value(ex, "project") == "动物防疫补助"
    assert fact_value(ex, "unit") == "某市畜牧兽医服务中心"


def test_cells_run_together_stop_at_the_next_label():
    ex = read_lines("2021年度项目自评表单位名称:某区水产站填报日期:项目名称渔船更新补助主管部门某区农业农村局项目类别1")
    assert ex.kind is DocumentKind.TABLE
    assert fact_value(ex, "project") == "渔船更新补助"
    assert fact_value(ex, "unit") == "某区水产站"
    assert fact_value(ex, "year") == 2021


def test_a_publishing_sites_header_is_not_the_tables_unit_nor_its_year():
    ex = read_lines(
        "索引号 | 11340000-2/202404-00012 | 发布机构 | 某市人民政府办公室",
        "发布日期: 2024年4月12日",
        "项目支出绩效自评表",
        "(2023年度)",
        "项目名称 | 疾病预防控制专项经费",
        "主管部门 | 某县卫生健康委员会 | 实施单位 | 某县疾病预防控制中心",
    )
    assert fact_value(ex, "unit") == "某县疾病预防控制中心"
    assert fact_value(ex, "year") == 2023


def test_a_budget_code_before_the_unit_is_not_part_of_its_name():
    ex = read_lines("项目名称 | 村级运转经费", "主管部门 | 某区财政局 | 实施单位 | 108001-某区某镇人民政府")
    assert fact_value(ex, "unit") == "某区某镇人民政府"


def test_a_list_of_tables_is_passed_over_for_the_table_itself():
    ex = read_lines(
        "某局本级单位项目绩效自评表清单",
        "序号",
        "项目名称",
        "备注",
        "1",
        "培训经费自评表",
        "项目支出绩效自评表",
        "项目名称",
        "职业技能培训补贴",
        "主管部门",
        "某市人力资源和社会保障局",
    )
    assert fact_value(ex, "project") == "职业技能培训补贴"


def test_a_label_whose_value_was_lost_does_not_take_the_next_tables_value():
    ex = read_lines(
        "财政项目支出绩效自评表 (2023年度) 项目名称 主管部门 某区体育局 年初预算数",
        "财政项目支出绩效自评表 (2023年度) 项目名称 对口支援经费 主管部门 某区体育局 年初预算数",
    )
    assert fact_value(ex, "project") is None


def test_a_value_printed_before_its_label_is_read_not_the_next_tables_value():
    # column order put the name (wrapped over two lines of its cell) between the title and its label
    ex = read_lines(
        "财政项目支出绩效自评表 (2023年度) 体育场馆运营 费用 项目名称 主管部门 某区体育局 年初预算数",
        "财政项目支出绩效自评表 (2023年度) 项目名称 对口支援经费 主管部门 某区体育局 年初预算数",
    )
    assert fact_value(ex, "project") == "体育场馆运营费用"


def test_a_row_of_column_headers_gives_no_value():
    ex = read_lines(
        "二、项目资金申报及使用情况",
        "项目名称 | 中央、省、县级财政资金 | 资金计划 | 资金到位情况",
    )
    assert fact_value(ex, "project") is None


def test_titles_that_disagree_on_the_year_leave_it_unread():
    ex = read_lines(
        "《某区林业局2022年度部门整体绩效自评表.docx》由会员分享,可在线阅读。",
        "1、某区林业局2023年度部门整体绩效自评表",
    )
    assert fact_value(ex, "year") is None
    assert fact_value(ex, "unit") == "某区林业局"


def test_the_tables_year_wins_over_a_year_inside_the_project_name():
    ex = read_lines(
        "2022年度项目支出绩效自评表",
        "项目名称 | 某区2021年高标准农田建设补助资金",
    )
    assert fact_value(ex, "year") == 2022
    assert fact_value(ex, "project") == "某区2021年高标准农田建设补助资金"


def test_a_title_gives_the_project_without_the_place_and_year_before_it():
    ex = read_lines("某某自治县2024年度中央对地方转移支付计划生育服务项目绩效自评表", "一级指标 | 二级指标 | 三级指标")
    assert fact_value(ex, "project") == "中央对地方转移支付计划生育服务项目"
    assert fact_value(ex, "year") == 2024


def test_a_cover_names_the_unit_below_the_reports_title():
    ex = read_lines(
        "2021年部门整体支出绩效评价报告",
        "某市城市管理和综合执法局",
        "根据有关文件精神,我局对本单位整体支出进行了绩效自评,现将具体情况报告如下:",
    )
    assert ex.kind is DocumentKind.DEPARTMENT
    assert fact_value(ex, "unit") == "某市城市管理和综合执法局"


def test_a_score_after_its_unit_and_in_the_next_cell():
    assert fact_value(
        read_lines("部门整体绩效自评表", "主管部门 | 某区林业局 | 自评总分(分) | 92.5"), "self_score"
    ) == Decimal("92.5")
    assert fact_value(read_lines("项目名称 | 某项目", "自评得分 | 96"), "self_score") == Decimal("96")


def test_a_score_label_followed_by_another_label_stays_unread():
    ex = read_lines("专项名称", "食品安全监管补助资金", "中央主管部门", "市场监管总局", "自评得分", "省级财政部门")
    assert fact_value(ex, "project") == "食品安全监管补助资金"
    assert fact_value(ex, "self_score") is None
    assert fact_value(ex, "unit") is None


def test_a_department_scoring_sheet_is_a_table_and_a_department_budget_is_department():
    sheet = read_lines(
        "某市部门整体支出绩效评价共性指标自评表", "单位(公章):某风景区管理处", "一级指标 | 二级指标 | 三级指标"
    )
    assert sheet.kind is DocumentKind.TABLE
    assert fact_value(sheet, "unit") == "某风景区管理处"
    budget = read_lines("部门整体支出绩效自评表", "部门(单位)名称 | 某镇人民政府", "基本支出 | 985.19 | 914.97")
    assert budget.kind is DocumentKind.DEPARTMENT
    assert fact_value(budget, "unit") == "某镇人民政府"


def test_a_report_that_carries_its_indicator_table_is_both():
    ex = read_lines(
        "一级指标",
        "二级指标",
        "三级指标",
        "产出指标",
        "数量指标",
        "宣传次数",
        "(三)项目自评步骤及方法",
        "围绕绩效目标,从项目的开展、成效等方面科学设定评价指标体系,采用公众评判、结果比较等方式进行评价。" * 3,
        "二、项目资金申报及使用情况",
        "(一)项目资金申报及批复情况。",
        "该项目于年初向财政局进行资金申报,根据有关文件申报资料进行审议,批复下达预算资金10万元。" * 2,
    )
    assert ex.kind is DocumentKind.BOTH


def test_a_value_before_an_unknown_label_counts_among_rows_of_labels():
    ex = read_lines(
        "项目支出绩效自评表",
        "项目名称 | 校舍维修改造 | 所属领域 | 教育",
        "主管部门 | 某县教育局 | 实施单位 | 某县第二小学",
    )
    assert fact_value(ex, "project") == "校舍维修改造"
    assert fact_value(ex, "unit") == "某县第二小学"


def test_a_report_with_its_table_further_on_among_its_sections_is_a_report():
    ex = read_lines(
        "某县2022年度科普活动项目绩效自评报告",
        "一、基本情况",
        "本项目由某县科学技术协会实施,全年开展科普活动一百余场,覆盖全县各乡镇。" * 3,
        "二、绩效指标完成情况",
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分",
        "产出指标 | 数量指标 | 科普活动场次 | 30 | 30",
    )
    assert ex.kind is DocumentKind.REPORT
    assert fact_value(ex, "year") == 2022


def test_a_document_sharing_sites_file_name_is_the_documents_own_title():
    ex = read_lines(
        "《某县2023年度农技推广项目绩效自评表.docx》由会员分享,可在线阅读。", "一级指标 | 二级指标 | 三级指标"
    )
    assert fact_value(ex, "year") == 2023
    assert fact_value(ex, "project") == "农技推广项目"


def test_a_department_wide_table_evaluates_the_department_it_names():
    ex = read_table(
        ("某县林业局 2022 年度部门整体支出绩效自评表", "", "", ""),
        ("主管部门", "某县林业局", "财政部门", "某县财政局"),
        ("年初预算数", "基本支出", "项目支出", "全年执行数"),
    )
    assert ex.kind is DocumentKind.DEPARTMENT
    assert fact_value(ex, "unit") == "某县林业局"
    assert ex.facts["unit"].note == "部门整体自评的评价对象即表中的主管部门"


def test_a_project_table_does_not_take_its_department_for_its_unit():
    ex = read_table(
        ("项目支出绩效自评表", "", "", ""),
        ("项目名称", "护林员补助", "", ""),
        ("主管部门", "某县林业局", "实施单位", ""),
    )
    assert ex.kind is DocumentKind.TABLE
    assert fact_value(ex, "unit") is None


def test_a_grade_in_the_cell_after_its_label_is_read():
    ex = read_table(
        ("项目支出绩效自评表", "", "", ""),
        ("项目名称", "护林员补助", "", ""),
        ("自评总分（分）", "85.5", "自评等级", "良"),
    )
    assert fact_value(ex, "grade") == "良"
    assert fact_value(ex, "self_score") == Decimal("85.5")


def test_entities_and_tags_a_page_s_copy_kept_are_not_text():
    ex = read_table(
        ("项目支出绩效自评表", ""),
        ("项目名称", "<p>乡村道路&nbsp;养护项目</p>"),
        ("实施单位", "某县&#20844;路管理站"),
    )
    assert (fact_value(ex, "project"), fact_value(ex, "unit")) == ("乡村道路养护项目", "某县公路管理站")


def test_a_comparison_written_with_angle_brackets_is_no_tag():
    assert clean("目标值<=5% 实际值>3%") == "目标值<=5% 实际值>3%"
    assert clean("目标值&lt;5%") == "目标值<5%"
