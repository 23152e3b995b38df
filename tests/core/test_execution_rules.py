"""预算执行率 as the rule sets write it, including 财预〔2021〕101号's 「项目完成，且执行数控制在年度预算规模之内的，得10分」."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import BASE, make, run


def _funds(budget: str, spent: str) -> list[dict[str, object]]:
    return [
        {"source": "current", "annual_budget_wan": budget, "arrivals": [{"amount_wan": budget}], "executed_wan": spent}
    ]


@pytest.mark.parametrize(
    ("rules", "completed", "budget", "spent", "score"),
    [
        # finished under budget: 101号 gives full points whatever the rate
        ("mof-2021", True, "80", "72.5", Decimal("10.00")),
        # not stated as finished: the [80%, 100%) band
        ("mof-2021", None, "80", "72.5", Decimal("7.00")),
        ("mof-2021", False, "80", "72.5", Decimal("7.00")),
        # finished but over budget: not "within the budget", so the rate's band (100% and above) applies
        ("mof-2021", True, "80", "85", Decimal("10.00")),
        ("mof-2021", True, "80", "40", Decimal("10.00")),
        # 财预〔2020〕10号 附1 has no such rule: 执行率 × 分值, 72.5 ÷ 80 = 90.625% → 9.06
        ("mof-2020", True, "80", "72.5", Decimal("9.06")),
    ],
)
def test_execution_score(rules: str, completed: bool | None, budget: str, spent: str, score: Decimal) -> None:
    project = {**BASE["project"], "completed": completed}
    result = run(make(project=project, funds=_funds(budget, spent)), rules)
    assert result.execution_score is not None
    assert result.execution_score.value == score


def test_the_full_points_say_why() -> None:
    project = {**BASE["project"], "completed": True}
    result = run(make(project=project, funds=_funds("80", "72.5")), "mof-2021")
    assert result.execution_score is not None
    assert "项目已完成，且执行数控制在年度预算规模之内" in result.execution_score.explanation.formula
    assert ("项目是否已完成", "是") in result.execution_score.explanation.inputs


def test_a_finished_project_over_budget_is_not_within_budget() -> None:
    project = {**BASE["project"], "completed": True}
    result = run(make(project=project, funds=_funds("80", "85")), "mof-2021")
    assert result.execution_score is not None
    assert "项目已完成" not in result.execution_score.explanation.formula
