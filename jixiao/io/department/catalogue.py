"""The shipped 部门整体 frameworks and account formulas (``jixiao/data/department``), read and handed to core."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ...core.department.engine import DepartmentResult, evaluate
from ...core.department.framework import DepartmentFramework, Formulas
from ...core.department.model import DepartmentEvaluation
from ...core.department.rollup import ProjectOutcome
from ...core.rules import RuleSet
from ..catalogue import load_rules, read_model
from ..errors import InputError


def _folder() -> Path:
    return Path(str(resources.files("jixiao") / "data" / "department"))


def framework_ids() -> list[str]:
    return sorted(p.stem for p in (_folder() / "frameworks").glob("*.yaml"))


@cache
def load_formulas(path: Path | None = None) -> Formulas:
    """The account inputs and ratio formulas (``formulas.yaml``, or a file of the same shape)."""
    return read_model(path or _folder() / "formulas.yaml", Formulas, "部门整体公式表")


@cache
def load_department_framework(id_or_path: str) -> DepartmentFramework:
    """A 部门整体 framework by id (``mof-2013-53``, ``sichuan-100``) or from a YAML file; its formulas must exist."""
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        path = candidate
    else:
        path = _folder() / "frameworks" / f"{id_or_path}.yaml"
        if not path.exists():
            raise InputError(f"未知的部门整体指标体系“{id_or_path}”，可用的有：{'、'.join(framework_ids())}")
    framework = read_model(path, DepartmentFramework, "部门整体指标体系")
    try:
        framework.check_formulas(load_formulas())
    except ValueError as err:
        raise InputError(str(err), path) from None
    return framework


def grades_for(framework: DepartmentFramework) -> RuleSet:
    """The rule set whose grade bands the framework uses (``grades_from``)."""
    return load_rules(framework.grades_from)


def evaluate_document(evaluation: DepartmentEvaluation, projects: list[ProjectOutcome]) -> DepartmentResult:
    """Load the document's framework, the formulas and the grade bands, and evaluate."""
    framework = load_department_framework(evaluation.framework)
    return evaluate(evaluation, framework, load_formulas(), grades_for(framework), projects)
