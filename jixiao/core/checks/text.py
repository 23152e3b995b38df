"""T: checks on the report's words: placeholders left from templates, goals, and the problems section."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import GoalKind
from ..result import EvaluationResult, Severity
from ..values import fmt
from . import Hit, check
from ._util import computed_total

#: template leftovers anywhere in the text: XX / ××, ***, "......", "……", "（填写…）", "请填写"
_PLACEHOLDER = re.compile(r"[XxＸｘ]{2,}|×{2,}|\*{3,}|\.{3,}|…{2,}|[（(]\s*(?:请)?填写|请填写")
#: an indicator named like a template row: "指标1", "三级指标2"
_NUMBERED_NAME = re.compile(r"^(?:[一二三四]级)?指标\s*\d+$")

_PROJECT_FIELDS = (
    ("name", "项目名称"),
    ("department", "主管部门"),
    ("unit", "实施单位"),
    ("background", "项目背景"),
    ("implementation", "实施情况"),
    ("expected_input_source", "预期投入资金来源"),
)
_GOAL_FIELDS = (("title", "目标名称"), ("expected", "预期目标"), ("actual", "实际完成情况"))
_INDICATOR_FIELDS = (("target", "年度指标值"), ("actual", "实际完成值"), ("deviation_reason", "偏差原因分析及改进措施"))
_ORGANISATION_FIELDS = (
    ("evaluated_object", "自评对象"),
    ("scope", "自评范围"),
    ("method", "评价方法"),
    ("framework_description", "评价指标体系和标准"),
)
_NARRATIVE_TEXT = (
    ("conclusion", "自评结论"),
    ("fund_arrival", "资金到位情况"),
    ("fund_execution", "资金执行情况"),
    ("fund_management", "资金管理情况"),
    ("performance", "绩效目标完成情况"),
    ("satisfaction", "满意度指标完成情况"),
    ("result_use", "自评结果拟应用和公开情况"),
)
_NARRATIVE_LISTS = (
    ("experience", "主要经验及做法"),
    ("problems", "存在的问题及原因分析"),
    ("improvements", "改进意见"),
)


def _texts(r: EvaluationResult) -> Iterator[tuple[str, str, str]]:
    """Every free-text field as (what, location, text); indicator names are handled apart."""
    e = r.evaluation
    for field, label in _PROJECT_FIELDS:
        yield label, f"project.{field}", getattr(e.project, field) or ""
    for i, item in enumerate(e.project.content_items):
        yield f"主要内容第 {i + 1} 项", f"project.content_items[{i}]", item
    for i, goal in enumerate(e.goals):
        for field, label in _GOAL_FIELDS:
            yield f"第 {i + 1} 项绩效目标的{label}", f"goals[{i}].{field}", getattr(goal, field) or ""
    for path, node in r.nodes:
        where = "指标:" + "/".join(path)
        yield f"指标“{node.name}”的名称", where, node.name
        for field, label in _INDICATOR_FIELDS:
            yield f"指标“{node.name}”的{label}", where, getattr(node, field) or ""
    for field, label in _ORGANISATION_FIELDS:
        yield label, f"organisation.{field}", getattr(e.organisation, field) or ""
    for field, label in _NARRATIVE_TEXT:
        yield label, f"narrative.{field}", getattr(e.narrative, field) or ""
    for field, label in _NARRATIVE_LISTS:
        for i, item in enumerate(getattr(e.narrative, field)):
            yield f"{label}第 {i + 1} 条", f"narrative.{field}[{i}]", item


def _excerpt(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@check("T001", "text.placeholder_left", Severity.ERROR, "文字中残留模板占位符")
def placeholder_left(r: EvaluationResult) -> Iterator[Hit]:
    """反例：项目名称“XX项目”，指标名称“指标1”，问题写“请填写存在问题”，目标写“......”。正例：写明实际内容。"""
    for path, node in r.nodes:
        if _NUMBERED_NAME.match(node.name.strip()):
            yield Hit(f"指标名称“{node.name}”是模板占位名称，未写明具体指标", "指标:" + "/".join(path))
    for what, location, text in _texts(r):
        match = _PLACEHOLDER.search(text)
        if match:
            yield Hit(f"{what}含占位符“{match.group(0)}”：“{_excerpt(text)}”", location)


@check("T002", "text.goal_incomplete", Severity.WARNING, "缺少年度总体目标或目标未写实际完成情况")
def goal_incomplete(r: EvaluationResult) -> Iterator[Hit]:
    """反例：只有阶段性目标，没有总体目标；某项目标的实际完成情况为空。正例：总体目标的预期与实际都已填写。"""
    goals = r.evaluation.goals
    if not any(g.kind is GoalKind.OVERALL for g in goals):
        yield Hit(f"未填写年度总体目标（现有 {len(goals)} 项阶段性目标）", "goals")
    for i, goal in enumerate(goals):
        name = goal.title or _excerpt(goal.expected, 20) or f"第 {i + 1} 项目标"
        if not goal.expected.strip():
            yield Hit(f"第 {i + 1} 项绩效目标未填写预期目标", f"goals[{i}].expected")
        if not (goal.actual or "").strip():
            yield Hit(f"第 {i + 1} 项绩效目标“{name}”未填写实际完成情况", f"goals[{i}].actual")


@check("T003", "text.problems_missing", Severity.WARNING, "得分未满却未写存在问题和改进措施")
def problems_missing(r: EvaluationResult) -> Iterator[Hit]:
    """财预〔2020〕10号第十一条：未完成或偏离目标的须说明原因并提出改进措施。
    反例：计算总分 99.8 分，“存在的问题”和“改进意见”都为空。正例：写明问题和改进意见，或总分 100 分。"""
    computed = computed_total(r)
    total = computed if computed is not None else r.evaluation.claims.total_score
    n = r.evaluation.narrative
    if total is None or total >= 100 or n.problems or n.improvements:
        return
    whose = "计算" if computed is not None else "自评"
    yield Hit(f"{whose}总分 {fmt(total)} 分，得分未满，却未写存在的问题及原因分析和改进意见", "narrative.problems")
