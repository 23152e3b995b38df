"""A deterministic generator of synthetic self-evaluations shaped like real 附1 tables."""

from __future__ import annotations

import random
from typing import Any

_OUTPUT_KINDS = ["数量指标", "质量指标", "时效指标", "成本指标"]
_BENEFIT_KINDS = ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
_UNITS = ["个", "场", "人次", "户", "公里", "%"]


def _leaf(rng: random.Random, name: str, points: int) -> dict[str, Any]:
    form = rng.random()
    if form < 0.55:
        target = rng.randint(10, 500)
        unit = rng.choice(_UNITS)
        actual = round(target * rng.uniform(0.5, 1.4))
        if unit == "%":
            target, actual = min(target, 100), min(actual, 100)
        node = {"target": f"≥{target}{unit}", "actual": f"{actual}{unit}"}
    elif form < 0.7:
        target = rng.randint(10, 90)
        node = {"target": f"≤{target}万元", "actual": f"{round(target * rng.uniform(0.8, 1.2), 2)}万元"}
    elif form < 0.8:
        node = {"target": "=0起", "actual": f"{rng.choice([0, 0, 0, 1])}起"}
    else:
        node = {"target": "效果明显", "actual": rng.choice(["达成年度指标", "部分达成年度指标", "基本达成"])}
    claimed = points if rng.random() < 0.7 else round(points * rng.uniform(0.6, 1.0), 2)
    return {"name": name, "points": points, "claimed_score": claimed, "deviation_reason": None, **node}


def evaluation(index: int, indicators: int = 20) -> dict[str, Any]:
    """One synthetic evaluation in the mof-selfeval framework with ``indicators`` leaves (50/30/10 points)."""
    rng = random.Random(index)
    budget = rng.randint(10, 5000)
    arrived = round(budget * rng.uniform(0.6, 1.0), 2)
    spent = round(arrived * rng.uniform(0.7, 1.0), 2)
    n_out, n_ben = indicators * 6 // 10, indicators * 3 // 10
    n_sat = indicators - n_out - n_ben

    def spread(total: int, n: int) -> list[int]:
        base = [total // n] * n
        base[-1] += total - sum(base)
        return base

    outputs = [_leaf(rng, f"产出{i + 1}", p) for i, p in enumerate(spread(50, n_out))]
    benefits = [_leaf(rng, f"效益{i + 1}", p) for i, p in enumerate(spread(30, n_ben))]
    sats = [
        {
            "name": f"满意度{i + 1}",
            "points": p,
            "target": "≥90%",
            "actual": f"{rng.randint(80, 99)}%",
            "claimed_score": p,
        }
        for i, p in enumerate(spread(10, n_sat))
    ]

    def branch(name: str, points: int, kinds: list[str], leaves: list[dict[str, Any]]) -> dict[str, Any]:
        groups: list[dict[str, Any]] = [{"name": k, "children": []} for k in kinds]
        for i, leaf in enumerate(leaves):
            groups[i % len(groups)]["children"].append(leaf)
        groups = [g for g in groups if g["children"]]
        for g in groups:
            g["points"] = sum(c["points"] for c in g["children"])
        return {"name": name, "points": points, "children": groups}

    claimed_total = round(sum(x["claimed_score"] for x in outputs + benefits + sats) + 10 * spent / budget, 2)
    return {
        "project": {
            "name": f"合成项目{index}",
            "year": 2022,
            "department": f"部门{index % 97}",
            "unit": f"单位{index}",
        },
        "framework": "mof-selfeval",
        "funds": [
            {
                "source": "current",
                "initial_budget_wan": budget,
                "annual_budget_wan": budget,
                "arrivals": [{"amount_wan": arrived, "date": "2022-05-10"}],
                "executed_wan": spent,
            }
        ],
        "goals": [{"kind": "overall", "expected": "完成年度任务", "actual": "基本完成"}],
        "indicators": [
            branch("产出指标", 50, _OUTPUT_KINDS, outputs),
            branch("效益指标", 30, _BENEFIT_KINDS, benefits),
            branch("满意度指标", 10, ["服务对象满意度指标"], sats),
        ],
        "claims": {"total_score": claimed_total, "grade": "优" if claimed_total >= 90 else "良"},
    }
