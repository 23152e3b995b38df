"""Shared test helpers: build evaluations from plain dicts and score them under shipped rule sets."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from jixiao.core import EvaluationResult, evaluate
from jixiao.core.model import Evaluation
from jixiao.io.catalogue import load_framework, load_rules

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "zhanjiang-2022-kepu"

#: a small, complete and consistent 附1-style evaluation (no findings): 100 万元 budgeted and arrived, 98 spent
BASE: dict[str, Any] = {
    "project": {"name": "科普专项经费", "year": 2022, "department": "湛江市科学技术协会", "unit": "湛江市科学技术协会"},
    "framework": "mof-selfeval",
    "funds": [
        {
            "source": "current",
            "initial_budget_wan": 100,
            "annual_budget_wan": 100,
            "arrivals": [{"amount_wan": 100, "date": "2022-06-30"}],
            "executed_wan": 98,
        }
    ],
    "goals": [{"kind": "overall", "expected": "开展科普活动，提升公民科学素质", "actual": "全年开展科普活动 110 场"}],
    "indicators": [
        {
            "name": "产出指标",
            "points": 50,
            "children": [
                {
                    "name": "数量指标",
                    "points": 50,
                    "children": [
                        {
                            "name": "科普活动场次",
                            "points": 30,
                            "target": "≥100场",
                            "actual": "110场",
                            "claimed_score": 30,
                        },
                        {
                            "name": "答题人数",
                            "points": 20,
                            "target": "≥5000人",
                            "actual": "5500人",
                            "claimed_score": 20,
                        },
                    ],
                }
            ],
        },
        {
            "name": "效益指标",
            "points": 30,
            "children": [
                {
                    "name": "社会效益指标",
                    "points": 30,
                    "children": [
                        {
                            "name": "公民科学素质",
                            "points": 30,
                            "target": "具备科学素质的公民比例提高1个百分点",
                            "actual": "达成年度指标",
                            "claimed_score": 30,
                        },
                    ],
                }
            ],
        },
        {
            "name": "满意度指标",
            "points": 10,
            "children": [
                {
                    "name": "服务对象满意度指标",
                    "points": 10,
                    "children": [
                        {
                            "name": "参与群众满意度",
                            "points": 10,
                            "target": "≥90%",
                            "actual": "95%",
                            "claimed_score": 10,
                            "survey": "s1",
                        },
                    ],
                }
            ],
        },
    ],
    "surveys": [{"id": "s1", "title": "参与群众满意度问卷", "respondents": 200, "satisfied": 190}],
    "narrative": {
        "problems": ["部分县区科普设施薄弱，活动覆盖不均衡"],
        "improvements": ["加大对基层科普阵地的投入，年内补齐薄弱县区"],
    },
    "claims": {"total_score": 99.8, "grade": "优"},
}


def make(**changes: Any) -> Evaluation:
    """The base evaluation with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return Evaluation.model_validate(data)


def run(
    evaluation: Evaluation | dict[str, Any], rules: str = "mof-2020", framework: str | None = None
) -> EvaluationResult:
    if isinstance(evaluation, dict):
        evaluation = Evaluation.model_validate(evaluation)
    return evaluate(evaluation, load_rules(rules), load_framework(framework or evaluation.framework))


@pytest.fixture
def base_result() -> EvaluationResult:
    return run(make())
