"""The 部门整体支出绩效自评报告 (docx, and pdf through LibreOffice), written like the project 自评报告: the same
template, styles and fonts (:mod:`jixiao.io.report.ooxml`), the body collected by :class:`~jixiao.io.report.body._Body`.

Outline: 一、部门基本情况；二、预算执行情况 (every ratio with its formula and inputs, the account figures);
三、绩效自评结果 (the scored table); 四、所属项目绩效自评情况 (the roll-up); 五、绩效目标完成情况；六、存在的问题；
七、改进措施; the 落款 (the department, the day the report was written)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...core.department.accounts import shown
from ...core.department.engine import DepartmentResult
from ...core.department.framework import LEVEL_NAMES
from ...core.values import fmt, fmt_pct
from ..report.body import _Body
from ..report.ooxml import _NS, Cell, Col, _p, _template
from .table_xlsx import deduction_text

REPORT_DOCX = "部门整体支出绩效自评报告.docx"
REPORT_PDF = "部门整体支出绩效自评报告.pdf"

_ITEM_COLS = (
    Col(LEVEL_NAMES[0], 14),
    Col(LEVEL_NAMES[1], 18),
    Col(LEVEL_NAMES[2], 28),
    Col("分值", 12),
    Col("得分", 12),
    Col("扣分原因或计算依据", 72, "left"),
)
_ROLLUP_COLS = (
    Col("预算单位", 34, "left"),
    Col("项目名称", 46, "left"),
    Col("全年预算数\n（万元）", 22, "right"),
    Col("全年执行数\n（万元）", 22, "right"),
    Col("得分", 14),
    Col("等级", 18),
)


def report_title(result: DepartmentResult) -> str:
    h = result.evaluation.header
    return f"{h.department}{h.year}年度部门整体支出绩效自评报告"


def _basic(body: _Body, result: DepartmentResult) -> None:
    body.h1("一、部门基本情况")
    body.para(result.evaluation.narrative.overview)


def _budget(body: _Body, result: DepartmentResult) -> None:
    body.h1("二、预算执行情况")
    accounts = result.evaluation.accounts
    stated = [s for s in result.formulas.inputs if accounts.get(s.id) is not None]
    if stated:
        body.caption("表", "部门账面数据")
        body.table(
            (Col("项目", 90, "left"), Col("数额", 66, "right")),
            [[s.name, shown(accounts.get(s.id), s.unit)] for s in stated],
            small=True,
        )
    else:
        body.para("未填写账面数据。")
    body.para("根据以上数据计算的各项比率如下：")
    body.items([ratio.text() + "。" for ratio in result.ratios.values()])


def _scores(body: _Body, result: DepartmentResult) -> None:
    body.h1("三、绩效自评结果")
    total = result.total
    if total.value is None:
        body.para(f"{total.explanation.formula}。")
    else:
        body.para(
            f"按《{result.framework.name}》评价，本部门{result.evaluation.header.year}年度部门整体支出绩效自评得分"
            f" {fmt(total.value)} 分，等级为“{result.grade}”（{_bands(result)}）。"
        )
    rows: list[list[Cell | str]] = []
    previous: tuple[str, ...] = ()
    for item in result.items:
        path = (*item.path, "", "")[:3]
        cells: list[Cell | str] = []
        for level in range(2):
            same = previous[: level + 1] == path[: level + 1]
            cells.append(Cell(path[level], merge="continue" if same else "restart"))
        rows.append([*cells, path[2], fmt(item.points), fmt(item.used), Cell(deduction_text(item), align="left")])
        previous = path
    rows.append(
        [
            Cell("合计", span=3, bold=True),
            Cell(fmt(result.points_total), bold=True),
            Cell(fmt(total.value), bold=True),
            Cell(total.explanation.formula, align="left"),
        ]
    )
    body.caption("表", "部门整体支出绩效自评得分（分值、得分单位：分）")
    body.table(_ITEM_COLS, rows, small=True, note=f"注：{result.framework.points_note}")


def _bands(result: DepartmentResult) -> str:
    grades = result.rules.grades
    parts = []
    for i, band in enumerate(grades):
        upper = grades[i - 1].min_score if i else None
        if upper is None:
            parts.append(f"{band.grade} ≥ {fmt(band.min_score, 0)} 分")
        elif band.min_score == 0:
            parts.append(f"{band.grade} < {fmt(upper, 0)} 分")
        else:
            parts.append(f"{band.grade} {fmt(band.min_score, 0)}～{fmt(upper, 0)} 分")
    return "，".join(parts)


def _projects(body: _Body, result: DepartmentResult) -> None:
    body.h1("四、所属项目绩效自评情况")
    rollup = result.rollup
    if not rollup.projects:
        body.para("本年度所属单位无项目支出绩效自评。")
        return
    body.para(
        f"本部门所属单位共开展项目支出绩效自评 {len(rollup.projects)} 项，其中{rollup.distribution()}。"
        f"项目预算执行率（加权）= {rollup.execution_rate.explanation.formula}。"
    )
    if rollup.weak:
        body.para(f"自评等级为“中”或“差”的项目 {len(rollup.weak)} 项，须重点关注：")
    body.caption("表", "所属项目自评情况（金额单位：万元）")
    rows = [
        [
            p.unit,
            p.project,
            fmt(p.budget_wan),
            fmt(p.spent_wan),
            fmt(p.score),
            Cell(p.grade or "未评", bold=p.grade in ("中", "差")),
        ]
        for p in rollup.projects
    ]
    rows.append(
        [
            Cell("合计", span=2, bold=True),
            Cell(fmt(rollup.budget_wan), bold=True),
            Cell(fmt(rollup.spent_wan), bold=True),
            Cell(f"执行率 {fmt_pct(rollup.execution_rate.value)}", span=2),
        ]
    )
    body.table(
        _ROLLUP_COLS, rows, small=True, note="注：合计行的执行率为项目预算执行率（加权）；加粗的等级为“中”或“差”。"
    )


def build_report_body(result: DepartmentResult, signed_on: dt.date) -> list[str]:
    body = _Body()
    body.raw(_p(report_title(result), "Title"))
    _basic(body, result)
    _budget(body, result)
    _scores(body, result)
    _projects(body, result)
    narrative = result.evaluation.narrative
    body.h1("五、绩效目标完成情况")
    body.para(narrative.achievements)
    body.h1("六、存在的问题")
    body.para(narrative.problems)
    body.h1("七、改进措施")
    body.para(narrative.improvements)
    body.signature(result.evaluation.header.department, signed_on)
    return body.parts


def write_department_report_docx(result: DepartmentResult, path: Path, signed_on: dt.date | None = None) -> Path:
    path = Path(path)
    document = docx.Document(io.BytesIO(_template()))
    props = document.core_properties
    props.title = report_title(result)
    props.subject = "部门整体支出绩效自评报告"
    props.author = result.evaluation.header.department
    props.last_modified_by = "jixiao"
    props.language = "zh-CN"
    props.keywords = "部门整体支出绩效自评"
    for tag in ("dcterms:created", "dcterms:modified"):
        for el in props._element.findall(qn(tag)):
            props._element.remove(el)
    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    parts = build_report_body(result, signed_on or dt.date.today())
    document.element.replace(old, parse_xml(f"<w:body {_NS}>{''.join(parts)}{sect}</w:body>"))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_department_report_pdf(result: DepartmentResult, out_dir: Path, signed_on: dt.date | None = None) -> Path:
    """``out_dir/部门整体支出绩效自评报告.pdf``; :class:`~jixiao.io.report.pdf.PdfError` (Chinese) on failure."""
    from ..report.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-department-") as work:
        source = write_department_report_docx(result, Path(work) / REPORT_DOCX, signed_on)
        (pdf,) = convert_to_pdf([source], Path(out_dir))
    return pdf
