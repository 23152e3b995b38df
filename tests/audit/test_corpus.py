"""The public corpus, read as a re-checker would: every stated fact and indicator row as expected.json has
it, every listed inconsistency found, and no error where the document holds none.

Only the documents the readers were developed on are held to expected.json here: those listed under
``developed_on`` in tools/corpus_findings.yaml (01–14). The documents added to the corpus later (15–34) are
held out: `make accuracy` measures them in docs/accuracy.md, and reading them well is the subject of a later
issue, so a miss on one of them is not a regression.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jixiao.io.audit.audit_file import AuditSettings, audit_file
from tests.conftest import requires_shared

ROOT = Path(__file__).resolve().parents[2]


def _accuracy_tool() -> ModuleType:
    """tools/gen_accuracy_doc.py: the corpus, the fields compared and the findings mapping live there."""
    spec = importlib.util.spec_from_file_location("gen_accuracy_doc", ROOT / "tools" / "gen_accuracy_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


TOOL = _accuracy_tool()
CORPUS = TOOL.CORPUS
DEVELOPED = set(TOOL.load_developed())
EXPECTED = (
    [e for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")) if e["file"] in DEVELOPED]
    if (CORPUS / "expected.json").exists()
    else []
)
#: the held-out documents (15–34) that list no inconsistency: whatever is read from them, no error may be raised
HELD_OUT_CLEAN = (
    [
        e
        for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
        if e["file"] not in DEVELOPED and not e["inconsistencies"]
    ]
    if (CORPUS / "expected.json").exists()
    else []
)
MAPPING = TOOL.load_mapping()
FACTS = tuple(name for name in TOOL.FACTS if name != "kind")
ROW_FIELDS = TOOL.ROW_FIELDS
#: facts the reader does not get yet; they must stay unread (null), never be read wrong
NOT_YET_READ: set[tuple[str, str]] = set()
#: listed inconsistencies no check is designed to find yet (an empty list in tools/corpus_findings.yaml)
NOT_YET_FOUND: set[tuple[str, int]] = set()

pytestmark = requires_shared(CORPUS / "expected.json")


@pytest.fixture(scope="module")
def audited() -> dict[str, dict]:
    settings = AuditSettings.load()
    return {e["file"]: audit_file(CORPUS / e["file"], settings, name=e["file"]).to_dict() for e in EXPECTED}


def _ids(entries: list[dict]) -> list[str]:
    return [e["file"] for e in entries]


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_document_kind_is_recognised(entry, audited):
    assert audited[entry["file"]]["kind"] == entry["kind"]


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_stated_facts_are_read_as_expected(entry, audited):
    facts = audited[entry["file"]]["facts"]
    for name in FACTS:
        if (entry["file"], name) in NOT_YET_READ:
            assert facts[name] is None, f"{name} should stay unread rather than be read wrong"
        else:
            assert facts[name] == entry[name], name


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_every_fact_read_says_where_it_was_read(entry, audited):
    doc = audited[entry["file"]]
    for name, value in doc["facts"].items():
        if value is not None:
            where = doc["provenance"][name]
            assert where["line"] or where["cell"], name
            assert where["text"], name


@pytest.mark.parametrize(
    "entry", [e for e in EXPECTED if e["indicators"]], ids=_ids([e for e in EXPECTED if e["indicators"]])
)
def test_indicator_rows_are_read_as_printed(entry, audited):
    found = audited[entry["file"]]["indicators"]
    rows = [{k: r[k] for k in ROW_FIELDS} for r in found]
    assert rows == [{k: r[k] for k in ROW_FIELDS} for r in entry["indicators"]]
    for row in found:  # each row says where it was read
        assert row["provenance"]["line"] and row["level3"][:2] in row["provenance"]["text"]


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_listed_inconsistencies_are_found(entry, audited):
    listed = MAPPING.get(entry["file"], [])
    assert len(listed) == len(entry["inconsistencies"]), "tools/corpus_findings.yaml is out of step with expected.json"
    ids = {f["id"] for f in audited[entry["file"]]["findings"]}
    for index, check_ids in enumerate(listed):
        if (entry["file"], index) in NOT_YET_FOUND:
            assert check_ids == []
            continue
        assert ids & set(check_ids), f"inconsistency {index + 1}: {entry['inconsistencies'][index]}"


@pytest.mark.parametrize(
    "entry",
    [e for e in EXPECTED if not e["inconsistencies"]],
    ids=_ids([e for e in EXPECTED if not e["inconsistencies"]]),
)
def test_documents_without_inconsistencies_raise_no_error(entry, audited):
    errors = [f for f in audited[entry["file"]]["findings"] if f["severity"] == "error"]
    assert errors == []


@pytest.mark.parametrize("entry", HELD_OUT_CLEAN, ids=_ids(HELD_OUT_CLEAN))
def test_held_out_documents_without_inconsistencies_raise_no_error(entry):
    """A ratchet on the documents not used to tune the readers: reading them better may add warnings, never an
    error on a document that holds no contradiction (a check must not fire on a figure it did not get)."""
    doc = audit_file(CORPUS / entry["file"], AuditSettings.load(), name=entry["file"]).to_dict()
    errors = [(f["id"], f["message"]) for f in doc["findings"] if f["severity"] == "error"]
    assert errors == []


def test_the_findings_mapping_covers_every_document_that_lists_inconsistencies():
    """tools/corpus_findings.yaml answers every listed inconsistency of every document, held out or not."""
    for entry in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")):
        assert len(MAPPING.get(entry["file"], [])) == len(entry["inconsistencies"]), entry["file"]


def test_error_findings_are_all_listed_inconsistencies(audited):
    """Precision: on this corpus every error-level finding answers an inconsistency expected.json lists."""
    for name, doc in audited.items():
        explained = {i for ids in MAPPING.get(name, []) for i in ids}
        for f in doc["findings"]:
            if f["severity"] == "error":
                assert f["id"] in explained, (name, f)


def test_inflated_documents_rank_above_clean_ones(audited):
    risk = {name: doc["risk"] for name, doc in audited.items()}
    assert risk["02-chizhou-tangxi-2022-village-table.txt"] > risk["03-xiaoxian-hexi-2023-farming-table.txt"]
    assert risk["05-yinchuan-2021-school-table-ocr.txt"] > risk["04-daying-justice-2023-table.txt"]


def test_accuracy_document_is_current():
    expected = TOOL.render(TOOL.measure())
    assert (ROOT / "docs" / "accuracy.md").read_text(encoding="utf-8") == expected, "run `make accuracy`"
