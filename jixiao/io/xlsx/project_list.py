"""The 项目清单 a 财政局 imports to open a year's self-evaluation task: one row per project, as a budget system
exports it, with 项目编码, 项目名称, 预算单位, 全年预算数 and, when present, 主管部门, 年初预算数 and 绩效目标.

:func:`read_project_list` reads every row and reports every problem, per row, in Chinese, with the sheet and
cell, and creates nothing: the caller shows the problems and opens the task only from a list that is
:attr:`ProjectList.ok`. Only a file that cannot be read as a list at all (not an xlsx, encrypted, no header
row with the required columns, too large) raises :class:`InputError`; what every path refuses (an empty, locked,
damaged or foreign file, a “zip bomb”) in the words every path uses (``io.audit.read.office_refusal``,
``io.archive.office_expansion_problem``, ``readers.base.corrupt``).

How it is read:

- The header row is found by its text in the first :data:`HEADER_ROWS` rows of each sheet, the first sheet
  that has every required column wins, so title rows above it are skipped. The header texts are data
  (``jixiao/data/tasks/project_list.yaml``); before matching, blanks, line breaks and 「*」 are dropped and
  full-width brackets made half-width. A header of two rows (「预算数（万元）」 merged above 「年初预算数」 and
  「全年预算数」) is read as one: the lower row's names win in their columns.
- Amounts come back in 万元, converted exactly (``Decimal``, never float). The unit is the one a header states
  (「全年预算数（元）」, 「（单位：万元）」), or a 「单位：万元」 line above the table; a unit one amount header
  states applies to the other. Headers that disagree are a problem of the sheet. Where no unit is stated the
  amounts are read as 万元, and one that would then reach :attr:`_Lexicon.yuan_looking_wan` (100亿元) is a
  problem on its cell: it looks like an amount in 元. A missing figure can be filled in later; a figure
  wrong by ten thousand times would be believed.
- A cell may hold a number or text such as 「1,530,000.00」 or 「153万」: a unit written in the cell wins
  over the column's. Negative amounts, text that is not an amount, and amounts beyond what can be stored are
  problems on their cell, as is an empty 全年预算数.
- Blank rows, a 栏次 row under the header (「1 2 3 …」, 「甲 乙 1 2 …」), rows whose 项目编码, 项目名称 or first
  cell is 合计/总计/小计, and note lines under the table (「注：……」, 「制表人：……」) are skipped.
- 项目编码 is the text as written (leading zeros kept); a numeric cell gives its digits (123.0 → "123"), and
  one longer than the 15 digits Excel keeps is a problem: its last digits may already have been changed.
- A 预算单位 is matched to ``known_units`` ignoring blanks and the width of brackets, and comes back spelled as
  in ``known_units``.

The work is bounded: read-only streaming with cached formula values, at most :data:`MAX_ROWS` rows and
:data:`MAX_UNPACKED_BYTES` unpacked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...core.values import normalise
from ..archive import office_expansion_problem
from ..audit.read import office_refusal
from ..audit.readers.base import OLE_MAGIC, corrupt
from ..catalogue import read_yaml
from ..errors import InputError, from_validation
from .cells import AMOUNT, header_cells, new_workbook, page_setup, set_widths, title_row
from .selfeval_grid import DASHES

#: the header vocabulary, the skipped rows and the amount thresholds
VOCABULARY = Path(str(resources.files("jixiao") / "data" / "tasks" / "project_list.yaml"))
#: rows at the top of each sheet searched for the header row
HEADER_ROWS = 20
#: columns searched for the header
HEADER_COLUMNS = 200
#: the last sheet row read: a larger sheet is refused
MAX_ROWS = 200_000
#: what the file may unpack to: a larger one is refused before it is parsed
MAX_UNPACKED_BYTES = 1 << 30
#: the web model's limits, in characters
MAX_CODE_LENGTH = 64
MAX_NAME_LENGTH = 200
MAX_UNIT_LENGTH = 200
#: Excel keeps 15 significant digits of a number: a longer 项目编码 typed as a number has lost its last digits
EXCEL_DIGITS = 15
#: the units an amount header may state, as the power of ten that turns them into 万元
AMOUNT_UNITS: dict[str, int] = {"万元": 0, "元": -4}
#: the sheet of the template
TEMPLATE_SHEET = "项目清单"

#: the fields of a row, in the template's column order
FIELDS = ("code", "name", "unit", "department", "initial_budget", "annual_budget", "goal")
AMOUNT_FIELDS = ("initial_budget", "annual_budget")
_TEXT_LIMITS = {
    "code": MAX_CODE_LENGTH,
    "name": MAX_NAME_LENGTH,
    "unit": MAX_UNIT_LENGTH,
    "department": MAX_UNIT_LENGTH,
}


@dataclass(frozen=True)
class ProjectRow:
    """One project of the list; amounts in 万元."""

    row: int  # 1-based sheet row number
    code: str  # 项目编码 as written ("" when empty: then there is a problem for this row)
    name: str  # 项目名称
    unit: str  # 预算单位, spelled as in ``known_units`` when it was matched there
    department: str | None  # 主管部门
    initial_budget_wan: Decimal | None  # 年初预算数
    annual_budget_wan: Decimal | None  # 全年预算数 (None only with a problem for this row)
    goal: str | None  # 绩效目标 / 年度总体目标


@dataclass(frozen=True)
class ListProblem:
    """A problem of the list: of one cell, of one row, or of the whole sheet (``row`` None)."""

    row: int | None  # sheet row, None for a problem of the whole sheet
    cell: str | None  # "项目清单!E7", None when not about one cell
    message: str  # Chinese, a complete sentence naming the field and the value

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


@dataclass
class ProjectList:
    """Every project row read, and every problem; create nothing from it unless :attr:`ok`."""

    file: str  # the file as given
    sheet: str  # the sheet read
    amount_unit: str  # "万元" or "元": the unit of the amount columns (amounts in ``rows`` are always 万元)
    rows: list[ProjectRow]
    problems: list[ListProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- the vocabulary --------------------------------------------------------------------------


class _Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    required: bool = False
    headers: list[str] = Field(min_length=1)


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: dict[str, _Column]
    total_words: list[str]
    note_prefixes: list[str]
    numbering_words: list[str]
    yuan_looking_wan: Decimal = Field(gt=0)
    max_amount_wan: Decimal = Field(gt=0)


@dataclass(frozen=True)
class _Lexicon:
    headers: dict[str, str]  # compact header text → field
    labels: dict[str, str]  # field → its name in messages
    standard: dict[str, str]  # field → the header the template writes
    required: tuple[str, ...]
    totals: frozenset[str]
    notes: re.Pattern[str]
    numbering: frozenset[str]
    yuan_looking_wan: Decimal
    max_amount_wan: Decimal


_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_NOISE = re.compile(r"[\s*＊※:：]")


def _compact(value: object) -> str:
    """Header or label text for matching: no blanks, line breaks, 「*」 or colons; half-width brackets and digits."""
    if value is None:
        return ""
    return _NOISE.sub("", normalise(str(value)).translate(_BRACKETS))


@cache
def _lexicon(path: Path = VOCABULARY) -> _Lexicon:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("项目清单词汇文件的内容应为字段表", path)
    try:
        vocabulary = _Vocabulary.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, _Vocabulary, path) from None
    if set(vocabulary.columns) != set(FIELDS):
        raise InputError(f"项目清单词汇文件应列出且只列出这些字段：{'、'.join(FIELDS)}", path)
    headers: dict[str, str] = {}
    for name, column in vocabulary.columns.items():
        for header in column.headers:
            key = _compact(header)
            if headers.get(key, name) != name:
                raise InputError(f"表头“{header}”同时列在 {headers[key]} 和 {name} 之下", path)
            headers[key] = name
    words = "|".join(re.escape(_compact(word)) for word in vocabulary.note_prefixes)
    return _Lexicon(
        headers=headers,
        labels={name: vocabulary.columns[name].label for name in FIELDS},
        standard={name: vocabulary.columns[name].headers[0] for name in FIELDS},
        required=tuple(name for name in FIELDS if vocabulary.columns[name].required),
        totals=frozenset(_compact(word) for word in vocabulary.total_words),
        numbering=frozenset(_compact(word) for word in vocabulary.numbering_words),
        notes=re.compile(rf"(?:{words})[^:：]{{0,4}}?[:：、.]"),  # 「注：」 「注1.」 「制表人：」
        yuan_looking_wan=vocabulary.yuan_looking_wan,
        max_amount_wan=vocabulary.max_amount_wan,
    )


# ---- the header ------------------------------------------------------------------------------

#: a money unit: those of :data:`AMOUNT_UNITS` are read, others (千元, 亿元) are named in a problem
_MONEY = r"(?P<unit>[十百千]?[万亿]?元)"
#: 「全年预算数（万元）」, 「年初预算数(元)」, 「全年预算数（单位：万元）」 once compacted
_UNIT_IN_HEADER = re.compile(rf"(?P<label>.+?)\((?:金额)?(?:单位)?{_MONEY}\)")
#: a unit at the end of a cell of the header's upper row: 「预算数（万元）」 over two amount columns
_UNIT_AT_END = re.compile(rf"\((?:金额)?(?:单位)?{_MONEY}\)$")
#: 「单位：万元」 or 「（金额单位：元）」 above the table
_UNIT_NOTE = re.compile(rf"\(?(?:金额)?单位{_MONEY}\)?")


@dataclass(frozen=True)
class _HeaderCell:
    field: str
    row: int
    col: int
    text: str  # as written, for messages
    unit: str | None  # the unit it states


@dataclass
class _Header:
    sheet: str
    last_row: int  # the header's last row: data starts below it
    cells: dict[str, _HeaderCell]  # field → its column (the first, if several)
    extra: dict[str, list[_HeaderCell]]  # field → further columns of the same field
    sheet_units: list[tuple[str, str]]  # (unit, where) stated for the whole table
    width: int = 0  # the last column read


def _match(value: object, lex: _Lexicon) -> tuple[str, str | None] | None:
    """The field a header cell names, and the unit it states."""
    key = _compact(value)
    if not key:
        return None
    if (name := lex.headers.get(key)) is not None:
        return name, None
    match = _UNIT_IN_HEADER.fullmatch(key)
    if match and (name := lex.headers.get(match["label"])) is not None:
        return name, match["unit"]
    return None


def _header_cells(values: Sequence[object], row: int, lex: _Lexicon) -> dict[int, _HeaderCell]:
    found = {}
    for col, value in enumerate(values, start=1):
        if (hit := _match(value, lex)) is not None:
            found[col] = _HeaderCell(hit[0], row, col, _shown(value), hit[1])
    return found


def _header_at(
    ws: Any, top: list[tuple[object, ...]], index: int, lex: _Lexicon
) -> tuple[_Header | None, dict[str, list[_HeaderCell]]]:
    """The header starting at row ``index + 1`` of ``top`` (with the row below when it names columns too)."""
    row = index + 1
    cells = _header_cells(top[index], row, lex)
    last_row = row
    sheet_units: list[tuple[str, str]] = []
    if cells and index + 1 < len(top) and (below := _header_cells(top[index + 1], row + 1, lex)):
        last_row = row + 1
        for col in below:
            upper = top[index][col - 1]
            if (unit := _UNIT_AT_END.search(_compact(upper))) is not None:
                sheet_units.append((unit["unit"], f"{_ref(ws.title, row, col)}“{_shown(upper)}”"))
        cells.update(below)
    by_field: dict[str, list[_HeaderCell]] = {}
    for col in sorted(cells):
        by_field.setdefault(cells[col].field, []).append(cells[col])
    if not all(name in by_field for name in lex.required):
        return None, by_field
    for r in range(index):
        for col, value in enumerate(top[r], start=1):
            if isinstance(value, str) and (note := _UNIT_NOTE.fullmatch(_compact(value))) is not None:
                sheet_units.append((note["unit"], f"{_ref(ws.title, r + 1, col)}“{_shown(value)}”"))
    header = _Header(
        sheet=ws.title,
        last_row=last_row,
        cells={name: found[0] for name, found in by_field.items()},
        extra={name: found[1:] for name, found in by_field.items() if len(found) > 1},
        sheet_units=sheet_units,
    )
    header.width = max(c.col for c in header.cells.values())
    return header, by_field


def _find_header(wb: Any, path: Path, lex: _Lexicon) -> _Header:
    best: tuple[int, str, int, dict[str, list[_HeaderCell]]] | None = None  # (count, sheet, row, found)
    for ws in wb.worksheets:
        ws.reset_dimensions()  # some writers store a wrong size; read what is there
        top = list(_values(ws, path, min_row=1, max_row=HEADER_ROWS, max_col=HEADER_COLUMNS))
        for index in range(len(top)):
            header, found = _header_at(ws, top, index, lex)
            if header is not None:
                return header
            count = sum(1 for name in lex.required if name in found)
            if count and (best is None or count > best[0]):
                best = (count, ws.title, index + 1, found)
    if best is None:
        names = "”“".join(lex.labels[name] for name in lex.required)
        sheets = "、".join(f"“{ws.title}”" for ws in wb.worksheets)
        raise InputError(f"找不到项目清单的表头：工作表{sheets}的前 {HEADER_ROWS} 行中没有“{names}”等列名", path)
    _, sheet, row, found = best
    missing = "、".join(lex.labels[name] for name in lex.required if name not in found)
    last = max(c.col for cells in found.values() for c in cells)
    raise InputError(f"缺少必需的列：{missing}（应在表头行中）", path, f"{sheet}!A{row}:{get_column_letter(last)}{row}")


def _units(header: _Header, lex: _Lexicon) -> tuple[dict[str, str | None], str, list[ListProblem]]:
    """Each amount column's unit (None: not stated), the list's amount unit, and the problems of the units."""
    problems: list[ListProblem] = []
    statements: list[tuple[str, str]] = list(header.sheet_units)
    own: dict[str, str | None] = {}
    for name in AMOUNT_FIELDS:
        if (cell := header.cells.get(name)) is not None:
            own[name] = cell.unit
            if cell.unit is not None:
                statements.append((cell.unit, f"{_ref(header.sheet, cell.row, cell.col)}“{cell.text}”"))
    for unit, where in statements:
        if unit not in AMOUNT_UNITS:
            problems.append(
                ListProblem(None, None, f"{where}写明的金额单位“{unit}”不能读取，金额请以万元或元为单位填写")
            )
    stated = list(dict.fromkeys(unit for unit, _ in statements))
    if len(stated) > 1:
        said = "，".join(f"{where}写明{unit}" for unit, where in statements)
        problems.append(ListProblem(None, None, f"金额单位不一致：{said}；请统一金额单位后重新导入"))
    sheet_unit = next((unit for unit, _ in header.sheet_units), None)
    fallback = sheet_unit or (stated[0] if stated else None)
    units = {name: unit or fallback for name, unit in own.items()}
    main = units.get("annual_budget") or units.get("initial_budget") or "万元"
    return units, main if main in AMOUNT_UNITS else "万元", problems


# ---- cell values -----------------------------------------------------------------------------


def _ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col)}{row}"


def _number_text(value: int | float) -> str:
    """A number as its digits: 123 and 123.0 → "123", 12.5 → "12.5"."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return repr(value)
    number = Decimal(repr(value))
    return str(int(number)) if number == number.to_integral_value() else format(number, "f")


def _shown(value: object, limit: int = 40) -> str:
    """A cell's value for a message, shortened."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = _number_text(value)
    else:
        text = "" if value is None else str(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _text(value: object) -> str | None:
    """A text cell stripped, a number as its digits, a date as ISO; None when empty or a dash."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if text in DASHES else text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shift(number: Decimal, power: int) -> Decimal:
    """``number × 10**power`` exactly, without trailing zeros after the point; no context, so no rounding."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    exponent += power
    kept = list(digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if not any(kept):
        return Decimal(0)
    return Decimal((sign, tuple(kept), exponent))


def _yi(wan: Decimal) -> str:
    return f"{_shift(wan, -4):f}亿元"


#: an amount written as text: 「1,530,000.00」, 「153万」, 「1530000元」 (blanks removed, full width made half)
_AMOUNT = re.compile(r"(?P<sign>[-+])?(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<unit>万元|万|元)?")
_WRITTEN_UNITS = {"万元": "万元", "万": "万元", "元": "元"}
_BLANKS = re.compile(r"\s+")


def _amount(value: object, label: str, unit: str | None, lex: _Lexicon) -> tuple[Decimal | None, str | None]:
    """An amount cell in 万元, or the problem with it (without the row). ``unit`` is the column's, None if not
    stated. An empty cell is (None, None)."""
    if value is None:
        return None, None
    written: str | None = None
    if type(value) is int:  # a bool is an int too: it is refused below
        number = Decimal(value)
    elif type(value) is float and math.isfinite(value):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = _BLANKS.sub("", normalise(value))
        if text in DASHES:
            return None, None
        match = _AMOUNT.fullmatch(text)
        if match is None:
            return None, f"{label}“{_shown(value)}”不是有效的金额，应填写数字，如“153.00”"
        number = Decimal(match["number"].replace(",", ""))
        if match["sign"] == "-":
            number = -number
        written = _WRITTEN_UNITS.get(match["unit"] or "")
    else:  # a date, a time, TRUE/FALSE, an infinite number
        return None, f"{label}“{_shown(value)}”不是有效的金额，应填写数字，如“153.00”"
    if number < 0:
        return None, f"{label}“{_shown(value)}”是负数，预算数不能小于零"
    wan = _shift(number, AMOUNT_UNITS[written or unit or "万元"])
    if wan >= lex.max_amount_wan:
        return None, (
            f"{label}“{_shown(value)}”超出可保存的范围（应小于 {lex.max_amount_wan:f} 万元），请核对金额和单位"
        )
    if written is None and unit is None and wan >= lex.yuan_looking_wan:
        return None, (
            f"{label}“{_shown(value)}”按万元读取不小于{_yi(lex.yuan_looking_wan)}，像是以元为单位填写的金额；"
            f"表头没有写明金额单位，请在表头写明，如“{label}（元）”或“{label}（万元）”"
        )
    return wan, None


# ---- the workbook ----------------------------------------------------------------------------

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"


def _string_table(source: Any) -> list[str]:
    """The shared strings as openpyxl's ``read_string_table`` gives them: each string's plain text and the text
    of its formatted runs, without phonetic guides.

    openpyxl builds a rich-text object for every string to take its text; on a list of 100,000 projects (a few
    hundred thousand distinct strings: codes, names, goals) that took three quarters of the reading time.
    """
    strings = []
    for _, node in iterparse(source):
        if node.tag == _SI:
            plain, runs = [], []
            for child in node:
                if child.tag == _T:
                    plain.append(child.text or "")
                elif child.tag == _RUN and (text := child.find(_T)) is not None:
                    runs.append(text.text or "")
            strings.append("".join(plain + runs).replace("x005F_", ""))
            node.clear()
    return strings


class _Reader(ExcelReader):
    """What ``openpyxl.load_workbook`` uses, with the shared strings read by :func:`_string_table`."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _string_table(source)


#: an old binary workbook (not locked: :func:`~jixiao.io.audit.read.office_refusal` says that) under an .xlsx name
LEGACY_XLS = "是旧版 .xls 格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"


def _refusal(path: Path) -> str | None:
    """Why the file is not opened, in the words every path uses: empty, locked, not a workbook, or a “zip bomb”
    (with the list's own limit, :data:`MAX_UNPACKED_BYTES`: a list of 100,000 projects is legitimately large)."""
    with path.open("rb") as stream:
        head = stream.read(len(OLE_MAGIC))
    if problem := office_refusal(path, head, expansion=False):
        return problem
    if head.startswith(OLE_MAGIC):
        return LEGACY_XLS
    return office_expansion_problem(path, max_bytes=MAX_UNPACKED_BYTES)


def _open(path: Path, handle: Any) -> Any:
    """The workbook, read-only with cached formula values, or InputError for what is not a readable xlsx."""
    try:
        reader = _Reader(handle, read_only=True, data_only=True)
        reader.read()
        return reader.wb
    except Exception:  # openpyxl raises zip, XML, key and its own errors for a damaged file
        raise corrupt(path, ".xlsx") from None


def _values(ws: Any, path: Path, **bounds: int | None) -> Iterator[tuple[object, ...]]:
    """The rows' values; an unreadable sheet (damaged XML) is an InputError."""
    rows = ws.iter_rows(values_only=True, **bounds)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # openpyxl raises XML and value errors for a damaged sheet
            raise InputError(f"工作表“{ws.title}”无法读取，文件已损坏", path) from None
        yield values


def _unit_key(name: str) -> str:
    return re.sub(r"\s+", "", normalise(name)).translate(_BRACKETS)


class _RowReader:
    """Turns the data rows below the header into :class:`ProjectRow` and :class:`ListProblem`."""

    def __init__(self, header: _Header, units: dict[str, str | None], known: Collection[str] | None, lex: _Lexicon):
        self.header = header
        self.units = units
        self.lex = lex
        self.cols = {name: cell.col - 1 for name, cell in header.cells.items()}
        self.known = None if known is None else {_unit_key(name): name for name in known}
        self.total_chars = frozenset("".join(lex.totals))
        self.first_row_of: dict[str, int] = {}
        self.rows: list[ProjectRow] = []
        self.problems: list[ListProblem] = []

    def problem(self, row: int, name: str, message: str) -> None:
        cell = _ref(self.header.sheet, row, self.header.cells[name].col)
        self.problems.append(ListProblem(row, cell, f"第{row}行：{message}"))

    def skipped(self, row: int, values: tuple[object, ...], cells: dict[str, object]) -> bool:
        """Blank, the 栏次 row under the header, a 合计 row, or a note line under the table."""
        if all(_blank(value) for value in cells.values()):
            return True
        if row == self.header.last_row + 1 and self.numbering(values):
            return True
        first = next(value for value in values if not _blank(value))
        for value in (cells.get("code"), cells.get("name"), first):
            if isinstance(value, str) and len(value) <= 16 and self.total(value):
                return True
        if isinstance(first, str) and self.lex.notes.match(_BLANKS.sub("", normalise(first))) is not None:
            return sum(1 for value in values if not _blank(value)) == 1
        return False

    def numbering(self, values: tuple[object, ...]) -> bool:
        """「栏次 1 2 3 …」 or 「甲 乙 1 2 …」: words of the vocabulary and consecutive numbers, three cells or more."""
        filled = [value for value in values if not _blank(value)]
        numbers = []
        for value in filled:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                text = _number_text(value)
            elif isinstance(value, str):
                text = _compact(value)
                if text in self.lex.numbering:
                    continue
            else:
                return False
            if not text.isdigit():
                return False
            numbers.append(int(text))
        first = numbers[0] if numbers else 0
        return len(filled) >= 3 and numbers == list(range(first, first + len(numbers)))

    def total(self, text: str) -> bool:
        """合计, 总 计, 小计：…"""
        return not self.total_chars.isdisjoint(text) and _compact(text) in self.lex.totals

    def read(self, row: int, values: tuple[object, ...]) -> None:
        cells = {name: (values[col] if col < len(values) else None) for name, col in self.cols.items()}
        if self.skipped(row, values, cells):
            return
        labels = self.lex.labels
        texts = {name: _text(cells[name]) for name in ("code", "name", "unit", "department", "goal") if name in cells}
        for name in ("code", "name", "unit"):
            if texts[name] is None:
                self.problem(row, name, f"{labels[name]}为空")
        for name, limit in _TEXT_LIMITS.items():
            text = texts.get(name)
            if text is not None and len(text) > limit:
                self.problem(
                    row, name, f"{labels[name]}“{_shown(text, 20)}”有 {len(text)} 个字符，超过 {limit} 个字符的上限"
                )
        code = texts["code"]
        raw_code = cells["code"]
        if code is not None and isinstance(raw_code, (int, float)) and not isinstance(raw_code, bool):
            if len(code.lstrip("-").replace(".", "")) > EXCEL_DIGITS:
                self.problem(
                    row,
                    "code",
                    f"项目编码“{_shown(raw_code)}”是超过 {EXCEL_DIGITS} 位的数字，Excel 只保留 {EXCEL_DIGITS} 位有效数字，"
                    "编码可能已被改动；请把该列设为文本格式后重新导出",
                )
        if code is not None:
            first = self.first_row_of.setdefault(code, row)
            if first != row:
                self.problem(row, "code", f"项目编码“{_shown(code)}”与第{first}行重复")
        unit = texts["unit"]
        if unit is not None and self.known is not None:
            spelled = self.known.get(_unit_key(unit))
            if spelled is None:
                self.problem(row, "unit", f"预算单位“{_shown(unit)}”不在系统的单位名单中")
            else:
                unit = spelled
        amounts: dict[str, Decimal | None] = {}
        for name in AMOUNT_FIELDS:
            if name not in cells:
                amounts[name] = None
                continue
            column_unit = self.units.get(name)
            if column_unit is not None and column_unit not in AMOUNT_UNITS:
                amounts[name] = None  # a unit that cannot be read: a problem of the sheet already
                continue
            amounts[name], message = _amount(cells[name], labels[name], column_unit, self.lex)
            if message is not None:
                self.problem(row, name, message)
            elif amounts[name] is None and name == "annual_budget":
                self.problem(row, name, f"{labels[name]}为空")
        self.rows.append(
            ProjectRow(
                row=row,
                code=code or "",
                name=texts["name"] or "",
                unit=unit or "",
                department=texts.get("department"),
                initial_budget_wan=amounts["initial_budget"],
                annual_budget_wan=amounts["annual_budget"],
                goal=texts.get("goal"),
            )
        )


def read_project_list(path: Path, known_units: Collection[str] | None = None) -> ProjectList:
    """Every project of a 项目清单 xlsx and every problem with it; see the module docstring.

    ``known_units``: the names of the units the system knows; a 预算单位 not among them is a problem. None: not
    checked. Raises :class:`InputError` (naming the file, and the sheet where it applies) for a file that cannot
    be read as a list at all.
    """
    path = Path(path)
    lex = _lexicon()
    if not path.is_file():
        raise InputError("文件不存在", path)
    if problem := _refusal(path):
        raise InputError(problem, path)
    with path.open("rb") as handle:
        wb = _open(path, handle)
        try:
            header = _find_header(wb, path, lex)
            ws = wb[header.sheet]
            units, amount_unit, problems = _units(header, lex)
            for name, extra in header.extra.items():
                named = "、".join(f"{_ref(header.sheet, c.row, c.col)}“{c.text}”" for c in [header.cells[name], *extra])
                problems.append(
                    ListProblem(None, None, f"表头中有多列都是{lex.labels[name]}：{named}；请只保留一列后重新导入")
                )
            reader = _RowReader(header, units, known_units, lex)
            for row, values in enumerate(
                _values(ws, path, min_row=header.last_row + 1, max_col=header.width), start=header.last_row + 1
            ):
                if row > MAX_ROWS:
                    raise InputError(
                        f"工作表“{header.sheet}”超过 {MAX_ROWS} 行，一次最多导入 {MAX_ROWS} 行；请删去多余的行或分批导入",
                        path,
                    )
                reader.read(row, values)
        finally:
            wb.close()
    return ProjectList(
        file=str(path),
        sheet=header.sheet,
        amount_unit=amount_unit,
        rows=reader.rows,
        problems=problems + reader.problems,
    )


def write_project_list_template(path: Path) -> Path:
    """A blank 项目清单 with the standard headers, amounts in 万元, for users to fill and import."""
    lex = _lexicon()
    path = Path(path)
    wb = new_workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    headers = [lex.standard[name] + ("（万元）" if name in AMOUNT_FIELDS else "") for name in FIELDS]
    title_row(ws, 1, TEMPLATE_SHEET, len(headers))
    header_cells(ws, 2, headers)
    set_widths(ws, (20, 36, 30, 26, 16, 16, 50))
    for index, name in enumerate(FIELDS, start=1):
        if name == "code":
            ws.column_dimensions[get_column_letter(index)].number_format = "@"  # typed codes keep leading zeros
        elif name in AMOUNT_FIELDS:
            ws.column_dimensions[get_column_letter(index)].number_format = AMOUNT
    page_setup(ws, title_rows="2:2", freeze="A3")
    wb.save(path)
    return path
