"""What an audit found in one document: the facts it states, its indicator rows, each with where it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..result import Finding
from .source import Place

#: The facts every audit reports (``None`` where the document states nothing readable). Amounts in 万元.
FACT_FIELDS: dict[str, str] = {
    "year": "评价年度",
    "project": "项目名称",
    "unit": "实施单位",
    "initial_budget_wan": "年初预算数（万元）",
    "budget_wan": "全年预算数（万元）",
    "arrived_wan": "到位资金（万元）",
    "spent_wan": "执行数（万元）",
    "arrival_rate_pct": "所述资金到位率（%）",
    "spend_rate_pct": "所述支出率（%）",
    "execution_rate_pct": "所述预算执行率（%）",
    "self_score": "自评得分",
    "grade": "自评等级",
    "funds_timely": "所述“资金到位及时”",
}


class DocumentKind(StrEnum):
    REPORT = "report"  # 自评报告
    TABLE = "table"  # 自评表
    BOTH = "both"  # 报告附表
    DEPARTMENT = "department"  # 部门整体支出
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "report": "自评报告",
            "table": "自评表",
            "both": "自评报告及自评表",
            "department": "部门整体支出自评",
            "unknown": "未能识别",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value was read and the source text it was read from."""

    place: Place
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"page": self.place.page, "line": self.place.line, "cell": self.place.cell, "text": self.text}


FactValue = Decimal | int | str | bool


@dataclass(frozen=True, slots=True)
class Fact:
    value: FactValue
    evidence: Evidence
    note: str | None = None  # how it was read, when that is not plain (e.g. "元折算为万元")


@dataclass(slots=True)
class FoundIndicator:
    """One scored indicator row as the document prints it (strings kept as printed)."""

    level1: str | None
    level2: str | None
    level3: str | None
    target: str | None = None
    actual: str | None = None
    points: Decimal | None = None
    score: Decimal | None = None
    reason: str | None = None
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "target": self.target,
            "actual": self.actual,
            "points": _number(self.points),
            "score": _number(self.score),
            "reason": self.reason,
            "provenance": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True, slots=True)
class FundLine:
    """A row of the fund block (年度资金总额, 其中：财政拨款 …) with the figures it prints, in 万元."""

    label: str
    initial_budget_wan: Decimal | None
    budget_wan: Decimal | None
    spent_wan: Decimal | None
    points: Decimal | None
    rate_pct: Decimal | None
    score: Decimal | None
    evidence: Evidence
    is_total: bool = False
    arrived_wan: Decimal | None = None  # a 到位数 column, where the table has one


@dataclass(frozen=True, slots=True)
class SumStatement:
    """A sentence that states a total and its parts: "共申请预算资金2026400元，其中……400000元，……"."""

    total_wan: Decimal
    parts_wan: tuple[Decimal, ...]
    evidence: Evidence


@dataclass(slots=True)
class Extraction:
    """Everything read from one document, before any check."""

    kind: DocumentKind
    facts: dict[str, Fact] = field(default_factory=dict)
    indicators: list[FoundIndicator] = field(default_factory=list)
    fund_lines: list[FundLine] = field(default_factory=list)
    #: later fund blocks of the same document (one per sub-fund: a total and its 其中 rows), read only to check that
    #: each total holds its parts; the facts come from the first block
    more_fund_blocks: list[list[FundLine]] = field(default_factory=list)
    sums: list[SumStatement] = field(default_factory=list)
    #: a rate stated in one sentence with what was due and what happened: (name, rate %, due, actual, where)
    rate_statements: list[tuple[str, Decimal, Decimal, Decimal, Evidence]] = field(default_factory=list)
    #: an excess over a task stated as a percentage, with the task and the count done the document states:
    #: (excess %, task count, count done, counting unit, where the excess is stated, where the counts are)
    excess_statements: list[tuple[Decimal, Decimal, Decimal, str, Evidence, Evidence]] = field(default_factory=list)
    #: the different years the titles and the 评价年度 label state, each where first stated (the year is left unread)
    year_conflict: list[tuple[int, Evidence]] = field(default_factory=list)
    #: a figure stated as a fund's amount in 元 in one place and in 万元 in another: (figure as printed, where in 元,
    #: where in 万元)
    unit_slips: list[tuple[Decimal, Evidence, Evidence]] = field(default_factory=list)
    #: items of a numbered list whose number repeats the one before it ("4." twice in 1–5), each where it is
    numbering_slips: list[tuple[int, Evidence]] = field(default_factory=list)
    quoted_names: list[tuple[str, Evidence]] = field(default_factory=list)  # “…” names of funds and projects
    goal: Evidence | None = None  # the 年度总体目标 as written (and its 完成情况 where the table puts it alongside)
    notes: list[str] = field(default_factory=list)  # what could not be read with confidence, in Chinese

    def value(self, name: str) -> FactValue | None:
        fact = self.facts.get(name)
        return fact.value if fact else None


@dataclass(slots=True)
class AuditedDocument:
    """The audit of one file: what it states, what does not hold, and how risky it looks (0–100)."""

    file: str
    extraction: Extraction | None
    findings: list[Finding] = field(default_factory=list)
    risk: Decimal | None = None
    error: str | None = None  # Chinese, when the file could not be read
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> DocumentKind:
        return self.extraction.kind if self.extraction else DocumentKind.UNKNOWN

    def to_dict(self) -> dict[str, object]:
        """The contract's shape (audit-result.schema.json): numbers as JSON numbers, amounts in 万元."""
        ex = self.extraction
        facts: dict[str, object] = {name: None for name in FACT_FIELDS}
        provenance: dict[str, object] = {}
        if ex is not None:
            for name, fact in ex.facts.items():
                facts[name] = _number(fact.value) if isinstance(fact.value, Decimal) else fact.value
                provenance[name] = fact.evidence.to_dict() | ({"note": fact.note} if fact.note else {})
        return {
            "file": self.file,
            "kind": self.kind.value,
            "error": self.error,
            "facts": facts,
            "provenance": provenance,
            "indicators": [i.to_dict() for i in ex.indicators] if ex else [],
            "findings": [f.to_dict() for f in self.findings],
            "risk": _number(self.risk),
            "notes": [*self.notes, *(ex.notes if ex else [])],
        }


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal for JSON: integral values as int, others as the shortest float that prints the same digits."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
