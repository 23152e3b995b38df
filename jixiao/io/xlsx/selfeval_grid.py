"""A worksheet of a 附1 自评表 read with its merged cells resolved, and the text matching that finds its labels:
blanks and colons ignored, dashes taken as empty, numbers, amounts, scores and rates read with the cell named
in every error."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...core.values import ValueProblem, normalise, parse_amount, parse_percent, to_decimal
from ..errors import InputError

DASHES = {"", "—", "——", "-", "--", "－", "/", "／", "无", "…", "……"}
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"


def _compact(value: object) -> str:
    """Label text for matching: no blanks, no colons, ASCII brackets."""
    if value is None:
        return ""
    text = normalise(str(value))
    text = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    return text.replace(":", "").replace("：", "")


def _clean_name(text: str) -> str:
    """Spaces and line breaks inside Chinese words dropped ("产 出\n指 标" → "产出指标"), others collapsed."""
    text = re.sub(rf"(?<={_CJK})\s+(?={_CJK})", "", text.strip())
    return re.sub(r"\s+", " ", text)


class _Grid:
    """One worksheet with its merged cells resolved: a merged block's value sits at its top-left origin."""

    def __init__(self, ws: Worksheet, path: Path) -> None:
        self.ws = ws
        self.path = path
        self.origins: dict[tuple[int, int], tuple[int, int]] = {}
        self.extents: dict[tuple[int, int], tuple[int, int]] = {}  # origin → (max_row, max_col)
        for rng in ws.merged_cells.ranges:
            origin = (rng.min_row, rng.min_col)
            self.extents[origin] = (rng.max_row, rng.max_col)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    self.origins[(r, c)] = origin
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for line in ws.iter_rows():
            for cell in line:
                if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip()):
                    self.values[(cell.row, cell.column)] = cell.value
                    self.formats[(cell.row, cell.column)] = cell.number_format
        self.max_row = ws.max_row
        self.max_col = ws.max_column

    def origin(self, r: int, c: int) -> tuple[int, int]:
        return self.origins.get((r, c), (r, c))

    def value(self, r: int, c: int) -> object:
        """The value shown in (r, c), from its merged block if any."""
        return self.values.get(self.origin(r, c))

    def own(self, r: int, c: int) -> object:
        """The value only when the cell starts at (r, c): a block merged down from above is not repeated."""
        return self.values.get((r, c)) if self.origin(r, c) == (r, c) else None

    def label(self, r: int, c: int) -> str:
        return _compact(self.own(r, c))

    def starts_in_row(self, r: int) -> list[int]:
        """Columns of the cells (merged or not) that start in row ``r`` and hold a value."""
        return [c for c in range(1, self.max_col + 1) if (r, c) in self.values and self.origin(r, c) == (r, c)]

    def find(self, test: Callable[[str], bool], rows: range | None = None) -> tuple[int, int] | None:
        for r in rows if rows is not None else range(1, self.max_row + 1):
            for c in self.starts_in_row(r):
                if test(self.label(r, c)):
                    return r, c
        return None

    def right_of(self, r: int, c: int) -> tuple[int, int] | None:
        """The first filled cell to the right of the block at (r, c), unless another label comes first."""
        start = self.extents.get((r, c), (r, c))[1] + 1
        for cc in range(start, self.max_col + 1):
            if self.origin(r, cc) != (r, cc) or (r, cc) not in self.values:
                continue
            return None if _is_label(self.label(r, cc)) else (r, cc)
        return None

    def ref(self, r: int, c: int) -> str:
        return f"{self.ws.title}!{get_column_letter(c)}{r}"

    def area(self, last_row: int | None = None) -> str:
        return f"{self.ws.title}!A1:{get_column_letter(max(self.max_col, 1))}{last_row or self.max_row}"

    def error(self, message: str, r: int, c: int) -> InputError:
        return InputError(message, self.path, self.ref(r, c))

    # ---- typed readers -------------------------------------------------------------------

    def text(self, r: int, c: int | None) -> str | None:
        if c is None:
            return None
        value = self.own(r, c)
        if value is None:
            return None
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (int, float)):
            number = Decimal(str(value))
            if "%" in self.formats.get((r, c), ""):
                return f"{format((number * 100).normalize(), 'f')}%"
            return format(number.normalize(), "f") if number == number.to_integral() else str(number)
        if hasattr(value, "isoformat"):
            return value.isoformat()[:10]
        text = str(value).strip()
        return None if text in DASHES else text

    def amount(self, r: int, c: int | None, what: str, unit: str) -> Decimal | None:
        if c is None:
            return None
        value = self.own(r, c)
        if value is None or (isinstance(value, str) and _compact(value) in DASHES):
            return None
        try:
            return parse_amount(value if isinstance(value, (int, float, str)) else str(value), unit, what)
        except ValueProblem as problem:
            raise self.error(str(problem), r, c) from None

    def score(self, r: int, c: int | None, what: str) -> Decimal | None:
        """Points or a score: a number, or text such as "10分"; never negative."""
        if c is None:
            return None
        value = self.own(r, c)
        if value is None:
            return None
        if isinstance(value, str):
            value = _compact(value).removesuffix("分")
            if value in DASHES:
                return None
        try:
            result = to_decimal(value, what)
        except ValueProblem as problem:
            raise self.error(str(problem), r, c) from None
        if result < 0:
            raise self.error(f"{what}不能为负数：{value}", r, c)
        return result

    def rate(self, r: int, c: int | None, what: str) -> Decimal | None:
        """A rate in percentage points from "65.36%", 0.6536 (or a cell formatted as %) or 65.36."""
        if c is None:
            return None
        value = self.own(r, c)
        if value is None:
            return None
        try:
            if isinstance(value, str):
                text = _compact(value)
                if text in DASHES:
                    return None
                if "%" in text:
                    return parse_percent(text, what)
                value = to_decimal(text, what)
            number = to_decimal(value, what)
        except ValueProblem as problem:
            raise self.error(str(problem), r, c) from None
        if "%" in self.formats.get((r, c), "") or abs(number) <= 1:
            return number * 100
        return number


_LABELS = ("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话")


def _is_label(text: str) -> bool:
    return any(text.startswith(label) for label in _LABELS)
