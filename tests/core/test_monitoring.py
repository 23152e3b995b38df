"""运行监控's formulas and warning rules: 序时进度 by month and by day, 预算执行率, completion so far, and every
rule of every shipped preset firing just past its boundary and not at it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jixiao.core.model import Likelihood
from jixiao.core.monitoring import (
    MonitoringRecord,
    assess,
    completion,
    evaluate,
    execution_rate,
    problems,
    time_progress,
    to_snapshot,
)
from jixiao.core.values import fmt
from jixiao.io.monitoring.presets import load_warning_preset, load_warning_presets

KEPU = "科普活动场次"


def record(
    date: str = "2022-07-31", budget: Any = 100, executed: Any = None, rows: list[dict] | None = None
) -> MonitoringRecord:
    return MonitoringRecord.model_validate(
        {
            "project": "科普专项经费",
            "year": 2022,
            "unit": "湛江市科学技术协会机关",
            "monitoring_date": date,
            "annual_budget_wan": budget,
            "executed_wan": executed,
            "indicators": rows or [],
        }
    )


def quantity(
    expected: str = "100场", completed: str | None = None, target: str = "≥100场", second: str = "数量指标"
) -> dict:
    return {"path": ["产出指标", second, KEPU], "target": target, "expected": expected, "completed": completed}


def fired(rec: MonitoringRecord, preset: str, rule_id: str) -> list[str]:
    return [w.message for w in evaluate(rec, load_warning_preset(preset)) if w.rule_id == rule_id]


# --------------------------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("date", "months", "pct"),
    [
        ("2022-07-31", 7, "58.33"),  # the end of July completes July
        ("2022-07-30", 6, "50.00"),  # a day short: July is not completed
        ("2022-01-15", 0, "0.00"),
        ("2022-12-31", 12, "100.00"),
        ("2024-02-29", 2, "16.67"),  # leap year: 29 February is February's last day
        ("2022-02-28", 2, "16.67"),
    ],
)
def test_time_progress_by_month_counts_the_months_completed(date: str, months: int, pct: str) -> None:
    formula = time_progress(dt.date.fromisoformat(date), "month")
    assert formula.numerator == months and formula.denominator == 12
    assert fmt(formula.value_pct) == pct


@pytest.mark.parametrize(
    ("date", "day", "days", "pct"),
    [
        ("2022-07-31", 212, 365, "58.08"),
        ("2024-07-31", 213, 366, "58.20"),  # leap year: one day more before, one more in the year
        ("2024-02-29", 60, 366, "16.39"),
        ("2024-12-31", 366, 366, "100.00"),
        ("2022-01-01", 1, 365, "0.27"),
    ],
)
def test_time_progress_by_day_is_day_of_year_over_days_in_year(date: str, day: int, days: int, pct: str) -> None:
    formula = time_progress(dt.date.fromisoformat(date), "day")
    assert (formula.numerator, formula.denominator) == (day, days)
    assert fmt(formula.value_pct) == pct


def test_formulas_are_shown_with_their_inputs() -> None:
    assert execution_rate(Decimal("53.55"), Decimal(153)).text == (
        "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%"
    )
    assert time_progress(dt.date(2022, 7, 31)).text == "序时进度 = 已过月数 7 个月 ÷ 全年月数 12 个月 = 58.33%"
    assert execution_rate(Decimal(0), Decimal(0)).value_pct is None


def test_completion_so_far_of_a_numeric_indicator() -> None:
    done = completion("≥100场", "45场")
    assert done is not None and done.value_pct == Decimal(45) and done.unit == "场"
    assert completion("具备科学素质的公民比例提高", "调查尚未开展") is None
    assert completion("≥100场", None) is None


# --------------------------------------------------------------------------------------------- the default preset


def test_the_lag_warning_names_the_numbers() -> None:
    (message,) = fired(record(budget=153, executed="53.55"), "default", "lag")
    assert message == (
        "预算执行率 35.00%（执行数 53.55 万元 ÷ 全年预算数 153.00 万元）低于序时进度 58.33%"
        "（已过月数 7 个月 ÷ 全年月数 12 个月）达 23.33 个百分点，超过本系统默认规定的 15 个百分点"
    )


@pytest.mark.parametrize("preset", ["default", "taiyuan-2020"])
def test_lag_fires_past_n_points_not_at_n(preset: str) -> None:
    # 2022-06-30: 序时进度 50%; 15 points behind is 35%
    assert fired(record("2022-06-30", executed=35), preset, "lag") == []
    assert fired(record("2022-06-30", executed="34.99"), preset, "lag")


@pytest.mark.parametrize("preset", ["default", "taiyuan-2020"])
def test_large_projects_at_or_below_60_percent_at_the_end_of_august(preset: str) -> None:
    # 200 万元以上, 60% 以下: both bounds included (以上/以下 include the number)
    message = fired(record("2022-08-31", budget=200, executed=120), preset, "large-project")
    assert message and "200 万元以上" in message[0] and "60.00%" in message[0] and "8 月底" in message[0]
    assert fired(record("2022-08-31", budget=200, executed="120.01"), preset, "large-project") == []
    assert fired(record("2022-08-31", budget="199.99", executed=50), preset, "large-project") == []
    assert fired(record("2022-08-30", budget=500, executed=100), preset, "large-project") == []  # August not over
    assert fired(record("2022-10-31", budget=500, executed=100), preset, "large-project")  # later dates too


def test_quantity_indicator_30_percent_short_of_its_target_by_the_full_year_forecast() -> None:
    assert fired(record(rows=[quantity("70场")]), "default", "quantity") == []
    (message,) = fired(record(rows=[quantity("69场")]), "default", "quantity")
    assert message.startswith("数量指标“科普活动场次”全年预计完成值 69场 低于年度指标值 ≥100场 31.00%")
    assert fired(record(rows=[quantity("200场")]), "default", "quantity") == []  # above a ≥ target is no deviation
    # a ≤ target: exceeding it is the deviation
    assert fired(record(rows=[quantity("13天", target="≤10天")]), "default", "quantity") == []
    assert fired(record(rows=[quantity("13.1天", target="≤10天")]), "default", "quantity")
    # only under 数量指标
    assert fired(record(rows=[quantity("10场", second="质量指标")]), "default", "quantity") == []


@pytest.mark.parametrize("preset", sorted(load_warning_presets().ids()))
def test_an_impossible_indicator_is_flagged_in_every_preset(preset: str) -> None:
    row = {**quantity(), "likelihood": "impossible", "causes": ["funding"], "measures": "申请追加经费"}
    (message,) = fired(record(rows=[row]), preset, "impossible")
    assert "“科普活动场次”" in message and "“完全不可能”" in message and "申请追加经费" in message
    assert fired(record(rows=[{**row, "likelihood": "possible"}]), preset, "impossible") == []


# --------------------------------------------------------------------------------------------- 吉林省教育厅


def test_jilin_zero_execution_from_the_end_of_july() -> None:
    (message,) = fired(record("2022-07-31", executed=0), "jilin-2024", "zero-execution")
    assert "资金执行率为 0" in message and "吉林省教育厅" in message
    assert fired(record("2022-07-31", executed="0.01"), "jilin-2024", "zero-execution") == []
    assert fired(record("2022-06-30", executed=0), "jilin-2024", "zero-execution") == []


def test_jilin_compares_the_value_reached_by_july_with_the_target() -> None:
    assert fired(record(rows=[quantity("100场", completed="70场")]), "jilin-2024", "quantity") == []
    (message,) = fired(record(rows=[quantity("100场", completed="69场")]), "jilin-2024", "quantity")
    assert "截至监控时点完成值 69场" in message and "吉林省教育厅" in message
    assert not [w for w in evaluate(record(executed=0), load_warning_preset("jilin-2024")) if w.kind == "lag"]


def test_every_preset_names_its_rules_in_chinese() -> None:
    for preset_id in load_warning_presets().ids():
        preset = load_warning_preset(preset_id)
        assert preset.name and preset.authority
        assert len({r.id for r in preset.rules}) == len(preset.rules)


# --------------------------------------------------------------------------------------------- what blocks a submission


def test_a_measure_is_required_whenever_the_judgement_is_not_certain() -> None:
    rows = [
        {**quantity(), "likelihood": "possible", "causes": ["funding"]},
        {"path": ["效益指标", "社会效益指标", "公民科学素质"], "likelihood": "certain"},
    ]
    found = problems(record(executed=10, rows=rows))
    assert [(p.field, p.message) for p in found] == [
        ("indicators[0].measures", "指标“科普活动场次”完成目标可能性为“有可能”，须填写纠偏措施")
    ]


def test_missing_figures_and_contradictions() -> None:
    rows = [{**quantity(), "causes": ["other"]}]
    found = {p.field: p for p in problems(record(budget=100, executed=None, rows=rows))}
    assert found["executed_wan"].missing and found["indicators[0].likelihood"].missing
    assert "须说明具体原因" in found["indicators[0].cause_note"].message
    over = problems(record(budget=100, executed=101, rows=[]))
    assert over[0].message == "截至监控时点执行数 101 万元超过全年预算数 100 万元" and not over[0].missing
    no_cause = problems(record(executed=1, rows=[{**quantity(), "likelihood": "impossible", "measures": "x"}]))
    assert [p.field for p in no_cause] == ["indicators[0].causes"]


def test_the_snapshot_keeps_the_inputs_and_the_judgement() -> None:
    rows = [
        {**quantity("60场", completed="45场"), "likelihood": "impossible", "causes": ["funding"], "measures": "追加"}
    ]
    rec = record(budget=153, executed="53.55", rows=rows)
    assessment = assess(rec, load_warning_preset("default"))
    snapshot = assessment.snapshot()
    assert snapshot == to_snapshot(rec, "month", list(assessment.warnings))
    assert snapshot.time_progress_text == "序时进度 = 已过月数 7 个月 ÷ 全年月数 12 个月 = 58.33%"
    assert snapshot.execution_text == "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%"
    kepu = snapshot.indicator(KEPU)
    assert kepu is not None and kepu.likelihood is Likelihood.IMPOSSIBLE and kepu.completion_pct == Decimal(45)
    assert len(snapshot.warnings) == 3  # lag, quantity, impossible
