"""Every corpus document reads the same however its text was copied.

A table pasted from a spreadsheet comes with tabs between its cells; a web page copied from a browser brings no-break
or ideographic blanks, and often a blank line between every two lines; mirror sites republish in traditional characters.
None of that is the document's content: each variant of each text is audited and compared with the text as it is, read
in the same run (facts, indicator rows and error findings). Names are compared in their NFKC form: they are given back
as each copy prints them (``﹣`` or ``-``), which tests/reading/test_unseen_layouts.py covers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
import zhconv

from jixiao.core.audit.source import Place, SourceText
from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from tests.conftest import SHARED, requires_shared
from tests.corpus_render import document_lines

CORPUS = SHARED / "corpus" / "public"
NAMES = sorted(path.name for path in CORPUS.glob("[0-9][0-9]-*.txt")) or ["(no corpus)"]
FACTS = ("year", "project", "unit", "budget_wan", "arrived_wan", "spent_wan", "execution_rate_pct", "self_score")
_BORDER = re.compile(r"[ \t]*\|[ \t]*")


def _tabs(lines: list[str]) -> list[str]:
    """The cells of a bordered row separated by tabs instead, empty cells as tabs at the end, as a spreadsheet copies
    them (a row that opens with its border, the next cell of a web table copied with its cells' line breaks, keeps
    it: there the border is all that marks the cell)."""
    return [_BORDER.sub("\t", line).lstrip("\t") if "|" in line.strip()[1:] else line for line in lines]


VARIANTS: dict[str, Callable[[list[str]], list[str]]] = {
    "制表符分隔": _tabs,
    "不换行空格": lambda lines: [line.replace(" ", "\u00a0") for line in lines],
    "全角空格": lambda lines: [line.replace(" ", "\u3000") for line in lines],
    "隔行空行": lambda lines: [part for line in lines for part in (line, "")],
    "繁体": lambda lines: [zhconv.convert(line, "zh-tw") for line in lines],
}


def _reading(lines: list[str], settings: AuditSettings) -> dict:
    source = SourceText("材料.txt", "txt")
    for number, line in enumerate(lines, start=1):
        source.add_line(line, Place(line=number))
    doc = audit_source(source, settings.rules, settings.framework, settings.weights)
    ex = doc.extraction
    assert ex is not None
    return {
        "facts": {name: _comparable(ex.value(name)) for name in FACTS},
        "rows": [(r.level1, r.level2, r.level3, r.target, r.actual, r.points, r.score) for r in ex.indicators],
        "errors": sorted(f.id for f in doc.findings if f.severity.name == "ERROR"),
    }


def _comparable(value: object) -> object:
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def settings() -> AuditSettings:
    return AuditSettings.load()


@requires_shared(CORPUS / "expected.json")
@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", NAMES)
def test_a_document_reads_the_same_however_its_text_was_copied(name: str, variant: str, settings) -> None:
    lines = document_lines(CORPUS / name)
    assert _reading(VARIANTS[variant](lines), settings) == _reading(lines, settings)
