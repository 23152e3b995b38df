"""The fund block of a 自评表, read by its column headers: 年度资金总额 and its 其中 rows.

The header row(s) are found by their words (``fund_columns.yaml``: 年初预算数, 全年预算数(A), 执行数(B),
执行率, 分值/权重, 得分 …) and give the columns by meaning. Each row's figures are then placed under those
columns as a whole: a row is read only where one placement fits. A row that prints as many figures as
there are columns is read as written (its arithmetic is for the checks to judge). Otherwise every order-keeping
placement is tried (a column may be empty; a run of digits that PDF/OCR text glued together, ``390390100%``,
may fill several columns), and the placements that put a percentage, a too-large 分值 or a misshapen figure
in a column, or that break the row's arithmetic (执行率 = 执行数/预算数, 得分 = 分值 × 执行率), are dropped.
Among those left, the ones filling the most columns, then the ones whose arithmetic proves the most, win;
where several remain, only the figures that all of them put in the same column are read. A figure that
cannot be placed is left unread and a note says so.

Figures printed right after the header row, away from their row's name (PDF text whose cells were
scrambled), are read only where the row's arithmetic proves their placement; so are the last figures of a
row that lost its leading digits. A real table row (spreadsheet or Word cells, a text line of ``|`` cells) is
read from its cells, empty ones included, so an empty cell keeps its column. Amounts are in 万元: a block headed
"(元)" or under "单位：元" is divided by 10000 (``units.yaml``). Header words, row names and the words that open
and close the block are data (``fund_columns.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from ...core.audit.document import FundLine
from ...core.audit.source import Place, SourceText
from ...core.checks.funds import matches_stated_rate, near_stated_rate, rate_spread
from ...core.values import ratio_pct
from ..normalise import clean, squeeze
from ..numbers import find_percents
from ..runs import Col, candidate_splits, printed_as
from ..vocabulary import Vocabulary, current, mapping, pattern
from .flat import Flat, bordered

#: what each column kind may hold when a glued run is cut
_COL = {
    "initial": Col.AMOUNT,
    "budget": Col.AMOUNT,
    "spent": Col.AMOUNT,
    "arrived": Col.AMOUNT,
    "points": Col.POINTS,
    "rate": Col.RATE,
    "score": Col.SCORE,
}
_AMOUNTS = frozenset({"initial", "budget", "spent", "arrived"})
_HUNDRED = Decimal(100)
#: how far a printed 执行率 may stray from 执行数/预算数 when it is the only way to cut a glued run (points)
_LOOSE_RATE = Decimal("0.5")
#: the most columns a fund block has, and the most figures a row is tried with
_MAX_COLUMNS = 9
#: the longest glued run tried (characters): a row of nine columns glued together is far shorter
_LONGEST_RUN = 60
#: the longest fund block read (characters): a real one is a few hundred; past this, text is something else
BLOCK_SPAN = 3000
#: the longest end of a damaged run read (characters): 执行率, 分值 and 得分 glued together, and a little more
_LONGEST_TAIL = 20
#: how far before the block's heading a header row may stand (characters), and what may stand between two header
#: words of one row (blanks, bars, OCR debris such as ",A、")
HEADER_LOOKBACK = 400
_HEADER_GAP = r"[\s|:,、A-Za-z]{0,4}"
_MAX_READINGS = 4000

_SUFFIX = r"(?:\s*\([^()\n]{0,16}\))?"  # (A), (B/A×100%), (20分*执行率), (万元)
#: a score column's heading that gives its rule, and so the row's points: "(20分*执行率)", "(10分×执行率)"
_SCORE_RULE = re.compile(r"\(\s*(\d{1,3})\s*分\s*[*×xX]\s*执行率\s*\)")
_PLACEHOLDER = re.compile(r"^(?:[—\-/一–~～]+|\ue000)$")
_NUMERIC = re.compile(r"^[\d.,%万元]+$")
_PIECE = re.compile(r"[\d.,]+(?:%|万元|元)?")
_ATOMIC = re.compile(r"^(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?$")
_PUNCTUATION = re.compile(r"^[()\[\]【】:、,]+$")
_PARENTHESIS = re.compile(r"^\([^()]{0,30}\)")
_UNIT_IN_HEAD = re.compile(r"\(\s*(万元|元)\s*\)|单位\s*:\s*(万元|元)")
_UNIT_ABOVE = re.compile(r"单位\s*:\s*(万元|元)")
#: how far above the fund block a "单位：元" still speaks for it (characters: the title and head rows of the table)
UNIT_LOOKBACK = 800
_YEAR_AFTER = re.compile(r"^\s*[年月日]")
_NEGATIVE = re.compile(r"^-\d[\d.,]*(?:万元|元)?$")
_GLUED_HEAD = re.compile(r"^[\d.,%]+")


@pattern
def _header_re(v: Vocabulary) -> re.Pattern[str]:
    words = sorted(v.mapping("fund_columns", "headers"), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?P<word>{alternation})(?P<suffix>{_SUFFIX})")


@pattern
def _label_re(v: Vocabulary) -> re.Pattern[str]:
    names = [*v.mapping("fund_columns", "total_rows"), *v.words("fund_columns", "part_rows")]
    alternation = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:其中\s*:?\s*)?(?P<name>{alternation})")


@pattern
def _start_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(_spaced(v.words("fund_columns", "block_starts")))


@pattern
def _end_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(_spaced(v.words("fund_columns", "block_ends")))


def _spaced(words: tuple[str, ...]) -> str:
    """An alternation that lets a blank fall between the letters (PDF text spaces out table headings)."""
    return "|".join(r"\s?".join(re.escape(c) for c in w) for w in sorted(words, key=len, reverse=True))


def _headers(v: Vocabulary) -> dict[str, str]:
    return dict(v.mapping("fund_columns", "headers"))


@dataclass(slots=True)
class _Field:
    """One cell of a row: a figure (``value``), an empty cell (placeholder) or a glued ``run``."""

    value: Decimal | None = None
    percent: bool = False
    factor: Decimal | None = None  # 万元 per unit when the cell writes its own unit
    run: str | None = None


@dataclass(slots=True)
class _Header:
    kind: str
    word: str
    start: int
    end: int
    unit: bool  # followed by "(万元)": a heading over columns rather than a column
    inline: Decimal | None = None
    points: Decimal | None = None  # a score column whose heading gives its rule: "得分(20分*执行率)" is worth 20


@dataclass(slots=True)
class _Row:
    name: str | None
    start: int
    end: int
    kind: str  # "total", "part" or "detached"
    fields: list[_Field] = field(default_factory=list)
    damaged: str | None = None  # a run that lost its leading digits (".32.06.579.27107.93")


def read_more_fund_blocks(
    flat: Flat, first: list[FundLine], *, source: SourceText | None = None
) -> list[list[FundLine]]:
    """The fund blocks after the first (``first``, as :func:`read_fund_block` read it): a document that splits its
    funds by sub-fund prints a total row and its 其中 rows for each. Each block is one total row with the part rows
    under it, read from that total row's label on; blocks without a read total and at least one read part are left
    out, and so is the first block again."""
    text = flat.text
    seen = {(line.label, line.evidence.place.label()) for line in first if line.is_total}
    blocks: list[list[FundLine]] = []
    totals = _total_names()
    for m in _label_re().finditer(text):
        if len(blocks) >= MORE_BLOCKS:
            break
        if _bare(m.group("name")) not in totals or m.group().startswith("其中"):
            continue
        lines, _ = read_fund_block(flat, m.start(), source=source, begin_at=m.start())
        total = next((line for line in lines if line.is_total), None)
        if total is None or (total.label, total.evidence.place.label()) in seen:
            continue
        parts = []
        for line in lines[lines.index(total) + 1 :]:
            if line.is_total:
                break
            parts.append(line)
        if parts and any(v is not None for v in (total.initial_budget_wan, total.budget_wan, total.spent_wan)):
            seen.add((total.label, total.evidence.place.label()))
            blocks.append([total, *parts])
    return blocks


#: fund blocks read after the first, at most (a document with more sub-funds than this is rare, and each costs a read)
MORE_BLOCKS = 12


def read_fund_block(
    flat: Flat, start: int = 0, *, source: SourceText | None = None, begin_at: int | None = None
) -> tuple[list[FundLine], list[str]]:
    """Fund lines of the first fund block after ``start`` and Chinese notes on what could not be read.

    With the ``source``, a row of a real table (cells of a spreadsheet or Word table, or a text line of ``|``
    cells) keeps its empty cells, which the flattened text drops: an empty 年初预算数 cell then holds its place.
    ``begin_at``: the block begins there (a total row's label), not at the next block heading."""
    text = flat.text
    if begin_at is not None:
        begin = begin_at
        end_m = _end_re().search(text, begin)
    else:
        begin_m = _start_re().search(text, start)
        if not begin_m:
            return [], []
        begin = _header_row_before(text, begin_m.start(), start)
        end_m = _end_re().search(text, begin_m.end())
    region_end = min(end_m.start() if end_m else len(text), begin + BLOCK_SPAN)
    factor = _unit_factor(text, max(begin - 40, 0), region_end)
    headers, runs = _header_runs(text, begin, region_end)
    columns, column_headers = _columns(runs)
    rows = _rows(text, begin, region_end, runs)
    if source is not None:
        grid = _Grid(flat, source, column_headers, len(columns))
        for row in rows:
            if row.kind != "detached":
                cells = grid.after(row.start)
                if cells is not None:
                    row.fields, row.damaged = _cell_fields(cells)
    notes: list[str] = []
    lines: list[FundLine] = []
    total_names = _total_names()
    block_kind = None
    read: dict[int, dict[str, Decimal | None]] = {}
    for i, row in enumerate(rows):
        if row.kind == "detached":
            continue
        if row.kind == "total" and block_kind is None and row.fields:
            block_kind = total_names.get(_bare(row.name))
        figures = _read_row(row, columns, block_kind, notes, detached=False)
        if figures is not None:
            read[i] = figures
    # figures printed after the header row, away from any row name, belong to the total row left empty
    for row in rows:
        if row.kind != "detached" or not row.fields:
            continue
        empty_total = next((j for j, r in enumerate(rows) if r.kind == "total" and j not in read), None)
        if empty_total is None:
            continue
        figures = _read_row(row, columns, None, notes, detached=True)
        if figures:
            read[empty_total] = figures
            rows[empty_total].end = max(rows[empty_total].end, row.end)
    _inline_total(rows, read, headers)
    parts_seen = [rows[i].name for i in read if rows[i].kind == "part"]
    for i, row in enumerate(rows):
        figures = read.get(i)
        if not figures or row.kind == "detached":
            continue
        if row.kind == "part" and parts_seen.count(row.name) > 1:
            notes.append(f"资金栏“{row.name}”一行出现不止一次（两栏并排），其数字未读取")
            continue
        figures = {
            k: (_in_wan(v, factor) if k in _AMOUNTS and v is not None and not _has_own_unit(k, figures) else v)
            for k, v in figures.items()
            if not k.startswith("_")
        }
        _percent_cell_as_fraction(figures, notes)
        if not any(v is not None for v in figures.values()):
            continue
        if figures.get("score") is not None and figures.get("points") is None and "points" not in columns:
            figures["points"] = next((h.points for h in headers if h.points is not None), None)
        lines.append(
            FundLine(
                label=(row.name or "").replace(" ", ""),
                initial_budget_wan=figures.get("initial"),
                budget_wan=figures.get("budget"),
                spent_wan=figures.get("spent"),
                points=figures.get("points"),
                rate_pct=figures.get("rate"),
                score=figures.get("score"),
                evidence=flat.evidence(row.start, max(row.end, row.start + 1)),
                is_total=row.kind == "total",
                arrived_wan=figures.get("arrived"),
            )
        )
    if factor != 1 and lines:
        notes.append("资金栏以“元”为单位，已折算为万元")
    total_at = next((i for i, row in enumerate(rows) if row.kind == "total" and i in read), None)
    if "rate" in columns and total_at is not None:
        lines = _rate_printed_apart(text, rows[total_at].end, lines, notes)
    if lines:
        notes.extend(_unknown_sources(text, begin, region_end))
    return lines, notes


def _unknown_sources(text: str, start: int, end: int) -> Iterator[str]:
    """A bordered row of the block whose name is no fund source the vocabulary knows, with figures after it
    ("自筹资金 | 40 | 50 | 40"): its figures are not read, and the note says so rather than pass over it."""
    for line in text[start:end].split("\n"):
        cells = [cell.strip() for cell in line.split("|")]
        name = _bare(cells[0]).strip(":")
        if len(cells) < 3 or not re.fullmatch(r"[\u4e00-\u9fff()]{2,20}", name):
            continue
        if _label_re().match(cells[0]) or _header_re().match(name) or name in _HEADING_CELLS:
            continue
        if sum(bool(_NUMERIC.match(cell)) for cell in cells[1:]) >= 2:
            yield f"资金栏“{name}”一行的名称不在资金来源词表中，这一行的数字未读取"


#: the first cell of the block's heading rows, which are no sources
_HEADING_CELLS = frozenset({"项目资金", "资金来源", "预算执行情况", "资金投入情况", "资金情况"})


#: how far past its row a rate printed apart from it is looked for (characters), and where the search stops
RATE_APART_SPAN = 600
_INDICATORS_BEGIN = re.compile(r"一级\s*指标")


def _rate_printed_apart(text: str, row_end: int, lines: list[FundLine], notes: list[str]) -> list[FundLine]:
    """PDF text exported column by column can print the total row's 执行率 away from the row ("… 8.62 … 年度总体目标
    86.19% …"). With the row's 全年预算数 and 全年执行数 read and its 执行率 cell empty, the rate is read from what
    follows up to the indicator table only where exactly one percentage there, of two decimals or more, is the
    execution rate those amounts give (rounded, truncated, or one unit off in its last place, which the checks then
    report). A percentage of fewer decimals could match by chance and is not taken."""
    total = next((line for line in lines if line.is_total), None)
    if total is None or total.rate_pct is not None or total.budget_wan is None or total.spent_wan is None:
        return lines
    rate = ratio_pct(total.spent_wan, total.budget_wan)
    if rate is None:
        return lines
    stop = _INDICATORS_BEGIN.search(text, row_end, row_end + RATE_APART_SPAN)
    window = text[row_end : stop.start() if stop else row_end + RATE_APART_SPAN]
    spread = rate_spread(rate, total.spent_wan, total.budget_wan)
    found = {
        p.value
        for p in find_percents(window)
        if -p.value.as_tuple().exponent >= 2
        and (matches_stated_rate(rate, p.value, spread) or near_stated_rate(rate, p.value, spread))
    }
    if len(found) != 1:
        return lines
    stated = found.pop()
    notes.append(
        f"资金行的执行率单元格为空，其后单独印出的 {stated}% 与执行数 ÷ 预算数相符（或只差最后一位），作为该行执行率读取"
    )
    return [replace(line, rate_pct=stated) if line is total else line for line in lines]


def _header_row_before(text: str, at: int, start: int) -> int:
    """Where the block begins: at its heading, or at a header row printed just before it (scrambled PDF text)."""
    kinds = _headers(_vocabulary())
    previous = None
    for m in _header_re().finditer(text, max(start, at - HEADER_LOOKBACK), at):
        if (
            previous is not None
            and re.fullmatch(_HEADER_GAP, text[previous.end() : m.start()])
            and {kinds[previous.group("word")], kinds[m.group("word")]}
            & _AMOUNTS  # not an indicator table's 分值 | 得分
        ):
            return previous.start()
        previous = m
    return at


def _bare(name: str | None) -> str:
    """A row name without its 其中 and blanks, as the vocabulary writes it."""
    return re.sub(r"^其中\s*:?\s*", "", name or "").replace(" ", "")


def _total_names() -> dict[str, str]:
    return dict(mapping("fund_columns", "total_rows"))


def _unit_factor(text: str, start: int, end: int) -> Decimal:
    """万元 per unit of the block's bare figures: the unit its headings name ("项目资金(元)"), else the nearest
    "单位：元" printed above the table, else 万元."""
    units = mapping("units", "money_units")
    m = _UNIT_IN_HEAD.search(text, start, end)
    if m is None:
        above = list(_UNIT_ABOVE.finditer(text, max(start - UNIT_LOOKBACK, 0), start))
        m = above[-1] if above else None
    unit = next((g for g in m.groups() if g), "万元") if m else "万元"
    return Decimal(units.get(unit, "1"))


def _in_wan(value: Decimal, factor: Decimal) -> Decimal:
    if factor == 1:
        return value
    scaled = (value * factor).normalize()
    return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled


# ---- the header row ------------------------------------------------------------------------------------------


def _header_runs(text: str, start: int, end: int) -> tuple[list[_Header], list[list[_Header]]]:
    """Every header word of the block, and the runs of them printed side by side (one header row)."""
    kinds = _headers(_vocabulary())
    headers: list[_Header] = []
    for m in _header_re().finditer(text, start, end):
        suffix = m.group("suffix")
        header = _Header(kinds[m.group("word")], m.group("word"), m.start(), m.end(), "元" in suffix)
        rule = _SCORE_RULE.search(suffix)
        if header.kind == "score" and rule:
            header.points = Decimal(rule.group(1))
        after = text[m.end() : min(end, m.end() + 30)]
        colon = re.match(r"\s*:\s*([\d.,]+)(?:\s*(万元|元))?(?=\s|$|\D)", after)
        glued = re.match(r"([\d.,]+)(?=" + _header_re().pattern + ")", after)
        number = colon or glued
        if number and header.kind not in ("rate",):
            header.inline = _decimal(number.group(1))
            header.end = m.end() + number.end()
        headers.append(header)
    runs: list[list[_Header]] = []
    for header in headers:
        gap = text[runs[-1][-1].end : header.start] if runs else None
        if gap is not None and re.fullmatch(_HEADER_GAP, gap) and runs[-1][-1].inline is None:
            runs[-1].append(header)
        elif gap is not None and runs[-1][-1].inline is not None and gap == "":
            runs[-1].append(header)
        else:
            runs.append([header])
    return headers, runs


def _vocabulary() -> Vocabulary:
    return current()


def _columns(runs: list[list[_Header]]) -> tuple[tuple[str, ...], list[_Header] | None]:
    """The column kinds of the first header row, and its header words one per column (None where a joined
    header word stands for two columns). A kind named twice ends the row, unless its first naming was a heading
    over columns ("年度预算数(万元) | 年初预算 | 调整后预算数 …")."""
    composites = {w: tuple(k.split()) for w, k in _vocabulary().mapping("fund_columns", "composite_headers").items()}
    for run in runs:
        used: list[_Header] = []
        split = False
        if not any(h.kind == "rate" for h in run):  # "执行率得分" without a 执行率 column of its own: two columns
            parts = [part for h in run for part in _split_composite(h, composites)]
            split = len(parts) != len(run)
            run = parts
        for header in run:
            same = next((u for u in used if u.kind == header.kind), None)
            if same is not None:
                if same.unit:
                    used.remove(same)
                else:
                    break
            used.append(header)
        if 2 <= len(used) <= _MAX_COLUMNS and any(h.kind in _AMOUNTS for h in used):
            return tuple(h.kind for h in used), (None if split else used)
    return (), None


def _split_composite(header: _Header, composites: dict[str, tuple[str, ...]]) -> list[_Header]:
    kinds = composites.get(header.word)
    if not kinds:
        return [header]
    return [_Header(kind, header.word, header.start, header.end, header.unit) for kind in kinds]


# ---- rows ----------------------------------------------------------------------------------------------------


def _rows(text: str, start: int, end: int, runs: list[list[_Header]]) -> list[_Row]:
    """The rows of the block, in order: one per row name (adjacent names are one), and one for figures
    that follow a header row directly. Reading stops at a second total row (the next block)."""
    totals = _total_names()
    marks: list[tuple[int, int, str, str | None]] = []  # (start, end, kind, name)
    for m in _label_re().finditer(text, start, end):
        name = m.group("name")
        kind = "total" if name in totals else "part"
        if marks and marks[-1][2] == kind and re.fullmatch(r"[ :]*", text[marks[-1][1] : m.start()]):
            s, _, k, _ = marks[-1]
            marks[-1] = (s, m.end(), k, text[s : m.end()])
            continue
        marks.append((m.start(), m.end(), kind, text[m.start() : m.end()]))
    for run in runs:
        if len(run) >= 2:
            marks.append((run[0].start, run[-1].end, "header", None))
    marks.sort()
    rows: list[_Row] = []
    total_read = False
    for i, (s, e, kind, name) in enumerate(marks):
        if kind == "total" and total_read:
            break  # the next block (a sub-project's own 资金总额)
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        if kind == "header":
            row = _Row(None, e, stop, "detached")
        else:
            row = _Row(name, s, stop, kind)
        row.fields, row.damaged = _fields(text, e, stop)
        if row.kind == "total" and row.fields:
            total_read = True
        rows.append(row)
    return rows


def _fields(text: str, start: int, stop: int) -> tuple[list[_Field], str | None]:
    """The cells after a row name, up to the first cell of words (a reason, the next heading). A run of
    figures glued to the words after it ("1.561.56120度…") ends the row."""
    fields: list[_Field] = []
    for token in _tokens(text, start, stop):
        if _PUNCTUATION.match(token):
            continue
        if _PLACEHOLDER.match(token):
            fields.append(_Field())
            continue
        if not fields and _PARENTHESIS.match(token):
            token = _PARENTHESIS.sub("", token).strip(" :")
            if not token:
                continue
        if token.startswith("."):
            return fields, _GLUED_HEAD.match(token).group(0)  # type: ignore[union-attr]  # lost its leading digits
        if _NEGATIVE.match(token):  # read as written: an impossible figure is for the checks to report
            fields.append(_field(token[1:]))
            if fields[-1].value is not None:
                fields[-1].value = -fields[-1].value
            continue
        if not _NUMERIC.match(token):
            head = _GLUED_HEAD.match(token)
            if head and not _YEAR_AFTER.match(token[head.end() :]):
                glued = _field(head.group(0))
                if glued.run is not None:
                    fields.append(glued)
            break
        pieces = list(_PIECE.finditer(token))
        if "".join(p.group(0) for p in pieces) != token:
            return fields, token
        for piece in pieces:
            fields.append(_field(piece.group(0)))
    return fields, None


_EMPTY_CELL = "\ue000"  # stands for an empty cell of a real table row, so that it keeps its place


def _cell_fields(cells: list[str]) -> tuple[list[_Field], str | None]:
    text = " | ".join(cell or _EMPTY_CELL for cell in cells)
    return _fields(text, 0, len(text))


_Cells = dict[tuple[object, ...], tuple[list[str], int]]
_Lines = dict[tuple[object, ...], list[str]]
#: the cells of the last source read: every fund block of a document looks them up (a tuple is swapped whole, and the
#: source is matched by identity, so a source read at the same time in another thread is never confused)
#: (a source is built whole before it is read; its sizes are part of the key all the same, should one grow after)
_last_cells: tuple[SourceText | None, tuple[int, int], _Cells, _Lines] = (None, (0, 0), {}, {})


def _source_cells(source: SourceText) -> tuple[_Cells, _Lines]:
    """Each cell of the source's real tables (row texts and its index, by place), and each text line of ``|`` cells."""
    global _last_cells
    last = _last_cells
    size = (len(source.lines), len(source.tables))
    if last[0] is source and last[1] == size:
        return last[2], last[3]
    cells: _Cells = {}
    for table in source.tables:
        for table_row in table.rows:
            texts = [_cell_text(c.text) for c in table_row]
            for i, cell in enumerate(table_row):
                if texts[i] and cell.place.cell:
                    cells[_key(cell.place)] = (texts, i)
    lines: _Lines = {}
    for line in source.lines:
        text = clean(bordered(line.text))
        if "|" in text:
            row = [squeeze(c.strip()) for c in text.split("|")]
            if len(row) > 1 and not row[-1] and text.startswith("|") and text.endswith("|"):
                row.pop()  # "| a | b |": the last bar closes the row
            lines[_key(line.place)] = row
    _last_cells = (source, size, cells, lines)
    return cells, lines


class _Grid:
    """The cells of the source's real table rows, empty ones included, found from a place in the flat text.

    In a spreadsheet or Word table each figure is taken from the column of its header word (a row name may
    span two merged columns); in a text line of ``|`` cells, the cells after the row name are taken in order."""

    def __init__(self, flat: Flat, source: SourceText, headers: list[_Header] | None, width: int) -> None:
        self.flat, self.width = flat, width
        self.cells, self.lines = _source_cells(source)
        # (table, column index) of each header word, when the header row is a row of table cells
        self.positions: tuple[str | None, list[int]] | None = None
        if headers:
            spots = [_cell_spot(flat.places[flat.segment_at(h.start)].cell) for h in headers]
            found = [spot for spot in spots if spot is not None]
            if len(found) == len(spots) and len({(t, r) for t, _, r in found}) == 1:
                self.positions = (found[0][0], [c for _, c, _ in found])

    def after(self, at: int) -> list[str] | None:
        """The cells after the row name at offset ``at``, when it stands alone in its cell and more cells follow
        it on its row; else None (the flat text is read instead)."""
        flat = self.flat
        segment = flat.segment_at(at)
        place = flat.places[segment]
        label = flat.raws[segment]
        if re.search(r"\d", label):
            return None  # the figures are glued to the name: no cells to go by
        key = _key(place)
        if place.cell and key in self.cells:
            return self._under_headers(place.cell, *self.cells[key])
        if place.line is not None and key in self.lines:
            ordinal, k = 0, segment
            while k > 0 and not flat.new_rows[k] and _key(flat.places[k - 1]) == key:
                ordinal, k = ordinal + 1, k - 1
            cells = self.lines[key]
            filled = [i for i, c in enumerate(cells) if c]
            if ordinal >= len(filled) or cells[filled[ordinal]] != label:
                return None
            return self._in_order(cells[filled[ordinal] + 1 :])
        return None

    def _in_order(self, after: list[str]) -> list[str] | None:
        """A text line's cells after the row name, one per column. Fewer cells than columns: the row may go on
        in the next line, so the flat text is read instead. More: the extra cells must be empty (a line padded
        to the table's width) or words."""
        width = self.width
        if not any(after) or len(after) < width:
            return None
        if any(re.fullmatch(r"[\d.,%\s]+", c) for c in after[width:]):
            return None
        return after[:width]

    def _under_headers(self, cell: str, cells: list[str], index: int) -> list[str] | None:
        spot = _cell_spot(cell)
        if self.positions is None or spot is None or spot[0] != self.positions[0]:
            return None
        columns = self.positions[1]
        if min(columns) <= index:
            return None
        stray = [c for i, c in enumerate(cells) if i > index and i not in columns and re.search(r"\d", c)]
        if stray:
            return None  # a figure under no header word: the columns are not known well enough
        under = [cells[i] if i < len(cells) else "" for i in columns]
        return under if any(under) else None


_SPOT = re.compile(r"^(?:(?P<table>.*)!)?(?P<letters>[A-Z]+)(?P<row>\d+)$")


def _cell_spot(cell: str | None) -> tuple[str | None, int, int] | None:
    """(table, column index from 0, row) of a cell reference such as "表1!C7" or "E5"."""
    m = _SPOT.match(cell or "")
    if not m:
        return None
    column = 0
    for letter in m.group("letters"):
        column = column * 26 + ord(letter) - 64
    return m.group("table"), column - 1, int(m.group("row"))


def _key(place: Place) -> tuple[object, ...]:
    return (place.page, place.line, place.cell)


def _cell_text(text: str) -> str:
    return squeeze(clean(re.sub(r"[ \t]*\n[ \t]*", "", text)))


def _tokens(text: str, start: int, stop: int) -> Iterator[str]:
    for cell in re.split(r"[|\n]", text[start:stop]):
        for word in cell.split(" "):
            word = word.strip(" :")
            if word:
                yield word
    # a number followed by 年 is a year, never a figure: the split above keeps "2020年" as one word, which
    # is not numeric and ends the row


def _field(piece: str) -> _Field:
    factor = None
    if piece.endswith("万元"):
        piece, factor = piece[:-2], Decimal(1)
    elif piece.endswith("元"):
        piece, factor = piece[:-1], Decimal("0.0001")
    percent = piece.endswith("%")
    body = piece.removesuffix("%")
    if _ATOMIC.match(body):
        value = _decimal(body)
        integer_digits = len(body.split(".")[0].replace(",", ""))
        if value is not None and not (percent and value > 1000) and integer_digits <= 12:
            return _Field(value, percent, factor)
    return _Field(run=piece, factor=factor)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _has_own_unit(kind: str, figures: dict[str, Decimal | None]) -> bool:
    return bool(figures.get(f"_unit_{kind}"))


# ---- placing a row's figures under the columns ----------------------------------------------------------------


def _read_row(
    row: _Row, columns: tuple[str, ...], block_kind: str | None, notes: list[str], *, detached: bool
) -> dict[str, Decimal | None] | None:
    fields = row.fields
    if row.damaged is not None and columns:
        return _read_damaged(row, columns, notes)
    if not fields or all(f.value is None and f.run is None for f in fields):
        return None
    if any(f.run is not None and len(f.run) > _LONGEST_RUN for f in fields):
        notes.append(f"资金栏{_row_title(row)}的数字过长，不是一行表格数字，未读取")
        return None
    if not columns:
        # no header row: a row that names its column (年度预算资金总额 1084.25), and the rows under it
        kind = block_kind or _total_names().get(_bare(row.name))
        if kind in _COL and len(fields) == 1 and fields[0].value is not None and not fields[0].percent:
            return _with_units({kind: fields[0].value}, {kind: fields[0]})
        return None
    tries = [fields] if len(fields) <= len(columns) else []
    if len(fields) > len(
        columns
    ):  # the next row's figures follow (labels lost): the row is the longest prefix that fits
        tries = [fields[:n] for n in range(len(columns), 1, -1)]
    for attempt in tries:
        must_prove = detached or len(fields) > len(columns)
        placed = _place(attempt, columns, must_prove=must_prove)
        if placed is not None:
            return placed
    shown = " ".join(_shown(f) for f in fields)
    shown = shown if len(shown) <= 60 else shown[:60] + "…"
    if any(f.value or f.run for f in fields):  # a row of zeros and dashes loses nothing worth a note
        notes.append(f"资金栏{_row_title(row)}的数字“{shown}”无法唯一对应到各列，未读取")
    return None


def _read_damaged(row: _Row, columns: tuple[str, ...], notes: list[str]) -> dict[str, Decimal | None] | None:
    """A row whose figures lost digits (OCR, a cell cut at its border): only the figures at its end that the
    row's arithmetic proves (执行率, 分值, 得分 with 得分 = 分值 × 执行率), wherever the damage ends, are read."""
    run = (row.damaged or "")[-_LONGEST_TAIL:]
    proven: list[_Reading] = []
    if not row.fields:
        for i in range(len(run)):
            if not (run[i].isdigit() and (run[i] != "0" or run[i + 1 : i + 2] == ".")):
                continue
            for k in range(1, len(columns)):  # the figures left end at the row's last column
                group = columns[k:]
                for split in candidate_splits(run[i:], [_COL[c] for c in group], check_arithmetic=False) or []:
                    values: dict[str, Decimal | None] = dict(zip(group, split, strict=True))
                    sources = {c: _Field(v, c == "rate") for c, v in zip(group, split, strict=True)}
                    reading = _judge(values, sources, False)
                    if reading is not None and reading.proofs > 0:
                        proven.append(reading)
    agreed: dict[str, Decimal | None] = {}
    sources: dict[str, _Field] = {}
    for kind in columns:
        seen = {str(r.values.get(kind)) for r in proven}
        if proven and len(seen) == 1 and all(r.values.get(kind) is not None for r in proven):
            agreed[kind] = proven[0].values[kind]
            sources[kind] = proven[0].sources[kind]
    name = _row_title(row)
    if agreed:
        read = "、".join(f"{_KIND_NAMES[k]} {v}" for k, v in agreed.items())
        notes.append(f"资金栏{name}的数字“{run}”前部残缺，只读取末尾经算术验证的{read}")
        return _with_units(agreed, sources)
    notes.append(f"资金栏{name}的数字“{run}”残缺，未读取")
    return None


_KIND_NAMES = {
    "initial": "年初预算数",
    "budget": "全年预算数",
    "spent": "执行数",
    "arrived": "到位数",
    "points": "分值",
    "rate": "执行率",
    "score": "得分",
}


def _row_title(row: _Row) -> str:
    return f"“{row.name}”一行" if row.name else "表头后一行（行名不在其旁）"


def _shown(f: _Field) -> str:
    if f.run is not None:
        return f.run
    if f.value is None:
        return "—"
    return f"{f.value}{'%' if f.percent else ''}"


def _with_units(values: dict[str, Decimal | None], sources: dict[str, _Field]) -> dict[str, Decimal | None]:
    out = dict(values)
    for kind, f in sources.items():
        if f.factor is not None and out.get(kind) is not None and kind in _AMOUNTS:
            out[kind] = _in_wan(out[kind], f.factor)  # type: ignore[arg-type]
            out[f"_unit_{kind}"] = Decimal(1)
    return out


@dataclass(slots=True)
class _Reading:
    values: dict[str, Decimal | None]
    sources: dict[str, _Field]
    filled: int
    proofs: int


def _place(fields: list[_Field], columns: tuple[str, ...], *, must_prove: bool) -> dict[str, Decimal | None] | None:
    direct = len(fields) == len(columns) and all(f.run is None for f in fields)
    if direct and not must_prove:
        values = {c: f.value for c, f in zip(columns, fields, strict=True)}
        sources = dict(zip(columns, fields, strict=True))
        if all(_fits(c, f) for c, f in zip(columns, fields, strict=True)) and not _bare_rate_contradicts(
            values, sources
        ):
            return _with_units(values, sources)
    for loose in (False, True):
        # a cut of a glued run stands only where the row's arithmetic proves it
        glued = any(f.run is not None for f in fields)
        readings = [r for r in _readings(fields, columns, loose) if r.proofs > 0 or not (must_prove or glued)]
        if not readings:
            continue
        best_fill = max(r.filled for r in readings)
        readings = [r for r in readings if r.filled == best_fill]
        best_proof = max(r.proofs for r in readings)
        readings = [r for r in readings if r.proofs == best_proof]
        if len(readings) == 1:
            return _with_units(readings[0].values, readings[0].sources)
        if loose:
            return None  # a loose fit must be the only one
        agreed: dict[str, Decimal | None] = {}
        sources: dict[str, _Field] = {}
        for kind in columns:
            seen = {str(r.values.get(kind)) for r in readings}
            value = readings[0].values.get(kind)
            if len(seen) == 1 and value is not None and all(kind in r.values for r in readings):
                agreed[kind] = value
                sources[kind] = readings[0].sources[kind]
        return _with_units(agreed, sources) if agreed else None
    return None


def _bare_rate_contradicts(values: dict[str, Decimal | None], sources: dict[str, _Field]) -> bool:
    """A 执行率 printed without % that is not 执行数/预算数: the figures stand under the wrong columns (a lost cell,
    a column the header words do not know), so the row is not read as it stands. A rate printed with its % is
    read as written, right or wrong, for the checks to judge."""
    budget, spent, rate = values.get("budget"), values.get("spent"), values.get("rate")
    if budget is None or spent is None or rate is None or not budget or sources["rate"].percent:
        return False
    exact = spent * _HUNDRED / budget
    return not (printed_as(rate, exact) or printed_as((rate * _HUNDRED).normalize(), exact))


def _fits(kind: str, f: _Field) -> bool:
    """Whether a single figure may stand in a column of this kind."""
    if f.value is None:
        return f.run is None
    v = f.value
    if f.percent:
        return kind == "rate"
    if kind in _AMOUNTS:
        return _decimals(v) <= 6
    if kind == "points":
        return 0 < v <= _HUNDRED
    if kind == "rate":  # percentage points to 2 decimals, or a spreadsheet's fraction (0.6536 for 65.36%)
        return 0 <= v <= 1000 and (_decimals(v) <= 2 or (v <= Decimal("1.5") and _decimals(v) <= 6))
    if kind == "score":
        return 0 <= v <= _HUNDRED
    return False


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _readings(fields: list[_Field], columns: tuple[str, ...], loose: bool) -> list[_Reading]:
    """Every order-keeping placement of the fields under the columns that passes the row's rules."""
    out: list[_Reading] = []

    def walk(i: int, j: int, values: dict[str, Decimal | None], sources: dict[str, _Field]) -> None:
        if len(out) > _MAX_READINGS:
            return
        if i == len(fields):
            reading = _judge(values, sources, loose)
            if reading is not None:
                out.append(reading)
            return
        f = fields[i]
        for s in range(j, len(columns) - (len(fields) - i - 1)):
            if f.run is None:
                if _fits(columns[s], f):
                    walk(i + 1, s + 1, {**values, columns[s]: f.value}, {**sources, columns[s]: f})
                continue
            for width in range(1, len(columns) - s - (len(fields) - i - 1) + 1):
                group = columns[s : s + width]
                splits = candidate_splits(f.run, [_COL[c] for c in group], check_arithmetic=False)
                for split in splits or []:
                    if any(
                        not _fits(c, _Field(v, f.run.endswith("%") and c == "rate"))
                        for c, v in zip(group, split, strict=True)
                    ):
                        continue
                    piece = {c: _Field(v, c == "rate", f.factor) for c, v in zip(group, split, strict=True)}
                    walk(
                        i + 1,
                        s + width,
                        {**values, **dict(zip(group, split, strict=True))},
                        {**sources, **piece},
                    )

    walk(0, 0, {}, {})
    return out


#: the largest ratio a 执行率 column may print as a fraction rather than as a percentage
_FRACTION_RATE = Decimal("1.5")


def _judge(values: dict[str, Decimal | None], sources: dict[str, _Field], loose: bool) -> _Reading | None:
    """The reading with the count of relations it proves, or None when one of them fails."""
    proofs = 0
    budget, spent, rate = values.get("budget"), values.get("spent"), values.get("rate")
    points, score = values.get("points"), values.get("score")
    try:
        if budget is not None and spent is not None and rate is not None:
            exact = spent * _HUNDRED / budget
            if printed_as(rate, exact) or (loose and abs(exact - rate) <= _LOOSE_RATE):
                proofs += rate > 0  # 0 = 0 proves nothing about where the cuts fall
            elif rate <= _FRACTION_RATE and rate * _HUNDRED != rate and printed_as(rate * _HUNDRED, exact):
                # 执行率(B/A) printed as the ratio itself ("1" for 100%, "0.86" for 86%): the same proof
                rate = rate * _HUNDRED
                proofs += 1
            else:
                return None
        if points is not None and score is not None:
            if score > points:
                return None
            if rate is None and budget is not None and spent is not None:
                rate = spent * _HUNDRED / budget
            if rate is not None:
                if not printed_as(score, min(rate, _HUNDRED) * points / _HUNDRED, slack=Decimal("0.01")):
                    return None
                proofs += 0 < score and rate <= _HUNDRED  # past 100% every rate gives the full 分值: no proof
    except (ArithmeticError, InvalidOperation):
        return None
    filled = sum(1 for k in values if not k.startswith("_"))
    return _Reading(values, sources, filled, proofs)


def _inline_total(rows: list[_Row], read: dict[int, dict[str, Decimal | None]], headers: list[_Header]) -> None:
    """A header printed with its figure ("预算数: 2.38", "全年预算数(A)300") fills the total row's empty columns;
    where no total row is named, those figures are the total row."""
    inline = [h for h in headers if h.inline is not None]
    if not inline:
        return
    at = next((i for i, r in enumerate(rows) if r.kind == "total"), None)
    if at is None:
        first = inline[0]
        rows.insert(0, _Row("/".join(h.word for h in inline), first.start, inline[-1].end, "total"))
        for i in sorted(read, reverse=True):
            read[i + 1] = read.pop(i)
        at = 0
    figures = read.setdefault(at, {})
    for h in inline:
        if figures.get(h.kind) is None and h.inline is not None:
            figures[h.kind] = h.inline


def _percent_cell_as_fraction(figures: dict[str, Decimal | None], notes: list[str]) -> None:
    """A spreadsheet cell formatted as a percentage stores 0.6536 for 65.36%; the row's own amounts say so."""
    rate, spent = figures.get("rate"), figures.get("spent")
    budget = figures.get("budget") if figures.get("budget") is not None else figures.get("initial")
    if rate is None or spent is None or not budget or rate > Decimal("1.5"):
        return
    if abs(spent * 100 / budget - rate * 100) < Decimal("0.05") and abs(spent * 100 / budget - rate) >= Decimal("0.05"):
        figures["rate"] = Decimal(f"{(rate * 100).normalize():f}")
        notes.append(f"执行率单元格存为小数 {rate}（百分比格式），按 {figures['rate']:f}% 读取")
