"""The clean 绩效目标申报表 the target tests start from: the 2022 科普 project of 湛江市科学技术协会机关, 153 万元,
no cost indicators (产出 50／效益 30／满意度 10), public-facing, no G finding."""

from __future__ import annotations

import copy
from typing import Any

from jixiao.core.targets.declaration import Declaration

DECLARATION: dict[str, Any] = {
    "project": {
        "name": "科普专项经费",
        "year": 2022,
        "unit": "湛江市科学技术协会机关",
        "department": "湛江市科学技术协会",
        "code": "440800-22-KP001",
    },
    "overall_goal": "开展科普活动 120 场以上，提升公民科学素质",
    "total_wan": 153,
    "funds": [{"source": "current", "amount_wan": 153}],
    "public_facing": True,
    "indicators": [
        {
            "name": "产出指标",
            "children": [
                {
                    "name": "数量指标",
                    "children": [
                        {"name": "科普活动场次", "comparator": "≥", "value": 120, "unit": "场", "points": 30,
                         "value_basis": "history", "last_year": 110},
                        {"name": "科普答题人数", "comparator": "≥", "value": 5000, "unit": "人", "points": 10},
                    ],
                },
                {
                    "name": "时效指标",
                    "children": [
                        {"name": "活动按期完成率", "comparator": "=", "value": 100, "unit": "%", "points": 10},
                    ],
                },
            ],
        },
        {
            "name": "效益指标",
            "children": [
                {
                    "name": "社会效益指标",
                    "children": [
                        {"name": "公民具备科学素质比例", "comparator": "≥", "value": "14.5", "unit": "%", "points": 20},
                        {"name": "科普工作社会影响", "comparator": "定性", "scale": "好/较好/一般/差",
                         "expected": "好", "points": 10},
                    ],
                }
            ],
        },
        {
            "name": "满意度指标",
            "children": [
                {
                    "name": "服务对象满意度指标",
                    "children": [
                        {"name": "参与群众满意度", "comparator": "≥", "value": 90, "unit": "%", "points": 10},
                    ],
                }
            ],
        },
    ],
}  # fmt: skip


def base() -> dict[str, Any]:
    return copy.deepcopy(DECLARATION)


def declaration(**changes: Any) -> Declaration:
    data = base()
    data.update(copy.deepcopy(changes))
    return Declaration.model_validate(data)
