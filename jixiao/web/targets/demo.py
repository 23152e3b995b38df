"""Demo data for 绩效目标 (called by ``manage.py load_demo`` before monitoring's; idempotent).

The same project's story as the rest of the demo: 湛江市科学技术协会机关 declares its 2022 科普 project (153 万元).
The first version has no 满意度指标 although the project serves the public (G004) and its weights are off 101号
(G001); the 主管部门 returns it citing G004, the unit adds the 满意度指标, the 主管部门 passes it and 财政 approves it
with 良. 湛江市第一中学's 2023 declaration waits for its 主管部门, with a target below last year's actual
and no reason (G006) for the reviewer to see.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model

from ...core.targets.declaration import Declaration
from ..organisations.models import Organisation, OrganisationKind
from . import services
from .models import TargetDeclaration

UNIT = "湛江市科学技术协会机关"
SCHOOL = "湛江市第一中学"

_KEPU: dict[str, Any] = {
    "project": {"name": "科普专项经费", "year": 2022, "code": "440800-2022-KP-001", "start": "2022-01-01",
                "end": "2022-12-31"},
    "overall_goal": "开展全国科普日、科技活动周、文化科技卫生“三下乡”等科普活动 120 场以上；举办青少年科技创新大赛和"
                    "第五届科技智库论坛；建设科普中国e站 20 个；公民具备科学素质的比例达到 14.5%。",
    "total_wan": "153",
    "funds": [{"source": "current", "amount_wan": "153", "detail": "市财政拨款"}],
    "public_facing": True,
    "indicators": [
        {"name": "产出指标", "children": [
            {"name": "数量指标", "children": [
                {"name": "科普活动场次", "comparator": "≥", "value": "120", "unit": "场", "points": "20",
                 "value_basis": "history", "last_year": "110"},
                {"name": "青少年科技创新大赛参赛人次", "comparator": "≥", "value": "3000", "unit": "人次",
                 "points": "10", "value_basis": "plan"},
                {"name": "科普中国e站建设数", "comparator": "≥", "value": "20", "unit": "个", "points": "10",
                 "value_basis": "plan"},
            ]},
            {"name": "质量指标", "children": [
                {"name": "科普活动验收合格率", "comparator": "=", "value": "100", "unit": "%", "points": "5",
                 "value_basis": "industry"},
            ]},
            {"name": "时效指标", "children": [
                {"name": "全国科普日活动按期完成率", "comparator": "=", "value": "100", "unit": "%", "points": "5",
                 "value_basis": "plan"},
            ]},
        ]},
        {"name": "效益指标", "children": [
            {"name": "社会效益指标", "children": [
                {"name": "公民具备科学素质比例", "comparator": "≥", "value": "14.5", "unit": "%", "points": "15",
                 "value_basis": "plan", "last_year": "13.2"},
                {"name": "科普工作社会影响", "comparator": "定性", "scale": "好/较好/一般/差", "expected": "好",
                 "points": "10", "value_basis": "other"},
            ]},
            {"name": "可持续影响指标", "children": [
                {"name": "科普阵地长效运行", "comparator": "定性", "scale": "好/较好/一般/差", "expected": "较好",
                 "points": "5", "value_basis": "other"},
            ]},
        ]},
        {"name": "满意度指标", "children": [
            {"name": "服务对象满意度指标", "children": [
                {"name": "参与群众满意度", "comparator": "≥", "value": "90", "unit": "%", "points": "10",
                 "value_basis": "industry"},
            ]},
        ]},
    ],
}  # fmt: skip


_SCHOOL: dict[str, Any] = {
    "project": {"name": "青少年科技教育经费", "year": 2023, "code": "440800-2023-JY-017"},
    "overall_goal": "开设科创课程，组织学生参加青少年科技创新大赛，建成校园创客实验室 1 间。",
    "total_wan": "40",
    "funds": [{"source": "current", "amount_wan": "40"}],
    "public_facing": True,
    "indicators": [
        {"name": "产出指标", "children": [
            {"name": "数量指标", "children": [
                {"name": "科创课程课时", "comparator": "≥", "value": "72", "unit": "课时", "points": "25"},
                {"name": "参赛学生人数", "comparator": "≥", "value": "150", "unit": "人", "points": "15"},
            ]},
            {"name": "时效指标", "children": [
                {"name": "创客实验室建成时间", "comparator": "≤", "value": "9", "unit": "月", "points": "10"},
            ]},
        ]},
        {"name": "效益指标", "children": [
            {"name": "社会效益指标", "children": [
                {"name": "学生科技竞赛获奖人次", "comparator": "≥", "value": "20", "unit": "人次", "points": "30",
                 "last_year": "24"},
            ]},
        ]},
        {"name": "满意度指标", "children": [
            {"name": "服务对象满意度指标", "children": [
                {"name": "学生和家长满意度", "comparator": "≥", "value": "90", "unit": "%", "points": "10"},
            ]},
        ]},
    ],
}  # fmt: skip


def _first_version() -> dict[str, Any]:
    """The declaration as first submitted: no 满意度指标, its 10 points on 科普活动场次."""
    data = copy.deepcopy(_KEPU)
    data["indicators"] = data["indicators"][:2]
    data["indicators"][0]["children"][0]["children"][0]["points"] = "30"
    return data


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _unit(finance: Organisation, name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name, kind=OrganisationKind.UNIT, parent__parent=finance).first()


def load_demo(finance: Organisation) -> None:
    unit = _unit(finance, UNIT)
    if unit is None or TargetDeclaration.objects.filter(unit=unit, year=2022).exists():
        return
    filler, reviewer, admin = _user("tianbao"), _user("shenhe"), _user("caizheng")
    row = services.create(unit, Declaration.model_validate(_first_version()), filler)
    services.submit(row.pk, filler)
    services.department_review(
        row.pk, False, "G004：本项目面向社会公众，须设置满意度指标；一级指标分值请按101号调整为 50/30/10。", reviewer
    )
    row.refresh_from_db()
    services.save(row.pk, Declaration.model_validate(_KEPU), filler, row.revision)
    services.submit(row.pk, filler)
    services.department_review(row.pk, True, "已按意见修改，同意报送。", reviewer)
    services.finance_review(row.pk, "良", "目标明确、指标可衡量；建议科普活动场次的佐证按场次留存。", admin)

    school = _unit(finance, SCHOOL)
    if school is not None:
        school_row = services.create(school, Declaration.model_validate(_SCHOOL), _user("jiaoyu"))
        services.submit(school_row.pk, _user("jiaoyu"))
