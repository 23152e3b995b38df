"""Audit files: read each with :func:`read_source`, then :func:`jixiao.core.audit.run.audit_source`.

A file that cannot be read is reported (``error`` set, facts all null) and never stops a batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ...core.audit.document import AuditedDocument
from ...core.audit.risk import RiskWeights
from ...core.audit.source import SourceText
from ...core.frameworks import Framework
from ...core.rules import RuleSet
from ...reading.audit import audit_source
from ..catalogue import load_framework, load_risk_weights, load_rules
from .read import UnreadableDocument, read_source

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuditSettings:
    rules: RuleSet
    framework: Framework
    weights: RiskWeights

    @classmethod
    def load(cls, rules: str = "mof-2020", framework: str = "mof-selfeval", weights: str = "risk") -> AuditSettings:
        return cls(load_rules(rules), load_framework(framework), load_risk_weights(weights))


def audit_file(path: Path, settings: AuditSettings, *, name: str | None = None) -> AuditedDocument:
    """The audit of one file; ``name`` is what reports call it (default: the path as given)."""
    return read_and_audit(path, settings, name=name)[1]


def read_and_audit(
    path: Path, settings: AuditSettings, *, name: str | None = None
) -> tuple[SourceText | None, AuditedDocument]:
    """The file as read (None when it cannot be read) and its audit: for callers that also look at the text."""
    label = name or str(path)
    try:
        source = read_source(path)
    except UnreadableDocument as exc:
        # the message names the file as the caller knows it (an upload's name, not its temporary path)
        return None, AuditedDocument(file=label, extraction=None, error=str(exc).replace(str(path), label))
    source.file = label
    try:
        return source, audit_source(source, settings.rules, settings.framework, settings.weights)
    # a fault of ours met on one odd document: that document is reported in Chinese (the detail is logged for the
    # operator, not shown), and whoever called for the audit goes on
    except Exception:
        log.exception("审核“%s”时出错", label)
        return source, AuditedDocument(file=label, extraction=None, error=f"文件 {label}：{UNEXPECTED}")


#: what a document is told when the audit itself broke on it
UNEXPECTED = "读取时程序出错，未能识别其内容（已记入日志）；请检查文件，或联系系统管理员"
