"""Real documents are messy: the extractor copes, and leaves a value unread rather than read it wrong."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.audit.source import Place, SourceText
from jixiao.reading.extract import extract


def read(*lines: str) -> dict[str, object]:
    source = SourceText("测试.txt", "txt")
    for number, text in enumerate(lines, start=1):
        source.add_line(text, Place(line=number))
    ex = extract(source)
    return {name: fact.value for name, fact in ex.facts.items()}


def test_chinese_numerals_in_prose():
    facts = read("2022年某项目预算安排壹佰伍拾叁万元，财政资金划拨一百万元，共使用经费一百万元。")
    assert (facts["budget_wan"], facts["arrived_wan"], facts["spent_wan"]) == (Decimal(153), Decimal(100), Decimal(100))


def test_full_width_digits_and_punctuation():
    facts = read("２０２２年度某项目预算安排１５３万元，资金到位率６５．３６％。")
    assert facts["year"] == 2022
    assert facts["budget_wan"] == Decimal(153)
    assert facts["arrival_rate_pct"] == Decimal("65.36")


def test_amounts_in_yuan_and_yi_yuan():
    assert read("2022年项目预算安排1530000元。")["budget_wan"] == Decimal(153)
    assert read("2022年项目计划投资1.53亿元。")["budget_wan"] == Decimal(15300)


def test_traditional_characters_and_pinyin_glosses():
    facts = read("如皋市科學(xué)技術(shù)協會2020年科普活動項目年初預算96萬元,其中:辦公經費31萬元、會議費65萬元。")
    assert facts["year"] == 2020
    assert facts["budget_wan"] == Decimal(96)


def test_a_line_wrap_inside_a_number_and_its_unit():
    facts = read("本次自评分数和等级为：100", "", "分，优秀。")
    assert facts["self_score"] == Decimal(100) and facts["grade"] == "优秀"


def test_a_percentage_without_its_sign_in_a_fund_row():
    facts = read(
        "项目支出绩效自评表（2022年度）",
        "| 项目名称 | 某项目 | 项目资金 (万元) |",
        "| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
        "| 年度资金总额 | 50 | 50 | 48.6 | 10 | 97.2 | 9.72 |",
    )
    assert (facts["budget_wan"], facts["spent_wan"], facts["execution_rate_pct"]) == (
        Decimal(50),
        Decimal("48.6"),
        Decimal("97.2"),
    )


def test_cells_glued_by_pdf_text_are_split_by_the_standard_column_order():
    facts = read(
        "项目支出绩效自评表(2022年度)项目名称某项目项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分",
        "年度资金总额:50.0050.0048.601097.20%9.72",
        "年度总体目标",
    )
    assert facts["initial_budget_wan"] == Decimal("50.00")
    assert (facts["budget_wan"], facts["spent_wan"], facts["execution_rate_pct"]) == (
        Decimal("50.00"),
        Decimal("48.60"),
        Decimal("97.20"),
    )


def test_an_ambiguous_glued_run_is_left_unread_and_said_so():
    source = SourceText("测试.txt", "txt")
    lines = ("项目资金(万元)年初预算数全年预算数全年执行数", "年度资金总额:100100100", "年度总体目标")
    for number, text in enumerate(lines, start=1):
        source.add_line(text, Place(line=number))
    ex = extract(source)
    assert not {"initial_budget_wan", "budget_wan", "spent_wan"} & set(ex.facts)  # 100|100|100 or 10010|0|100?
    assert any("100100100" in note and "未读取" in note for note in ex.notes)


def test_a_glued_run_that_only_one_reading_fits_is_read():
    facts = read(
        "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分", "年度资金总额:5050501010010", "年度总体目标"
    )
    assert (facts["budget_wan"], facts["spent_wan"], facts["execution_rate_pct"]) == (
        Decimal(50),
        Decimal(50),
        Decimal(100),
    )


def test_a_date_is_not_the_evaluated_year():
    assert "year" not in read("填报日期:2022年2月3日", "部门整体支出绩效自评表")


def test_the_tail_of_an_earlier_table_is_not_read_as_this_one():
    facts = read(
        "| 产出指标 | 成本指标 | 成本控制数 | ≤ | 30 | 万元 | 完成 | 90 | 90 |",
        "| 合计 | 100 |",
        "| 部门预算项目支出绩效自评表(2023年度) |",
        "| 项目名称 | 安可替代补助资金项目 |",
        "| 预算执行情况(10分) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 |",
        "| 总额 | 0.00 | 3.36 | 3.36 | 100.00% | 10 | 10 |",
    )
    assert facts["project"] == "安可替代补助资金项目"
    assert facts["budget_wan"] == Decimal("3.36")


def test_a_whole_percentage_stored_as_a_fraction_reads_as_a_plain_number():
    facts = read(
        "项目支出绩效自评表（2022年度）",
        "| 项目名称 | 某项目 | 项目资金 (万元) |",
        "| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
        "| 年度资金总额 | 100 | 100 | 70 | 10 | 0.7 | 7 |",
    )
    assert facts["execution_rate_pct"] == Decimal(70)
    assert str(facts["execution_rate_pct"]) == "70"


def test_a_fund_table_laid_out_by_year_reads_by_its_column_heads():
    facts = read(
        "资金情况资金安排情况预算计划安排3339.58万元(含结转339.58万元)"
        "分年度明细年度预算计划安排实际安排额度2020年3339.58万元(含上年度结转339.58万元)3311.031861万元资金分配方法",
        "资金使用情况实际明细支出年度市本级支出市本级支出(其中:部门预算支出)转移支付县(区)支出"
        "2020年3311.031861946.15052364.881361按方向划分",
    )
    assert facts["budget_wan"] == Decimal("3339.58")
    assert facts["arrived_wan"] == Decimal("3311.031861")
    assert facts["spent_wan"] == Decimal("3311.031861")  # = 946.1505 + 2364.881361, the only reading that adds up


def test_a_year_row_whose_parts_do_not_add_up_is_left_unread():
    facts = read(
        "资金使用情况实际明细支出年度市本级支出转移支付县(区)支出2020年3311.031861946.15052364.881362按方向划分"
    )
    assert "spent_wan" not in facts


def test_a_report_in_another_province_s_words():
    facts = read(
        "2023年度某县农业农村局高标准农田建设项目绩效自评报告",
        "项目预算资金共计500万元，其中中央资金300万元、省级资金150万元、县级配套50万元。",
        "截至2023年12月31日，实际到位资金450万元，资金到位率90%，已支出420万元，预算执行率84%。",
        "经综合评定，该项目自评得分为92.5分，评价等级为“优”。",
    )
    assert (facts["project"], facts["unit"], facts["year"]) == ("高标准农田建设项目", "某县农业农村局", 2023)
    assert (facts["budget_wan"], facts["arrived_wan"], facts["spent_wan"]) == (Decimal(500), Decimal(450), Decimal(420))
    assert (facts["arrival_rate_pct"], facts["execution_rate_pct"]) == (Decimal(90), Decimal(84))
    assert (facts["self_score"], facts["grade"]) == (Decimal("92.5"), "优")


def test_an_adjusted_budget_is_the_budget_and_the_initial_one_is_kept_apart():
    facts = read(
        "关于2021年度城乡居民医疗救助资金绩效自评情况的报告",
        "我局2021年度城乡居民医疗救助资金年初预算1,250.00万元，调整后预算1,380.5万元，全年实际支出1,296.27万元，预算执行率为93.90%。",
        "项目绩效自评得分95分，自评等级：优秀。资金均按时足额到位。",
    )
    assert facts["project"] == "城乡居民医疗救助资金"
    assert (facts["initial_budget_wan"], facts["budget_wan"]) == (Decimal("1250.00"), Decimal("1380.5"))
    assert facts["spent_wan"] == Decimal("1296.27") and facts["execution_rate_pct"] == Decimal("93.90")
    assert (facts["self_score"], facts["grade"], facts["funds_timely"]) == (Decimal(95), "优秀", True)
