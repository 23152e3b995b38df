"""The submit gate: what must be filled in and which errors must be explained before a unit may submit.

The required parts are data (``jixiao/data/submission/required.yaml``); the gate adds the error findings the
unit has not explained (:attr:`EvaluationResult.unexplained_errors`). Warnings and recommended parts are listed
but do not block. ``services.move`` refuses a submission while the gate is closed; the detail page and the
confirmation page show the same list, each item with a link to the place to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ...core.completeness import Requirements, completeness
from ...core.locations import location_label
from ...core.result import EvaluationResult, Finding, Severity
from ...io.catalogue import read_yaml
from .fix_links import fix_url


@cache
def requirements() -> Requirements:
    path = Path(str(resources.files("jixiao") / "data" / "submission" / "required.yaml"))
    return Requirements.model_validate(read_yaml(path))


@dataclass(frozen=True, slots=True)
class GateItem:
    """One line of the list: what, where (Chinese) and the link to fix it (None when no edit page holds it)."""

    text: str
    where: str
    url: str | None
    finding: Finding | None = None
    explanation: str | None = None
    index: int | None = None  # the finding's position in ``result.findings`` (the detail page's row ``finding-<i>``)


@dataclass(frozen=True, slots=True)
class SubmitGate:
    missing: list[GateItem]  # required parts not filled in: block
    unexplained: list[GateItem]  # error findings without a written explanation: block
    warnings: list[GateItem]  # warning findings: listed, do not block
    recommended: list[GateItem]  # recommended parts not filled in: listed, do not block

    @property
    def blocked(self) -> bool:
        return bool(self.missing or self.unexplained)

    def summary(self) -> str:
        """``还有 3 项必填内容未填写、2 条错误未作说明``."""
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} 项必填内容未填写")
        if self.unexplained:
            parts.append(f"{len(self.unexplained)} 条错误未作说明")
        return "还有 " + "、".join(parts) if parts else "必填内容均已填写，错误均已说明"

    def refusal(self) -> str:
        return f"暂不能提交：{self.summary()}。请按“提交前检查”清单逐项补充或说明后再提交。"


def _finding_item(result: EvaluationResult, finding: Finding, record_pk: int | None) -> GateItem:
    url = fix_url(record_pk, finding.location, result.evaluation) if record_pk is not None else None
    explanation = result.explanation_of(finding)
    where = location_label(finding.location)
    return GateItem(finding.message, where, url, finding, explanation, result.findings.index(finding))


def gate_of(result: EvaluationResult, record_pk: int | None = None) -> SubmitGate:
    """The gate of ``result``; with ``record_pk`` every item carries the link to its edit page."""
    found = completeness(result, requirements())

    def gap_url(location: str) -> str | None:
        return fix_url(record_pk, location, result.evaluation) if record_pk is not None else None

    return SubmitGate(
        missing=[GateItem(g.label, location_label(g.location), gap_url(g.location)) for g in found.missing],
        unexplained=[_finding_item(result, f, record_pk) for f in result.unexplained_errors],
        warnings=[_finding_item(result, f, record_pk) for f in result.findings if f.severity is Severity.WARNING],
        recommended=[GateItem(g.label, location_label(g.location), gap_url(g.location)) for g in found.recommended],
    )
