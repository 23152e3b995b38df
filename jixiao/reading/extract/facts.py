"""The headline facts of a document: year, project, unit, stated rates, stated score and grade.

Labels of a table ("项目名称 | X") are read first; the report's own sentences next. A pattern that could
match something else is not used: a value that cannot be read with confidence stays unread.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.audit.document import Fact
from ..numbers import read_percent
from .flat import Flat

#: Labels of the standard tables; a label's value stops at the next label, a cell border or a line end.
LABELS = (
    "项目名称",
    "主管部门",
    "实施单位",
    "项目实施单位",
    "项目负责人",
    "评价年度",
    "评价金额",
    "实施文件依据",
    "资金情况",
    "项目资金",
    "资金安排情况",
    "年度资金总额",
    "自评得分",
    "财政审核评分",
    "专项实施期",
    "市县财政部门",
    "市县主管部门",
    "自治区主管部门",
    "填报日期",
    "部门\\(单位\\)名称",
    "单位\\(盖章\\)",
    "实施第位",  # OCR of 实施单位 seen in scanned tables
)
_NEXT_LABEL = re.compile("|".join(LABELS))
_CELL_END = re.compile(r"\||\n")
_ORG_SUFFIX = r"(?:人民政府|委员会|协会|科协|中学|小学|学校|幼儿园|医院|中心|研究院|研究所|局|厅|办公室|院|所|站|馆|社)"
_ORG = re.compile(rf"[\u4e00-\u9fff]{{2,16}}?{_ORG_SUFFIX}")
_GRADE = r"(优秀|良好|不合格|合格|优|良|中|差)"


def label_value(flat: Flat, label: str) -> tuple[str, int, int] | None:
    """The text after ``label`` up to the cell's end or the next label: (value, start, end) in ``flat.text``."""
    for m in re.finditer(label, flat.text):
        start = m.end()
        while start < len(flat.text) and flat.text[start] in " :|":
            if flat.text[start] == "|" and flat.text[m.end() : start].count("|") >= 1:
                break
            start += 1
        rest = flat.text[start:]
        stop = len(rest)
        for pattern in (_CELL_END, _NEXT_LABEL):
            hit = pattern.search(rest)
            if hit and hit.start() < stop:
                stop = hit.start()
        value = rest[:stop].strip(" :|")
        if value:
            return value, start, start + stop
    return None


def _fact(flat: Flat, value: object, start: int, end: int, *, joined: bool = False, note: str | None = None) -> Fact:
    return Fact(value, flat.evidence(start, end, joined=joined), note)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Year
# --------------------------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月)")
_NOT_YEAR_CONTEXT = re.compile(r"(填报日期|发布时间|时间|日期|来源)[:\s]*$")


def find_year(flat: Flat) -> Fact | None:
    """The evaluated budget year: the first "20xx年/年度" that is not part of a date."""
    text = flat.joined
    for m in _YEAR.finditer(text):
        if _NOT_YEAR_CONTEXT.search(text[max(m.start() - 8, 0) : m.start()]):
            continue
        before = text[max(m.start() - 40, 0) : m.start()]
        if before.rfind("《") > before.rfind("》"):
            continue  # inside the title of a cited document
        return _fact(flat, int(m.group(1)), m.start(), m.end(), joined=True)
    return None


# --------------------------------------------------------------------------------------------
# Project and unit
# --------------------------------------------------------------------------------------------

_YEAR_PREFIX = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)")
_PROJECT_TITLE = re.compile(r"(?:^|\n)([^\n|]{2,40}?项目)绩效(?:目标)?自评")
_DEPARTMENT_WHOLE = re.compile(r"((?:19|20)\d{2}年度?部门整体支出)")
_PROJECT_PROSE = (
    re.compile(r"“([^”\n]{2,40})”(?:专项资金)?绩效(?:自评|评价)"),
    re.compile(r"关于(?:(?:19|20)\d{2}年度?)?([\u4e00-\u9fff]{2,30}?(?:资金|经费|项目))绩效自评"),
    re.compile(r"(?:项目为一个|项目为)[:]?\s*([\u4e00-\u9fff]{2,30}?项目)"),
    _DEPARTMENT_WHOLE,
    re.compile(r"我(?:县|市|区|省|镇|乡)((?:19|20)\d{2}年度?[\u4e00-\u9fff]{2,30}?项目)(?:计划|预算|总投资|共)"),
    re.compile(
        r"(?:19|20)\d{2}年度?(?:[\u4e00-\u9fff]{2,12}?(?:协会|科协|局))?([\u4e00-\u9fff]{2,24}?(?:专项经费|专项资金|资金|经费|项目))"
        r"(?:预期投入|年初预算|预算安排|计划投资|共计)"
    ),
)


_NUMBERING = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.])")
_UNIT_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{2,14}?(?:人民政府|委员会|协会|科协|局|厅|中学|小学|学校)(?=[\u4e00-\u9fff]{2})"
)


def find_project(flat: Flat, department: bool) -> Fact | None:
    if department:
        m = _DEPARTMENT_WHOLE.search(flat.joined)
        if m:
            return _fact(flat, m.group(1), m.start(1), m.end(1), joined=True)
    title = _PROJECT_TITLE.search(flat.text)
    if title:
        name = _NUMBERING.sub("", title.group(1).strip())
        bare = _YEAR_PREFIX.sub("", name).strip()
        if bare not in ("项目", "部门预算项目", "") and "自评表" not in name and "|" not in name:
            unit = _UNIT_PREFIX.match(bare)
            if unit:
                name = bare
            if unit:  # "如皋市科学技术协会科普活动项目": the unit's name is not part of the project's
                name = name[unit.end() :]
            if name != "项目":
                return _fact(flat, name, title.start(1), title.end(1))
    found = label_value(flat, "项目名称")
    if found:
        value, start, end = found
        return _fact(flat, value, start, end)
    for pattern in _PROJECT_PROSE:
        m = pattern.search(flat.joined)
        if m:
            return _fact(flat, m.group(1), m.start(1), m.end(1), joined=True)
    if department and "部门整体支出" in flat.joined:
        at = flat.joined.index("部门整体支出")
        return _fact(flat, "部门整体支出", at, at + 6, joined=True)
    return None


_UNIT_PROSE = (
    re.compile(
        rf"(?:^|\n|[,。])(?:本次|现将)?(?:(?:19|20)\d{{2}}年度?)?([\u4e00-\u9fff]{{2,16}}?{_ORG_SUFFIX})(?:项目|部门整体支出|整体支出|财政)"
    ),
    re.compile(
        rf"(?:^|\n)([\u4e00-\u9fff]{{2,16}}?{_ORG_SUFFIX})(?:\d{{4}}年|专项资金|[\u4e00-\u9fff]{{0,12}}绩效自评)"
    ),
    re.compile(rf"\d\.([\u4e00-\u9fff]{{2,16}}?{_ORG_SUFFIX})(?:19|20)\d{{2}}年度?部门整体支出"),
    re.compile(r"(?:^|[,。(])((?:[\u4e00-\u9fff]{0,6})[省市县区]科协)"),
    # a title "2023年度某县农业农村局高标准农田建设项目绩效自评报告": the unit, then what it spent on
    re.compile(
        rf"(?:^|\n)(?:19|20)\d{{2}}年度?([\u4e00-\u9fff]{{2,16}}?{_ORG_SUFFIX})[\u4e00-\u9fff]{{2,30}}?(?:项目|资金)绩效(?:自评|评价)"
    ),
)


def find_unit(flat: Flat, department: str | None) -> Fact | None:
    for label in ("实施单位/项目负责人", "实施单位", "部门\\(单位\\)名称", "单位\\(盖章\\)"):
        found = label_value(flat, label)
        if found:
            value, start, end = found
            value = value.split("/")[0].strip()
            value = re.sub(r"^\d{3,}-", "", value)  # "219001-池州市…" carries a budget code
            if _ORG.fullmatch(value) or (len(value) <= 30 and value.endswith(_ORG_ENDINGS)):
                return _fact(flat, value, start, end)
    # A garbled label (OCR): the first organisation named in the header that is not the 主管部门.
    header = flat.text[:600]
    if "实施第位" in header or "实施单" in header:
        for m in _ORG.finditer(header):
            name = m.group(0)
            if (department and name in department) or (department and department in name):
                continue
            if "财政" in name:
                continue
            place = _PLACE_NAME.search(name)  # OCR glued the label to the name: start at the place name
            offset = place.start() if place else 0
            return _fact(flat, name[offset:], m.start() + offset, m.end())
    for joined in (False, True):  # within one line first: a heading line names the unit best
        text = flat.joined if joined else flat.text
        for pattern in _UNIT_PROSE:
            for m in pattern.finditer(text):
                name = m.group(1)
                if "财政" in name or name.startswith(_NOT_A_NAME):
                    continue
                return _fact(flat, name, m.start(1), m.end(1), joined=joined)
    return None


_NOT_A_NAME = ("根据", "按照", "经", "由", "向", "对", "在", "为", "与", "和", "及", "是", "将", "被")


_PLACE_NAME = re.compile(r"[\u4e00-\u9fff]{2}(?:省|市|县|区)")


_ORG_ENDINGS = ("政府", "科协", "委员会", "协会", "中学", "小学", "学校", "中心", "局", "厅", "院", "所", "站", "馆")


def find_department(flat: Flat) -> str | None:
    found = label_value(flat, "主管部门")
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# Score and grade
# --------------------------------------------------------------------------------------------

_SCORE_GRADE = re.compile(
    rf"自评(?:分数|得分|总分|结果)?和等级(?:为|是)?[:]?\s*(\d{{1,3}}(?:\.\d+)?)\s*分[,、]?\s*{_GRADE}"
)
_SCORE = (
    re.compile(r"(?:自评得分|自评总分|项目总得分|自评分数|综合得分)(?:为|是)?[:]?\s*(\d{1,3}(?:\.\d+)?)(?:分)?"),
    re.compile(r"(?:^|\n|\|)\s*总分\s*\|\s*100\s*\|\s*(\d{1,3}(?:\.\d+)?)\s*(?:\||$)"),
)
_GRADE_ALONE = (
    re.compile(rf"(?:^|\n|\|)\s*总分\s*\|\s*100\s*\|\s*\d{{1,3}}(?:\.\d+)?\s*\|\s*{_GRADE}\s*(?:\||$)"),
    re.compile(rf"(?:自评等级|自评等次|评价等级|等级|等次)(?:均)?(?:为|是|:)\s*[“\"]?{_GRADE}"),
)


def find_score_and_grade(flat: Flat) -> tuple[Fact | None, Fact | None]:
    m = _SCORE_GRADE.search(flat.joined)
    if m:
        score = Decimal(m.group(1))
        return (
            _fact(flat, score, m.start(), m.end(), joined=True),
            _fact(flat, m.group(2), m.start(), m.end(), joined=True),
        )
    score = grade = None
    for pattern in _SCORE:
        m = pattern.search(flat.text)
        if m:
            score = _fact(flat, Decimal(m.group(1)), m.start(), m.end())
            break
    for pattern in _GRADE_ALONE:
        m = pattern.search(flat.text) or pattern.search(flat.joined)
        if m:
            in_joined = pattern.search(flat.text) is None
            grade = _fact(flat, m.group(1), m.start(1), m.end(1), joined=in_joined)
            break
    return score, grade


# --------------------------------------------------------------------------------------------
# Rates stated in prose
# --------------------------------------------------------------------------------------------

_RATES = {
    "arrival_rate_pct": re.compile(r"(?:资金)?到位率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
    "spend_rate_pct": re.compile(r"支出率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
    "execution_rate_pct": re.compile(r"(?:预算)?执行率(?:为|达到|达)?[:]?\s*(\d{1,3}(?:\.\d+)?\s*%)"),
}


def find_rates(flat: Flat) -> dict[str, Fact]:
    found: dict[str, Fact] = {}
    for name, pattern in _RATES.items():
        m = pattern.search(flat.joined)
        if m:
            value = read_percent(m.group(1))
            if value is not None:
                found[name] = _fact(flat, value, m.start(), m.end(), joined=True)
    return found
