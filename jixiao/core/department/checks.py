"""The 部门整体 check catalogue: ids ``B001``…, stable and never renumbered (``B`` 部门整体).

Each check reads a :class:`~.engine.DepartmentResult` and yields :class:`~jixiao.core.checks.Hit`; locations are
``items.<一级/二级/三级>``, ``stated_ratios.<formula id>``, ``claimed_total``, ``claimed_grade`` or ``framework``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..checks import Check, Hit, registrar
from ..result import Finding, Severity
from ..values import HUNDRED, fmt, fmt_pct, quantize
from .engine import DepartmentResult

DEPARTMENT_CATALOGUE: dict[str, Check[DepartmentResult]] = {}
check = registrar(DEPARTMENT_CATALOGUE)

#: a stated ratio may differ from the computed one by this much (percentage points) before it is flagged: the
#: difference of rounding to 2 places
RATIO_TOLERANCE = Decimal("0.01")


def run_department_checks(result: DepartmentResult, only: Iterable[str] | None = None) -> list[Finding]:
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for c in DEPARTMENT_CATALOGUE.values():
        if wanted is None or c.id in wanted:
            findings.extend(c.run(result))
    findings.sort(key=lambda f: (f.severity.rank, f.id, f.location or ""))
    return findings


@check("B001", "department.self_score_above_computed", Severity.ERROR, "自评得分高于按账面数据计算的得分")
def self_score_above_computed(r: DepartmentResult) -> Iterator[Hit]:
    """反例：预算执行率 90.00%，按“执行率达到 95% 得满分、以下按比例”算得 4.74 分，自评 5 分。正例：自评不超过计算得分。"""
    for item in r.items:
        if item.computed is not None and item.claimed is not None and item.claimed > item.computed:
            assert item.ratio is not None
            yield Hit(
                f"“{item.path[-1]}”自评 {fmt(item.claimed)} 分，高于按账面数据计算的 {fmt(item.computed)} 分"
                f"（{item.ratio.text()}）",
                f"items.{item.key}",
            )


@check("B002", "department.stated_ratio_differs", Severity.ERROR, "填报的比率与由金额计算的比率不一致")
def stated_ratio_differs(r: DepartmentResult) -> Iterator[Hit]:
    """反例：填报结转结余率 1.50%，由结转结余 12.00 万元 ÷ 全年预算数 480.00 万元算得 2.50%。正例：填报 2.50%。"""
    for id, stated in r.evaluation.stated_ratios.items():
        ratio = r.ratios.get(id)
        if stated is None or ratio is None or ratio.value is None:
            continue
        if abs(quantize(stated) - quantize(ratio.value)) > RATIO_TOLERANCE:
            yield Hit(
                f"填报的{ratio.formula.name}为 {fmt_pct(stated)}，由填报金额计算为 {fmt_pct(ratio.value)}"
                f"（{ratio.text()}）",
                f"stated_ratios.{id}",
            )


@check("B003", "department.points_not_hundred", Severity.ERROR, "指标分值合计不是 100 分")
def points_not_hundred(r: DepartmentResult) -> Iterator[Hit]:
    """反例：末级指标分值合计 95 分。正例：合计 100 分。"""
    total = r.points_total
    if total != HUNDRED:
        yield Hit(f"指标体系“{r.framework.name}”的末级指标分值合计为 {fmt(total)} 分，不是 100 分", "framework")


@check("B004", "department.claimed_grade_mismatch", Severity.ERROR, "自评等级与自评总分对应的等级不符")
def claimed_grade_mismatch(r: DepartmentResult) -> Iterator[Hit]:
    """反例：自评总分 85 分，自评等级写“优”。正例：85 分定为“良”。"""
    stated = r.evaluation.claimed_grade.strip()
    if not stated:
        return
    grade = r.rules.normalise_grade(stated)
    if grade is None:
        yield Hit(f"自评等级“{stated}”不是优、良、中、差之一", "claimed_grade")
        return
    total = r.evaluation.claimed_total if r.evaluation.claimed_total is not None else r.claimed_sum
    if total is None:
        return
    due = r.rules.grade_for(total)
    if due != grade:
        bands = "，".join(f"{b.grade} ≥ {fmt(b.min_score)} 分" for b in r.rules.grades)
        yield Hit(f"自评等级为“{grade}”，而自评总分 {fmt(total)} 分对应“{due}”（{bands}）", "claimed_grade")


@check("B005", "department.claimed_total_not_sum", Severity.ERROR, "自评总分不等于各项自评得分之和")
def claimed_total_not_sum(r: DepartmentResult) -> Iterator[Hit]:
    """反例：各项自评得分之和 92 分，自评总分写 95 分。正例：总分 92 分。"""
    stated, parts = r.evaluation.claimed_total, r.claimed_sum
    if stated is None or parts is None:
        return
    if quantize(stated) != quantize(parts):
        yield Hit(
            f"自评总分 {fmt(stated)} 分，而各项指标自评得分之和为 {fmt(parts)} 分（未自评的按公式计算得分计入）",
            "claimed_total",
        )


@check("B006", "department.full_score_despite_poor_projects", Severity.WARNING, "有项目自评为“差”，相关指标仍自评满分")
def full_score_despite_poor_projects(r: DepartmentResult) -> Iterator[Hit]:
    """反例：所属单位有项目自评为“差”，“项目绩效目标完成情况”仍自评满分且未说明。正例：扣分，或写明理由。"""
    poor = r.rollup.poor
    if not poor:
        return
    names = "、".join(f"{p.unit}“{p.project}”" for p in poor[:3]) + (f"等 {len(poor)} 个项目" if len(poor) > 3 else "")
    for item in r.items:
        if item.node.depends_on_projects and item.claimed is not None and item.claimed >= item.points:
            if not item.reason:
                yield Hit(
                    f"{names}自评等级为“差”，而依赖项目完成情况的“{item.path[-1]}”自评满分 {fmt(item.points)} 分，"
                    "未说明理由",
                    f"items.{item.key}",
                )


@check("B007", "department.score_above_points", Severity.ERROR, "自评得分超过指标分值")
def score_above_points(r: DepartmentResult) -> Iterator[Hit]:
    """反例：分值 5 分，自评 6 分。正例：自评 5 分。"""
    for item in r.items:
        if item.claimed is not None and item.claimed > item.points:
            yield Hit(
                f"“{item.path[-1]}”自评 {fmt(item.claimed)} 分，超过分值 {fmt(item.points)} 分", f"items.{item.key}"
            )


@check("B008", "department.deduction_unexplained", Severity.WARNING, "扣分未说明原因")
def deduction_unexplained(r: DepartmentResult) -> Iterator[Hit]:
    """反例：分值 5 分、自评 4 分，扣分原因为空。正例：写明扣分原因。"""
    for item in r.items:
        if item.claimed is not None and item.claimed < item.points and not item.reason:
            yield Hit(
                f"“{item.path[-1]}”自评 {fmt(item.claimed)} 分，扣 {fmt(item.points - item.claimed)} 分，未填写扣分原因",
                f"items.{item.key}",
            )


@check("B009", "department.spending_parts_do_not_add_up", Severity.ERROR, "基本支出与项目支出之和不等于全年执行数")
def spending_parts_do_not_add_up(r: DepartmentResult) -> Iterator[Hit]:
    """反例：基本支出 300 万元 + 项目支出 150 万元 = 450 万元，全年执行数填 460 万元。正例：两者之和等于全年执行数。"""
    accounts = r.evaluation.accounts
    spent, basic, project = accounts.get("spent"), accounts.get("basic_spent"), accounts.get("project_spent")
    if spent is None or basic is None or project is None:
        return
    if quantize(basic + project) != quantize(spent):
        yield Hit(
            f"基本支出 {fmt(basic)} 万元 + 项目支出 {fmt(project)} 万元 = {fmt(basic + project)} 万元，"
            f"不等于全年执行数 {fmt(spent)} 万元",
            "accounts.spent",
        )
