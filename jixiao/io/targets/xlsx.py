"""The 项目支出绩效目标申报表 as xlsx, in the usual layout: the project and its funds on top, the 年度总体目标, then
the indicator table (一级 | 二级 | 三级 | 指标值 | 分值 | 指标值设定依据 | 上年实际完成值 | 备注), the 一级 and 二级
cells merged down their rows. Amounts in 万元 as entered. A filled-in copy (or the blank template) is read back by
:func:`read_declaration_xlsx` into the form's fields, for the unit to check and save."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ...core.model import FundSource, ValueBasis
from ...core.targets.declaration import Declaration, format_number
from ..audit.read import office_refusal
from ..audit.readers.base import corrupt
from ..errors import InputError
from ..xlsx.cells import (
    AMOUNT,
    PLAIN,
    header_cells,
    merge,
    merge_cells,
    new_workbook,
    page_setup,
    put,
    set_widths,
    title_row,
)

COLUMNS = ("一级指标", "二级指标", "三级指标", "指标值", "分值", "指标值设定依据", "上年实际完成值", "备注")
BASIS = {
    ValueBasis.PLAN: "计划标准",
    ValueBasis.INDUSTRY: "行业标准",
    ValueBasis.HISTORY: "历史标准",
    ValueBasis.OTHER: "其他标准",
}
_N = len(COLUMNS)


def _pair(ws: Worksheet, row: int, label: str, value: object, *, number_format: str | None = None) -> None:
    put(ws, row, 1, label, bold=True, align="center")
    merge(ws, row, 1, row, 2)
    put(ws, row, 3, value, number_format=number_format)
    merge(ws, row, 3, row, _N)


def write_declaration_xlsx(declaration: Declaration, path: Path | str, *, grade: str = "") -> Path:
    wb = new_workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    p = declaration.project
    title_row(ws, 1, "项目支出绩效目标申报表", _N)
    title_row(ws, 2, f"（{p.year}年度）", _N, size=11, bold=False)
    row = 3
    period = "—"
    if p.start or p.end:
        period = f"{p.start:%Y年%m月%d日}" if p.start else "—"
        period += f" 至 {p.end:%Y年%m月%d日}" if p.end else ""
    amounts = {
        source: sum((f.amount_wan for f in declaration.funds if f.source is source), Decimal(0))
        for source in FundSource
    }
    for label, value, fmt in (
        ("项目名称", p.name, None),
        ("项目编码", p.code or "", None),
        ("主管部门", p.department or "", None),
        ("实施单位", p.unit or "", None),
        ("项目类别", p.kind or "一般项目", None),
        ("实施期", period, None),
        ("面向社会公众提供服务", "是" if declaration.public_facing else "否", None),
        ("资金总额（万元）", float(declaration.total_wan), AMOUNT),
        *(
            (f"其中：{source.label}（万元）", float(amounts[source]), AMOUNT)
            for source in FundSource
            if any(f.source is source for f in declaration.funds)
        ),
        ("年度总体目标", declaration.overall_goal, None),
    ):
        _pair(ws, row, label, value, number_format=fmt)
        row += 1
    header_row = row
    header_cells(ws, row, COLUMNS)
    row += 1
    for first in declaration.indicators:
        first_top = row
        for second in first.children:
            second_top = row
            for leaf in second.children:
                put(ws, row, 1, first.name, align="center")
                put(ws, row, 2, second.name, align="center")
                put(ws, row, 3, leaf.name)
                put(ws, row, 4, leaf.target_text())
                put(ws, row, 5, leaf.points, number_format=PLAIN, align="right")
                put(ws, row, 6, BASIS.get(leaf.value_basis, "") if leaf.value_basis else "")
                last = f"{format_number(leaf.last_year)}{leaf.unit or ''}" if leaf.last_year is not None else ""
                put(ws, row, 7, last)
                # a 定性 leaf's scale is in its 指标值 already: “定性：好（好/较好/一般/差）”
                put(ws, row, 8, f"低于上年理由：{leaf.below_last_year_reason}" if leaf.below_last_year_reason else "")
                row += 1
            if row - 1 > second_top:
                merge(ws, second_top, 2, row - 1, 2)
        if row - 1 > first_top:
            merge(ws, first_top, 1, row - 1, 1)
    put(ws, row, 1, "合计", bold=True, align="center")
    merge(ws, row, 1, row, 4)
    put(ws, row, 5, declaration.points, number_format=PLAIN, bold=True, align="right")
    put(ws, row, 6, "另 10 分为预算执行率，编制预算时暂不设置，自评时使用（财预〔2021〕101号）")
    merge(ws, row, 6, row, _N)
    row += 1
    if grade:
        _pair(ws, row, "审核等级", grade)
        row += 1
    set_widths(ws, (12, 14, 24, 16, 8, 12, 14, 24))
    page_setup(ws, title_rows=f"{header_row}:{header_row}", freeze=None)
    out = Path(path)
    wb.save(out)
    return out


# --------------------------------------------------------------------------------------------
# Reading a 申报表 back (the layout above, filled in offline)
# --------------------------------------------------------------------------------------------

#: the most rows read from an uploaded 申报表 (a table has some 10–60)
MAX_READ_ROWS = 400
#: label in column A → the header form's field
HEADER_LABELS = {
    "项目名称": "name",
    "项目编码": "code",
    "项目类别": "kind",
    "实施期": "period",
    "面向社会公众提供服务": "public_facing",
    "资金总额（万元）": "total_wan",
    "其中：当年财政拨款（万元）": "current_wan",
    "其中：上年结转资金（万元）": "carryover_wan",
    "其中：其他资金（万元）": "other_wan",
    "年度总体目标": "overall_goal",
}
_TARGET = re.compile(r"^(≥|≤|=|＝|>=|<=)?\s*(-?[\d,]*\.?\d+)\s*(.*)$")
_COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "＝": "="}
_LEADING_NUMBER = re.compile(r"^\s*(-?[\d,]*\.?\d+)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})\s*年度")


@dataclass
class ReadDeclaration:
    """What an uploaded 申报表 says, as the form's fields (text as written), with the problems found."""

    header: dict[str, object] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def _dates(text: str) -> list[str]:
    out = []
    for m in _DATE.finditer(text):
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        out.append(f"{int(y):04d}-{int(mo):02d}-{int(d):02d}")
    return out


_LEVEL_AND_SCALE = re.compile(r"^([^（(]*)[（(]([^）)]*)[）)]$")


def _leaf_row(values: list[str], where: str, problems: list[str]) -> dict[str, str]:
    first, second, name, target, points, basis, last, notes = values
    row = dict.fromkeys(("first", "second", "name", "comparator", "value", "unit", "scale", "expected"), "")
    row.update({"first": first, "second": second, "name": name, "points": points, "basis": "", "last_year": ""})
    row["reason"] = ""
    compact = target.replace(" ", "")
    if compact.startswith("定性"):
        row["comparator"] = "定性"
        level = compact.removeprefix("定性").lstrip("：:")
        if m := _LEVEL_AND_SCALE.match(level):  # “定性：好（好/较好/一般/差）”: the level, then its scale
            level, row["scale"] = m.group(1), m.group(2)
        row["expected"] = level
    elif m := _TARGET.match(target):
        row["comparator"] = _COMPARATORS.get(m.group(1) or "=", "=")
        row["value"] = m.group(2).replace(",", "")
        row["unit"] = m.group(3).strip()
    elif target:
        problems.append(f"{where} D 列“指标值”：无法识别“{target}”（应如“≥120 场”“=100%”“定性：好”）")
        row["value"] = target
    reverse_basis = {label: value for value, label in BASIS.items()}
    if basis:
        if basis in reverse_basis:
            row["basis"] = reverse_basis[basis].value
        else:
            problems.append(f"{where} F 列“指标值设定依据”：须为{'、'.join(BASIS.values())}之一（实际为“{basis}”）")
    if last:
        if m := _LEADING_NUMBER.match(last):
            row["last_year"] = m.group(1).replace(",", "")
        else:
            problems.append(f"{where} G 列“上年实际完成值”：“{last}”不是数值")
    for part in re.split(r"[；;]", notes):
        part = part.strip()
        if part.startswith("评价标准"):
            row["scale"] = part.removeprefix("评价标准").lstrip("：:")
        elif part.startswith("低于上年理由"):
            row["reason"] = part.removeprefix("低于上年理由").lstrip("：:")
    return row


def read_declaration_xlsx(path: Path | str) -> ReadDeclaration:
    """The 申报表 at ``path`` (the layout :func:`write_declaration_xlsx` writes) as the form's fields, for the
    unit to check and save; a file that cannot be read at all raises :class:`InputError`."""
    path = Path(path)
    if problem := office_refusal(path):
        raise InputError(problem, path.name)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML, key and its own errors for a damaged file
        raise InputError(corrupt(path, ".xlsx").reason, path.name) from None
    out = ReadDeclaration()
    try:
        ws = wb.worksheets[0]
        table = False
        for number, cells in enumerate(ws.iter_rows(max_row=MAX_READ_ROWS, max_col=_N, values_only=True), start=1):
            values = [_cell_text(v) for v in (*cells, *([None] * (_N - len(cells))))]
            if not any(values):
                continue
            if not table:
                if values[0] == "一级指标":
                    table = True
                elif (year := _YEAR.search(values[0])) and "year" not in out.header:
                    out.header["year"] = year.group(1)
                elif values[0] in HEADER_LABELS:
                    out.header[HEADER_LABELS[values[0]]] = values[2]
                continue
            if values[0] in ("合计", "审核等级"):
                break
            previous = out.rows[-1] if out.rows else {}
            if not values[0]:
                values[0] = previous.get("first", "")
            if not values[1] and values[0] == previous.get("first"):
                values[1] = previous.get("second", "")
            out.rows.append(_leaf_row(values, f"第 {number} 行", out.problems))
    except Exception:  # a damaged sheet part
        raise InputError(corrupt(path, ".xlsx").reason, path.name) from None
    finally:
        wb.close()
    if not table:
        out.problems.append("未找到指标表（表头第一列应为“一级指标”）")
    period = str(out.header.pop("period", "") or "")
    found = _dates(period)
    if found:
        out.header["start"] = found[0]
    if len(found) > 1:
        out.header["end"] = found[1]
    out.header["public_facing"] = out.header.get("public_facing") == "是"
    if out.header.get("kind") == "一般项目":
        out.header["kind"] = ""
    if "year" not in out.header:
        out.problems.append("未找到预算年度（标题下一行应如“（2022年度）”）")
    return out


def write_declaration_template(path: Path | str) -> Path:
    """A blank 申报表 in the same layout, for filling in offline and uploading."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    title_row(ws, 1, "项目支出绩效目标申报表", _N)
    title_row(ws, 2, "（    年度）", _N, size=11, bold=False)
    row = 3
    for label in HEADER_LABELS:
        _pair(ws, row, label, "")
        row += 1
    header_row = row
    header_cells(ws, row, COLUMNS)
    for first in ("产出指标", "产出指标", "效益指标", "效益指标", "满意度指标"):
        row += 1
        put(ws, row, 1, first, align="center")
        for col in range(2, _N + 1):
            put(ws, row, col, "")
    for _ in range(10):
        row += 1
        for col in range(1, _N + 1):
            put(ws, row, col, "")
    put(ws, row + 1, 1, "注：指标值写作“≥120 场”“≤1.2 万元”“=100%”或“定性：好”（定性指标在备注写“评价标准：好/较好/一般/差”）；"
        "设定依据填计划标准、行业标准、历史标准或其他标准；实施期写作“2022年01月01日 至 2022年12月31日”。", border=False)  # fmt: skip
    merge_cells(ws, row + 1, 1, row + 1, _N)
    set_widths(ws, (12, 14, 24, 16, 8, 12, 14, 24))
    page_setup(ws, title_rows=f"{header_row}:{header_row}", freeze=None)
    out = Path(path)
    wb.save(out)
    return out
