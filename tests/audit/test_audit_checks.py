"""Each audit check (A…) on a small document built as text: the case it must flag, and the case it must not."""

from __future__ import annotations

import pytest

from jixiao.core.audit.checks import AUDIT_CATALOGUE
from jixiao.core.audit.source import Place, SourceText
from jixiao.io.catalogue import load_framework, load_risk_weights, load_rules
from jixiao.reading.audit import audit_source

HEAD = [
    "2022年度项目支出绩效自评表",
    "| 项目名称 | 科普专项 | 主管部门 | 市科协 | 实施单位 | 市科协 | 项目资金 (万元) |",
    "| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
]
INDICATORS = [
    "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |",
    "| 产出指标 | 数量指标 | 举办科普活动 | ≥50场 | 52场 | 50 | 50 |",
    "| 效益指标 | 社会效益指标 | 公众科学素质提升 | 有效 | 有效 | 30 | 30 |",
    "| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 95% | 10 | 10 |",
]


def audit(lines: list[str]) -> dict:
    source = SourceText("测试.txt", "txt")
    for number, text in enumerate(lines, start=1):
        source.add_line(text, Place(line=number))
    doc = audit_source(source, load_rules("mof-2020"), load_framework("mof-selfeval"), load_risk_weights())
    return doc.to_dict()


def ids(doc: dict) -> list[str]:
    return [f["id"] for f in doc["findings"]]


def message(doc: dict, check_id: str) -> str:
    return "\n".join(f["message"] for f in doc["findings"] if f["id"] == check_id)


def fund(total: str, *parts: str) -> list[str]:
    return [*HEAD, f"| 年度资金总额 | {total} |", *(f"| {p} |" for p in parts)]


def test_the_catalogue_ids_are_stable():
    assert list(AUDIT_CATALOGUE) == [
        "A001", "A002", "A003", "A004", "A005", "A006", "A007", "A008", "A009", "A010", "A011", "A012", "A013", "A014", "A015", "A016", "A017", "A018", "A019",
    ]  # fmt: skip


def test_a001_total_row_not_the_sum_of_its_parts():
    doc = audit([*fund("0 | 0 | 0 | 10 | 0 | 0", "其中:本年财政拨款 | 202.64 | 132.912 | 132.912"), *INDICATORS])
    assert "A001" in ids(doc)
    assert "全年执行数 0.00 万元，其下各行合计 132.912 万元" in message(doc, "A001")
    assert [f["id"] for f in doc["findings"]].count("A001") == 1
    ok = audit([*fund("50 | 50 | 50 | 10 | 100% | 10", "其中:本年财政拨款 | 50 | 50 | 50"), *INDICATORS])
    assert "A001" not in ids(ok)


def test_a002_fund_row_scored_above_its_rate():
    doc = audit([*fund("985.19 | 985.19 | 914.97 | 10 | 92.87% | 10"), *INDICATORS])
    assert "A002" in ids(doc)
    assert "应得 9.29 分，表中得分 10.00 分" in message(doc, "A002")
    ok = audit([*fund("985.19 | 985.19 | 914.97 | 10 | 92.87% | 9.29"), *INDICATORS])
    assert "A002" not in ids(ok)


def test_a003_target_met_but_points_lost_without_reason():
    rows = [*fund("50 | 50 | 50 | 10 | 100% | 10"), *INDICATORS]
    rows[-1] = "| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 95% | 10 | 7 |"
    doc = audit(rows)
    assert "A003" in ids(doc)
    assert "“群众满意度”目标 ≥90%，实际 95%，已达目标却只得 7.00 分" in message(doc, "A003")
    rows[-1] = "| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 95% | 10 | 7 | 抽样不足，扣3分 |"
    assert "A003" not in ids(audit(rows))


def test_a004_total_above_what_the_visible_scores_allow():
    rows = [*fund("50 | 50 | 50 | 10 | 100% | 10"), *INDICATORS[:3], "| 总分 | 100 | 98 | 优 |"]
    rows[-2] = "| 效益指标 | 社会效益指标 | 公众科学素质提升 | 有效 | 有效 | 30 | 20 |"
    doc = audit(rows)
    assert "A004" in ids(doc)
    assert "自评总分 98.00 分不能成立" in message(doc, "A004") and "合计最多 90.00 分" in message(doc, "A004")
    rows[-1] = "| 总分 | 100 | 90 | 优 |"
    assert "A004" not in ids(audit(rows))


def test_a005_a_stated_total_and_its_parts():
    doc = audit(["本项目共申请预算资金2026400元,其中村级组织运转400000元,村级事务补助960000元。"])
    assert "A005" in ids(doc)
    assert "所述总额 202.64 万元，所列各项 40.00 + 96.00 = 136.00 万元" in message(doc, "A005")
    assert "A005" not in ids(audit(["年初预算96万元,其中:办公经费31万元、委托业务费23万元、其他支出42万元。"]))


def test_a006_all_paid_then_less_paid():
    doc = audit(["项目资金2179万元目前已全部拨付。", "截止12月8日,已完成拨付2113.63万元,执行率97%。"])
    assert "A006" in ids(doc)
    assert "相差 65.37 万元" in message(doc, "A006")
    assert "A006" not in ids(audit(["项目资金2179万元目前已全部拨付。", "已完成拨付2179万元,执行率100%。"]))


def test_a007_one_fund_spelled_two_ways():
    doc = audit(
        [
            "“科技创新战略专项资金——区域创新能力提升”自评为优秀。",
            "附件:“科技发展战略专项资金——区域创新能力提升”绩效自评报告",
        ]
    )
    assert "A007" in ids(doc)
    assert "A007" not in ids(audit(["“科技创新战略专项资金——区域创新能力提升”自评为优秀。"]))


def test_a008_an_indicator_dated_outside_the_year():
    rows = [*fund("50 | 50 | 50 | 10 | 100% | 10"), *INDICATORS]
    rows.insert(-1, "| 产出指标 | 时效指标 | 2021年11月30日前完成资金支付 | 按时 | 按时 | 10 | 10 |")
    doc = audit(rows)
    assert "A008" in ids(doc)
    assert "2022 年度自评的指标" in message(doc, "A008") and "2021 年" in message(doc, "A008")


def test_a009_the_goal_and_the_target_count_the_same_thing_differently():
    rows = [
        *fund("50 | 50 | 50 | 10 | 100% | 10"),
        "| 年度总体目标 | 采购马铃薯原原种425万粒,建成原种基地400亩 |",
        *INDICATORS,
    ]
    rows.insert(-1, "| 产出指标 | 数量指标 | 免费发放原原种 | 550万粒 | 550万粒 | 10 | 10 |")
    doc = audit(rows)
    assert "年度总体目标写“采购马铃薯原原种425万粒”，指标“免费发放原原种”的年度指标值却为 550万粒" in message(
        doc, "A009"
    )
    rows[-2] = "| 产出指标 | 数量指标 | 免费发放原原种 | 425万粒 | 425万粒 | 10 | 10 |"
    assert "A009" not in ids(audit(rows))
    rows[-2] = "| 产出指标 | 数量指标 | 一级种薯繁育基地 | 8000亩 | 8000亩 | 10 | 10 |"  # another thing, another size
    assert "A009" not in ids(audit(rows))
    rows[-2] = "| 产出指标 | 数量指标 | 免费发放原原种 | ≥400万粒 | 425万粒 | 10 | 10 |"  # a bound the goal meets
    assert "A009" not in ids(audit(rows))


@pytest.mark.parametrize("check_id", list(AUDIT_CATALOGUE))
def test_every_audit_check_has_a_counter_example_and_an_example(check_id):
    doc = AUDIT_CATALOGUE[check_id].func.__doc__ or ""
    assert "反例" in doc and "正例" in doc


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "| 项目 | 年初预算数 | 全年预算数 | 全年执行数 |",
                "|---|---|---|---|",
                "| 年度资金总额 | -153万元 | -153万元 | 100万元 |",
            ],
            [
                ("A010", "第3行", "年初预算数（万元）读作 -153，不可能成立，未计入评价"),
                ("A010", "第3行", "全年预算数（万元）读作 -153，不可能成立，未计入评价"),
            ],
        ),
        (
            ["项目年度预算资金99999999999999999999999999999万元，执行数100万元。"],
            [("A010", "第1行", "全年预算数（万元）读作 1.000E+29，不可能成立，未计入评价")],
        ),
    ],
    ids=["negative", "beyond-any-budget"],
)
def test_an_impossible_figure_is_a_finding_not_a_crash(lines: list[str], expected: list[tuple[str, str, str]]) -> None:
    """A010: the figure is reported where it was read and left out of the evaluation (the audit does not fail)."""
    doc = audit(lines)
    assert doc["error"] is None
    found = [(f["id"], f["location"], f["message"].split("；")[0]) for f in doc["findings"] if f["id"] == "A010"]
    assert found == expected
    assert doc["facts"]["budget_wan"] is not None  # what was read is still shown as read
