"""The 复核意见书: the letter a 财政局 sends a unit after the 抽查复核 of its self-evaluation, as .docx and .pdf.

Outline: title, addressee, a short opening, then 一、复核基本情况 (the 自评 / 计算 / 复核 totals and grades),
二、指标复核情况 (every line of the :class:`~jixiao.core.review.ReviewSheet`, with a 合计 row that is the sheet's
totals), 三、差异及原因, 四、发现的问题, 五、整改要求, 六、复核意见 (when the reviewer wrote one) and the 落款.

It is written like the 自评报告 (:mod:`.docx`): the same template, styles and typography of :mod:`.ooxml`, the
body collected by :class:`~.body._Body`, and the PDF made by LibreOffice through :func:`.pdf.convert_to_pdf`.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...core.result import compare_scores
from ...core.review import EXECUTION_KEY, KEY_SEPARATOR, ReviewLine, ReviewSheet
from ...core.values import fmt
from .body import _Body, _date
from .ooxml import _NO_INDENT, _NS, TEXT_WIDTH_MM, TITLE_CHARS_PER_LINE, Cell, Col, _ems, _p, _template
from .sections_funds_indicators import _EM_MM_9PT, _fit_widths

#: the file names the letter is written under
OPINION_DOCX = "复核意见书.docx"
OPINION_PDF = "复核意见书.pdf"
#: the place of a problem that concerns no single indicator
WHOLE = "整体"
#: how an indicator's path is printed where it is not split into columns
PATH_SEPARATOR = " / "


@dataclass(frozen=True)
class OpinionProblem:
    """One problem the reviewer found, and what the unit has to do about it."""

    where: str  # the indicator's name, or 「整体」
    problem: str  # 发现的问题
    requirement: str  # 整改要求
    due: dt.date | None


@dataclass(frozen=True)
class ReviewOpinion:
    """Everything the letter says."""

    issuer: str  # the 财政局's name (who issues it)
    department: str | None  # 主管部门
    unit: str  # 预算单位
    project_title: str  # 「2022年科普专项经费」: already with the year
    year: int
    sheet: ReviewSheet
    conclusion: str  # the reviewer's overall 复核意见 (may be empty)
    problems: tuple[OpinionProblem, ...]
    reviewer: str
    date: dt.date


def opinion_title(opinion: ReviewOpinion) -> str:
    """``2022年科普专项经费绩效自评复核意见书``; a line break before 绩效自评… when the two do not fit one line
    but the project's title does (a longer one runs on)."""
    head, tail = opinion.project_title.strip(), "绩效自评复核意见书"
    fits = _ems(head) <= TITLE_CHARS_PER_LINE < _ems(head + tail)
    return head + ("\n" if fits else "") + tail


# --------------------------------------------------------------------------------------------
# figures and names as printed
# --------------------------------------------------------------------------------------------


def _score(value: Decimal | None) -> str:
    """A score at 2 places; nothing is 「—」."""
    return fmt(value)


def _place(where: str) -> str:
    """An indicator named as the reader reads it: a key's 「›」 becomes 「/」."""
    return where.strip().replace(KEY_SEPARATOR, PATH_SEPARATOR).replace("›", "/")


def _line_name(line: ReviewLine) -> str:
    """``科普活动场次（产出指标 / 数量指标）``; 预算执行率 as it is."""
    if not line.path:
        return EXECUTION_KEY
    parents = PATH_SEPARATOR.join(line.path[:-1])
    return line.path[-1] + (f"（{parents}）" if parents else "")


def _sentence(text: str) -> str:
    """``text`` ending in one 。 (a trailing ；，。 replaced)."""
    text = text.strip().rstrip("。；;，,.")
    return f"{text}。" if text else ""


def _own_total(sheet: ReviewSheet) -> Decimal | None:
    """The unit's own total: what it wrote, else the sum of its line scores (as :attr:`ReviewSheet.gap`)."""
    return sheet.stated_total if sheet.stated_total is not None else sheet.self_total.value


def _adjusted(line: ReviewLine) -> bool:
    """The reviewer set a score other than the computed one."""
    return line.reviewed is not None and line.reviewed != line.computed


# --------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------


def _opening(body: _Body, opinion: ReviewOpinion) -> None:
    body.raw(_p(f"{opinion.unit.strip()}：", ppr=_NO_INDENT))
    issuer = opinion.issuer.strip()
    we = "我局" if issuer.endswith("局") else issuer
    body.para(
        f"根据预算绩效管理工作安排，{we}对你单位报送的“{opinion.project_title.strip()}”项目支出绩效自评结果"
        "进行了抽查复核。现将复核意见反馈如下："
    )


def _section_basic(body: _Body, opinion: ReviewOpinion) -> None:
    sheet = opinion.sheet
    body.h1("一、复核基本情况")
    department, unit = (opinion.department or "").strip(), opinion.unit.strip()
    who = f"预算单位和主管部门均为{unit}" if department == unit else f"预算单位为{unit}"
    if department and department != unit:
        who += f"，主管部门为{department}"
    reviewer = f"，复核人员为{opinion.reviewer.strip()}" if opinion.reviewer.strip() else ""
    body.para(f"复核项目为“{opinion.project_title.strip()}”，{who}{reviewer}。")

    own = _own_total(sheet)
    if sheet.stated_total is not None:
        sum_of_lines = sheet.self_total.value
        own_note = "单位填报的自评总分" + (
            f"（各指标自评得分合计 {fmt(sum_of_lines)} 分）"
            if sum_of_lines is not None and sum_of_lines != sheet.stated_total
            else ""
        )
    elif own is not None:
        own_note = "单位未填写自评总分，按各指标自评得分合计"
    else:
        own_note = f"单位未填写自评总分；{sheet.self_total.explanation.formula}"
    rescaled = "剔除不适用指标后按 100 分折算" if "折算" in sheet.computed_total.explanation.formula else ""
    adjusted = sum(1 for line in sheet.lines if _adjusted(line))
    review_note = (
        f"复核调整 {adjusted} 项指标得分，其余按计算得分计入" if adjusted else "各项指标均按计算得分计入"
    ) + (f"；{rescaled}" if rescaled else "")
    body.caption("表", "复核得分汇总")
    body.table(
        [Col("口径", 32), Col("总分（分）", 24), Col("等级", 14), Col("说明", TEXT_WIDTH_MM - 70, "left")],
        [
            ["单位自评", _score(own), sheet.self_grade or "—", own_note],
            [
                "按评分规则计算",
                _score(sheet.computed_total.value),
                sheet.computed_grade or "—",
                "按评分规则和指标完成情况计算" + (f"；{rescaled}" if rescaled else ""),
            ],
            [
                Cell("复核", bold=True),
                Cell(_score(sheet.review_total.value), bold=True),
                sheet.review_grade or "—",
                review_note,
            ],
        ],
    )
    if sheet.review_total.value is None:
        body.para(f"经复核，该项目尚不能得出复核得分：{_sentence(sheet.review_total.explanation.formula)}")
        return
    text = f"经复核，该项目复核得分 {fmt(sheet.review_total.value)} 分，等级为“{sheet.review_grade}”"
    gap = compare_scores(own, sheet.review_total.value)
    if gap:
        text += f"，{gap}"
    if sheet.self_grade and sheet.review_grade and sheet.self_grade != sheet.review_grade:
        text += f"，等级由单位自评的“{sheet.self_grade}”调整为“{sheet.review_grade}”"
    body.para(text + "。")


_LEVELS = ("一级指标", "二级指标", "三级指标", "四级指标")
#: the narrowest a level column may be (mm); the names (in hanzi) a parent's and the leaf's column start wide
#: enough to hold on one line, where the page allows
_LEVEL_MIN_MM, _PARENT_NAME_EMS, _LEAF_NAME_EMS = 12.0, 5, 6
#: a level column narrower than this (mm) has its header on two lines (一级 / 指标)
_LEVEL_HEADER_MM = 16.0
#: the narrowest 复核说明 column (mm)
_NOTE_MIN_MM = 28.0
#: 分值, 自评得分, 计算得分, 复核得分, 差异（自评−复核）
_SCORE_COLS = (
    Col("分值", 13),
    Col("自评\n得分", 13),
    Col("计算\n得分", 13),
    Col("复核\n得分", 13),
    Col("差异\n（自评−\n复核）", 16),
)


def _shown(path: tuple[str, ...], depth: int) -> tuple[str, ...]:
    """The path in ``depth`` columns: a deeper path keeps its extra levels in the leaf's cell."""
    return (*path[: depth - 1], PATH_SEPARATOR.join(path[depth - 1 :])) if len(path) > depth else path


def _level_cells(shown: tuple[str, ...], previous: tuple[str, ...], depth: int) -> list[Cell]:
    """The level columns of one line: parents merged down with the line above where they are the same, the leaf
    spanning the columns its path does not fill."""
    if not shown:
        return [Cell(EXECUTION_KEY, span=depth)]
    cells = []
    for level in range(len(shown) - 1):
        same = len(previous) > level + 1 and previous[: level + 1] == shown[: level + 1]
        cells.append(Cell(shown[level], merge="continue" if same else "restart"))
    cells.append(Cell(shown[-1], span=depth - len(shown) + 1))
    return cells


def _note(line: ReviewLine) -> str:
    """复核说明: the reviewer's comment; else why the computed score is what it is, where that needs saying."""
    if line.comment.strip():
        return line.comment.strip()
    if line.reviewed is not None:
        return "未填写说明"
    if line.computed is None:
        return "无法按评分规则计算"
    if line.computed_basis not in ("计算", ""):
        return "无法按评分规则计算，计算得分采用单位自评分"
    return ""


def _adjustment(total: Decimal | None, parts: Sequence[Decimal | None]) -> Decimal | None:
    """What the 合计 adds to the sum of the printed parts (the 不适用 rescaling); None where there is no total."""
    if total is None:
        return None
    return total - sum((p for p in parts if p is not None), Decimal(0))


def _section_lines(body: _Body, opinion: ReviewOpinion) -> None:
    sheet = opinion.sheet
    body.h1("二、指标复核情况")
    # 预算执行率 first, as the 附1 table has it
    lines = sorted(sheet.lines, key=lambda line: bool(line.path))
    depth = min(max((len(line.path) for line in lines), default=1), 4) or 1
    rows: list[list[Cell | str]] = []
    previous: tuple[str, ...] = ()
    for line in lines:
        shown = _shown(line.path, depth)
        rows.append(
            [
                *_level_cells(shown, previous, depth),
                _score(line.points),
                _score(line.claimed),
                _score(line.computed),
                Cell(_score(line.review), bold=line.differs),
                _score(line.self_gap),
                Cell(_note(line), align="left"),
            ]
        )
        previous = shown
    points_total = sum((line.points for line in lines if line.points is not None), Decimal(0))
    self_total, computed_total, review_total = (
        sheet.self_total.value,
        sheet.computed_total.value,
        sheet.review_total.value,
    )
    gap_total = self_total - review_total if self_total is not None and review_total is not None else None
    # the 不适用 rescaling as a row of its own, so that every 合计 is the sum of the figures printed above it
    adjustments = [
        _adjustment(self_total, [line.claimed for line in lines]),
        _adjustment(computed_total, [line.computed for line in lines]),
        _adjustment(review_total, [line.review for line in lines]),
    ]
    if any(a is not None and a != 0 for a in adjustments):
        self_adj, _, review_adj = adjustments
        gap_adj = self_adj - review_adj if self_adj is not None and review_adj is not None else None
        rows.append(
            [
                Cell("剔除不适用指标后按 100 分折算", span=depth + 1, align="left"),
                *(_signed(a) for a in (*adjustments, gap_adj)),
                Cell("按 100 分折算", align="left"),
            ]
        )
    notes = []
    if sheet.stated_total is not None and sheet.stated_total != self_total:
        notes.append(f"单位填报的自评总分为 {fmt(sheet.stated_total)} 分")
    if self_total is None:
        notes.append(sheet.self_total.explanation.formula)
    if review_total is None:
        notes.append(sheet.review_total.explanation.formula)
    rows.append(
        [
            Cell("合计", span=depth, bold=True),
            Cell(_score(points_total), bold=True),
            Cell(_score(self_total), bold=True),
            Cell(_score(computed_total), bold=True),
            Cell(_score(review_total), bold=True),
            Cell(_score(gap_total), bold=True),
            Cell("；".join(notes), align="left"),
        ]
    )
    *levels, note = _text_widths(rows, depth)
    cols = [
        *(
            Col(_LEVELS[i] if w >= _LEVEL_HEADER_MM else _LEVELS[i].replace("级", "级\n"), w)
            for i, w in enumerate(levels)
        ),
        *_SCORE_COLS,
        Col("复核说明", note, "left"),
    ]
    body.caption("表", "指标复核情况（分值、得分单位：分）")
    body.table(
        cols,
        rows,
        small=True,
        note="注：复核得分未作调整的，按计算得分计入；加粗的复核得分与自评得分或计算得分不一致；“—”表示未填写或无法计算。",
    )


def _text_widths(rows: Sequence[Sequence[Cell | str]], depth: int) -> list[float]:
    """The widths of the level columns and 复核说明, sharing what the score columns leave so that the table is short
    (as the 自评报告's indicator table, :func:`~.sections_funds_indicators._fit_widths`); a level column starts wide
    enough for its longest name up to five hanzi, so that 满意度指标 is not broken."""
    spare = TEXT_WIDTH_MM - sum(c.width_mm for c in _SCORE_COLS)
    lines = [row for row in rows if len(row) == depth + 6]  # one cell per column: no spans (预算执行率, 合计)
    ems = [[_text_ems(c) for c in (*row[:depth], row[-1])] for row in lines]
    caps = [_PARENT_NAME_EMS] * (depth - 1) + [_LEAF_NAME_EMS]
    minimums = [
        max(_LEVEL_MIN_MM, min(max((e[i] for e in ems), default=0.0), caps[i]) * _EM_MM_9PT + 2.4) for i in range(depth)
    ]
    room = spare - _NOTE_MIN_MM
    if sum(minimums) > room:  # four levels: narrower, alike
        minimums = [max(_LEVEL_MIN_MM, m * room / sum(minimums)) for m in minimums]
    return _fit_widths(spare, [[n * _EM_MM_9PT for n in e] for e in ems], [*minimums, _NOTE_MIN_MM])


def _text_ems(cell: Cell | str) -> float:
    """The width of a cell's text in hanzi; a cell merged into the one above has no text of its own."""
    if isinstance(cell, Cell) and cell.merge == "continue":
        return 0.0
    return _ems((cell.text if isinstance(cell, Cell) else cell).replace("\n", ""))


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + fmt(value)


def _section_differences(body: _Body, opinion: ReviewOpinion) -> None:
    body.h1("三、差异及原因")
    differing = [line for line in sorted(opinion.sheet.lines, key=lambda x: bool(x.path)) if line.differs]
    if not differing:
        body.para("经复核，各项指标的复核得分与单位自评得分、计算得分均一致。")
        return
    for number, line in enumerate(differing, 1):
        figures = "，".join(
            f"{label} {fmt(value)} 分"
            for label, value in (("自评", line.claimed), ("计算", line.computed), ("复核", line.review))
            if value is not None
        )
        if line.comment.strip():
            reason = _sentence(line.comment)
        elif line.reviewed is None and line.computed_why:
            reason = "复核沿用计算得分，" + _sentence(line.computed_why)
        else:
            reason = "未填写说明。"
        body.para(f"（{number}）{_line_name(line)}：{figures}。原因：{reason}")


def _where(problem: OpinionProblem) -> str:
    where = _place(problem.where)
    return "" if not where or where == WHOLE else f"“{where}”："


def _section_problems(body: _Body, opinion: ReviewOpinion) -> None:
    body.h1("四、发现的问题")
    found = [p for p in opinion.problems if p.problem.strip()]
    if not found:
        body.para("未发现问题。")
        return
    for number, problem in enumerate(found, 1):
        body.para(f"（{number}）{_where(problem)}{_sentence(problem.problem)}")


def _section_requirements(body: _Body, opinion: ReviewOpinion) -> None:
    body.h1("五、整改要求")
    required = [p for p in opinion.problems if p.requirement.strip()]
    if not required:
        body.para("无。")
        return
    for number, problem in enumerate(required, 1):
        text = _sentence(problem.requirement)
        if problem.due is not None:
            text = f"{text[:-1]}，请于 {_date(problem.due)} 前完成整改。"
        body.para(f"（{number}）{_where(problem)}{text}")
    issuer = opinion.issuer.strip()
    body.para(f"请你单位按要求落实整改，并将整改情况书面报送{'我局' if issuer.endswith('局') else issuer}。")


def _section_conclusion(body: _Body, opinion: ReviewOpinion) -> None:
    if not opinion.conclusion.strip():
        return
    body.h1("六、复核意见")
    body.para(opinion.conclusion)


def build_opinion_body(opinion: ReviewOpinion) -> list[str]:
    """The letter's paragraphs and tables as WordprocessingML fragments, in order."""
    body = _Body()
    body.raw(_p(opinion_title(opinion), "Title"))
    _opening(body, opinion)
    _section_basic(body, opinion)
    _section_lines(body, opinion)
    _section_differences(body, opinion)
    _section_problems(body, opinion)
    _section_requirements(body, opinion)
    _section_conclusion(body, opinion)
    body.signature(opinion.issuer.strip() or None, opinion.date)
    return body.parts


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------


def write_review_opinion_docx(opinion: ReviewOpinion, path: Path) -> Path:
    """Write the 复核意见书 to ``path`` (.docx) and return the path."""
    path = Path(path)
    document = docx.Document(io.BytesIO(_template()))
    props = document.core_properties
    props.title = opinion_title(opinion).replace("\n", "")
    props.subject = "项目支出绩效自评复核意见书"
    props.author = opinion.issuer
    props.last_modified_by = "jixiao"
    props.language = "zh-CN"
    props.keywords = "绩效自评复核"
    for tag in ("dcterms:created", "dcterms:modified"):
        for el in props._element.findall(qn(tag)):
            props._element.remove(el)
    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    parts = build_opinion_body(opinion)
    document.element.replace(old, parse_xml(f"<w:body {_NS}>{''.join(parts)}{sect}</w:body>"))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_review_opinion_pdf(opinion: ReviewOpinion, out_dir: Path) -> Path:
    """Write the 复核意见书 as ``out_dir/复核意见书.pdf`` (the .docx made in a temporary folder and converted by
    LibreOffice) and return its path. Raises :class:`~.pdf.PdfError` (Chinese message) when the conversion fails."""
    from .pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-opinion-") as work:
        source = write_review_opinion_docx(opinion, Path(work) / OPINION_DOCX)
        (pdf,) = convert_to_pdf([source], Path(out_dir))
    return pdf
