"""Audit what was read from one document: score and check the extraction, rank its risk.

Reading the document (:func:`jixiao.reading.audit.audit_source`) happens outside the core."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..checks import run_checks
from ..checks._util import fund_scores_known
from ..checks.funds import matches_stated_rate, rate_spread
from ..frameworks import Framework
from ..result import EvaluationResult, Finding, Severity
from ..rules import RuleSet
from ..scoring.engine import score
from ..values import ratio_pct
from .checks import STEP1_CHECKS, AuditContext, impossible_facts, run_audit_checks
from .document import AuditedDocument, Extraction
from .evaluation import execution_points, to_evaluation
from .risk import RiskWeights, risk_score
from .source import Place

_CLAIM_TO_FACT = {
    "claims.total_score": "self_score",
    "claims.grade": "grade",
    "claims.arrival_rate_pct": "arrival_rate_pct",
    "claims.spend_rate_pct": "spend_rate_pct",
    "claims.execution_rate_pct": "execution_rate_pct",
    "claims.budget_wan": "budget_wan",
    "claims.arrived_wan": "arrived_wan",
    "claims.spent_wan": "spent_wan",
    "claims.funds_timely": "funds_timely",
}


def audit_extraction(
    file: str, ex: Extraction, rules: RuleSet, framework: Framework, weights: RiskWeights
) -> AuditedDocument:
    points = execution_points(ex, framework.execution_points)
    fw = framework.model_copy(update={"execution_points": points})
    impossible = impossible_facts(ex)
    possible = replace(ex, facts={k: v for k, v in ex.facts.items() if k not in impossible}) if impossible else ex
    evaluation = to_evaluation(possible, rules.id, fw.id, points)
    result = score(evaluation, rules, fw)
    findings = [_located(_graded(f, ex), ex) for f in run_checks(result, only=STEP1_CHECKS)]
    findings += run_audit_checks(AuditContext(ex, result))
    findings.sort(key=lambda f: (f.severity.rank, f.id))
    rates = (result.funds.execution_rate.value, result.funds.arrival_rate.value)
    risk, explained = risk_score(ex, findings, rates, weights)
    notes = [f"风险分 {risk}：" + "；".join(explained)] if explained else ["风险分 0：未发现问题"]
    notes += _unchecked(ex, result)
    return AuditedDocument(file=file, extraction=ex, findings=findings, risk=risk, notes=notes)


def _unchecked(ex: Extraction, result: EvaluationResult) -> list[str]:
    """What could not be checked because a figure it needs was not read (never checked as if it were 0)."""
    if ex.value("self_score") is None and ex.value("grade") is None:
        return []
    if fund_scores_known(result):
        return []
    return ["未读出预算数或执行数，预算执行率得分无从计算，未核对所述总分、等级在资金执行情况下能否达到"]


#: the amounts a step-1 check compares, by check and location (F001: the stated rate's numerator and denominator)
_COMPARED: dict[tuple[str, str], tuple[str, ...]] = {
    ("F001", "claims.arrival_rate_pct"): ("arrived_wan", "budget_wan"),
    ("F001", "claims.spend_rate_pct"): ("spent_wan", "arrived_wan"),
    ("F001", "claims.execution_rate_pct"): ("spent_wan", "budget_wan"),
    ("F003", "funds[0].executed_wan"): ("arrived_wan", "spent_wan"),
    ("F006", "claims.funds_timely"): ("arrived_wan", "budget_wan"),
    ("S010", "claims.total_score"): ("budget_wan", "spent_wan"),
    ("S010", "claims.grade"): ("budget_wan", "spent_wan"),
}
#: a stated rate that ties two amounts: when it is their ratio, the document itself says they are of one scope
_RATE_OF = {
    "arrival_rate_pct": ("arrived_wan", "budget_wan"),
    "execution_rate_pct": ("spent_wan", "budget_wan"),
    "spend_rate_pct": ("spent_wan", "arrived_wan"),
}
_CELL_ROW = re.compile(r"^(.*?)(\d+)$")


def _graded(finding: Finding, ex: Extraction) -> Finding:
    """An error that compares amounts read in different places (two sentences of a report, two rows of a table) is
    a warning, unless the document ties them: the two may not be of one scope (中央资金 against the whole project),
    and a check must not call a contradiction what may be a difference of scope. Amounts are tied when they are read
    in one row or sentence, or when a stated rate is their ratio (“到位率65.36%” ties 划拨100万元 to 预算153万元),
    or through a third amount tied to both."""
    names = _COMPARED.get((finding.id, finding.location or ""))
    if finding.severity is not Severity.ERROR or names is None:
        return finding
    present = [n for n in names if n in ex.facts]
    groups = _tied(ex)
    if len({groups[n] for n in present}) <= 1:
        return finding
    return Finding(
        finding.id,
        Severity.WARNING,
        finding.message + "（所比较的数字读自文中不同位置，口径可能不同，请核对）",
        finding.location,
    )


def _tied(ex: Extraction) -> dict[str, str]:
    """Each amount read, with a representative of the amounts tied to it (see :func:`_graded`)."""
    amounts = [n for n in ("budget_wan", "arrived_wan", "spent_wan") if n in ex.facts]
    group = {n: n for n in amounts}

    def find(n: str) -> str:
        while group[n] != n:
            n = group[n]
        return n

    def tie(a: str, b: str) -> None:
        group[find(a)] = find(b)

    for i, a in enumerate(amounts):
        for b in amounts[i + 1 :]:
            if _row_of(ex.facts[a].evidence.place) == _row_of(ex.facts[b].evidence.place):
                tie(a, b)
    for rate_name, (num, den) in _RATE_OF.items():
        rate, n, d = ex.value(rate_name), ex.value(num), ex.value(den)
        if not (isinstance(rate, Decimal) and isinstance(n, Decimal) and isinstance(d, Decimal)):
            continue
        actual = ratio_pct(n, d)
        if actual is not None and matches_stated_rate(actual, rate, rate_spread(actual, n, d)):
            tie(num, den)
    return {n: find(n) for n in amounts}


def _row_of(place: Place) -> tuple[object, ...]:
    """The line, or the table row of a cell (``表1!B3`` and ``表1!E3`` are one row)."""
    if place.cell:
        m = _CELL_ROW.match(place.cell)
        return (
            (place.page, m.group(1).rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), m.group(2)) if m else (place.page, place.cell)
        )
    return (place.page, place.line)


_PATH = re.compile(r"^指标:(.+)$")


def _located(finding: Finding, ex: Extraction) -> Finding:
    """Step-1 locations name our model's fields; in an audit the reader wants the page, line or cell."""
    where = finding.location or ""
    if where == "funds":
        where = "claims.budget_wan"
    fact = _CLAIM_TO_FACT.get(where)
    if fact and fact in ex.facts:
        return Finding(finding.id, finding.severity, finding.message, ex.facts[fact].evidence.place.label())
    m = _PATH.match(where)
    if m:
        name = m.group(1).split("/")[-1]
        row = next((r for r in ex.indicators if r.level3 == name and r.evidence), None)
        if row and row.evidence:
            return Finding(finding.id, finding.severity, finding.message, row.evidence.place.label())
    return finding
