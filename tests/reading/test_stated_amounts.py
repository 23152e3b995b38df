"""Amounts a report states in its sentences: the nearest kind word decides, parts listed after 其中 are not the
whole, and the same words stating two amounts leave the kind unread."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.audit.source import Place, SourceText
from jixiao.reading.extract.amounts import find_stated_amounts, find_sum_statements
from jixiao.reading.extract.flat import flatten
from tests.reading.sources import fact_value, read_table


def stated(*lines: str) -> dict[str, Decimal]:
    text = SourceText(file="t.txt", format="txt")
    for number, line in enumerate(lines, start=1):
        text.add_line(line, Place(line=number))
    return {name: fact.value for name, fact in find_stated_amounts(flatten(text)).items()}


def test_the_kind_word_nearest_the_amount_decides():
    assert stated("经审核，批复下达预算资金10万元。") == {"budget_wan": Decimal(10)}


def test_money_paid_out_to_beneficiaries_is_spent():
    assert stated("实际完成改造264户，发放补助资金278.8万元。") == {"spent_wan": Decimal("278.8")}


def test_an_allocation_from_above_is_the_budget_not_an_arrival():
    # 下达 is the level above sharing out a budget; what reached the unit is said with 到位/划拨/到账
    assert stated("下达某某水污染防治资金共41470万元。") == {"budget_wan": Decimal(41470)}
    assert stated("中央年初下达资金合计2077万元。") == {"budget_wan": Decimal(2077)}
    assert stated("财政资金划拨100万元。") == {"arrived_wan": Decimal(100)}


def test_money_paid_is_spent_but_a_transfer_payment_is_a_kind_of_fund():
    assert stated("截至12月31日，已支付96万元。") == {"spent_wan": Decimal(96)}
    assert stated("中央转移支付资金120万元。") == {}


def test_money_passed_on_to_lower_levels_has_not_arrived():
    assert stated("1月份将省级补助资金99万元全部拨付各个县市区。") == {}
    assert stated("拨付至各乡镇资金50万元。") == {}
    assert stated("项目资金2179万元目前已全部拨付，及时安排到相关项目。") == {"arrived_wan": Decimal(2179)}


def test_an_amount_listed_after_its_total_s_qi_zhong_is_a_part_not_the_whole():
    found = stated("项目资金总预算为2455.5万元，其中部门预算项目支出87.5万元，专项预算支出2350万元。")
    assert found == {"budget_wan": Decimal("2455.5")}


def test_the_same_words_stating_two_amounts_leave_the_kind_unread():
    found = stated("地方实际到位资金104.14万元。", "全省实际到位资金120.03万元。")
    assert "arrived_wan" not in found


def test_a_total_named_only_by_he_ji_is_a_budget_when_nothing_else_names_it():
    assert stated("项目资金合计2089万元。") == {"budget_wan": Decimal(2089)}
    assert stated("全年预算执行数合计2089万元。") == {"spent_wan": Decimal(2089)}


def sums(*lines: str) -> list[tuple[Decimal, tuple[Decimal, ...]]]:
    text = SourceText(file="t.txt", format="txt")
    for number, line in enumerate(lines, start=1):
        text.add_line(line, Place(line=number))
    return [(s.total_wan, s.parts_wan) for s in find_sum_statements(flatten(text))]


def test_a_part_of_a_total_in_wan_yuan_may_drop_the_yuan_at_the_end_of_its_clause():
    found = sums("资金预算数60万元，其中包括上级补贴资金60万，上年结余资金12.664万元。")
    assert found == [(Decimal(60), (Decimal(60), Decimal("12.664")))]


def test_a_bare_wan_that_counts_something_else_is_no_part():
    assert sums("资金预算数60万元，其中服务60万人次，培训资金12万元。") == []


def test_a_table_of_label_and_figure_pairs_gives_its_amounts_where_the_label_names_wan():
    ex = read_table(
        ("某局 2022 年度部门整体支出绩效自评表", "", "", ""),
        ("年初预算数(万元)", "450", "全年预算数(调整后)(万元)", "480"),
        ("全年执行数(万元)", "456", "其中:基本支出(万元)", "303.2"),
        ("三公经费预算数(万元)", "10", "编制数(人)", "48"),
    )
    read = {name: fact_value(ex, name) for name in ("initial_budget_wan", "budget_wan", "spent_wan")}
    assert read == {"initial_budget_wan": Decimal(450), "budget_wan": Decimal(480), "spent_wan": Decimal(456)}
    assert ex.facts["budget_wan"].evidence.place.label() == "C2"


def test_a_label_without_its_unit_or_stated_twice_differently_gives_nothing():
    no_unit = read_table(("某局部门整体支出绩效自评表", ""), ("全年预算数", "4800000"))
    assert fact_value(no_unit, "budget_wan") is None  # 元 or 万元? not said
    twice = read_table(
        ("某局部门整体支出绩效自评表", "", "", ""), ("全年执行数(万元)", "456", "全年执行数(万元)", "465")
    )
    assert fact_value(twice, "spent_wan") is None


def test_a_total_split_over_two_lines_states_no_sum():
    assert sums("下达资金共4", "1470万元，其中第一批资金31374万元，第二批资金7096万元，第三批资金3000万元。") == []
