"""Layouts of documents the readers had not met: a value printed before its label, a score cell spanning two rows
of a web table, a year stated only by cited allocation notices or by year-end deadlines, a department's scoring
sheet with no project, two different rates in one text, two different years in the titles, a rate printed as a
ratio, a 总分 row that lost its label, a report titled by its spending, and a name written with a compatibility form.
Each example is made up; what cannot be proved stays unread."""

from __future__ import annotations

from decimal import Decimal

from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.normalise import as_written
from tests.reading.sources import fact_value, read_lines, read_table, text_source

# ---- names as the document writes them ----------------------------------------------------------------------


def test_a_name_keeps_the_small_hyphen_the_document_prints():
    ex = read_table(
        ("项目支出绩效自评表", ""),
        ("项目名称", "河道治理资金\ufe63某河段清淤"),
        ("主管部门", "某县水利局"),
    )
    assert fact_value(ex, "project") == "河道治理资金\ufe63某河段清淤"


def test_a_name_written_plainly_stays_as_read():
    assert as_written("河道治理资金-某河段清淤", ["项目名称 河道治理资金-某河段清淤"]) == "河道治理资金-某河段清淤"


def test_full_width_brackets_are_given_back_as_printed():
    assert as_written("培训经费(第二批)", ["项目名称：培训经费（第二批）"]) == "培训经费（第二批）"


def test_a_name_converted_otherwise_keeps_its_cleaned_spelling():
    # traditional characters are not a compatibility form: the simplified name read is kept
    assert as_written("科学普及(二)", ["科學普及（二）"]) == "科学普及(二)"


# ---- a report titled by the spending it evaluates ------------------------------------------------------------


def test_a_report_titled_by_its_spending_names_the_project():
    ex = read_lines("2. 农机购置补贴支出绩效自评报告", "一、绩效目标分解下达情况", "某师2019年度预算资金60万元。")
    assert fact_value(ex, "project") == "农机购置补贴"


def test_a_line_that_goes_on_from_a_wrapped_line_is_no_title():
    ex = read_lines(
        "为做好2022年财政衔接推进乡村振兴资金项目绩效管理工作，按照要求开展了财",
        "政衔接推进乡村振兴资金项目绩效自评工作。我县2022年农村公路通村道路建设项目计划投资2179万元。",
    )
    assert fact_value(ex, "project") == "2022年农村公路通村道路建设项目"


def test_a_generic_spending_title_names_no_project():
    assert fact_value(read_lines("项目支出绩效自评报告", "一、基本情况"), "project") is None
    assert fact_value(read_lines("某局项目支出绩效自评报告", "一、基本情况"), "project") is None


# ---- department-wide material ---------------------------------------------------------------------------------


def test_a_department_report_title_gives_the_year_and_the_department_s_whole_spending():
    ex = read_lines(
        "2021年部门整体支出绩效评价报告",
        "某县住房和城乡建设局",
        "根据有关文件精神，我局对本单位整体支出进行了绩效自评，现将具体情况报告如下：",
        "一、基本情况",
    )
    assert fact_value(ex, "project") == "部门整体支出"
    assert fact_value(ex, "year") == 2021


def test_a_department_s_scoring_sheet_evaluates_its_whole_spending():
    ex = read_lines(
        "某区水务局2023年度部门整体绩效自评表主管部门某区水务局自评总分(分)95.5年初预算数全年预算数全年执行数",
        "一级指标二级指标三级指标",
    )
    assert fact_value(ex, "project") == "部门整体支出"


def test_a_project_table_is_not_taken_for_a_department_s_sheet():
    ex = read_lines("项目支出绩效自评表", "主管部门 | 某县水利局", "一级指标 | 二级指标 | 三级指标")
    assert fact_value(ex, "project") is None


# ---- a value printed before its label -------------------------------------------------------------------------


def test_a_project_name_printed_before_its_label_in_column_order():
    ex = read_lines(
        "财政项目支出绩效自评表 (2022 年度) 城区公园绿化养 护费用 项目名称 主管部门 某区绿化管理局 年初预算数 全年预算数",
    )
    assert fact_value(ex, "project") == "城区公园绿化养护费用"


def test_words_before_a_label_with_its_own_value_are_not_a_name():
    ex = read_lines("项目支出绩效自评表 (2022 年度) 填表说明 项目名称 城区公园绿化养护费用 主管部门 某区绿化管理局")
    assert fact_value(ex, "project") == "城区公园绿化养护费用"


def test_figures_before_a_lone_label_are_not_a_name():
    ex = read_lines("项目支出绩效自评表 (2022 年度) 250000.00 项目名称 主管部门 某区绿化管理局")
    assert fact_value(ex, "project") is None


# ---- a score cell spanning two rows of a web table ------------------------------------------------------------


def test_a_score_after_the_label_value_pairs_of_the_next_row():
    ex = read_lines(
        "某某补助资金区域绩效目标自评表",
        "专项名称",
        "某某补助资金",
        "中央主管部门",
        "某部",
        "自评得分",
        "省级财政部门",
        "某省财政厅",
        "省级主管部门",
        "某省某局",
        "96.5",
        "预算执行情况",
    )
    assert fact_value(ex, "self_score") == Decimal("96.5")


def test_a_run_of_labels_ending_in_words_gives_no_score():
    ex = read_lines(
        "某某补助资金区域绩效目标自评表",
        "自评得分",
        "省级财政部门",
        "某省财政厅",
        "预算执行情况",
        "95",
    )
    assert fact_value(ex, "self_score") is None


def test_a_number_over_one_hundred_after_the_pairs_is_no_score():
    ex = read_lines("某某资金绩效目标自评表", "自评得分", "省级财政部门", "某省财政厅", "120", "预算执行情况")
    assert fact_value(ex, "self_score") is None


# ---- the year where no title states it ----------------------------------------------------------------------


def test_the_year_of_the_budget_the_cited_allocation_notices_name():
    ex = read_lines(
        "一、绩效目标分解下达情况",
        "2021年11月9日收到《财政部关于提前下达2022年大气污染防治资金预算的通知》,"
        "2022年6月15日收到《财政部关于下达2022年大气污染防治资金预算(第二批)的通知》,共下达资金1000万元。",
    )
    assert fact_value(ex, "year") == 2022


def test_notices_naming_two_budget_years_leave_the_year_unread():
    ex = read_lines(
        "一、绩效目标分解下达情况",
        "2021年11月9日收到《财政部关于提前下达2022年大气污染防治资金预算的通知》,"
        "2022年6月15日收到《财政部关于下达2021年大气污染防治资金预算的通知》。",
    )
    assert fact_value(ex, "year") is None


def test_the_year_whose_end_the_indicator_deadlines_fall_on():
    ex = read_lines(
        "某某补助资金绩效目标自评表",
        "发布时间:2022-08-15",
        "一级指标",
        "二级指标",
        "三级指标",
        "时效指标",
        "专项工作完成时间",
        "2021年12月31日",
        "2021年12月31日",
    )
    assert fact_value(ex, "year") == 2021


def test_deadlines_in_two_years_leave_the_year_unread():
    ex = read_lines(
        "某某补助资金绩效目标自评表",
        "一级指标 | 二级指标 | 三级指标",
        "时效指标 | 完成时间 | 2021年12月31日 | 2022年12月31日",
    )
    assert fact_value(ex, "year") is None


def test_a_deadline_before_the_indicator_table_gives_no_year():
    ex = read_lines("某某补助资金绩效目标自评表", "资金于2021年12月31日前拨付", "一级指标 | 二级指标 | 三级指标")
    assert fact_value(ex, "year") is None


# ---- rates stated in sentences ---------------------------------------------------------------------------------


def test_one_rate_stated_twice_alike_is_read():
    ex = read_lines("一、基本情况", "中央补助资金执行率为98%。", "二、自评结论", "全年资金执行率为98%。")
    assert fact_value(ex, "execution_rate_pct") == Decimal(98)


def test_two_different_rates_leave_the_rate_unread():
    ex = read_lines(
        "一、基本情况",
        "收到中央补助资金15150.00万元,全部补助到各级政府,执行率为100%。",
        "地方应配套20971.00万元,实际配套到位资金104880.14万元,执行率为400.12%。",
    )
    assert fact_value(ex, "execution_rate_pct") is None


# ---- a glued fund row whose rate is printed as the ratio --------------------------------------------------------


def test_a_rate_printed_as_the_ratio_proves_the_cut_of_a_glued_row():
    ex = read_lines(
        "项目支出绩效自评表",
        "预算执行情况(万元)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)",
        "年度财政资金总额2.42.4120",
        "一级指标二级指标三级指标",
    )
    assert fact_value(ex, "budget_wan") == Decimal("2.4")
    assert fact_value(ex, "spent_wan") == Decimal("2.4")
    assert fact_value(ex, "execution_rate_pct") == Decimal(100)


def test_a_ratio_that_is_not_spent_over_budget_proves_nothing():
    ex = read_lines(
        "项目支出绩效自评表",
        "预算执行情况(万元)预算数(A)执行数(B)执行率(B/A)",
        "年度财政资金总额4.83.61",
        "一级指标二级指标三级指标",
    )
    assert fact_value(ex, "budget_wan") is None
    assert fact_value(ex, "spent_wan") is None


# ---- a 总分 row that lost its label ------------------------------------------------------------------------------


_SCRAMBLED_HEAD = (
    "项目支出绩效自评表 (2022 年度) 项目名称 绿化养护费用 主管部门 某区绿化管理局",
    "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分",
    "年度资金总额 | 50 | 50 | 40 | 10 | 80% | 8",
    "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
    "产出指标 | 数量指标 | 养护面积 | ≥100亩 | 100亩 | 40 | 40",
    "效益指标 | 社会效益指标 | 环境改善 | 明显 | 明显 | 30 | 28",
    "满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 92% | 20 | 20",
)


def test_a_total_pair_proven_by_the_sums_of_the_rows_is_the_score():
    ex = read_lines(*_SCRAMBLED_HEAD, "100 96 偏差原因 总分")
    assert fact_value(ex, "self_score") == Decimal(96)


def test_a_total_pair_the_sums_do_not_prove_is_not_read():
    ex = read_lines(*_SCRAMBLED_HEAD, "100 95 偏差原因 总分")
    assert fact_value(ex, "self_score") is None


# ---- two evaluation years ------------------------------------------------------------------------------------


def test_a_file_name_and_a_table_title_stating_different_years_leave_the_year_unread_and_warn() -> None:
    source = text_source(
        "《某区林业局2022年度部门整体绩效自评表.docx》由会员分享",
        "某区林业局2023年度部门整体绩效自评表",
        "一级指标 | 二级指标 | 三级指标",
    )
    settings = AuditSettings.load()
    doc = audit_source(source, settings.rules, settings.framework, settings.weights)
    assert doc.extraction is not None and "year" not in doc.extraction.facts
    found = [(f.id, f.message, f.location) for f in doc.findings if f.id == "A018"]
    message = "标题、表头或评价年度栏写了不同的评价年度：2022 年（第1行）、2023 年（第2行），评价的是哪一年请核对"
    assert found == [("A018", message, "第2行")]


def test_one_year_stated_twice_is_no_conflict() -> None:
    ex = read_lines("某区林业局2023年度部门整体绩效自评表", "（2023年度）", "一级指标 | 二级指标 | 三级指标")
    assert ex.year_conflict == [] and fact_value(ex, "year") == 2023
