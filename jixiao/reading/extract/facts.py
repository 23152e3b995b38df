"""The headline facts of a document: year, project, unit, stated rates, stated score and grade.

Labels of a table ("项目名称 | X") are read first; the report's own sentences next. A pattern that could
match something else is not used: a value that cannot be read with confidence stays unread.

The labels are data (``labels.yaml``), and so are the endings of organisations' names
(``organisations.yaml``). A label's value is read by the table's structure: the rest of the label's own
cell, else the next non-empty cell of its row, else — for text with one cell per line, as web pages give
it — the next line; it stops at the next known label.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from ...core.audit.document import Evidence, Fact
from ..normalise import squeeze
from ..numbers import read_percent
from ..vocabulary import Vocabulary, pattern
from .flat import Flat

_CJK = "\u4e00-\u9fff"
_YEAR_RE = r"(?:19|20)\d{2}"
_GRADE = r"(优秀|良好|不合格|合格|优|良|中|差)"
#: between two cells of the 总分 row: a border, or the blanks of a table copied as text with tabs or spaces
_CELL_GAP = r"[ \t]*(?:\|[ \t]*|[ \t])"
#: label lists of labels.yaml that name one fact each
FACT_LABELS = ("project", "unit", "department", "score", "grade", "year")


def _labels_of(v: Vocabulary, *names: str) -> str:
    words = sorted({w for name in names for w in v.words("labels", name)}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


@pattern
def _stop(v: Vocabulary) -> re.Pattern[str]:
    """Any label (where a value ends), but not the two-letter grade words, which names can contain."""
    words = {w for name in (*FACT_LABELS, "other") for w in v.words("labels", name) if len(w) > 2 or name != "grade"}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@pattern
def _list_header(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(_labels_of(v, "list_headers"))


@pattern
def _label_patterns(v: Vocabulary) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(_labels_of(v, name)) for name in FACT_LABELS}


@pattern
def _org(v: Vocabulary) -> re.Pattern[str]:
    """An organisation's name: Chinese text ending in one of the suffixes of organisations.yaml."""
    return re.compile(rf"[{_CJK}]{{2,16}}?(?:{v.alternation('organisations', 'suffixes')})")


@pattern
def _org_end(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"(?:{v.alternation('organisations', 'suffixes')})$")


def is_organisation(name: str) -> bool:
    """A plausible organisation's name: Chinese, ending in a known suffix, not a sentence."""
    if not name or len(name) > 30 or not re.match(rf"[{_CJK}]", name):
        return False
    if _org().fullmatch(name):
        return True
    return bool(_org_end().search(name)) and not re.search(r"[,。;:、\s|]", name)


# --------------------------------------------------------------------------------------------
# Label and value
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelValue:
    """One occurrence of a label: its value ("" when the next thing is another label) and where it is."""

    label_start: int
    value: str
    start: int
    end: int
    list_header: bool = False  # the label heads a column of a list ("序号 | 项目名称 | 备注")


_BORDER = re.compile(r"[|\n]")
#: a value is a name or a figure: a cell longer than this is read only this far (and such a value is then judged
#: by what it must look like: a name with figures or sentence punctuation in it is none)
_VALUE_SPAN = 1000
#: how far a row (or the line after a value) is looked at for its neighbours
_ROW_SPAN = 2000


def _cell_end(text: str, pos: int) -> int:
    border = _BORDER.search(text, pos, pos + _VALUE_SPAN)
    return border.start() if border else min(pos + _VALUE_SPAN, len(text))


def _alone_on_line(text: str, at: int) -> bool:
    """Nothing but blanks, colons or cell borders between the line's start and ``at``."""
    i = at - 1
    while i >= 0 and text[i] in " |:":
        i -= 1
    return i < 0 or text[i] == "\n"


#: what a label can carry in brackets: its unit, or where the seal goes ("实施单位(盖章)")
_LABEL_UNIT = re.compile(r"\s*\((?:分|万元|元|%|盖章|公章|签章)\)")


def _value_span(text: str, pos: int, line_alone: bool) -> tuple[int, int] | None:
    """Where the value of a label ending at ``pos`` lies: the rest of its cell, the next non-empty cell of
    the row, or (a label alone on its line) the next line's first cell. Labels and values alternate: a
    value in a cell or line of its own is taken only when what follows it is again a label (or the row
    ends), so a row of column headers ("项目名称 | 资金计划 | 资金到位") gives no value."""
    unit = _LABEL_UNIT.match(text, pos)  # "自评总分(分)", "项目资金(万元)": the label's unit is not its value
    if unit:
        pos = unit.end()
    while pos < len(text) and text[pos] in " :":
        pos += 1
    if pos < len(text) and text[pos] not in "|\n":
        return pos, _cell_end(text, pos)
    if pos < len(text) and text[pos] == "|":
        while pos < len(text) and text[pos] == "|":
            start = pos + 1
            end = _cell_end(text, start)
            if text[start:end].strip(" :"):
                return (start, end) if _alternates(text, start, end, "|") else None
            pos = end
        return None
    if pos < len(text) and text[pos] == "\n" and line_alone:
        start = pos + 1
        end = _cell_end(text, start)
        return (start, end) if _alternates(text, start, end, "\n") else None
    return None


def _alternates(text: str, start: int, end: int, border: str) -> bool:
    """The value cell at ``start``–``end`` is followed (after ``border``) by a label, by nothing, or is a
    list's header word or itself a label (which the caller reads as "no value"); in a table, a value
    followed by an unknown cell still counts when the row above or below opens with a label."""
    if _list_header().match(text, start) or _stop().match(text, start):
        return True
    if border == "\n":
        after = text.find("\n", end, end + _ROW_SPAN)
        if after < 0:
            return end + _ROW_SPAN >= len(text)  # the text ends
    else:
        after = end
    if after >= len(text) or text[after] != border:
        return True  # the row (or the text) ends
    nxt = after + 1
    while nxt < len(text) and text[nxt] in " |":
        nxt += 1
    if nxt >= len(text) or text[nxt] == "\n" or _stop().match(text, nxt):
        return True
    if border == "|":  # a row of labels among rows of labels ("项目名称 | X | 所属领域 | Y" above "主管部门 | …")
        row_start = text.rfind("\n", max(start - _ROW_SPAN, 0), start)
        row_end = text.find("\n", end, end + _ROW_SPAN)
        neighbours = []
        if row_start > 0:
            neighbours.append(text.rfind("\n", max(row_start - _ROW_SPAN, 0), row_start) + 1)
        if row_end >= 0:
            neighbours.append(row_end + 1)
        if any(_stop().match(text, at) for at in neighbours):
            return True
    return False


def label_values(flat: Flat, name: str) -> Iterator[LabelValue]:
    """Every occurrence of a label of list ``name`` (labels.yaml) with the value it introduces."""
    text = flat.text
    for m in _label_patterns()[name].finditer(text):
        span = _value_span(text, m.end(), _alone_on_line(text, m.start()))
        if span is None:
            yield LabelValue(m.start(), "", m.end(), m.end())
            continue
        start, end = span
        while start < end and text[start] in " :":
            start += 1
        if _list_header().match(text, start):
            yield LabelValue(m.start(), "", start, start, list_header=True)
            continue
        stop = _stop().search(text, start, end)
        if stop is not None:
            end = stop.start()
        while end > start and text[end - 1] in " :|":
            end -= 1
        yield LabelValue(m.start(), text[start:end], start, end)


@pattern
def _table_title(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(v.alternation("labels", "table_titles"))


def read_label(flat: Flat, name: str, accept: Callable[[str], bool]) -> LabelValue | None:
    """The first accepted value of a label of list ``name``, within the first table that has the label: a
    page can hold several tables, and a label whose value was lost (a PDF that scattered its columns) must
    not take the next table's value. The header row of a list of tables is passed over."""
    section: int | None = None
    titles: list[int] | None = None
    for found in label_values(flat, name):
        if found.list_header:
            continue
        if titles is None:
            titles = [m.start() for m in _table_title().finditer(flat.text)]
        here = bisect_right(titles, found.label_start)
        if section is None:
            section = here
        elif here != section:
            return None
        if found.value and accept(found.value):
            return found
    return None


def _fact(flat: Flat, value: object, start: int, end: int, *, joined: bool = False, note: str | None = None) -> Fact:
    return Fact(value, flat.evidence(start, end, joined=joined), note)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Year
# --------------------------------------------------------------------------------------------

_YEAR = re.compile(rf"({_YEAR_RE})\s*年(?:度)?(?!\s*\d{{1,2}}\s*月)")
_NOT_YEAR_CONTEXT = re.compile(r"(填报日期|发布时间|时间|日期|来源)[:\s]*$")
#: a title's own year: "(2021年度)", "(2021年)" or "2021年度" on a line naming a self-evaluation
_LINE = re.compile(r"[^\n]+")
_TITLE_WORDS_OF_YEAR = ("自评", "绩效评价", "评价报告")
_TITLE_YEAR = re.compile(rf"\(\s*({_YEAR_RE})\s*年度?\s*\)|({_YEAR_RE})\s*年度(?!\s*\d{{1,2}}\s*月)")
_FILE_NAME = re.compile(r"[^》\n]{0,60}\.(?:docx?|pdf|xlsx?|wps)》")
_STANDALONE_YEAR = re.compile(rf"(?:^|\n)\(?\s*({_YEAR_RE})\s*年度?\s*\)?\s*(?=\n)")


def stated_years(flat: Flat) -> list[tuple[int, int, int]]:
    """(year, start, end) of the years a title or the 评价年度 label gives, in ``flat.text``."""
    text = flat.text
    found: list[tuple[int, int, int]] = []
    for line in _LINE.finditer(text):
        if not any(word in line.group(0) for word in _TITLE_WORDS_OF_YEAR):
            continue
        for m in _TITLE_YEAR.finditer(text, line.start(), line.end()):
            before = text[max(m.start() - 40, line.start()) : m.start()]
            if _NOT_YEAR_CONTEXT.search(before[-8:]) or (
                before.rfind("《") > before.rfind("》") and not _FILE_NAME.match(text, m.end())
            ):
                continue  # a date, or the title of a cited document (not the document's own file name)
            group = 1 if m.group(1) else 2
            found.append((int(m.group(group)), m.start(group), m.end(group)))
    # a title broken over two lines: "项目支出绩效自评表" then "(2022年度)" alone on the next line
    for m in _STANDALONE_YEAR.finditer(text):
        before = text[max(m.start() - 60, 0) : m.start()]
        if "自评表" in before.rsplit("\n", 2)[-1] or "自评表" in before[-30:]:
            found.append((int(m.group(1)), m.start(1), m.end(1)))
    labelled = read_label(flat, "year", lambda v: bool(re.fullmatch(rf"{_YEAR_RE}\s*年?度?", v)))
    if labelled is not None:
        found.append((int(labelled.value[:4]), labelled.start, labelled.end))
    return found


def find_year_conflict(flat: Flat, stated: list[tuple[int, int, int]] | None = None) -> list[tuple[int, Evidence]]:
    """Where the titles and the 评价年度 label state different years (``stated``, when :func:`stated_years` was
    already run): each year with where it is first stated (the year itself stays unread); otherwise nothing."""
    first: dict[int, tuple[int, int]] = {}
    for year, start, end in stated_years(flat) if stated is None else stated:
        first.setdefault(year, (start, end))
    if len(first) < 2:
        return []
    return [(year, flat.evidence(start, end)) for year, (start, end) in sorted(first.items(), key=lambda i: i[1])]


def find_year(flat: Flat, stated: list[tuple[int, int, int]] | None = None) -> Fact | None:
    """The evaluated budget year. What a title or the 评价年度 label states comes first (``stated``, when
    :func:`stated_years` was already run), and when those disagree the year stays unread; without them, the first
    "20xx年/年度" that is not part of a date or of a cited document's title."""
    stated = stated_years(flat) if stated is None else stated
    if stated:
        if len({year for year, _, _ in stated}) > 1:
            return None
        year, start, end = min(stated, key=lambda s: s[1])
        return _fact(flat, year, start, end)
    text = flat.joined
    for m in _YEAR.finditer(text):
        if _NOT_YEAR_CONTEXT.search(text[max(m.start() - 8, 0) : m.start()]):
            continue
        before = text[max(m.start() - 40, 0) : m.start()]
        if before.rfind("《") > before.rfind("》"):
            continue  # inside the title of a cited document
        return _fact(flat, int(m.group(1)), m.start(), m.end(), joined=True)
    header = _INDICATOR_HEAD.search(flat.joined)
    return _year_of(flat, _ALLOCATION, 0) or _year_of(flat, _YEAR_END, header.end() if header else None)


#: a cited notice that allocates a year's budget: "《财政部关于(提前)下达2022年水污染防治资金预算的通知》"
_ALLOCATION = re.compile(rf"《[^》\n]{{0,20}}关于(?:提前)?下达({_YEAR_RE})\s*年度?[^》\n]{{0,40}}预算[^》\n]{{0,20}}》")
#: a deadline at a year's end, as a table's 时效 indicator gives it: "2021年12月31日", "2021年12月底"
_YEAR_END = re.compile(rf"({_YEAR_RE})\s*年\s*12\s*月\s*(?:31\s*日|底)")
_INDICATOR_HEAD = re.compile(r"一级指标")


def _year_of(flat: Flat, pat: re.Pattern[str], start: int | None) -> Fact | None:
    """Where neither a title nor a sentence states the year: the budget year the cited allocation notices name,
    or the year whose end the indicator table's deadlines fall on (read from the table's header on) — only when
    every such mention gives the same year; otherwise the year stays unread."""
    if start is None:
        return None
    found = list(pat.finditer(flat.joined, start))
    if not found or len({m.group(1) for m in found}) > 1:
        return None
    m = found[0]
    return _fact(flat, int(m.group(1)), m.start(1), m.end(1), joined=True)


# --------------------------------------------------------------------------------------------
# Project and unit
# --------------------------------------------------------------------------------------------

_YEAR_PREFIX = re.compile(rf"^(?:{_YEAR_RE}\s*年度?)")
#: "XX项目绩效自评报告" as a title; a list of tables ("…项目绩效自评表清单") is not one
_PROJECT_TITLE = re.compile(r"(?:^|\n)《?([^\n|《]{2,40}?项目)绩效(?:目标)?自评(?!表清单)")
#: a place's or unit's name, then the year, then the project: "某县2024年度某某项目"
_PLACE_YEAR_PREFIX = re.compile(rf"^[{_CJK}]{{2,20}}?{_YEAR_RE}\s*年度?(?=[{_CJK}]{{2}})")
_DEPARTMENT_WHOLE = re.compile(rf"({_YEAR_RE}年度?部门整体支出)")
_PROJECT_PROSE = (
    re.compile(r"“([^”\n]{2,40})”(?:专项资金)?绩效(?:自评|评价)"),
    re.compile(rf"关于(?:{_YEAR_RE}年度?)?([{_CJK}]{{2,30}}?(?:资金|经费|项目))绩效自评"),
    re.compile(rf"(?:项目为一个|项目为)[:]?\s*([{_CJK}]{{2,30}}?项目)"),
    _DEPARTMENT_WHOLE,
    re.compile(rf"我(?:县|市|区|省|镇|乡)({_YEAR_RE}年度?[{_CJK}]{{2,30}}?项目)(?:计划|预算|总投资|共)"),
    # a report refers back to its fund: "该某某专项资金项目于2020年初申报"
    re.compile(rf"该([{_CJK}]{{4,30}}?(?:专项资金|资金|经费))项目(?:于|共|资金|实施)"),
)
_NUMBERING = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.])")
#: "某某补贴支出绩效自评报告" as a title: the spending on 某某 is evaluated, and 某某 is the project's name
#: (a title that starts with 项目/部门/整体 names no project: "项目支出绩效自评报告", "部门整体支出…")
_SPENDING_TITLE = re.compile(
    rf"(?:^|\n)(?:[\d一二三四五六七八九十]+[、.]\s*)?《?((?!项目|部门|整体)[{_CJK}“”]{{2,30}}?)支出绩效(?:自评|评价)报告"
)


@pattern
def _budget_project(v: Vocabulary) -> re.Pattern[str]:
    """ "2020年度某某局某某专项资金年初预算…": the unit (optional), then the fund, then its budget."""
    return re.compile(
        rf"{_YEAR_RE}年度?(?!初|末|底)(?:[{_CJK}]{{2,12}}?(?:{v.alternation('organisations', 'suffixes')}))?"
        rf"([{_CJK}]{{2,24}}?(?:专项经费|专项资金|资金|经费|项目))(?:预期投入|年初预算|预算安排|计划投资|共计)"
    )


#: a line this long without closing punctuation may have been broken where the page ran out (text exported from a
#: PDF, or hard-wrapped), so the next line need not start anything
_WRAP_WIDTH = 20
_PARAGRAPH_END = "。：:；;！？!?)）」”》"


def _title(pattern: re.Pattern[str], text: str, end: int | None = None) -> re.Match[str] | None:
    """The first match of a title ``pattern`` (anchored at a line's start) whose line starts a paragraph: after a
    blank line, a short line or a line that ends a sentence. In hard-wrapped text a line may start mid-sentence
    ("…财政衔接推进乡村振兴资金项目绩效管理" broken after 财), and a title read there would be a fragment."""
    for m in pattern.finditer(text, 0, len(text) if end is None else end):
        line_start = m.start() + 1 if text.startswith("\n", m.start()) else m.start()
        previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)].strip()
        if not previous or len(previous) < _WRAP_WIDTH or previous.endswith(tuple(_PARAGRAPH_END)):
            return m
    return None


def _without_unit(name: str, flat: Flat, at: int, unit: str | None) -> str:
    """A title names the unit before the project ("某市某协会科普活动项目"): the unit's name is not part of
    the project's, when it is the document's unit or the document names that organisation elsewhere too."""
    if unit and name.startswith(unit) and len(name) - len(unit) >= 2:
        return name[len(unit) :]
    for end in range(len(name) - 2, 3, -1):  # the longest such name first
        prefix = name[:end]
        if _org().fullmatch(prefix) and flat.joined.count(prefix) > flat.joined[at : at + len(name) + 1].count(prefix):
            return name[end:]
    return name


def find_project(flat: Flat, department: bool, unit: str | None = None) -> Fact | None:
    """The project's name: from a title "…项目绩效自评…" (without the unit or place and year before it),
    or the 项目名称 label; the label's cell wins when the title only repeats it with more around it."""
    if department:
        m = _DEPARTMENT_WHOLE.search(flat.joined)
        if m:
            if flat.joined.startswith("绩效", m.end(1)):  # a title: its year is the report's, read as the year
                return _fact(flat, "部门整体支出", m.end(1) - 6, m.end(1), joined=True)
            return _fact(flat, m.group(1), m.start(1), m.end(1), joined=True)
    found = read_label(flat, "project", _is_project_name)
    title = _title(_PROJECT_TITLE, flat.text)
    # the label's cell wins when the title only repeats it with more around it, or holds only part of it
    if title and not (found and (found.value in title.group(1) or _bare_name(title.group(1)) in found.value)):
        name = _NUMBERING.sub("", title.group(1).strip())
        bare = _YEAR_PREFIX.sub("", name).strip()
        if bare not in ("项目", "部门预算项目", "") and "自评表" not in name and "|" not in name:
            place_year = _PLACE_YEAR_PREFIX.match(name)
            if place_year and not _YEAR_PREFIX.match(name):
                name = name[place_year.end() :]
            else:
                unitless = _without_unit(bare, flat, title.start(1), unit)
                if unitless != bare:
                    name = unitless
            if name != "项目":
                return _fact(flat, name, title.start(1), title.end(1))
    if found:
        return _fact(flat, found.value, found.start, found.end)
    before = _name_before_label(flat, "project")
    if before is not None:
        return before
    spending = _title(_SPENDING_TITLE, flat.text, _HEAD)
    if spending and not spending.group(1).endswith(("项目", "部门", "整体")):
        name = spending.group(1)
        place_year = _PLACE_YEAR_PREFIX.match(name)
        name = _YEAR_PREFIX.sub("", name[place_year.end() :] if place_year else name)
        if len(name) >= 2:
            return _fact(flat, name, spending.start(1), spending.end(1))
    for pat in (*_PROJECT_PROSE, _budget_project()):
        m = pat.search(flat.joined)
        if m:
            return _fact(flat, m.group(1), m.start(1), m.end(1), joined=True)
    if department and "部门整体支出" in flat.joined:
        at = flat.joined.index("部门整体支出")
        return _fact(flat, "部门整体支出", at, at + 6, joined=True)
    # a scoring sheet of a department's whole spending ("某局2023年度部门整体绩效自评表") names no project: what it
    # evaluates is the department's whole spending
    title = _department_title().search(flat.joined, 0, _HEAD)
    if title and _table_title().search(flat.joined, title.end(), title.end() + 30):
        return _fact(flat, "部门整体支出", title.start(), title.end(), joined=True)
    return None


#: how far into a document its title is looked for
_HEAD = 600


@pattern
def _department_title(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(v.alternation("labels", "department_titles"))


#: what may stand between a table's title and the first cell: the year in brackets ("(2022 年度)")
_TITLE_YEAR_AFTER = re.compile(rf"\s*\(\s*{_YEAR_RE}\s*年度?\s*\)")
_SPACED_NAME = re.compile(rf"[{_CJK}A-Za-z0-9()“”\-]+(?: [{_CJK}][{_CJK}A-Za-z0-9()“”\-]*)*")


def _name_before_label(flat: Flat, name: str) -> Fact | None:
    """A PDF whose text came out in column order puts a value before its label: "某某自评表 (2022 年度) 某某结
    算费用 项目名称 主管部门 …". Read only where the label's first occurrence has no value after it (another label
    follows), the label stands on the title's line, and what lies between the title (with its year) and the label
    is one name: Chinese words with no label among them (the blanks a wrapped cell left between its characters
    closed up)."""
    first = next((f for f in label_values(flat, name) if not f.list_header), None)
    if first is None or first.value:
        return None
    text = flat.text
    line_start = text.rfind("\n", 0, first.label_start) + 1
    titles = list(_table_title().finditer(text, line_start, first.label_start))
    if not titles:
        return None
    start = titles[-1].end()
    year = _TITLE_YEAR_AFTER.match(text, start)
    if year:
        start = year.end()
    span = text[start : first.label_start].strip()
    if not _SPACED_NAME.fullmatch(span) or _stop().search(span) or _table_title().search(span):
        return None
    value = squeeze(span)
    if " " in value or not _is_project_name(value) or len(value) > 40:
        return None
    at = text.index(span, start)
    return _fact(flat, value, at, at + len(span))


def _bare_name(title: str) -> str:
    return _YEAR_PREFIX.sub("", _NUMBERING.sub("", title.strip())).strip()


def _is_project_name(value: str) -> bool:
    """Two Chinese characters or more; past 60 characters (longer than any real project's name, but the records
    must be able to refuse it by name rather than lose it) only a run without figures or sentence punctuation, so
    that a paragraph or a row of glued cells is never taken for a name."""
    if not re.search(rf"[{_CJK}]{{2}}", value):
        return False
    return 2 <= len(value) <= 60 or (len(value) <= _LONG_NAME and not _NOT_IN_A_NAME.search(value))


_LONG_NAME = 1000
_NOT_IN_A_NAME = re.compile(r"[0-9。，,；;：:！？!?]")


_BUDGET_CODE = re.compile(r"^[0-9A-Za-z]{3,}-")  # "219001-某某单位": a budget code before the name


def _unit_name(value: str) -> str:
    """The organisation in a unit cell: without the person after "/" (实施单位/项目负责人) or a budget
    code before it; in text whose cells became spaces, the first word when that is the name."""
    name = _BUDGET_CODE.sub("", value.split("/")[0].strip()).strip()
    if not is_organisation(name) and " " in name:
        first = name.split(" ")[0]
        if is_organisation(first):
            return first
    return name


_UNIT_CONTEXT = r"(?:项目|部门整体支出|整体支出|财政)"


@pattern
def _unit_prose(v: Vocabulary) -> tuple[re.Pattern[str], ...]:
    org = rf"[{_CJK}]{{2,16}}?(?:{v.alternation('organisations', 'suffixes')})"
    return (
        re.compile(rf"(?:^|\n|[,。])(?:本次|现将)?(?:{_YEAR_RE}年度?)?({org}){_UNIT_CONTEXT}"),
        # a title line: the unit, then the year, a fund or the self-evaluation ("1、某某局2023年度…自评表")
        re.compile(rf"(?:^|\n)(?:\d+、|《)?({org})(?:\d{{4}}年|专项资金|[{_CJK}]{{0,12}}绩效自评)"),
        re.compile(rf"\d\.({org}){_YEAR_RE}年度?部门整体支出"),
        # a short name after a sentence's start: a level of government, then the organisation ("省科协")
        re.compile(
            rf"(?:^|\n|[,。])([{_CJK}]{{0,6}}?[省市县区](?:{v.alternation('organisations', 'suffixes')}))(?![{_CJK}])"
        ),
        # a title "2023年度某县农业农村局高标准农田建设项目绩效自评报告": the unit, then what it spent on
        re.compile(rf"(?:^|\n){_YEAR_RE}年度?({org})[{_CJK}]{{2,30}}?(?:项目|资金)绩效(?:自评|评价)"),
    )


_PLACE_NAME = re.compile(rf"[{_CJK}]{{2}}(?:省|市|县|区)")
_NOT_A_NAME = ("根据", "按照", "经", "由", "向", "对", "在", "为", "与", "和", "及", "是", "将", "被")
_TITLE_WORDS = re.compile(r"自评|评价报告|绩效评价|自评表")


def find_unit(flat: Flat, department: str | None) -> Fact | None:
    found = read_label(flat, "unit", lambda v: is_organisation(_unit_name(v)))
    if found:
        name = _unit_name(found.value)
        at = found.start + found.value.find(name)
        return _fact(flat, name, at, at + len(name))
    unplaced = _unplaced_unit(flat, department)
    if unplaced:
        return unplaced
    for joined in (False, True):  # within one line first: a heading line names the unit best
        text = flat.joined if joined else flat.text
        for pat in _unit_prose():
            for m in pat.finditer(text):
                name = m.group(1)
                if len(name) < 3 or "财政" in name or name.startswith(_NOT_A_NAME):
                    continue  # "市局" names no one; a finance bureau pays, it does not carry out
                return _fact(flat, name, m.start(1), m.end(1), joined=joined)
    return _heading_unit(flat) or _signature_unit(flat) or _subject_unit(flat)


def _unplaced_unit(flat: Flat, department: str | None) -> Fact | None:
    """A unit label followed at once by another label (a scanned table whose cells ran together, the
    unit's name a little further on the same line): the first organisation named after the label that
    starts with a place's name and is neither the 主管部门 nor a finance bureau."""
    first = next((f for f in label_values(flat, "unit") if not f.list_header), None)
    if first is None or first.value:
        return None
    line_end = flat.text.find("\n", first.end)
    head_end = min(first.end + 80, len(flat.text) if line_end < 0 else line_end)
    for m in _org().finditer(flat.text, first.end, head_end):
        place = _PLACE_NAME.search(m.group(0))  # the name glued to the label before it: it starts at its place
        if place is None:
            continue
        name = m.group(0)[place.start() :]
        if department and (name in department or department in name):
            continue
        if "财政" in name or _stop().search(name):
            continue
        return _fact(flat, name, m.start() + place.start(), m.end())
    return None


def _heading_unit(flat: Flat) -> Fact | None:
    """A line that is nothing but an organisation's name, just below the title of a report or table (a
    cover: the title, then who reports). A name above the title is more often the publishing site's."""
    lines = flat.text.split("\n")[:12]
    pos = len(lines[0]) + 1
    for above, line in pairwise(lines):
        name = line.strip()
        if _org().fullmatch(name) and not name.startswith(_NOT_A_NAME) and "财政" not in name:
            if _TITLE_WORDS.search(above) and "|" not in above:
                at = pos + line.find(name)
                return _fact(flat, name, at, at + len(name))
        pos += len(line) + 1
    return None


_SEAL = re.compile(r"\s*\((?:盖章|公章|签章|印章)\)$")
_CN_DIGIT = "〇零一二三四五六七八九十"
#: a signature's date, alone on its line or after the organisation's name: "2023年3月15日", "二〇二三年三月"
_SIGNATURE_DATE = re.compile(
    rf"(?:{_YEAR_RE}|[{_CN_DIGIT}]{{4}})\s*年\s*[\d{_CN_DIGIT}]{{1,2}}\s*月(?:\s*[\d{_CN_DIGIT}]{{1,3}}\s*日)?"
)


def _signature_unit(flat: Flat) -> Fact | None:
    """The organisation that signs the document (落款): a line that is nothing but an organisation's name, the
    signature's date on the next line or after the name on the same line. Read only where every such signature
    names the same organisation, and not a finance bureau (which pays, it does not carry out)."""
    lines = flat.text.split("\n")
    found: list[tuple[str, int]] = []
    pos = 0
    for i, line in enumerate(lines):
        if "|" not in line and (m := _SIGNATURE_DATE.search(line)) is not None:
            before = line[: m.start()].strip()
            if before:  # "某某局 2023年3月15日"
                name_line, at = before, pos + line.find(before)
            elif i and "|" not in lines[i - 1] and line.strip() == m.group(0):
                name_line = lines[i - 1].strip()
                at = pos - len(lines[i - 1]) - 1 + lines[i - 1].find(name_line)
            else:
                name_line = ""
            name = _SEAL.sub("", name_line)
            tail = line[m.end() :].strip()
            if name and not tail and _org().fullmatch(name) and not name.startswith(_NOT_A_NAME):
                found.append((name, at))
        pos += len(line) + 1
    names = {name for name, _ in found}
    if len(names) != 1:
        return None
    name, at = found[0]
    if "财政" in name:
        return None
    return _fact(flat, name, at, at + len(name), note="单位取自文末落款（单位名称及日期）")


#: how many lines from the top a report's opening sentence is looked for in
_OPENING_LINES = 40


@pattern
def _subject(v: Vocabulary) -> re.Pattern[str]:
    """A paragraph that opens with an organisation as the subject of its first sentence: a place's name, the
    organisation (``organisations.yaml`` ``suffixes``), then a word saying it does or holds something
    (``subject_verbs``): "某市科学技术局主要有部门预算项目支出……"."""
    org = rf"[{_CJK}]{{2,6}}?[省市县区][{_CJK}]{{1,12}}?(?:{v.alternation('organisations', 'suffixes')})"
    return re.compile(
        rf"^\s*(?:[一二三四五六七八九十\d]{{1,2}}[、.]|\([一二三四五六七八九十\d]{{1,2}}\))?\s*({org})"
        rf"(?:{v.alternation('organisations', 'subject_verbs')})"
    )


def _subject_unit(flat: Flat) -> Fact | None:
    """The organisation a report's paragraph opens with, as the subject of what it does (the first such paragraph
    in the report's head; never a finance bureau)."""
    pos = 0
    for line in flat.text.split("\n")[:_OPENING_LINES]:
        if "|" not in line and (m := _subject().match(line)) is not None:
            name = m.group(1)
            if "财政" in name or name.startswith(_NOT_A_NAME):
                return None
            return _fact(flat, name, pos + m.start(1), pos + m.end(1), note="单位取自报告段首句的主语")
        pos += len(line) + 1
    return None


def find_department(flat: Flat) -> str | None:
    found = read_label(flat, "department", lambda v: len(v) <= 30)
    return found.value if found else None


def department_as_unit(flat: Flat) -> Fact | None:
    """The body a 部门整体 evaluation evaluates, where no unit label names it: the department its table names
    (“主管部门 | 某某局”), for a department-wide evaluation is of the department itself."""
    found = read_label(flat, "department", lambda v: len(v) <= 30 and is_organisation(_unit_name(v)))
    if found is None:
        return None
    name = _unit_name(found.value)
    at = found.start + found.value.find(name)
    return _fact(flat, name, at, at + len(name), note="部门整体自评的评价对象即表中的主管部门")


# --------------------------------------------------------------------------------------------
# Score and grade
# --------------------------------------------------------------------------------------------


@pattern
def _score_grade(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(
        rf"自评(?:分数|得分|总分|结果)?和等级(?:为|是)?[:]?\s*(\d{{1,3}}(?:\.\d+)?)\s*分[,、]?\s*{_GRADE}"
    )


@pattern
def _scores(v: Vocabulary) -> tuple[re.Pattern[str], ...]:
    labels = _labels_of(v, "score")
    return (
        re.compile(rf"(?:{labels})(?:\(分\))?(?:为|是)?[:]?\s*(\d{{1,3}}(?:\.\d+)?)(?!\d|\.\d|%)(?:分)?"),
        re.compile(rf"(?:^|[|\s])总分{_CELL_GAP}100{_CELL_GAP}(\d{{1,3}}(?:\.\d+)?)(?![\d.]|\s*%)"),
    )


@pattern
def _grades(v: Vocabulary) -> tuple[re.Pattern[str], ...]:
    labels = _labels_of(v, "grade")
    return (
        re.compile(
            rf"(?:^|[|\s])总分{_CELL_GAP}100{_CELL_GAP}\d{{1,3}}(?:\.\d+)?{_CELL_GAP}{_GRADE}(?=[ \t]*(?:\||\n|$))"
        ),
        # the grade word ends there: "评价结果为中央…" is no grade 中 (中等, 优等, 良好级 are)
        re.compile(rf"(?:{labels})(?:均)?(?:为|是|:)\s*[“\"]?{_GRADE}(?=[^{_CJK}]|[等级档次]|$)"),
        # a label's cell, then a cell holding nothing but the grade
        re.compile(rf"(?:^|\n|\|)\s*(?:{labels})\s*\|\s*{_GRADE}\s*(?=\||\n|$)"),
    )


_SCORE_CELL = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*分?")


def find_score_and_grade(flat: Flat) -> tuple[Fact | None, Fact | None]:
    m = _score_grade().search(flat.joined)
    if m:
        score = Decimal(m.group(1))
        return (
            _fact(flat, score, m.start(), m.end(), joined=True),
            _fact(flat, m.group(2), m.start(), m.end(), joined=True),
        )
    score = grade = None
    for pat in _scores():
        m = pat.search(flat.text)
        if m and Decimal(m.group(1)) <= 100:
            score = _fact(flat, Decimal(m.group(1)), m.start(), m.end())
            break
    if score is None:  # "自评得分 | 96" or the label alone on its line, the score on the next
        found = read_label(flat, "score", lambda v: bool(_SCORE_CELL.fullmatch(v)))
        if found:
            value = Decimal(_SCORE_CELL.fullmatch(found.value).group(1))  # type: ignore[union-attr]
            if value <= 100:
                score = _fact(flat, value, found.start, found.end)
    if score is None:
        score = _score_after_pairs(flat)
    for pat in _grades():
        m = pat.search(flat.text) or pat.search(flat.joined)
        if m:
            in_joined = pat.search(flat.text) is None
            grade = _fact(flat, m.group(1), m.start(1), m.end(1), joined=in_joined)
            break
    return score, grade


#: how many label–value pairs may stand between a score label and its value
_PAIRS_BETWEEN = 4
_SCORE_LINE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*分?")


def _score_after_pairs(flat: Flat) -> Fact | None:
    """A web table given one cell per line, whose score cell spans two rows: the label "自评得分" closes the first
    row, the other rows' label–value pairs follow ("省级财政部门", "某省财政厅", …), and the score closes the second
    row. The lines after a score label alone on its line are read as whole label–value pairs (each label a line of
    its own, each value a line that is no label); the line after the last pair is the score only when it is a bare
    number no larger than 100. Anything else leaves the score unread."""
    text = flat.text
    for found in label_values(flat, "score"):
        if found.value or not _alone_on_line(text, found.label_start):
            continue
        label_end = text.find("\n", found.label_start)
        if label_end < 0 or not _label_patterns()["score"].fullmatch(text[found.label_start : label_end].strip(" :")):
            continue  # something else follows the label on its line
        lines = text[label_end + 1 : label_end + 1 + _ROW_SPAN].split("\n")
        pairs = 0
        while pairs < _PAIRS_BETWEEN and len(lines) > 2 * pairs + 1:
            label, value = lines[2 * pairs].strip(" :"), lines[2 * pairs + 1].strip()
            stop = _stop().fullmatch(label)
            if stop is None or not value or _stop().match(value) or _SCORE_LINE.fullmatch(value):
                break
            pairs += 1
        if not pairs or len(lines) <= 2 * pairs:
            continue
        line = lines[2 * pairs]
        m = _SCORE_LINE.fullmatch(line.strip())
        if m and Decimal(m.group(1)) <= 100:
            at = label_end + 1 + sum(len(x) + 1 for x in lines[: 2 * pairs]) + line.find(m.group(1))
            return _fact(flat, Decimal(m.group(1)), at, at + len(m.group(1)))
    return None


# --------------------------------------------------------------------------------------------
# Rates stated in prose
# --------------------------------------------------------------------------------------------

_RATES = {
    "arrival_rate_pct": re.compile(r"(?:资金)?到位率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
    "spend_rate_pct": re.compile(r"支出率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
    "execution_rate_pct": re.compile(r"(?:预算)?执行率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
}


@pattern
def _scoring_rule(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(v.alternation("labels", "scoring_rule_words"))


def _in_scoring_rule(text: str, start: int, end: int) -> bool:
    """Whether the rate at ``text[start:end]`` sits in a clause of a 评分标准 (“达到 95% 得满分”), a threshold rather
    than what happened."""
    before = max(text.rfind(stop, 0, start) for stop in "。；;\n")
    after = min((i for i in (text.find(stop, end) for stop in "。；;\n") if i != -1), default=len(text))
    return _scoring_rule().search(text, before + 1, after) is not None


def find_rates(flat: Flat) -> dict[str, Fact]:
    """The rates a text states in its sentences. A text that states one rate with two different values (the
    central funds' 执行率 100% and the local funds' 400.12%) leaves it unread: which is the project's is not said."""
    found: dict[str, Fact] = {}
    for name, pat in _RATES.items():
        values: set[Decimal] = set()
        for m in pat.finditer(flat.joined):
            if _in_scoring_rule(flat.joined, m.start(), m.end()):
                continue
            value = read_percent(m.group(1))
            if value is None:
                continue
            values.add(value)
            if name not in found:
                found[name] = _fact(flat, value, m.start(), m.end(), joined=True)
        if len(values) > 1:
            found.pop(name, None)
    return found
