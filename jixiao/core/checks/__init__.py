"""The catalogue of consistency checks. Every check has a stable id that is never renumbered.

Ids: ``F`` 资金, ``S`` 得分与等级, ``I`` 指标, ``T`` 文字与占位符, ``D`` 日期, ``M`` 运行监控.
A check is a function of the scored result that yields :class:`Hit`; the catalogue turns hits into findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..result import EvaluationResult, Finding, Severity


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found: a Chinese message naming the numbers, and where."""

    message: str
    location: str | None = None
    severity: Severity | None = None  # overrides the check's default when set


Subject = TypeVar("Subject")  # what a check reads: an EvaluationResult here, an AuditContext in core.audit


@dataclass(frozen=True, slots=True)
class Check(Generic[Subject]):
    id: str
    name: str
    severity: Severity
    title: str
    func: Callable[[Subject], Iterable[Hit]]

    def run(self, subject: Subject) -> list[Finding]:
        return [
            Finding(self.id, hit.severity or self.severity, hit.message, hit.location) for hit in self.func(subject)
        ]


Register = Callable[
    [str, str, Severity, str], Callable[[Callable[[Subject], Iterable[Hit]]], Callable[[Subject], Iterable[Hit]]]
]


def registrar(catalogue: dict[str, Check[Subject]]) -> Register[Subject]:
    """The decorator that registers checks in ``catalogue`` under stable ids. A duplicate id or name is a
    programming error."""

    def check(
        id: str, name: str, severity: Severity, title: str
    ) -> Callable[[Callable[[Subject], Iterable[Hit]]], Callable[[Subject], Iterable[Hit]]]:
        def register(func: Callable[[Subject], Iterable[Hit]]) -> Callable[[Subject], Iterable[Hit]]:
            if id in catalogue:
                raise ValueError(f"duplicate check id {id}")
            if any(c.name == name for c in catalogue.values()):
                raise ValueError(f"duplicate check name {name}")
            catalogue[id] = Check(id, name, severity, title, func)
            return func

        return register

    return check


CheckFunc = Callable[[EvaluationResult], Iterable[Hit]]
CATALOGUE: dict[str, Check[EvaluationResult]] = {}
check = registrar(CATALOGUE)


def run_checks(result: EvaluationResult, only: Iterable[str] | None = None) -> list[Finding]:
    """Run the catalogue (or the ids in ``only``); findings sorted by severity, then id."""
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for check_ in CATALOGUE.values():
        if wanted is None or check_.id in wanted:
            findings.extend(check_.run(result))
    findings.sort(key=lambda f: (f.severity.rank, f.id))
    return findings


# Importing the modules registers their checks.
from . import dates, funds, indicators, monitoring, scores, text  # noqa: E402,F401
