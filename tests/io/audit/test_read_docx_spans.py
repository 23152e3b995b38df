"""A Word table cell's ``w:gridSpan`` and a row's ``w:gridBefore`` are read as at most 63 columns, the most a Word
table has: a damaged file's ten million costs nothing (fuzz finding F6)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from jixiao.io.audit.read import read_source
from jixiao.io.audit.readers.docx import MAX_COLUMNS
from tests.fuzz import seeds


def _docx(tmp_path: Path, attribute: str, value: int) -> Path:
    members = []
    for name, part in seeds.zip_members(seeds.seed_bytes(".docx")):
        if name == "word/document.xml":
            if attribute == "gridSpan":
                part = re.sub(rb'<w:gridSpan w:val="\d+"/>', b'<w:gridSpan w:val="%d"/>' % value, part, count=1)
            else:
                part = part.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="%d"/></w:trPr>' % value, 1)
        members.append((name, part))
    path = tmp_path / "自评.docx"
    path.write_bytes(seeds.zip_package(members))
    return path


@pytest.mark.parametrize("attribute", ["gridSpan", "gridBefore"])
def test_a_span_of_ten_million_columns_is_read_as_the_most_a_table_has(tmp_path: Path, attribute: str) -> None:
    path = _docx(tmp_path, attribute, 10_000_000)
    started = time.perf_counter()
    table = read_source(path).tables[0]
    assert time.perf_counter() - started < 1
    assert len(table.rows[0]) <= MAX_COLUMNS + 10
    assert any(cell.text == "项目支出绩效自评表" for cell in table.rows[0])


def test_a_span_within_a_table_is_kept(tmp_path: Path) -> None:
    table = read_source(_docx(tmp_path, "gridBefore", 2)).tables[0]
    assert [cell.text for cell in table.rows[0][:3]] == ["", "", "项目支出绩效自评表"]
