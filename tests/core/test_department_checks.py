"""The 部门整体 check catalogue (``B001``…), case by case: one YAML file of fail/pass cases per check id in
``department_cases/``. A case changes the complete document of :func:`tests.core.test_department.base`:

    fail:                       # each must produce a finding with the file's id
      - description: …
        framework: sichuan-100  # optional: another framework (id or YAML path)
        accounts: {spent: 288}  # merged over the base accounts (null removes a figure)
        items: {一级/二级/三级: {score: 5, reason: …}}  # merged over the base items
        stated_ratios: {…}; claimed_total: …; claimed_grade: …
        projects: [{project, unit, grade, budget_wan, spent_wan, score}]
        expect_message_contains: [...]; expect_location: …; expect_severity: …
    pass:                       # each must produce none
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.core.department.checks import DEPARTMENT_CATALOGUE
from jixiao.core.department.rollup import ProjectOutcome
from jixiao.core.result import Finding
from tests.core.test_department import base, evaluate

CASES = Path(__file__).resolve().parent / "department_cases"
FILES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("B*.yaml"))}
KEYS = {
    "description", "framework", "accounts", "items", "stated_ratios", "claimed_total", "claimed_grade", "projects",
    "expect_message_contains", "expect_location", "expect_severity",
}  # fmt: skip


def _findings(check_id: str, case: dict[str, Any]) -> list[Finding]:
    assert set(case) <= KEYS, set(case) - KEYS
    data = base(case["framework"]) if case.get("framework") in ("mof-2013-53", "sichuan-100") else base()
    if "framework" in case:
        data["framework"] = case["framework"]
    data["accounts"].update(case.get("accounts") or {})
    data["accounts"] = {k: v for k, v in data["accounts"].items() if v is not None}
    data["items"].update(case.get("items") or {})
    for key in ("stated_ratios", "claimed_total", "claimed_grade"):
        if key in case:
            data[key] = case[key]
    projects = [
        ProjectOutcome(
            p["project"], p["unit"], p.get("grade"),
            *(None if p.get(k) is None else Decimal(str(p[k])) for k in ("budget_wan", "spent_wan", "score")),
        )
        for p in case.get("projects") or []
    ]  # fmt: skip
    return [f for f in evaluate(data, projects).findings if f.id == check_id]


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(doc["id"], case, id=f"{stem}-{kind}{i + 1}")
        for stem, doc in FILES.items()
        for i, case in enumerate(doc.get(kind) or [])
    ]


def test_every_check_has_its_cases_and_every_file_a_check() -> None:
    assert set(FILES) == set(DEPARTMENT_CATALOGUE)
    for stem, doc in FILES.items():
        assert doc["id"] == stem and doc.get("fail") and doc.get("pass"), stem


@pytest.mark.parametrize(("check_id", "case"), _params("fail"))
def test_fail_cases_are_found(check_id: str, case: dict[str, Any]) -> None:
    found = _findings(check_id, case)
    assert found, case["description"]
    severity = case.get("expect_severity", DEPARTMENT_CATALOGUE[check_id].severity.value)
    matching = [
        f
        for f in found
        if all(text in f.message for text in case["expect_message_contains"])
        and f.severity.value == severity
        and ("expect_location" not in case or f.location == case["expect_location"])
    ]
    assert matching, [f.to_dict() for f in found]


@pytest.mark.parametrize(("check_id", "case"), _params("pass"))
def test_pass_cases_are_not_found(check_id: str, case: dict[str, Any]) -> None:
    assert _findings(check_id, case) == [], case["description"]


def test_the_complete_base_document_has_no_findings() -> None:
    assert evaluate(base()).findings == []
