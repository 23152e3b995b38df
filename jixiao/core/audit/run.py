"""Audit what was read from one document: score and check the extraction, rank its risk.

Reading the document (:func:`jixiao.reading.audit.audit_source`) happens outside the core."""

from __future__ import annotations

import re
from dataclasses import replace

from ..checks import run_checks
from ..frameworks import Framework
from ..result import Finding
from ..rules import RuleSet
from ..scoring.engine import score
from .checks import STEP1_CHECKS, AuditContext, impossible_facts, run_audit_checks
from .document import AuditedDocument, Extraction
from .evaluation import execution_points, to_evaluation
from .risk import RiskWeights, risk_score

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
    findings = [_located(f, ex) for f in run_checks(result, only=STEP1_CHECKS)]
    findings += run_audit_checks(AuditContext(ex, result))
    findings.sort(key=lambda f: (f.severity.rank, f.id))
    rates = (result.funds.execution_rate.value, result.funds.arrival_rate.value)
    risk, explained = risk_score(ex, findings, rates, weights)
    notes = [f"风险分 {risk}：" + "；".join(explained)] if explained else ["风险分 0：未发现问题"]
    return AuditedDocument(file=file, extraction=ex, findings=findings, risk=risk, notes=notes)


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
