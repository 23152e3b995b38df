"""The 绩效运行监控报告 of one project at one monitoring date, as .docx and .pdf.

Outline: title, then 一、项目基本情况, 二、预算执行情况 (预算执行率 and 序时进度 with their formulas), 三、绩效目标
完成情况 (a table of every indicator: 年度指标值, completed so far and its share, 全年预计, 完成目标可能性), 四、偏差
原因及纠偏措施, 五、预警情况, and the 落款 (the unit, the monitoring date).

Written like the 复核意见书 (:mod:`jixiao.io.report.review_opinion`): the report template, styles and typography of
:mod:`jixiao.io.report.ooxml`, the body collected by ``_Body``, the PDF made by LibreOffice.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...core.model import Likelihood
from ...core.monitoring import Assessment
from ...core.values import fmt, fmt_pct
from ..report.body import _Body, _date
from ..report.ooxml import _NS, TEXT_WIDTH_MM, Cell, Col, _p, _template

REPORT_DOCX = "监控报告.docx"
REPORT_PDF = "监控报告.pdf"


def report_title(assessment: Assessment) -> str:
    record = assessment.record
    name = record.project.strip()
    head = name if str(record.year) in name else f"{record.year}年{name}"
    return f"{head}绩效运行监控报告"


def build_report_body(assessment: Assessment) -> list[str]:
    record = assessment.record
    body = _Body()
    body.raw(_p(report_title(assessment), "Title"))

    body.h1("一、项目基本情况")
    who = f"实施单位为{record.unit}" if record.unit else "实施单位未填写"
    if record.department and record.department != record.unit:
        who += f"，主管部门为{record.department}"
    body.para(
        f"项目名称为“{record.project}”，{who}。监控时点为 {_date(record.monitoring_date)}，"
        f"序时进度{assessment.mode.label}计算，预警规则采用“{assessment.preset.name}”。"
    )
    if record.overall_note:
        body.para(record.overall_note)

    body.h1("二、预算执行情况")
    execution = assessment.execution
    if execution is None:
        body.para(f"全年预算数 {fmt(record.annual_budget_wan)} 万元，截至监控时点执行数未填写，无法计算预算执行率。")
    else:
        gap = assessment.gap_points
        relation = (
            f"落后序时进度 {fmt(gap)} 个百分点"
            if gap is not None and gap > 0
            else f"超出序时进度 {fmt(-gap)} 个百分点"
            if gap is not None and gap < 0
            else "与序时进度持平"
        )
        body.para(
            f"全年预算数 {fmt(record.annual_budget_wan)} 万元，截至监控时点执行 {fmt(record.executed_wan)} 万元，"
            f"预算执行率 {fmt_pct(execution.value_pct)}，{relation}。"
        )
        body.para(f"{execution.text}。")
    body.para(f"{assessment.time.text}。")
    if record.expected_executed_wan is not None:
        body.para(f"全年预计执行数 {fmt(record.expected_executed_wan)} 万元。")

    body.h1("三、绩效目标完成情况")
    rows: list[list[Cell | str]] = []
    for item in record.indicators:
        completion = assessment.completion(item)
        rows.append(
            [
                Cell(" / ".join(item.path[:-1]), align="left"),
                Cell(item.name, align="left"),
                item.target or "—",
                item.completed or "—",
                fmt_pct(completion.value_pct) if completion else "—",
                item.expected or "—",
                Cell(
                    item.likelihood.label if item.likelihood else "未填写",
                    bold=item.likelihood is Likelihood.IMPOSSIBLE,
                ),
            ]
        )
    body.caption("表", f"绩效指标监控情况（截至 {_date(record.monitoring_date)}）")
    body.table(
        [
            Col("一级 / 二级指标", 30, "left"),
            Col("三级指标", TEXT_WIDTH_MM - 126, "left"),
            Col("年度\n指标值", 20),
            Col("截至监控\n时点完成", 20),
            Col("完成\n比例", 16),
            Col("全年预计\n完成", 20),
            Col("完成目标\n可能性", 20),
        ],
        rows,
        small=True,
        note="注：完成比例 = 截至监控时点完成值 ÷ 年度指标值，仅对数值型指标计算；“—”表示未填写或无法计算。",
    )

    body.h1("四、偏差原因及纠偏措施")
    deviating = [item for item in record.indicators if item.likelihood not in (None, Likelihood.CERTAIN)]
    if not deviating:
        body.para("各项指标均确定能完成年度目标，无需纠偏。")
    for number, item in enumerate(deviating, 1):
        causes = "、".join(c.label for c in item.causes) or "未选择"
        note = f"，{item.cause_note.strip()}" if item.cause_note and item.cause_note.strip() else ""
        measures = (item.measures or "").strip() or "未填写"
        body.para(
            f"（{number}）{item.name}：完成目标可能性为“{item.likelihood.label if item.likelihood else ''}”。"
            f"偏差原因：{causes}{note}。纠偏措施：{measures.rstrip('。')}。"
        )

    body.h1("五、预警情况")
    if not assessment.warnings:
        body.para(f"按“{assessment.preset.name}”，未触发预警。")
    for number, warning in enumerate(assessment.warnings, 1):
        body.para(f"（{number}）【{warning.level.label}】{warning.message}。")
    body.signature(record.unit or None, record.monitoring_date)
    return body.parts


def write_monitoring_report_docx(assessment: Assessment, path: Path) -> Path:
    path = Path(path)
    document = docx.Document(io.BytesIO(_template()))
    props = document.core_properties
    props.title = report_title(assessment)
    props.subject = "项目支出绩效运行监控报告"
    props.author = assessment.record.unit or ""
    props.last_modified_by = "jixiao"
    props.language = "zh-CN"
    for tag in ("dcterms:created", "dcterms:modified"):
        for el in props._element.findall(qn(tag)):
            props._element.remove(el)
    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    parts = build_report_body(assessment)
    document.element.replace(old, parse_xml(f"<w:body {_NS}>{''.join(parts)}{sect}</w:body>"))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_monitoring_report_pdf(assessment: Assessment, out_dir: Path) -> Path:
    """``out_dir/监控报告.pdf``; :class:`~jixiao.io.report.pdf.PdfError` (Chinese) when LibreOffice fails."""
    from ..report.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-monitoring-") as work:
        source = write_monitoring_report_docx(assessment, Path(work) / REPORT_DOCX)
        (pdf,) = convert_to_pdf([source], Path(out_dir))
    return pdf
