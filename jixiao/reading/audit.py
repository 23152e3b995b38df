"""Read and audit one document: extract what it states, then score, check and rank it in the core."""

from __future__ import annotations

from ..core.audit.document import AuditedDocument
from ..core.audit.risk import RiskWeights
from ..core.audit.run import audit_extraction
from ..core.audit.source import SourceText
from ..core.frameworks import Framework
from ..core.rules import RuleSet
from .extract import extract


def audit_source(source: SourceText, rules: RuleSet, framework: Framework, weights: RiskWeights) -> AuditedDocument:
    ex = extract(source)
    doc = audit_extraction(source.file, ex, rules, framework, weights)
    doc.notes = [*source.notes, *doc.notes]
    return doc
