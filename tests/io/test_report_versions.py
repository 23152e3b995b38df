"""The official report and the internal review version, read back from real files of the Zhanjiang example.

The official report is what the unit submits and publishes: Chinese names only, no ids, no field paths, no
editor notes, no check appendix, the 落款 at the end. The review version is the same text plus the findings in
words with the unit's explanations and the 录入说明, marked as internal on every page.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from jixiao.core.locations import location_label
from jixiao.core.model import Project
from jixiao.core.result import EvaluationResult
from jixiao.core.values import fmt
from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.report.body import EMPTY
from jixiao.io.report.chart import render_chart
from jixiao.io.report.docx import write_report_docx
from jixiao.io.report.ooxml import _ems
from jixiao.io.report.variant import REVIEW_MARK
from tests.conftest import EXAMPLE, make, run
from tests.io.test_report_docx import CLAIMS_153, RICH, minimal_result, rich_result, table_with

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[EvaluationResult, Path, Path]:
    """The example's official report and review version."""
    result = run(load_evaluation(EXAMPLE))
    folder = tmp_path_factory.mktemp("versions")
    chart = render_chart(result)
    official = write_report_docx(result, folder / "official.docx", chart)
    review = write_report_docx(result, folder / "review.docx", chart, variant="review")
    return result, official, review


def paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of the file, body and table cells and page headers, in order."""
    out = []
    with zipfile.ZipFile(path) as z:
        parts = ["word/document.xml", *sorted(n for n in z.namelist() if re.match(r"word/header\d*\.xml", n))]
        for name in parts:
            xml = z.read(name).decode()
            for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                out.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
    return out


def text_of(path: Path) -> str:
    return "\n".join(paragraphs(path))


# --------------------------------------------------------------------------------------------
# The official report: nothing internal
# --------------------------------------------------------------------------------------------


def test_the_official_report_names_rules_and_frameworks_in_chinese_without_ids_field_paths_or_english(example):
    result, official, _ = example
    text = text_of(official)
    assert f"评分规则为“{result.rules.name}”" in text and f"本报告按“{result.framework.name}”评分" in text
    for internal in (result.rules.id, result.framework.id, "mof-", "guangdong-"):
        assert internal not in text
    assert not re.search(r"[A-Za-z_]+\.[A-Za-z_]+", text)  # claims.total_score, funds[0].executed_wan
    assert not re.search(r"\b(?:claims|funds|indicators|goals|outputs|narrative|organisation|project)\b", text)
    assert not re.search(r"[A-Za-z]{2,}", text), re.findall(r"\S*[A-Za-z]{2,}\S*", text)


def test_the_official_report_carries_no_editor_notes_and_no_check_appendix(example):
    result, official, _ = example
    text = text_of(official)
    assert len(result.evaluation.notes) >= 5
    for note in result.evaluation.notes:
        assert note not in text
    for internal in ("（未填写）", "报告未写", "误作", "原文：", "附件", "一致性检查", "录入说明", "审核版"):
        assert internal not in text, internal
    assert result.findings and not any(re.search(rf"\b{f.id}\b", text) for f in result.findings)


def test_the_example_keeps_its_editor_notes_out_of_the_official_fields():
    evaluation = load_evaluation(EXAMPLE)
    official_fields = evaluation.model_dump(exclude={"notes", "claims"}, mode="json")  # quotes are provenance
    flat = repr(official_fields)
    for remark in ("报告未写", "误作", "原文", "未写", "不是本项经费", "累计已建数"):
        assert remark not in flat, remark
    assert any("续效自评规范性" in note for note in evaluation.notes)
    assert any("未写到位日期" in note for note in evaluation.notes)


def test_the_year_is_written_once(example):
    _, official, _ = example
    text = text_of(official)
    assert not re.search(r"(\d{4})年(?:度)?\1年", text)
    assert "2022年湛江市科普专项经费预期投入153.00 万元，资金来源：市财政拨款。" in text
    assert paragraphs(official)[0] == "2022年湛江市科普专项经费项目支出绩效自评报告"  # the title, with its line break


def test_year_name_adds_the_year_only_when_the_name_has_none():
    assert Project(name="科普专项经费", year=2022).with_year() == "2022年科普专项经费"
    assert Project(name="科普专项经费", year=2022).with_year("年度") == "2022年度科普专项经费"
    assert Project(name="2022年湛江市科普专项经费", year=2022).with_year() == "2022年湛江市科普专项经费"
    assert Project(name="湛江市2022年科普专项经费", year=2022).with_year() == "湛江市2022年科普专项经费"
    assert (
        Project(name="2022年结转科普经费", year=2023).with_year() == "2023年2022年结转科普经费"
    )  # another year is part of the name


def test_every_rate_is_followed_by_a_percent_figure(example):
    result, official, _ = example
    rates = 0
    for paragraph in paragraphs(official):
        for match in re.finditer(r"率[为是：:\s]*(?:仅\s*)?(\d+(?:\.\d+)?)(?![\d.])(.?)", paragraph):
            rates += 1
            assert match.group(2) == "%", paragraph
    assert rates >= 6  # 资金到位率, 支出率, 预算执行率 in the text, and the rates inside the scoring explanations
    document = docx.Document(str(official))
    rows = table_with(document, "一级\n指标")
    execution = next(r for r in rows if r[3] == "预算执行率")
    assert fmt(result.funds.execution_rate.value) + "%" in execution[-1]


def test_the_official_report_is_signed_by_the_unit_on_the_completion_date(example):
    _, official, _ = example
    document = docx.Document(str(official))
    signer, date = [p for p in document.paragraphs if p.text.strip()][-2:]
    assert (signer.text, date.text) == ("湛江市科学技术协会", "2023年4月20日")  # organisation.deadline
    for p in (signer, date):
        assert p.style.name == "落款" and p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    def right_chars(p) -> int:
        return int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))

    # GB/T 9704—2012 7.3.5.2: the signer two characters from the right, the date starting two characters to the
    # right of the signer's first character (widths in hundredths of a 16 pt character)
    assert right_chars(signer) == 200
    assert right_chars(signer) + round(100 * _ems(signer.text)) - 200 == right_chars(date) + round(
        100 * _ems(date.text)
    )
    assert signer._p.pPr.find(qn("w:keepNext")) is not None  # the signer never stays behind its date


def test_the_date_of_the_signature_is_the_one_given_else_today(tmp_path):
    given = write_report_docx(rich_result(), tmp_path / "given.docx", signed_on=dt.date(2023, 5, 8))
    assert paragraphs(given)[-3:-1] == ["湛江市科学技术协会", "2023年5月8日"]
    undated = minimal_result()  # no completion date, no unit: the date alone
    today = dt.date.today()
    path = write_report_docx(undated, tmp_path / "undated.docx")
    assert paragraphs(path)[-3:-1] == ["无", f"{today.year}年{today.month}月{today.day}日"]


# --------------------------------------------------------------------------------------------
# The review version: the official text plus what the reviewer needs
# --------------------------------------------------------------------------------------------


def test_the_review_version_is_marked_internal_on_every_page_and_in_the_title_block(example):
    _, official, review = example
    document = docx.Document(str(review))
    assert document.paragraphs[0].text == REVIEW_MARK == "审核版（内部使用，不对外公开）"
    assert document.paragraphs[1].style.name == "Title"
    assert document.core_properties.title.endswith("（审核版）")
    assert len(document.sections) == 3  # the landscape indicator table has a section of its own
    for section in document.sections:
        for header in (section.header, section.even_page_header):
            assert [p.text for p in header.paragraphs] == [REVIEW_MARK]
    for section in docx.Document(str(official)).sections:
        assert all(not p.text for p in section.header.paragraphs)


def test_the_review_version_lists_every_finding_in_words_and_the_notes(example):
    result, _, review = example
    document = docx.Document(str(review))
    rows = table_with(document, "编号")[1:]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (f.id, f.message, location_label(f.location)) for f in result.findings
    ]
    locations = {r[3] for r in rows}
    assert "单位自述 · 自评总分" in locations and "绩效指标 · 过程 › 资金管理 › 资金到位 › 资金到位率" in locations
    assert not any(re.search(r"[A-Za-z]", r[3]) for r in rows)  # never claims.total_score or 指标:过程/…
    text = text_of(review)
    notes = paragraphs(review)[paragraphs(review).index("附件2：录入说明") + 1 :]
    for number, note in enumerate(result.evaluation.notes, 1):
        assert f"（{number}）{note}" in notes
    assert "当年财政拨款到位100.00 万元（到位日期未填写）；说明：财政资金划拨100万元。" in text
    # the 落款 closes the report; the appendices follow it
    body = [p.text for p in document.paragraphs if p.text.strip()]
    assert body[body.index("附件1：一致性检查发现") - 2 :][:2] == ["湛江市科学技术协会", "2023年4月20日"]


def test_the_review_version_is_the_official_text_plus_its_additions(example):
    result, official, review = example
    official_text = paragraphs(official)
    review_text = [p for p in paragraphs(review) if p != REVIEW_MARK]
    body = review_text[: review_text.index("附件1：一致性检查发现")]
    # before its appendices the review version differs only where it shows the reviewer the source or a gap
    assert [p for p in body if p not in official_text] == [
        "原文：" + result.evaluation.claims.quotes["total_score"],
        "当年财政拨款到位100.00 万元（到位日期未填写）；说明：财政资金划拨100万元。",
        "单位报告所述：预算总额153.00 万元，到位资金100.00 万元，支出资金100.00 万元，资金到位率65.36%，支出率100.00%。",
    ]
    assert [p for p in official_text if p not in body] == [
        "单位填报",
        "当年财政拨款到位100.00 万元；说明：财政资金划拨100万元。",
    ]


# --------------------------------------------------------------------------------------------
# Goals, comparisons, totals
# --------------------------------------------------------------------------------------------


def test_each_goal_is_stated_once_and_its_completion_once(tmp_path):
    result = rich_result()
    official = paragraphs(write_report_docx(result, tmp_path / "o.docx"))
    review = paragraphs(write_report_docx(result, tmp_path / "r.docx", variant="review"))
    for goal in result.evaluation.goals:
        assert sum(goal.expected in p for p in official) == 1, goal.expected
    assert sum("全年开展科普活动 120 场" in p for p in official) == 1
    assert "（1）总体目标：全年开展科普活动 120 场" in official
    assert not any(p.startswith("阶段性目标完成情况") for p in official)  # its one phase goal reports nothing
    assert "（1）重点人群：（未填写）" in review and EMPTY not in "\n".join(official)


def test_a_comparison_is_made_on_the_printed_figures(tmp_path):
    computed = rich_result().total.value
    claims = {**CLAIMS_153, "total_score": str(computed + Decimal("0.004"))}  # prints as the same figure
    result = run(make(**{**RICH, "claims": claims}))
    assert result.total.value == computed
    text = paragraphs(write_report_docx(result, tmp_path / "close.docx"))
    assert any(p.endswith(f"总分 {fmt(computed)} 分，等级“优”，与单位自评一致。") for p in text)
    assert not any("0.00 分" in p and "比单位自评" in p for p in text)


def test_the_carried_share_stands_next_to_every_computed_total(example):
    result, official, _ = example
    carried = result.carried.text()
    assert carried.startswith("其中 ") and "采用单位自评分" in carried
    total = fmt(result.total.value)
    text = paragraphs(official)
    assert any(f"总分 {total} 分" in p and carried in p for p in text)
    document = docx.Document(str(official))
    assert carried in table_with(document, "口径")[2][3]
    assert carried in table_with(document, "一级\n指标")[-2][-1]  # the 合计 row, above the note


@pytest.mark.parametrize("which", ["example", "rich"])
def test_the_computed_scores_add_up_to_the_printed_total(which, example, tmp_path):
    if which == "example":
        result, path, _ = example
    else:
        result = rich_result()
        path = write_report_docx(result, tmp_path / "rich.docx")
    rows = table_with(docx.Document(str(path)), "一级\n指标")
    column = [h.replace("\n", "") for h in rows[0]].index("计算得分")
    *leaves, total, _note = rows[1:]
    printed = [row[column].split("\n")[0] for row in leaves]
    parts = sum((Decimal(v) for v in printed if re.fullmatch(r"\d+\.\d\d", v)), Decimal(0))
    assert total[0] == "合计" and total[column] == fmt(result.total.value) == fmt(parts)
    if which == "example":
        assert any(row[column].endswith("按自评") for row in leaves)


def test_an_arrival_without_a_date_reads_as_known_in_the_official_report(tmp_path):
    funds = [{"source": "current", "annual_budget_wan": 50, "arrivals": [{"amount_wan": 50}], "executed_wan": 50}]
    result = run(make(funds=funds))
    official = paragraphs(write_report_docx(result, tmp_path / "o.docx"))
    review = paragraphs(write_report_docx(result, tmp_path / "r.docx", variant="review"))
    assert "当年财政拨款到位50.00 万元。" in official
    assert "当年财政拨款到位50.00 万元（到位日期未填写）。" in review


# --------------------------------------------------------------------------------------------
# Tables across pages
# --------------------------------------------------------------------------------------------


def _keeps(tr) -> bool:
    paras = tr.findall(f".//{W}p")
    kept = [p.find(f"{W}pPr/{W}keepNext") is not None for p in paras]
    assert all(kept) or not any(kept), "all paragraphs of a row keep, or none"
    return all(kept)


def _merged(tr) -> bool:  # type: ignore[no-untyped-def]
    return tr.find(f".//{W}vMerge") is not None


def test_every_table_repeats_its_header_on_each_page_and_splits_rows_only_under_merged_cells(example):
    """Rows never break across pages, except in the long indicator table with vertically merged cells, where
    LibreOffice would otherwise carry each merged group whole to the next page and leave pages half empty."""
    for path in example[1:]:
        document = docx.Document(str(path))
        assert len(document.tables) >= 6
        for table in document.tables:
            header, *rows = table._tbl.tr_lst
            assert header.trPr.find(qn("w:tblHeader")) is not None
            assert header.trPr.find(qn("w:cantSplit")) is not None
            kept = [tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows]
            if not any(_merged(tr) for tr in rows):
                assert all(kept)
            elif table.cell(0, 0).text.replace("\n", "") == "一级指标":  # the long indicator table, then its note
                assert not any(kept[:-1])
            else:
                assert all(kept) or not any(kept)
        assert document.styles["caption"].paragraph_format.keep_with_next  # a caption stays with its table


def test_a_table_note_is_the_tables_last_row_and_keeps_with_the_row_above(example):
    document = docx.Document(str(example[1]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "一级\n指标")
    *_, total, note = table._tbl.tr_lst
    cell = note.findall(f"{W}tc")
    assert len(cell) == 1 and cell[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(table.columns))
    borders = cell[0].tcPr.find(qn("w:tcBorders"))
    assert [(b.tag.removeprefix(W), b.get(qn("w:val"))) for b in borders] == [
        ("left", "nil"),
        ("bottom", "nil"),
        ("right", "nil"),
    ]
    assert note.xpath("string(.)").startswith("注：计算得分按")
    assert _keeps(total) and not _keeps(note)


def test_short_tables_move_whole_and_long_ones_keep_their_first_and_last_rows_together(example):
    document = docx.Document(str(example[1]))
    leadership = next(t for t in document.tables if t.rows[0].cells[1].text == "小组职务")
    assert [_keeps(tr) for tr in leadership._tbl.tr_lst] == [True, True, True, True, False]
    outputs = next(t for t in document.tables if t.rows[0].cells[2].text == "活动/产出")
    kept = [i for i, tr in enumerate(outputs._tbl.tr_lst) if _keeps(tr)]
    last = len(outputs.rows) - 1
    assert last > 30 and kept == [0, 1, last - 1]  # the header with the first two rows; the last two rows
