"""项目清单 import: real xlsx files built with openpyxl, read back with every problem named by sheet, cell and row."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.reader.strings import read_string_table

from jixiao.io.archive import OFFICE_MAX_BYTES, office_expansion_problem
from jixiao.io.audit.readers.base import ENCRYPTED, OLE_MAGIC
from jixiao.io.errors import InputError
from jixiao.io.xlsx.project_list import (
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    VOCABULARY,
    ListProblem,
    ProjectList,
    ProjectRow,
    _lexicon,
    _string_table,
    read_project_list,
    write_project_list_template,
)
from tests import hostile

HEADERS = ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数（万元）", "全年预算数（万元）", "绩效目标"]
UNITS = ["湛江市科学技术协会", "湛江市财政局"]


def xlsx(tmp_path: Path, rows: list[list[object]], *, sheet: str = "项目清单", name: str = "清单.xlsx") -> Path:
    """A workbook with one sheet holding ``rows`` from A1 down."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for values in rows:
        ws.append(values)
    path = tmp_path / name
    wb.save(path)
    return path


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def with_shared_strings(path: Path) -> Path:
    """Re-save an openpyxl workbook (each string inline in its cell) the way Excel, WPS and LibreOffice save one:
    every distinct string once in xl/sharedStrings.xml, the cells holding its index."""
    ElementTree.register_namespace("", MAIN)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    index: dict[str, int] = {}
    for name in [name for name in parts if name.startswith("xl/worksheets/sheet")]:
        root = ElementTree.fromstring(parts[name])
        for cell in root.iter(f"{{{MAIN}}}c"):
            inline = cell.find(f"{{{MAIN}}}is")
            if cell.get("t") == "inlineStr" and inline is not None:
                text = "".join(t.text or "" for t in inline.iter(f"{{{MAIN}}}t"))
                cell.remove(inline)
                cell.set("t", "s")
                ElementTree.SubElement(cell, f"{{{MAIN}}}v").text = str(index.setdefault(text, len(index)))
        parts[name] = ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")
    table = ElementTree.Element(f"{{{MAIN}}}sst", count=str(len(index)), uniqueCount=str(len(index)))
    for text in index:
        node = ElementTree.SubElement(ElementTree.SubElement(table, f"{{{MAIN}}}si"), f"{{{MAIN}}}t")
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["xl/sharedStrings.xml"] = ElementTree.tostring(table, xml_declaration=True, encoding="UTF-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def project(row: int, code: str = "001", **changes: object) -> ProjectRow:
    values: dict[str, Any] = {
        "row": row,
        "code": code,
        "name": "科普宣传",
        "unit": "湛江市科学技术协会",
        "department": "湛江市科学技术协会",
        "initial_budget_wan": Decimal("150"),
        "annual_budget_wan": Decimal("153"),
        "goal": "开展科普活动",
    }
    values.update(changes)
    return ProjectRow(**values)


def only_problems(result: ProjectList) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.cell, p.message) for p in result.problems]


# --------------------------------------------------------------------------------------------
# Clean lists
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("strings", ["inline", "shared"])
def test_a_clean_list_in_wanyuan_reads_every_row_with_no_problems(tmp_path, strings):
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            ["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"],
            ["002", "财政信息化", "湛江市财政局", "湛江市财政局", 80.5, "96.25", "系统上线运行"],
        ],
    )
    if strings == "shared":  # how Excel, WPS and LibreOffice save; openpyxl writes strings inline
        with_shared_strings(path)

    result = read_project_list(path, known_units=UNITS)

    assert result.ok
    assert result.problems == []
    assert result.file == str(path)
    assert result.sheet == "项目清单"
    assert result.amount_unit == "万元"
    assert result.rows == [
        project(2),
        ProjectRow(
            row=3,
            code="002",
            name="财政信息化",
            unit="湛江市财政局",
            department="湛江市财政局",
            initial_budget_wan=Decimal("80.5"),
            annual_budget_wan=Decimal("96.25"),
            goal="系统上线运行",
        ),
    ]


def test_the_same_list_in_yuan_is_converted_exactly_to_wanyuan(tmp_path):
    headers = ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数(元)", "全年预算数（元）", "绩效目标"]
    path = xlsx(
        tmp_path,
        [
            headers,
            ["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 1500000, 1530000, "开展科普活动"],
            ["002", "科普宣传二", "湛江市科学技术协会", None, 1530000.12, "1,530,000.00", None],
            ["003", "科普宣传三", "湛江市科学技术协会", None, "153万", 0.01, None],
        ],
    )

    result = read_project_list(path)

    assert result.ok
    assert result.amount_unit == "元"
    assert result.rows[0] == project(2)
    amounts = [(r.initial_budget_wan, r.annual_budget_wan) for r in result.rows]
    assert amounts == [
        (Decimal("150"), Decimal("153")),
        (Decimal("153.000012"), Decimal("153")),
        (Decimal("153"), Decimal("0.000001")),  # 「153万」 says its own unit; one 分 is 0.000001 万元
    ]
    # exact, and written without trailing zeros or an exponent
    assert [str(r.annual_budget_wan) for r in result.rows] == ["153", "153", "0.000001"]


def test_a_title_row_and_a_unit_line_above_the_header_are_skipped_and_the_unit_line_is_read(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["2022年度项目清单"],
            [None, None, None, None, None, "单位：元"],
            ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数", "全年预算数", "绩效目标"],
            ["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 1500000, 1530000, "开展科普活动"],
        ],
    )

    result = read_project_list(path)

    assert result.ok
    assert result.amount_unit == "元"
    assert result.rows == [project(4)]


def test_the_header_may_be_on_a_later_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["请按模板填写，金额单位为万元。"])
    ws = wb.create_sheet("清单")
    ws.append(HEADERS)
    ws.append(["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"])
    path = tmp_path / "清单.xlsx"
    wb.save(path)

    result = read_project_list(path)

    assert result.sheet == "清单"
    assert result.rows == [project(2)]


# --------------------------------------------------------------------------------------------
# Headers: synonyms, units, layout
# --------------------------------------------------------------------------------------------


def test_headers_are_recognised_by_their_synonyms_with_blanks_line_breaks_and_either_bracket(tmp_path):
    headers = [
        "序号",
        "项目代码",
        "* 项目名称",
        "单位名称",
        "主管单位",
        "年初\n预算",
        "调整后预算数 ( 万元 )",
        "年度总体目标",
    ]
    path = xlsx(
        tmp_path,
        [headers, [1, "001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"]],
    )

    result = read_project_list(path)

    assert result.ok
    assert result.amount_unit == "万元"
    assert result.rows == [project(2)]


@pytest.mark.parametrize(
    ("code", "unit", "annual"),
    [
        ("项目编码", "预算单位", "全年预算数"),
        ("项目编号", "项目单位", "预算数"),
        ("项目代码", "预算单位名称", "全年预算"),
    ],
)
def test_each_required_column_has_several_accepted_names(tmp_path, code, unit, annual):
    path = xlsx(tmp_path, [[code, "项目名称", unit, annual], ["001", "科普宣传", "湛江市科学技术协会", 153]])

    result = read_project_list(path)

    assert result.ok
    assert result.rows == [
        project(2, department=None, initial_budget_wan=None, goal=None),
    ]


def test_the_optional_columns_may_be_absent(tmp_path):
    path = xlsx(tmp_path, [["项目编码", "项目名称", "预算单位", "全年预算数"], ["001", "科普宣传", "某局", 153]])

    row = read_project_list(path).rows[0]

    assert (row.department, row.initial_budget_wan, row.goal) == (None, None, None)


def test_a_two_row_header_reads_the_lower_names_and_the_unit_of_the_group_above(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(["项目编码", "项目名称", "预算单位", "预算数（元）", None])
    ws.append([None, None, None, "年初预算数", "全年预算数"])
    ws.append(["001", "科普宣传", "某局", 1500000, 1530000])
    for col in "ABC":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("D1:E1")
    path = tmp_path / "清单.xlsx"
    wb.save(path)

    result = read_project_list(path)

    assert result.ok
    assert result.amount_unit == "元"
    assert [(r.row, r.initial_budget_wan, r.annual_budget_wan) for r in result.rows] == [
        (3, Decimal("150"), Decimal("153"))
    ]


def test_a_unit_stated_on_one_amount_header_applies_to_the_other(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["项目编码", "项目名称", "预算单位", "年初预算数", "全年预算数（元）"],
            ["001", "科普宣传", "某局", 1500000, 1530000],
        ],
    )

    result = read_project_list(path)

    assert result.ok
    assert (result.rows[0].initial_budget_wan, result.rows[0].annual_budget_wan) == (Decimal("150"), Decimal("153"))


def test_amount_headers_that_state_different_units_are_a_problem_of_the_sheet(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["项目编码", "项目名称", "预算单位", "年初预算数（元）", "全年预算数（万元）"],
            ["001", "科普宣传", "某局", 1500000, 153],
        ],
    )

    result = read_project_list(path)

    assert only_problems(result) == [
        (
            None,
            None,
            "金额单位不一致：项目清单!D1“年初预算数（元）”写明元，项目清单!E1“全年预算数（万元）”写明万元；"
            "请统一金额单位后重新导入",
        )
    ]


def test_a_unit_other_than_wanyuan_or_yuan_is_a_problem_of_the_sheet(tmp_path):
    path = xlsx(
        tmp_path, [["项目编码", "项目名称", "预算单位", "全年预算数（千元）"], ["001", "科普宣传", "某局", 1530]]
    )

    result = read_project_list(path)

    assert only_problems(result) == [
        (None, None, "项目清单!D1“全年预算数（千元）”写明的金额单位“千元”不能读取，金额请以万元或元为单位填写")
    ]
    assert result.rows[0].annual_budget_wan is None


def test_two_columns_of_the_same_field_are_a_problem_of_the_sheet(tmp_path):
    path = xlsx(
        tmp_path,
        [["项目编码", "项目名称", "预算单位", "全年预算数", "预算数"], ["001", "科普宣传", "某局", 153, 100]],
    )

    result = read_project_list(path)

    assert only_problems(result) == [
        (
            None,
            None,
            "表头中有多列都是全年预算数：项目清单!D1“全年预算数”、项目清单!E1“预算数”；请只保留一列后重新导入",
        )
    ]


def test_a_missing_required_column_is_refused_naming_the_columns_and_the_header_row(tmp_path):
    path = xlsx(tmp_path, [["2022年度项目清单"], ["序号", "项目名称", "全年预算数（万元）"], [1, "科普宣传", 153]])

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == "缺少必需的列：项目编码、预算单位（应在表头行中）"
    assert caught.value.path == str(path)
    assert caught.value.field == "项目清单!A2:C2"
    assert str(caught.value) == f"文件 {path}，字段 项目清单!A2:C2：缺少必需的列：项目编码、预算单位（应在表头行中）"


def test_a_workbook_without_any_header_is_refused_naming_the_sheets_and_the_columns(tmp_path):
    path = xlsx(tmp_path, [["说明"], ["这里没有表格"]], sheet="Sheet1")

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == (
        "找不到项目清单的表头：工作表“Sheet1”的前 20 行中没有“项目编码”“项目名称”“预算单位”“全年预算数”等列名"
    )


# --------------------------------------------------------------------------------------------
# Problems of a row
# --------------------------------------------------------------------------------------------


def test_a_duplicate_code_names_the_row_where_it_first_appeared(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            ["001", "科普宣传", "湛江市科学技术协会", None, None, 153, None],
            ["002", "科普基地", "湛江市科学技术协会", None, None, 50, None],
            ["001", "科普讲座", "湛江市科学技术协会", None, None, 20, None],
        ],
    )

    result = read_project_list(path)

    assert not result.ok
    assert result.problems == [ListProblem(row=4, cell="项目清单!A4", message="第4行：项目编码“001”与第2行重复")]
    assert str(result.problems[0]) == "项目清单!A4：第4行：项目编码“001”与第2行重复"
    assert len(result.rows) == 3  # every row is returned for display; nothing is to be created


def test_a_unit_not_in_the_known_units_is_a_problem_and_a_known_one_comes_back_spelled_as_known(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            ["001", "科普宣传", "湛江市 科学技术协会", None, None, 153, None],
            ["002", "财政信息化", "湛江市财政局（本级）", None, None, 80, None],
            ["003", "道路养护", "某某局", None, None, 20, None],
        ],
    )

    result = read_project_list(path, known_units=[*UNITS, "湛江市财政局(本级)"])

    assert only_problems(result) == [(4, "项目清单!C4", "第4行：预算单位“某某局”不在系统的单位名单中")]
    assert [r.unit for r in result.rows] == ["湛江市科学技术协会", "湛江市财政局(本级)", "某某局"]


def test_without_known_units_any_unit_is_accepted(tmp_path):
    path = xlsx(tmp_path, [HEADERS, ["003", "道路养护", "某某局", None, None, 20, None]])

    assert read_project_list(path).ok


def test_empty_required_cells_are_problems_naming_each_cell(tmp_path):
    path = xlsx(tmp_path, [HEADERS, [None, "  ", "—", "湛江市科学技术协会", 150, None, None]])

    result = read_project_list(path)

    assert only_problems(result) == [
        (2, "项目清单!A2", "第2行：项目编码为空"),
        (2, "项目清单!B2", "第2行：项目名称为空"),
        (2, "项目清单!C2", "第2行：预算单位为空"),
        (2, "项目清单!F2", "第2行：全年预算数为空"),
    ]
    assert result.rows == [
        ProjectRow(2, "", "", "", "湛江市科学技术协会", Decimal("150"), None, None),
    ]


def test_negative_and_non_numeric_amounts_are_problems_naming_the_cell_and_the_value(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            ["001", "科普宣传", "某局", None, -5, "待定", None],
            ["002", "科普基地", "某局", None, "-1,000.00", "一百五十三万", None],
            ["003", "科普讲座", "某局", None, True, "#DIV/0!", None],
        ],
    )

    result = read_project_list(path)

    assert only_problems(result) == [
        (2, "项目清单!E2", "第2行：年初预算数“-5”是负数，预算数不能小于零"),
        (2, "项目清单!F2", "第2行：全年预算数“待定”不是有效的金额，应填写数字，如“153.00”"),
        (3, "项目清单!E3", "第3行：年初预算数“-1,000.00”是负数，预算数不能小于零"),
        (3, "项目清单!F3", "第3行：全年预算数“一百五十三万”不是有效的金额，应填写数字，如“153.00”"),
        (4, "项目清单!E4", "第4行：年初预算数“True”不是有效的金额，应填写数字，如“153.00”"),
        (4, "项目清单!F4", "第4行：全年预算数“#DIV/0!”不是有效的金额，应填写数字，如“153.00”"),
    ]
    assert [(r.initial_budget_wan, r.annual_budget_wan) for r in result.rows] == [(None, None)] * 3


def test_absurd_numbers_are_problems_not_crashes(tmp_path):
    thirty_digits = "123456789012345678901234567890"
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            ["001", "科普宣传", "某局", None, thirty_digits, int(thirty_digits), None],
            ["002", "科普基地", "某局", None, "NaN", "1e400", None],
            ["003", "科普讲座", "某局", None, "Infinity", 1e300, None],
        ],
    )

    result = read_project_list(path)

    too_large = "超出可保存的范围（应小于 100000000000 万元），请核对金额和单位"
    assert only_problems(result) == [
        (2, "项目清单!E2", f"第2行：年初预算数“{thirty_digits}”{too_large}"),
        # a number cell holds a double: the 30 digits come back as 1.234567890123457E+29
        (2, "项目清单!F2", f"第2行：全年预算数“123456789012345700000000000000”{too_large}"),
        (3, "项目清单!E3", "第3行：年初预算数“NaN”不是有效的金额，应填写数字，如“153.00”"),
        (3, "项目清单!F3", "第3行：全年预算数“1e400”不是有效的金额，应填写数字，如“153.00”"),
        (4, "项目清单!E4", "第4行：年初预算数“Infinity”不是有效的金额，应填写数字，如“153.00”"),
        (4, "项目清单!F4", f"第4行：全年预算数“1{'0' * 39}…”{too_large}"),  # shown to 40 digits
    ]


def test_without_a_stated_unit_an_amount_that_looks_like_yuan_is_a_problem_on_its_cell(tmp_path):
    headers = ["项目编码", "项目名称", "预算单位", "年初预算数", "全年预算数"]
    path = xlsx(
        tmp_path,
        [
            headers,
            ["001", "科普宣传", "某局", 150, 1530000],  # 153万元 written in 元: 153亿元 if read as 万元
            ["002", "科普基地", "某局", 999999.99, "999,999.99"],  # just under 100亿元: believed
            ["003", "科普讲座", "某局", None, "1530000元"],  # the cell says its unit
        ],
    )

    result = read_project_list(path)

    assert result.amount_unit == "万元"
    assert only_problems(result) == [
        (
            2,
            "项目清单!E2",
            "第2行：全年预算数“1530000”按万元读取不小于100亿元，像是以元为单位填写的金额；"
            "表头没有写明金额单位，请在表头写明，如“全年预算数（元）”或“全年预算数（万元）”",
        )
    ]
    assert [r.annual_budget_wan for r in result.rows] == [None, Decimal("999999.99"), Decimal("153")]


def test_a_stated_wanyuan_header_is_believed_for_large_amounts(tmp_path):
    path = xlsx(tmp_path, [HEADERS, ["001", "跨海大桥", "某局", None, None, 1530000, None]])

    result = read_project_list(path)

    assert result.ok
    assert result.rows[0].annual_budget_wan == Decimal("1530000")


def test_over_long_values_are_problems_stating_the_limit(tmp_path):
    path = xlsx(tmp_path, [HEADERS, ["A" * 65, "项" * 201, "单" * 201, "部" * 201, None, 153, "目" * 5000]])

    result = read_project_list(path)

    assert only_problems(result) == [
        (2, "项目清单!A2", f"第2行：项目编码“{'A' * 20}…”有 65 个字符，超过 64 个字符的上限"),
        (2, "项目清单!B2", f"第2行：项目名称“{'项' * 20}…”有 201 个字符，超过 200 个字符的上限"),
        (2, "项目清单!C2", f"第2行：预算单位“{'单' * 20}…”有 201 个字符，超过 200 个字符的上限"),
        (2, "项目清单!D2", f"第2行：主管部门“{'部' * 20}…”有 201 个字符，超过 200 个字符的上限"),
    ]


# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------


def test_a_numeric_code_cell_gives_its_digits_and_a_text_code_keeps_its_leading_zeros(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADERS,
            [123.0, "科普宣传", "某局", None, None, 153, None],
            [456, "科普基地", "某局", None, None, 50, None],
            [" 000789 ", "科普讲座", "某局", None, None, 20, None],
            [12.5, "科普展览", "某局", None, None, 10, None],
        ],
    )

    result = read_project_list(path)

    assert result.ok
    assert [r.code for r in result.rows] == ["123", "456", "000789", "12.5"]


def test_a_numeric_code_longer_than_excel_keeps_is_a_problem(tmp_path):
    path = xlsx(tmp_path, [HEADERS, [4408002200000000.0, "科普宣传", "某局", None, None, 153, None]])

    result = read_project_list(path)

    assert only_problems(result) == [
        (
            2,
            "项目清单!A2",
            "第2行：项目编码“4408002200000000”是超过 15 位的数字，Excel 只保留 15 位有效数字，"
            "编码可能已被改动；请把该列设为文本格式后重新导出",
        )
    ]


# --------------------------------------------------------------------------------------------
# Rows that are not projects
# --------------------------------------------------------------------------------------------


def test_total_rows_blank_rows_and_note_lines_are_skipped(tmp_path):
    path = xlsx(
        tmp_path,
        [
            ["序号", *HEADERS],
            [1, "001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"],
            [None] * 8,
            [2, None, None, None, None, None, None, None],  # a pre-numbered row left empty
            ["", "  ", None, None, None, None, None, None],
            [3, "002", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"],
            [None, None, "小 计", None, None, 300, 306, None],
            ["合计", None, None, None, None, 300, 306, None],
            [None, "总计：", None, None, None, 300, 306, None],
            ["注：本表金额单位为万元。"],
            [None, "制表人：张三"],
        ],
    )

    result = read_project_list(path)

    assert result.ok
    assert result.rows == [project(2, "001"), project(6, "002")]


@pytest.mark.parametrize(
    "numbering",
    [
        ["1", "2", "3", "4", "5", "6", "7"],
        [1, 2, 3, 4, 5, 6, 7],
        ["甲", "乙", "丙", None, 1, 2, "丁"],
        ["栏次", None, None, 1, 2, 3],
    ],
)
def test_the_column_numbering_row_under_the_header_is_skipped(tmp_path, numbering):
    path = xlsx(
        tmp_path,
        [HEADERS, numbering, ["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"]],
    )

    result = read_project_list(path)

    assert result.ok
    assert result.rows == [project(3)]


def test_a_project_row_whose_cells_happen_to_be_numbers_is_not_taken_for_numbering(tmp_path):
    path = xlsx(tmp_path, [HEADERS, [1, 2, 3, None, None, 5, None], [4, 5, 6, None, None, 7, None]])

    result = read_project_list(path)

    assert result.ok
    assert [(r.row, r.code, r.name, r.unit) for r in result.rows] == [(2, "1", "2", "3"), (3, "4", "5", "6")]


def test_a_lone_text_that_is_not_a_note_is_still_a_row_with_problems(tmp_path):
    path = xlsx(tmp_path, [HEADERS, [None, "注册登记系统"]])

    result = read_project_list(path)

    assert [p.message for p in result.problems] == [
        "第2行：项目编码为空",
        "第2行：预算单位为空",
        "第2行：全年预算数为空",
    ]


# --------------------------------------------------------------------------------------------
# Files that cannot be read
# --------------------------------------------------------------------------------------------


def test_a_file_that_is_not_an_xlsx_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "项目清单.xlsx"
    path.write_text("项目编码,项目名称\n001,科普宣传\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.path == str(path)
    assert str(caught.value) == f"文件 {path}：文件已损坏或不是有效的 .xlsx 文件"  # readers.base.corrupt


def test_an_old_xls_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "项目清单.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504))

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == "是旧版 .xls 格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"


def test_a_password_protected_file_is_refused_in_the_words_of_every_path(tmp_path):
    path = tmp_path / "项目清单.xlsx"
    # the shape Office gives a password-protected .xlsx: an OLE container holding an EncryptedPackage stream
    path.write_bytes(OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512))

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == ENCRYPTED


def test_a_file_of_another_type_under_an_xlsx_name_is_refused_as_damaged(tmp_path):
    path = tmp_path / "项目清单.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert str(caught.value) == f"文件 {path}：文件已损坏或不是有效的 .xlsx 文件"


def test_an_empty_or_missing_file_is_refused(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")

    with pytest.raises(InputError, match="文件为空"):
        read_project_list(empty)
    with pytest.raises(InputError, match="文件不存在"):
        read_project_list(tmp_path / "没有.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "清单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == "文件已损坏或不是有效的 .xlsx 文件"


def with_part(path: Path, name: str, size: int) -> Path:
    """``path`` rebuilt with one more part ``name`` that declares ``size`` bytes of blanks, deflated without being
    built (the parts openpyxl wrote are kept as they are); the part is referenced by nothing."""
    with zipfile.ZipFile(path) as package:
        parts = [hostile.bomb_entry(info.filename, package.read(info), b"", 0, b"") for info in package.infolist()]
    blocks, rest = divmod(size, hostile.MiB)
    parts.append(hostile.bomb_entry(name, b"", b" " * hostile.MiB, blocks, b" " * rest))
    path.write_bytes(hostile.zip_bytes(parts))
    return path


def test_a_list_larger_than_an_office_file_may_be_is_read_up_to_the_lists_own_limit(tmp_path):
    """A list of 100,000 projects unpacks to more than the 200 MB allowed an .xlsx on other paths; its limit is 1 GB."""
    path = with_part(
        xlsx(tmp_path, [HEADERS, ["001", "科普宣传", "某局", None, None, 153, None]]),
        "xl/media/x.bin",
        OFFICE_MAX_BYTES + 1,
    )

    listing = read_project_list(path)

    assert [row.code for row in listing.rows] == ["001"] and listing.ok


def test_a_list_that_would_unpack_past_its_limit_is_refused_in_the_words_of_every_path(tmp_path):
    """A “zip bomb” is refused before anything is parsed, in io.archive's words with the list's own limit."""
    path = with_part(xlsx(tmp_path, [HEADERS]), "xl/media/x.bin", MAX_UNPACKED_BYTES + 200 * hostile.MiB)

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == "文件解压后过大（1.2 GB，上限 1 GB），可能是“压缩炸弹”，未读取"
    assert caught.value.reason == office_expansion_problem(path, max_bytes=MAX_UNPACKED_BYTES)


def test_a_sheet_longer_than_the_limit_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(HEADERS)
    ws.append(["001", "科普宣传", "某局", None, None, 153, None])
    ws.cell(MAX_ROWS + 1, 1, "002")
    path = tmp_path / "清单.xlsx"
    wb.save(path)

    with pytest.raises(InputError) as caught:
        read_project_list(path)

    assert caught.value.reason == "工作表“项目清单”超过 200000 行，一次最多导入 200000 行；请删去多余的行或分批导入"


# --------------------------------------------------------------------------------------------
# Size, template, vocabulary
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("strings", ["inline", "shared"])
def test_two_thousand_rows_are_all_read(tmp_path, strings):
    """Every row of a long list, in both ways a workbook stores text (speed and memory are measured in bench/)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("项目清单")
    ws.append(["2022年度项目清单"])
    ws.append(HEADERS)
    for i in range(2000):
        ws.append([f"{i:06d}", f"项目{i}", UNITS[i % 2], "湛江市财政局", i, i + 0.5, "目标"])
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    if strings == "shared":
        with_shared_strings(path)

    result = read_project_list(path, known_units=UNITS)

    assert result.ok
    assert len(result.rows) == 2000
    assert (result.rows[-1].code, result.rows[-1].annual_budget_wan) == ("001999", Decimal("1999.5"))


def test_the_template_reads_back_as_an_empty_list_with_no_problems(tmp_path):
    path = write_project_list_template(tmp_path / "项目清单模板.xlsx")

    result = read_project_list(path)

    assert (result.sheet, result.amount_unit, result.rows, result.problems) == ("项目清单", "万元", [], [])
    ws = openpyxl.load_workbook(path)["项目清单"]
    assert [c.value for c in ws[2]] == [
        "项目编码",
        "项目名称",
        "预算单位",
        "主管部门",
        "年初预算数（万元）",
        "全年预算数（万元）",
        "绩效目标",
    ]
    assert ws["A1"].value == "项目清单"
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width == 36


def test_a_filled_template_reads_back_its_rows(tmp_path):
    path = write_project_list_template(tmp_path / "项目清单模板.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["项目清单"].append(["001", "科普宣传", "湛江市科学技术协会", "湛江市科学技术协会", 150, 153, "开展科普活动"])
    wb.save(path)

    assert read_project_list(path).rows == [project(3)]


def test_the_vocabulary_gives_each_header_one_field(tmp_path):
    lexicon = _lexicon()
    assert lexicon.headers["项目代码"] == "code"
    assert lexicon.headers["调整后预算数"] == "annual_budget"
    assert lexicon.headers["年度总体目标"] == "goal"
    assert lexicon.required == ("code", "name", "unit", "annual_budget")

    bad = tmp_path / "bad.yaml"
    text = VOCABULARY.read_text(encoding="utf-8")
    bad.write_text(text.replace("- 年初预算  #", "- 预算数  #"), encoding="utf-8")
    with pytest.raises(InputError, match="表头“预算数”同时列在 initial_budget 和 annual_budget 之下"):
        _lexicon(bad)


def test_shared_strings_are_read_as_openpyxl_reads_them_plain_text_of_every_run_and_no_phonetic_guide():
    table = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="7" uniqueCount="7">
<si><t>项目编码</t></si>
<si><t xml:space="preserve">  前后有空格  </t></si>
<si><r><rPr><b/><sz val="11"/></rPr><t>全年预算数</t></r><r><rPr><sz val="9"/></rPr><t xml:space="preserve">（万元）</t></r></si>
<si><t>湛江</t><rPh sb="0" eb="2"><t>ザンジャン</t></rPh><phoneticPr fontId="1"/></si>
<si><t/></si>
<si><t>a_x005F_x000D_b</t></si>
<si><t>第一行
第二行</t></si>
</sst>""".encode()

    ours = _string_table(io.BytesIO(table))

    assert ours == read_string_table(io.BytesIO(table))
    assert ours == ["项目编码", "  前后有空格  ", "全年预算数（万元）", "湛江", "", "a_x000D_b", "第一行\n第二行"]
