"""Small documents built in memory for the reading tests: lines of text, or one table of cells (A1, B1, …)."""

from __future__ import annotations

from jixiao.core.audit.document import Extraction
from jixiao.core.audit.source import Place, SourceCell, SourceTable, SourceText
from jixiao.reading.extract import extract


def text_source(*lines: str, file: str = "测试.txt") -> SourceText:
    source = SourceText(file, "txt")
    for number, line in enumerate(lines, start=1):
        source.add_line(line, Place(line=number))
    return source


def table_source(*rows: tuple[str, ...], before: tuple[str, ...] = ()) -> SourceText:
    """One table (a .docx's), after the lines ``before`` it."""
    source = SourceText("测试.docx", "docx")
    for number, line in enumerate(before, start=1):
        source.add_line(line, Place(line=number))
    cells = tuple(
        tuple(SourceCell(text, Place(cell=f"{chr(65 + c)}{r + 1}")) for c, text in enumerate(row))
        for r, row in enumerate(rows)
    )
    source.add_table(SourceTable(cells))
    return source


def read_lines(*lines: str) -> Extraction:
    return extract(text_source(*lines))


def read_table(*rows: tuple[str, ...], before: tuple[str, ...] = ()) -> Extraction:
    return extract(table_source(*rows, before=before))


def fact_value(ex: Extraction, name: str) -> object:
    """The value of fact ``name``; None when it was not read."""
    fact = ex.facts.get(name)
    return None if fact is None else fact.value
