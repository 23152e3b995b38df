"""Word files: paragraphs and tables interleaved, merged cells once, ``表n!A1`` places."""

from __future__ import annotations

import copy

from docx import Document
from docx.oxml import OxmlElement

from jixiao.core.audit.source import Place
from jixiao.io.audit import read_source


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_paragraphs_and_table_in_body_order(report_docx):
    source = read_source(report_docx)
    assert source.format == "docx"
    assert source.order == [("line", 0), ("line", 1), ("table", 0), ("line", 2)]
    assert [(line.text, line.place) for line in source.lines] == [
        ("一、基本情况", Place(line=1)),
        ("预算 153 万元，执行 387664.62 元。", Place(line=3)),  # paragraph 2 is blank: counted, not kept
        ("二、结论", Place(line=4)),
    ]


def test_table_cells_merges_and_places(report_docx):
    table = read_source(report_docx).tables[0]
    assert table.name == "表1"
    assert texts(table) == [
        ["指标", "指标值", "实际完成值"],
        ["产出指标", "合并内容", ""],  # B2:C2 merged: text once, at B2
        ["", "100%", "98%"],  # A2:A3 merged: A3 empty
    ]
    assert table.rows[1][1].place == Place(cell="表1!B2")
    assert [cell.place.cell for cell in table.rows[2]] == ["表1!A3", "表1!B3", "表1!C3"]


def test_content_controls_and_second_table_numbering(tmp_path):
    doc = Document()
    doc.add_paragraph("前言")
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "甲"
    wrapped = doc.add_paragraph("控件内的段落")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    wrapped._p.addprevious(sdt)
    sdt.append(content)
    content.append(wrapped._p)
    second = doc.add_table(rows=2, cols=1)
    second.cell(1, 0).text = "乙"
    cell_paragraph = second.cell(1, 0).paragraphs[0]
    cell_paragraph._p.addnext(copy.deepcopy(cell_paragraph._p))  # a second paragraph in the cell
    path = tmp_path / "控件.docx"
    doc.save(path)

    source = read_source(path)
    assert [line.text for line in source.lines] == ["前言", "控件内的段落"]
    assert source.lines[1].place == Place(line=2)
    assert [t.name for t in source.tables] == ["表1", "表2"]
    assert texts(source.tables[0]) == [["甲", ""]]
    assert source.tables[1].rows[1][0].text == "乙\n乙"
    assert source.tables[1].rows[1][0].place.cell == "表2!A2"
    assert source.order == [("line", 0), ("table", 0), ("line", 1), ("table", 1)]


def test_tabs_and_line_breaks_inside_a_paragraph(tmp_path):
    doc = Document()
    run = doc.add_paragraph().add_run("项目名称\t科普")
    run.add_break()
    run.add_text("第二行")
    path = tmp_path / "换行.docx"
    doc.save(path)
    assert [line.text for line in read_source(path).lines] == ["项目名称\t科普\n第二行"]
