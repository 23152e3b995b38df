"""Word .docx: body paragraphs and tables in document order, straight from ``word/document.xml``.

python-docx would load every part of the package (styles, numbering, images…) and costs ~6 ms per
file; reading the one XML part with lxml costs a tenth of a millisecond, and merged cells are simpler
to handle from the XML (``gridSpan`` and ``vMerge``) than through python-docx's repeated cells.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from lxml import etree

from ....core.audit.source import Place, SourceCell, SourceTable, SourceText
from .base import CELL_MAX, ENCRYPTED_OR_LEGACY, OLE_MAGIC, UnreadableDocument, column_letters, corrupt

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
#: the most columns a Word table has, and so the most a cell spans or a row skips (``w:gridSpan``, ``w:gridBefore``):
#: a damaged file's ten million is read as this
MAX_COLUMNS = 63


class _Names:
    """Tag names in the document's own WordprocessingML namespace (transitional or strict)."""

    def __init__(self, ns: str) -> None:
        w = f"{{{ns}}}"
        self.body, self.p, self.tbl, self.tr, self.tc = (w + t for t in ("body", "p", "tbl", "tr", "tc"))
        self.sdt, self.sdt_content, self.custom_xml = w + "sdt", w + "sdtContent", w + "customXml"
        self.tc_pr, self.tr_pr, self.grid_span, self.grid_before = (
            w + "tcPr",
            w + "trPr",
            w + "gridSpan",
            w + "gridBefore",
        )
        self.v_merge, self.h_merge, self.val = w + "vMerge", w + "hMerge", w + "val"
        self.t, self.tab, self.br, self.cr, self.type = w + "t", w + "tab", w + "br", w + "cr", w + "type"
        # runs inside text boxes belong to the shape, not to the paragraph that anchors it
        self.run_parts = etree.XPath(
            ".//w:r[not(ancestor::w:txbxContent)]/*[self::w:t or self::w:tab or self::w:br or self::w:cr]",
            namespaces={"w": ns},
        )


@cache
def _names(ns: str) -> _Names:
    return _Names(ns)


def read_docx(path: Path, head: bytes) -> SourceText:
    if head.startswith(OLE_MAGIC):
        raise UnreadableDocument(ENCRYPTED_OR_LEGACY, path)
    try:
        with zipfile.ZipFile(path) as package:
            xml = package.read(_main_part(package))
        root = etree.fromstring(xml, _PARSER)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError) as exc:
        raise corrupt(path, ".docx") from exc
    ns = etree.QName(root).namespace or ""
    names = _names(ns)
    body = root.find(names.body)
    if body is None:
        raise corrupt(path, ".docx")
    source = SourceText(file=str(path), format="docx")
    paragraphs = tables = 0
    for block in _blocks(body, names):
        if block.tag == names.p:
            paragraphs += 1
            text = _paragraph_text(block, names)
            if text.strip():
                source.add_line(text, Place(line=paragraphs))
        else:
            tables += 1
            source.add_table(_table(block, f"表{tables}", names))
    return source


def _main_part(package: zipfile.ZipFile) -> str:
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), _PARSER)
    except KeyError:
        return "word/document.xml"
    for rel in rels.iter(_RELS):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "word/document.xml"


def _blocks(parent: etree._Element, names: _Names) -> Iterator[etree._Element]:
    """Paragraphs and tables in order, looking through content controls and custom XML wrappers."""
    for child in parent:
        tag = child.tag
        if tag == names.p or tag == names.tbl:
            yield child
        elif tag == names.sdt:
            content = child.find(names.sdt_content)
            if content is not None:
                yield from _blocks(content, names)
        elif tag == names.custom_xml:
            yield from _blocks(child, names)


def _children(parent: etree._Element, tag: str, names: _Names) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == names.sdt:
            content = child.find(names.sdt_content)
            if content is not None:
                yield from _children(content, tag, names)
        elif child.tag == names.custom_xml:
            yield from _children(child, tag, names)


def _paragraph_text(p: etree._Element, names: _Names) -> str:
    parts = []
    for node in names.run_parts(p):
        tag = node.tag
        if tag == names.t:
            parts.append(node.text or "")
        elif tag == names.tab:
            parts.append("\t")
        elif tag == names.cr or node.get(names.type, "textWrapping") == "textWrapping":
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: etree._Element, names: _Names) -> str:
    parts = []
    for block in _blocks(tc, names):
        if block.tag == names.p:
            parts.append(_paragraph_text(block, names))
        else:  # a table inside the cell: one line per row, cells separated by tabs
            parts.extend("\t".join(row) for row in _grid(block, names))
    return "\n".join(parts)[:CELL_MAX]


def _grid(tbl: etree._Element, names: _Names) -> list[list[str]]:
    """Cell texts by grid position; a merged cell's text is in its first position, "" elsewhere."""
    rows: list[list[str]] = []
    for tr in _children(tbl, names.tr, names):
        row: list[str] = []
        for child in tr[:2]:  # w:trPr comes first, after an optional w:tblPrEx
            if child.tag == names.tr_pr:
                for prop in child:
                    if prop.tag == names.grid_before:
                        row.extend([""] * min(_int(prop, names), MAX_COLUMNS))
        for tc in _children(tr, names.tc, names):
            span, continued = 1, False
            if len(tc) and tc[0].tag == names.tc_pr:  # w:tcPr, when present, is the first child
                for prop in tc[0]:
                    tag = prop.tag
                    if tag == names.grid_span:
                        span = min(max(1, _int(prop, names)), MAX_COLUMNS)
                    elif (tag == names.v_merge or tag == names.h_merge) and prop.get(
                        names.val, "continue"
                    ) != "restart":
                        continued = True
            row.append("" if continued else _cell_text(tc, names))
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def _int(element: etree._Element, names: _Names) -> int:
    try:
        return int(element.get(names.val, "0"))
    except ValueError:
        return 0


def _table(tbl: etree._Element, name: str, names: _Names) -> SourceTable:
    grid = _grid(tbl, names)
    width = max((len(row) for row in grid), default=0)
    letters = column_letters(width)
    rows = tuple(
        tuple(
            SourceCell(text, Place(cell=f"{name}!{letter}{r}"))
            for letter, text in zip(letters, row + [""] * (width - len(row)), strict=True)
        )
        for r, row in enumerate(grid, start=1)
    )
    return SourceTable(rows, name=name)
