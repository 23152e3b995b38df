"""The target-quality catalogue (G…, 财预〔2021〕101号), case by case: one YAML file of fail/pass cases per check id
in ``cases_targets/``, each a small change of the clean declaration in ``targets_base.py``.

A case file is shaped like those of the evaluation catalogue (tests/checks/test_catalogue.py)::

    id: G001
    fail:
      - description: …                      # Chinese
        changes: {public_facing: false}     # top-level keys of the base declaration replaced
        set: {"indicators[0].children[0].children[0].points": 40}   # single values replaced or appended by path
        expect_message_contains: ["产出指标合计 60 分"]
        expect_location: 一级指标:产出指标   # optional
    pass:
      - description: …
        changes: {}
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.core.result import Finding, Severity
from jixiao.core.targets.checks import TARGET_CATALOGUE, run_target_checks
from jixiao.core.targets.declaration import Declaration
from jixiao.io.targets.data import load_target_rules
from tests.conftest import assign
from tests.core.targets_base import base

CASES = Path(__file__).resolve().parent / "cases_targets"
CASE_KEYS = {"description", "changes", "set", "expect_message_contains", "expect_location"}
CJK = re.compile(r"[\u4e00-\u9fff]")
FILES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))}


def build(case: dict[str, Any]) -> Declaration:
    data = base()
    data.update(copy.deepcopy(case.get("changes") or {}))
    for path, value in (case.get("set") or {}).items():
        assign(data, path, value)
    return Declaration.model_validate(data)


def findings(case: dict[str, Any]) -> list[Finding]:
    return run_target_checks(build(case), load_target_rules())


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(doc["id"], case, id=f"{stem}-{kind}{i + 1}")
        for stem, doc in FILES.items()
        for i, case in enumerate(doc.get(kind) or [])
    ]


def _show(found: list[Finding]) -> str:
    return "\n".join(f"  {f.id} {f.location}: {f.message}" for f in found) or "  (none)"


@pytest.mark.parametrize(("check_id", "case"), _params("fail"))
def test_fail_case_is_found(check_id: str, case: dict[str, Any]) -> None:
    every = findings(case)
    found = [f for f in every if f.id == check_id]
    assert found, f"{case['description']}: no {check_id}; all findings:\n{_show(every)}"
    matching = [
        f
        for f in found
        if all(text in f.message for text in case["expect_message_contains"])
        and ("expect_location" not in case or f.location == case["expect_location"])
    ]
    assert matching, f"{case['description']}: no {check_id} with {case['expect_message_contains']}:\n{_show(found)}"
    for f in found:
        assert CJK.search(f.message) and f.location


@pytest.mark.parametrize(("check_id", "case"), _params("pass"))
def test_pass_case_is_clean(check_id: str, case: dict[str, Any]) -> None:
    found = [f for f in findings(case) if f.id == check_id]
    assert not found, f"{case['description']}: unexpected {check_id}:\n{_show(found)}"


def test_the_base_declaration_has_no_finding() -> None:
    assert findings({}) == []


def test_every_check_has_fail_and_pass_cases_and_every_file_names_a_check() -> None:
    assert set(FILES) == set(TARGET_CATALOGUE)
    for stem, doc in FILES.items():
        assert doc["id"] == stem and set(doc) <= {"id", "fail", "pass"}
        assert doc.get("fail") and doc.get("pass"), stem
        for kind in ("fail", "pass"):
            for case in doc[kind]:
                assert set(case) <= CASE_KEYS and CJK.search(case["description"])
                assert ("expect_message_contains" in case) == (kind == "fail")


def test_ids_are_stable_in_form_and_each_check_documents_examples() -> None:
    assert list(TARGET_CATALOGUE) == [f"G{n:03d}" for n in range(1, len(TARGET_CATALOGUE) + 1)]
    for check_id, c in TARGET_CATALOGUE.items():
        assert re.fullmatch(r"targets\.[a-z0-9_]+", c.name), check_id
        assert CJK.search(c.title)
        doc = c.func.__doc__ or ""
        assert "反例：" in doc and "正例：" in doc and doc.index("反例：") < doc.index("正例：")


def test_findings_come_sorted_by_severity_then_id() -> None:
    case = {
        "set": {
            "public_facing": True,
            "funds[0].amount_wan": 150,
            "indicators[0].children[0].children[1].name": "科普活动场次",
        }
    }
    found = findings(case)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], f.id) for f in found]
    assert [f.id for f in found] == ["G009", "G007"]
    assert keys == sorted(keys)


def test_the_weight_tolerance_is_data() -> None:
    """101号 has no tolerance; the shipped data says 0 points. A looser file lets 2 points pass."""
    case = {
        "set": {"indicators[0].children[0].children[0].points": 32, "indicators[1].children[0].children[0].points": 18}
    }
    rules = load_target_rules()
    assert {f.id for f in run_target_checks(build(case), rules)} == {"G001"}
    looser = rules.model_copy(update={"weight_tolerance": 2})
    assert run_target_checks(build(case), looser) == []
