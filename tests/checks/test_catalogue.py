"""The check catalogue, case by case: one YAML file of fail/pass cases per check id, and rules for the catalogue itself.

A case file (``cases/I001.yaml``)::

    id: I001
    fail:                                  # each case must produce at least one finding with this id
      - description: 没有效益指标
        changes: {indicators: [...]}       # top-level keys of conftest.BASE replaced
        set: {"indicators[0].points": 45}  # optional: single values replaced (or appended) by field path
        rules: mof-2020                    # optional rule set (default mof-2020); framework: optional too
        expect_message_contains: ["65.36%"]  # required for fail cases: substrings of one finding's message
        expect_severity: warning           # optional, default the check's own severity
        expect_location: claims.grade      # optional, exact location of that finding
    pass:                                  # each case must produce no finding with this id
      - description: 产出和效益都有
        changes: {}
"""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.core.checks import CATALOGUE
from jixiao.core.result import EvaluationResult, Severity
from tests.conftest import BASE, ROOT, assign, run

CASES = Path(__file__).resolve().parent / "cases"
GENERATOR = ROOT / "tools" / "gen_checks_doc.py"
DOC = ROOT / "docs" / "checks.md"

CASE_KEYS = {
    "description",
    "changes",
    "set",
    "rules",
    "framework",
    "expect_message_contains",
    "expect_severity",
    "expect_location",
}
#: id prefix → the module that holds the group and the first part of each check's dotted name
GROUPS = {"F": "funds", "S": "scores", "I": "indicators", "T": "text", "D": "dates", "M": "monitoring"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _files() -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))}


FILES = _files()


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(doc["id"], case, id=f"{stem}-{kind}{i + 1}")
        for stem, doc in FILES.items()
        for i, case in enumerate(doc.get(kind) or [])
    ]


def build(case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(case.get("changes") or {}))
    for path, value in (case.get("set") or {}).items():
        assign(data, path, value)
    return data


def evaluate_case(case: dict[str, Any]) -> EvaluationResult:
    return run(build(case), rules=case.get("rules", "mof-2020"), framework=case.get("framework"))


def _show(findings: list[Any]) -> str:
    return "\n".join(f"  {f.id} {f.severity.value} {f.location}: {f.message}" for f in findings) or "  (none)"


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("check_id", "case"), _params("fail"))
def test_fail_case_is_found(check_id: str, case: dict[str, Any]) -> None:
    result = evaluate_case(case)
    found = [f for f in result.findings if f.id == check_id]
    assert found, f"{case['description']}: no {check_id} finding; all findings:\n{_show(result.findings)}"
    severity = Severity(case.get("expect_severity", CATALOGUE[check_id].severity.value))
    wanted = case["expect_message_contains"]
    matching = [
        f
        for f in found
        if all(text in f.message for text in wanted)
        and f.severity is severity
        and ("expect_location" not in case or f.location == case["expect_location"])
    ]
    assert matching, (
        f"{case['description']}: no {check_id} finding with severity {severity.value}, location "
        f"{case.get('expect_location', '(any)')} and message containing {wanted}; found:\n{_show(found)}"
    )
    for finding in found:
        assert CJK.search(finding.message), f"message is not Chinese: {finding.message}"
        assert finding.location, f"{check_id} finding without a location: {finding.message}"


@pytest.mark.parametrize(("check_id", "case"), _params("pass"))
def test_pass_case_is_clean(check_id: str, case: dict[str, Any]) -> None:
    result = evaluate_case(case)
    found = [f for f in result.findings if f.id == check_id]
    assert not found, f"{case['description']}: unexpected {check_id} findings:\n{_show(found)}"


# --------------------------------------------------------------------------------------------
# The catalogue's own rules
# --------------------------------------------------------------------------------------------


def test_every_check_has_a_case_file_with_fail_and_pass_cases() -> None:
    for check_id in CATALOGUE:
        doc = FILES.get(check_id)
        assert doc is not None, f"{check_id} has no cases/{check_id}.yaml"
        assert doc.get("fail"), f"{check_id} has no fail case"
        assert doc.get("pass"), f"{check_id} has no pass case"


def test_every_case_file_names_a_registered_check() -> None:
    for stem, doc in FILES.items():
        assert doc["id"] == stem, f"cases/{stem}.yaml declares id {doc['id']}"
        assert doc["id"] in CATALOGUE, f"cases/{stem}.yaml names no registered check"
        assert set(doc) <= {"id", "fail", "pass"}, (
            f"cases/{stem}.yaml has unknown keys {set(doc) - {'id', 'fail', 'pass'}}"
        )


def test_every_case_is_well_formed() -> None:
    for stem, doc in FILES.items():
        for kind in ("fail", "pass"):
            for i, case in enumerate(doc.get(kind) or []):
                where = f"cases/{stem}.yaml {kind}[{i}]"
                assert set(case) <= CASE_KEYS, f"{where}: unknown keys {set(case) - CASE_KEYS}"
                assert CJK.search(case.get("description", "")), f"{where}: needs a Chinese description"
                if kind == "fail":
                    wanted = case.get("expect_message_contains")
                    assert wanted and all(isinstance(t, str) and t for t in wanted), (
                        f"{where}: a fail case must name the message text (expect_message_contains)"
                    )
                else:
                    assert not {k for k in case if k.startswith("expect_")}, f"{where}: a pass case expects nothing"


def test_the_catalogue_is_large_enough_and_ids_are_stable_in_form() -> None:
    assert len(CATALOGUE) >= 25
    for check_id, c in CATALOGUE.items():
        assert re.fullmatch(r"[FSITDM]\d{3}", check_id), check_id
        assert c.id == check_id
        group = GROUPS[check_id[0]]
        assert c.func.__module__ == f"jixiao.core.checks.{group}", f"{check_id} lives in {c.func.__module__}"
        assert re.fullmatch(rf"{group}\.[a-z0-9_]+", c.name), f"{check_id} name {c.name}"
        assert CJK.search(c.title), f"{check_id} title is not Chinese"


def test_every_check_documents_a_bad_and_a_good_example() -> None:
    for check_id, c in CATALOGUE.items():
        doc = c.func.__doc__ or ""
        assert "反例：" in doc and "正例：" in doc, f"{check_id} docstring lacks 反例/正例"
        assert doc.index("反例：") < doc.index("正例："), f"{check_id}: 反例 comes before 正例"


def test_findings_of_several_checks_come_sorted_by_severity_then_id() -> None:
    result = evaluate_case(FILES["S010"]["fail"][0])
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], f.id) for f in result.findings]
    assert len({f.id for f in result.findings}) > 3
    assert keys == sorted(keys)


# --------------------------------------------------------------------------------------------
# The base evaluation and the generated catalogue document
# --------------------------------------------------------------------------------------------


def test_the_base_evaluation_is_fully_consistent() -> None:
    """conftest.BASE is the clean starting point of every case: each fail case must introduce its own flaw."""
    result = run(BASE)
    assert result.findings == [], _show(result.findings)
    assert f"{result.total.value:.2f}" == "99.80" and result.grade == "优"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_checks_doc", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogue_document_is_current() -> None:
    expected = _generator().render()
    assert DOC.read_text(encoding="utf-8") == expected, "docs/checks.md is stale: run tools/gen_checks_doc.py"


def test_the_catalogue_document_lists_every_check_with_its_examples() -> None:
    text = _generator().render()
    for check_id, c in CATALOGUE.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {check_id} |"))
        assert c.name in row and c.title in row and c.severity.label in row
        assert row.count(" | ") >= 5


def test_check_ids_are_unique_across_every_catalogue() -> None:
    """The self-evaluation, audit, target-quality and department catalogues share one id space: an id names one
    check wherever it is shown (docs/checks.md lists them all)."""
    from jixiao.core.audit.checks import AUDIT_CATALOGUE
    from jixiao.core.department.checks import DEPARTMENT_CATALOGUE
    from jixiao.core.targets.checks import TARGET_CATALOGUE

    catalogues = [CATALOGUE, AUDIT_CATALOGUE, TARGET_CATALOGUE, DEPARTMENT_CATALOGUE]
    ids = [check_id for catalogue in catalogues for check_id in catalogue]
    assert len(ids) == len(set(ids))
    assert {check_id[0] for check_id in TARGET_CATALOGUE} == {"G"}
    assert {check_id[0] for check_id in DEPARTMENT_CATALOGUE} == {"B"}
