"""From a :class:`~jixiao.core.audit.source.SourceText` to an :class:`~jixiao.core.audit.document.Extraction`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ...core.audit.document import DocumentKind, Evidence, Extraction, Fact, FundLine
from ...core.audit.source import SourceText
from ..normalise import as_written
from ..vocabulary import Vocabulary, pattern
from .amounts import find_labelled_amounts, find_stated_amounts, find_sum_statements, find_unit_slips
from .facts import (
    department_as_unit,
    find_department,
    find_project,
    find_rates,
    find_score_and_grade,
    find_unit,
    find_year,
    find_year_conflict,
    stated_years,
)
from .flat import Flat, flatten
from .four_levels import read_four_level_table
from .funds import read_fund_block, read_more_fund_blocks
from .indicators import FOUR_LEVELS, read_indicators
from .numbering import find_numbering_slips
from .rates import find_excess_statements, find_rate_statements
from .year_rows import read_year_rows

_TITLE_WORD = re.compile(r"绩效自评表|绩效目标自评表|指标评分表")
_TIMELY = re.compile(r"资金(?:已|均)?(?:全部)?(?:按时|及时)(?:足额)?到位|资金到位及时(?!率|性)")
_GOAL = re.compile(r"年度总体目标[|:\s]*([^\n]{4,800}?)(?=绩效指标|一级指标|$)")
_QUOTED = re.compile(r"“([^”\n]{4,60})”")


def extract(source: SourceText) -> Extraction:
    """What ``source`` states. The table's own cells win (labels, the fund block, year rows); the report's
    sentences only fill what the tables left unread; nothing is computed here."""
    flat = flatten(source)
    flat, notes = _skip_foreign_head(flat)
    kind = document_kind(flat)
    ex = Extraction(kind=kind, notes=notes)
    facts = ex.facts
    years = stated_years(flat)
    _put(facts, "year", find_year(flat, years))
    ex.year_conflict = find_year_conflict(flat, years)
    department = find_department(flat)
    unit = find_unit(flat, department)  # first: a title may put the unit's name before the project's
    if unit is None and kind is DocumentKind.DEPARTMENT:
        unit = department_as_unit(flat)
    _put(facts, "project", find_project(flat, kind is DocumentKind.DEPARTMENT, unit and str(unit.value)))
    _put(facts, "unit", unit)
    _names_as_written(facts, source)
    score, grade = find_score_and_grade(flat)
    _put(facts, "self_score", score)
    _put(facts, "grade", grade)

    if kind is not DocumentKind.REPORT:
        lines, fund_notes = read_fund_block(flat, source=source)
        ex.fund_lines = lines
        ex.notes.extend(fund_notes)
        _fund_facts(ex, lines)
        if lines:
            ex.more_fund_blocks = read_more_fund_blocks(flat, lines, source=source)
    for name, fact in read_year_rows(flat).items():
        facts.setdefault(name, fact)
    for name, fact in find_labelled_amounts(flat).items():
        facts.setdefault(name, fact)
    for name, fact in find_rates(flat).items():
        facts.setdefault(name, fact)
    for name, fact in find_stated_amounts(flat).items():
        facts.setdefault(name, fact)
    if "initial_budget_wan" in facts and "budget_wan" not in facts:
        initial = facts["initial_budget_wan"]
        facts["budget_wan"] = Fact(initial.value, initial.evidence, "文中只有年初预算数，即以其为预算数")
    ex.sums = find_sum_statements(flat)
    ex.unit_slips = [(slip.figure, slip.in_yuan, slip.in_wan) for slip in find_unit_slips(flat)]
    ex.numbering_slips = [(slip.number, slip.evidence) for slip in find_numbering_slips(flat)]
    ex.rate_statements = [(r.name, r.rate_pct, r.due_wan, r.actual_wan, r.evidence) for r in find_rate_statements(flat)]
    ex.excess_statements = [
        (e.excess_pct, e.planned, e.done, e.unit, e.evidence, e.counts) for e in find_excess_statements(flat)
    ]
    timely = _TIMELY.search(flat.joined)
    if timely:
        facts["funds_timely"] = Fact(True, flat.evidence(timely.start(), timely.end(), joined=True))
    goal = _GOAL.search(flat.joined)
    if goal:
        ex.goal = Evidence(flat.evidence(goal.start(1), goal.end(1), joined=True).place, goal.group(1))
    ex.quoted_names = [
        (m.group(1), flat.evidence(m.start(), m.end(), joined=True)) for m in _QUOTED.finditer(flat.joined)
    ]
    ex.indicators, indicator_notes = read_indicators(flat)  # a report may hold the table too
    ex.notes.extend(indicator_notes)
    unread_four_levels = False  # a four-level table whose header was not found by its columns
    if not ex.indicators and FOUR_LEVELS.search(flat.text):
        ex.indicators, four_notes = read_four_level_table(source)
        ex.notes.extend(four_notes)
        unread_four_levels = not ex.indicators and not four_notes
    if "self_score" not in facts:
        _put(facts, "self_score", _score_proven_by_sums(flat, ex))
    if unread_four_levels and kind is not DocumentKind.REPORT:
        ex.notes.append("表中为四级指标体系，未找到按栏对齐的表头，指标行未逐行读取（读错不如不读）")
    ex.notes = list(dict.fromkeys(ex.notes))
    return ex


def _names_as_written(facts: dict[str, Fact], source: SourceText) -> None:
    """The project's and the unit's names as the document prints them (``﹣`` stays ``﹣``): they were matched
    on normalised text, but a name is quoted, not normalised."""
    for name in ("project", "unit"):
        fact = facts.get(name)
        if fact is None or not isinstance(fact.value, str):
            continue
        written = as_written(fact.value, _source_texts(source))
        if written != fact.value:
            facts[name] = Fact(written, fact.evidence, fact.note)


def _source_texts(source: SourceText) -> Iterator[str]:
    for line in source.lines:
        yield line.text
    for table in source.tables:
        for row in table.rows:
            for cell in row:
                yield cell.text


_TOTAL_POINTS = Decimal(100)
#: the 总分 row's two figures, its label lost: "100 98.62" (分值, then 得分)
_TOTAL_PAIR = re.compile(r"(?<![\d.])100\s+(\d{1,3}(?:\.\d{1,2})?)(?![\d.%])")


def _score_proven_by_sums(flat: Flat, ex: Extraction) -> Fact | None:
    """The total score of a table whose 总分 row lost its label to a PDF's column order ("… 10 10 100 98.62 率
    产出指标 … 总分"): a pair "100 X" stands as 分值 and 得分 of the 总分 row only where the table's own figures prove
    both — the indicator rows' 分值 and the fund row's 分值 add up to 100, and their 得分 add up to X. Every row must
    carry both figures, so a table read only in part proves nothing."""
    if "总分" not in flat.text or not ex.indicators:
        return None
    total = next((line for line in ex.fund_lines if line.is_total), None)
    if total is None or total.points is None or total.score is None:
        return None
    if any(row.points is None or row.score is None for row in ex.indicators):
        return None
    points = sum((row.points for row in ex.indicators if row.points is not None), total.points)
    score = sum((row.score for row in ex.indicators if row.score is not None), total.score)
    if points != _TOTAL_POINTS:
        return None
    for m in _TOTAL_PAIR.finditer(flat.text):
        if Decimal(m.group(1)) == score:
            note = "总分一行的名称与数字分处两处，得分由各指标得分与执行率得分之和验证"
            return Fact(score, flat.evidence(m.start(), m.end()), note)
    return None


def _put(facts: dict[str, Fact], name: str, fact: Fact | None) -> None:
    if fact is not None:
        facts[name] = fact


@pattern
def _kind_words(v: Vocabulary) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = re.compile(rf"[^\n|]{{0,40}}?(?:{v.alternation('labels', 'table_titles')})")
    report = re.compile(v.alternation("labels", "report_titles"))
    department = re.compile(v.alternation("labels", "department_titles"))
    funds = re.compile(v.alternation("labels", "department_funds"))
    return table, report, department, funds


#: the header of an indicator table: the three levels in cells or lines of their own
_INDICATOR_HEADER = re.compile(r"一级指标\s*[|\n]\s*二级指标\s*[|\n]\s*三级指标")
#: headings of a narrative's sections, each a line of its own: "二、项目资金申报及使用情况", "(一)资金到位"
_SECTION = re.compile(r"(?:^|\n)(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))[^\n|]{2,60}(?=\n)")


def document_kind(flat: Flat) -> DocumentKind:
    """A table, a report, a report that carries its table (both), or a department's whole-spending
    material. A 部门整体支出 document that is only a scoring sheet (no 基本支出/项目支出 funds, no report)
    is a table."""
    table_title, report_title, department_title, department_funds = _kind_words()
    head = flat.joined[:600]
    table = bool(table_title.search(flat.text[:800])) or ("一级指标" in flat.text and "年度资金总额" in flat.text)
    report = bool(report_title.search(head)) or (not table and len(flat.joined) > 300)
    if department_title.search(head) and (not table or report or department_funds.search(flat.text)):
        return DocumentKind.DEPARTMENT
    # the indicator table first, then the narrative that explains it (a report with a table further on,
    # among its sections, is a report)
    sections = [m.start() for m in _SECTION.finditer(flat.text)]
    header = _INDICATOR_HEADER.search(flat.text)
    if report and len(sections) >= 2 and header and header.start() < sections[0]:
        return DocumentKind.BOTH
    if table and report and "一级指标" in flat.text and len(flat.joined) > 3000:
        return DocumentKind.BOTH
    if table:
        return DocumentKind.TABLE
    if report:
        return DocumentKind.REPORT
    return DocumentKind.UNKNOWN


def _skip_foreign_head(flat: Flat) -> tuple[Flat, list[str]]:
    """A page can open with the end of the previous table (rows, 合计, signatures) and no 项目名称:
    that head belongs to another document and is left out."""
    text = flat.text
    for m in _TITLE_WORD.finditer(text):
        start = max(text.rfind("\n", 0, m.start()), text.rfind("|", 0, m.start())) + 1
        if start == 0 or "项目名称" not in text[start : start + 800]:
            continue
        head = text[:start]
        if "项目名称" not in head and re.search(r"一级指标|得分|权重|合计", head):
            first = flat.segment_at(start)
            return flat.from_segment(first), [
                f"文首 {head.count(chr(10)) + 1} 行是上一张表的末尾（无项目名称），未读取"
            ]
        break
    return flat, []


def _fund_facts(ex: Extraction, lines: list[FundLine]) -> None:
    """Budget and spending from the fund block: the 年度资金总额 row, or its parts where the total row
    prints zeros or nothing (the parts are what the document actually states)."""
    if not lines:
        return
    facts = ex.facts
    total = next((line for line in lines if line.is_total), None)
    parts = [line for line in lines if not line.is_total and _has_amounts(line)]
    if total is not None and total.rate_pct is not None:
        facts["execution_rate_pct"] = Fact(total.rate_pct, total.evidence)
    rated = [line for line in lines if line.rate_pct is not None]
    if total is None and len(rated) == 1 and not parts:  # the one rate left readable in a damaged block
        facts["execution_rate_pct"] = Fact(rated[0].rate_pct, rated[0].evidence)
    source = total if total is not None and _has_amounts(total) and _nonzero(total) else None
    if source is None and parts:
        if total is not None and _has_amounts(total):
            ex.notes.append(f"“{total.label}”一行金额为 0，金额取其下各行合计")
        for name, attr in (
            ("initial_budget_wan", "initial_budget_wan"),
            ("budget_wan", "budget_wan"),
            ("arrived_wan", "arrived_wan"),
            ("spent_wan", "spent_wan"),
        ):
            values = [getattr(line, attr) for line in parts if getattr(line, attr) is not None]
            if values:
                facts[name] = Fact(
                    sum(values, Decimal(0)), parts[0].evidence, "其下各行合计" if len(values) > 1 else None
                )
        if "execution_rate_pct" not in facts and len(parts) == 1 and parts[0].rate_pct is not None:
            facts["execution_rate_pct"] = Fact(parts[0].rate_pct, parts[0].evidence)
        return
    if source is None:
        return
    for name, value in (
        ("initial_budget_wan", source.initial_budget_wan),
        ("budget_wan", source.budget_wan),
        ("arrived_wan", source.arrived_wan),
        ("spent_wan", source.spent_wan),
    ):
        if value is not None:
            facts[name] = Fact(value, source.evidence)
    # A total row that prints only the budget: one part row with the same budget completes it.
    same = [line for line in parts if line.budget_wan == source.budget_wan]
    if len(same) == 1:
        part = same[0]
        if "spent_wan" not in facts and part.spent_wan is not None:
            facts["spent_wan"] = Fact(part.spent_wan, part.evidence)
        if "execution_rate_pct" not in facts and part.rate_pct is not None:
            facts["execution_rate_pct"] = Fact(part.rate_pct, part.evidence)


def _has_amounts(line: FundLine) -> bool:
    return any(v is not None for v in (line.initial_budget_wan, line.budget_wan, line.spent_wan))


def _nonzero(line: FundLine) -> bool:
    return any(v for v in (line.initial_budget_wan, line.budget_wan, line.spent_wan) if v is not None)
