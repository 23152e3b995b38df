"""The report's narrative sections: 一、基本情况, 二、绩效自评工作开展情况, 三、绩效自评结果, 五、 to 七、, the 落款,
and the review version's appendices (consistency findings with the unit's explanations, 录入说明)."""

from __future__ import annotations

import datetime as dt

from ...core.locations import location_label
from ...core.model import BasisDocument, GoalKind
from ...core.result import EvaluationResult, Severity, compare_scores
from ...core.values import fmt
from .body import _Body, _date, _wan
from .ooxml import Cell, Col

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (1–99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _basis_line(doc: BasisDocument) -> str:
    title = doc.title.strip()
    if not title.startswith("《"):
        title = f"《{title}》"
    return title + (f"（{doc.number}）" if doc.number else "")


def _section_basic(body: _Body, result: EvaluationResult) -> None:
    e = result.evaluation
    p = e.project
    body.h1("一、基本情况")
    body.h2("（一）项目概况")
    body.h3("1. 项目背景")
    if p.department and p.department == p.unit:
        body.para(f"本项目（{p.name}）的主管部门和实施单位均为{p.department}。")
    elif p.department or p.unit:
        who = [
            x
            for x in (f"主管部门为{p.department}" if p.department else "", f"实施单位为{p.unit}" if p.unit else "")
            if x
        ]
        body.para(f"本项目（{p.name}）" + "，".join(who) + "。")
    body.para(p.background)
    body.h3("2. 实施依据")
    body.items([_basis_line(d) for d in p.basis])
    body.h3("3. 主要内容及实施情况")
    if p.content_items:
        body.items(p.content_items)
    if p.implementation or not p.content_items:
        body.para(p.implementation)
    body.h3("4. 预期投入")
    if p.expected_input_wan is None and not p.expected_input_source:
        body.para(None)
    else:
        source = f"，资金来源：{p.expected_input_source}" if p.expected_input_source else ""
        body.para(f"{p.with_year()}预期投入{_wan(p.expected_input_wan)}{source}。")

    body.h2("（二）绩效目标")
    for number, (kind, label) in enumerate(((GoalKind.OVERALL, "总体目标"), (GoalKind.PHASE, "阶段性目标")), 1):
        body.h3(f"{number}. {label}")
        goals = [g for g in e.goals if g.kind is kind]
        if len(goals) == 1:
            g = goals[0]
            body.para(g.expected, lead=f"{g.title}：" if g.title else "")
        else:
            body.items([(f"{g.title}：" if g.title else "") + g.expected for g in goals])


def _section_work(body: _Body, result: EvaluationResult) -> None:
    o = result.evaluation.organisation
    fw, rules = result.framework, result.rules
    body.h1("二、绩效自评工作开展情况")
    body.h2("（一）自评对象和范围")
    body.para(o.evaluated_object, lead="自评对象：")
    body.para(o.scope, lead="自评范围：")
    body.h2("（二）评价指标体系和标准")
    body.para(o.framework_description)
    body.para(
        f"本报告按“{fw.name}”评分，共{cn_number(fw.levels)}级指标；评分规则为“{rules.name}”，依据：{rules.source}。"
    )
    bands = []
    for band in rules.grades:
        low, high = rules.grade_band(band.grade)
        bands.append(f"{fmt(low)}（含）—{fmt(high)}分为{band.grade}" if low > 0 else f"{fmt(high)}分以下为{band.grade}")
    body.para("等级划分：" + "，".join(bands) + "。")
    body.h2("（三）评价方法")
    body.para(o.method)
    body.h2("（四）自评工作组织")
    body.h3("1. 自评工作领导小组")
    if o.leadership:
        body.caption("表", "自评工作领导小组")
        body.table(
            [Col("序号", 14), Col("小组职务", 34), Col("姓名", 34), Col("单位职务", 74, "left")],
            [[str(i), m.role, m.name or "—", m.position or "—"] for i, m in enumerate(o.leadership, 1)],
        )
    else:
        body.para(None)
    body.h3("2. 完成时限")
    body.para(f"于{_date(o.deadline)}前完成自评工作。" if o.deadline else None)
    body.h3("3. 工作步骤")
    body.items(o.steps)
    body.h3("4. 形成材料")
    body.items(o.documents)


def _section_result(body: _Body, result: EvaluationResult) -> None:
    e = result.evaluation
    claims = e.claims
    body.h1("三、绩效自评结果")
    body.h2("（一）自评结论")
    body.para(e.narrative.conclusion)
    body.h2("（二）自评分数和等级")
    computed_grade = result.grade or "—"
    carried = result.carried.text()
    body.caption("表", "自评分数与计算分数")
    # the sentence the claim was transcribed from is data-entry provenance: the reviewer's, not the public's
    quote = (claims.quotes.get("total_score") or claims.quotes.get("grade") or "") if body.review else ""
    body.table(
        [Col("口径", 30), Col("总分（分）", 24), Col("等级", 20), Col("说明", 82, "left")],
        [
            ["单位自评", fmt(claims.total_score), claims.grade or "—", f"原文：{quote}" if quote else "单位填报"],
            [
                "按评分规则计算",
                fmt(result.total.value),
                computed_grade,
                f"{result.rules.name}；{result.framework.name}" + (f"；{carried}" if carried else ""),
            ],
        ],
    )
    if claims.total_score is not None or claims.grade or body.review:
        claimed = f"{fmt(claims.total_score)}分" if claims.total_score is not None else "未填写"
        body.para(f"单位自评总分：{claimed}，自评等级：{claims.grade or '未填写'}。")
    if result.total.value is None:
        body.para(f"按“{result.rules.name}”评分规则和“{result.framework.name}”指标体系无法得出计算总分。")
    else:
        gap = compare_scores(claims.total_score, result.total.value)
        body.para(
            f"按“{result.rules.name}”评分规则和“{result.framework.name}”指标体系计算：总分 {fmt(result.total.value)} 分，"
            f"等级“{computed_grade}”" + (f"，{gap}" if gap else "") + (f"；{carried}" if carried else "") + "。"
        )
    body.para(f"计算过程：{result.total.explanation.text()}。")
    body.para(f"{result.max_attainable.explanation.text()}。")
    if not result.framework.points_official:
        note = e.framework_note or result.framework.points_note
        body.para(f"分值说明：“{result.framework.name}”的分值不是官方文件规定的分值，而是单位的配置。{note}")


def _section_closing(body: _Body, result: EvaluationResult) -> None:
    n = result.evaluation.narrative
    body.h1("五、主要经验及做法、存在的问题及原因分析")
    body.h2("（一）主要经验及做法")
    body.items(n.experience)
    body.h2("（二）存在的问题及原因分析")
    body.items(n.problems)
    body.h1("六、改进意见")
    body.items(n.improvements)
    body.h1("七、绩效自评结果拟应用和公开情况")
    body.para(n.result_use)


def _signature(body: _Body, result: EvaluationResult, signed_on: dt.date | None) -> None:
    """落款: the unit (实施单位, else 主管部门) and the date: ``signed_on`` (e.g. the submission date), else the
    self-evaluation's completion date, else today."""
    p = result.evaluation.project
    when = signed_on or result.evaluation.organisation.deadline or dt.date.today()
    body.signature(p.unit or p.department, when)


FINDINGS_APPENDIX = "附件1：一致性检查发现"
NOTES_APPENDIX = "附件2：录入说明"


def _appendix(body: _Body, result: EvaluationResult) -> None:
    """The review version's appendices: every finding with its place in words and the unit's explanation, then
    the 录入说明 (where the data came from and what the source did not say)."""
    body.h1(FINDINGS_APPENDIX, page_break=True)
    findings = result.findings
    if not findings:
        body.para(f"按“{result.rules.name}”对本报告数据进行一致性检查，未发现问题。")
    else:
        counts = "、".join(
            f"{label}{sum(1 for f in findings if f.severity.label == label)}条"
            for label in ("错误", "警告", "提示")
            if any(f.severity.label == label for f in findings)
        )
        open_errors = len(result.unexplained_errors)
        unexplained = f"其中{open_errors}条错误单位尚未说明" if open_errors else "错误均已有单位说明"
        body.para(
            f"按“{result.rules.name}”对本报告数据进行一致性检查，共发现{len(findings)}条（{counts}）"
            + (f"，{unexplained}" if result.errors else "")
            + "。"
        )
        body.caption("表", "一致性检查发现")
        rows = []
        for f in findings:
            error = f.severity is Severity.ERROR
            explanation = result.explanation_of(f)
            rows.append(
                [
                    f.id,
                    Cell(f.severity.label, bold=error),
                    f.message,
                    location_label(f.location),
                    Cell(explanation or ("未说明" if error else "—"), bold=error and explanation is None),
                ]
            )
        body.table(
            [
                Col("编号", 12),
                Col("级别", 10),
                Col("问题", 66, "left"),
                Col("位置", 34, "left"),
                Col("单位说明", 34, "left"),
            ],
            rows,
            small=True,
        )
    body.h1(NOTES_APPENDIX, page_break=True)
    notes = [n for n in result.evaluation.notes if n.strip()]
    if notes:
        body.items(notes)
    else:
        body.para("无。")
