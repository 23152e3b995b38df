"""Generated self-evaluations for property tests: awkward numbers on purpose.

Points are split unevenly, targets and actuals give completion rates such as 7/3, budgets give execution rates
with long decimals, claims are present or missing, some leaves are not applicable. Every evaluation is valid
(points add up to 100), so any total that fails to equal the sum of its printed parts is our rounding's fault.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import strategies as st

from jixiao.core.model import Evaluation

_UNITS = ("场", "人", "个", "次", "%")
_QUALITATIVE = ("达成年度指标", "基本完成", "部分完成", "未完成", "效果明显", "开展了宣传活动")


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` points split into ``parts`` positive integers."""
    if parts == 1:
        return [total]
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in pairwise(bounds)]


@st.composite
def leaf(draw: st.DrawFn, name: str, points: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(("positive", "reverse", "qualitative", "survey")))
    claimed = draw(st.one_of(st.none(), st.decimals(0, points, places=2, allow_nan=False, allow_infinity=False)))
    node: dict[str, Any] = {"name": name, "points": points, "claimed_score": claimed}
    if kind == "positive":
        target = draw(st.integers(3, 997))
        node["target"] = f"≥{target}{draw(st.sampled_from(_UNITS))}"
        unit = node["target"].lstrip("≥0123456789")
        node["actual"] = f"{draw(st.integers(0, target * 2))}{unit}"
    elif kind == "reverse":
        target = draw(st.integers(1, 97))
        node["target"] = f"≤{target}万元"
        node["actual"] = f"{draw(st.integers(1, target * 3))}万元"
    elif kind == "qualitative":
        node["target"] = "效果明显"
        node["actual"] = draw(st.sampled_from(_QUALITATIVE))
    else:
        node["target"] = "≥90%"
        node["actual"] = f"{draw(st.integers(50, 100))}%"
    node["not_applicable"] = draw(st.integers(0, 19)) == 0
    if node["not_applicable"]:
        node["claimed_score"] = None
    return node


@st.composite
def evaluation_data(draw: st.DrawFn) -> dict[str, Any]:
    """A 附1-framework evaluation (预算执行率 10 分 apart, 产出 50 / 效益 30 / 满意度 10) as plain data."""
    roots = []
    for root, second, points in (
        ("产出指标", "数量指标", 50),
        ("效益指标", "社会效益指标", 30),
        ("满意度指标", "服务对象满意度指标", 10),
    ):
        count = draw(st.integers(1, 4 if points > 10 else 2))
        shares = _split(draw, points, count)
        leaves = [draw(leaf(f"{second[:2]}{i}", p)) for i, p in enumerate(shares, 1)]
        roots.append(
            {"name": root, "points": points, "children": [{"name": second, "points": points, "children": leaves}]}
        )
    budget = draw(st.decimals(1, 99999, places=2, allow_nan=False, allow_infinity=False))
    spent = draw(
        st.decimals(0, 99999, places=2, allow_nan=False, allow_infinity=False).filter(lambda v: v <= budget * 2)
    )
    arrived = draw(
        st.one_of(st.none(), st.just(budget), st.decimals(0, 99999, places=2, allow_nan=False, allow_infinity=False))
    )
    claims_total = draw(st.one_of(st.none(), st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False)))
    return {
        "project": {"name": "生成的项目", "year": 2022, "unit": "测试单位", "department": "测试主管部门"},
        "framework": "mof-selfeval",
        "rules": draw(st.sampled_from(("mof-2020", "mof-2021"))),
        "funds": [
            {
                "source": "current",
                "annual_budget_wan": budget,
                "arrivals": [] if arrived is None else [{"amount_wan": arrived}],
                "executed_wan": spent,
            }
        ],
        "indicators": roots,
        "claims": {
            "total_score": claims_total,
            "grade": None,
            "execution_score": draw(
                st.one_of(st.none(), st.decimals(0, 10, places=2, allow_nan=False, allow_infinity=False))
            ),
        },
    }


def evaluations() -> st.SearchStrategy[Evaluation]:
    return evaluation_data().map(Evaluation.model_validate)


def two_places(value: Decimal | float | None) -> bool:
    """The value is printed as is: at most two decimal places."""
    if value is None:
        return True
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2
