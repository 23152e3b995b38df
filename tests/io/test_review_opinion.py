"""The 复核意见书 as a Word document and a PDF, read back from real files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pdfplumber
import pytest

from jixiao.core.review import EXECUTION_KEY, ReviewEntry, ReviewSheet, indicator_key, review_sheet
from jixiao.io.report.review_opinion import (
    OPINION_PDF,
    OpinionProblem,
    ReviewOpinion,
    opinion_title,
    write_review_opinion_docx,
    write_review_opinion_pdf,
)
from tests.conftest import make, run
from tests.core.test_review import with_not_applicable_leaf

ACTIVITIES = ("产出指标", "数量指标", "科普活动场次")
SATISFACTION = ("满意度指标", "服务对象满意度指标", "参与群众满意度")
COMMENT = "活动台账仅能核实 72 场，其余 38 场无签到表和照片等佐证材料"
TITLE = "2022年科普专项经费绩效自评复核意见书"
#: the score columns of the 指标复核情况 table, after the three level columns
SCORE_COLUMNS = ("分值", "自评得分", "计算得分", "复核得分", "差异（自评−复核）")


def reviewed_sheet() -> ReviewSheet:
    """The base with its 预算执行率 claimed at 10, two lines reviewed down and one comment without a new score."""
    result = run(make(claims={"total_score": 100, "grade": "优", "execution_score": 10}))
    return review_sheet(
        result,
        {
            indicator_key(ACTIVITIES): ReviewEntry(Decimal("21.5"), COMMENT),
            indicator_key(SATISFACTION): ReviewEntry(Decimal("8"), ""),
            EXECUTION_KEY: ReviewEntry(None, "已核对支出凭证"),
        },
    )


def opinion(sheet: ReviewSheet | None = None, **changes: object) -> ReviewOpinion:
    base = ReviewOpinion(
        issuer="湛江市财政局",
        department="湛江市科学技术协会",
        unit="湛江市科学技术协会",
        project_title="2022年科普专项经费",
        year=2022,
        sheet=sheet or reviewed_sheet(),
        conclusion="该项目绩效目标基本完成，但自评打分偏高，佐证材料不够完整。",
        problems=(
            OpinionProblem(
                "科普活动场次",
                "自评称开展科普活动 110 场，佐证材料仅能证明 72 场",
                "补充活动签到表、照片等佐证材料，并据实调整自评得分",
                dt.date(2023, 6, 30),
            ),
            OpinionProblem("整体", "部分指标年度指标值设置偏低", "在下一年度绩效目标申报中科学设定指标值", None),
        ),
        reviewer="张伟",
        date=dt.date(2023, 5, 10),
    )
    return dataclasses.replace(base, **changes)


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def score_table(path: Path) -> list[dict[str, str]]:
    """The 指标复核情况 table as dicts by header (the header's line breaks removed), merged cells repeated; without
    its note (注：…), the last row."""
    table = docx.Document(str(path)).tables[1]
    header = [cell.text.replace("\n", "") for cell in table.rows[0].cells]
    *rows, note = table.rows[1:]
    assert note.cells[0].text.startswith("注：")
    return [dict(zip(header, (cell.text for cell in row.cells), strict=True)) for row in rows]


def number(text: str) -> Decimal:
    """A printed score; 「—」 (blank) adds nothing."""
    return Decimal(0) if text == "—" else Decimal(text)


def section(path: Path, heading: str) -> list[str]:
    """The paragraphs under a 一、… heading, up to the next one."""
    texts = paragraphs(path)
    start = texts.index(heading) + 1
    end = next((i for i in range(start, len(texts)) if re.match(r"^[一二三四五六七八九十]、", texts[i])), len(texts))
    return texts[start:end]


def test_the_title_addressee_and_signature(tmp_path):
    path = write_review_opinion_docx(opinion(), tmp_path / "o.docx")
    texts = [t for t in paragraphs(path) if t.strip()]
    assert texts[0] == TITLE == opinion_title(opinion())
    assert texts[1] == "湛江市科学技术协会："
    assert texts[-2:] == ["湛江市财政局", "2023年5月10日"]
    document = docx.Document(str(path))
    assert [p.style.name for p in document.paragraphs[-2:]] == ["落款", "落款"]  # right-aligned (GB/T 9704)
    assert document.core_properties.title == TITLE


def test_the_project_title_keeps_its_one_year(tmp_path):
    path = write_review_opinion_docx(opinion(), tmp_path / "o.docx")
    text = all_text(path)
    assert "2022年2022年" not in text and "2022年度2022" not in text
    assert text.count("2022年科普专项经费") >= 3  # title, opening, 一、


def test_the_totals_table_and_the_sentence_of_section_one(tmp_path):
    sheet = reviewed_sheet()
    # 99.80 − (30 − 21.50) − (10 − 8) = 89.30, 良; the unit wrote 100
    assert sheet.review_total.value == Decimal("89.30") and sheet.review_grade == "良"
    path = write_review_opinion_docx(opinion(sheet), tmp_path / "o.docx")
    table = docx.Document(str(path)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:3] == ["口径", "总分（分）", "等级"]
    assert rows[1][:3] == ["单位自评", "100.00", "优"]
    assert rows[2][:3] == ["按评分规则计算", "99.80", "优"]
    assert rows[3][:3] == ["复核", "89.30", "良"]
    body = section(path, "一、复核基本情况")
    assert "复核项目为“2022年科普专项经费”，预算单位和主管部门均为湛江市科学技术协会，复核人员为张伟。" in body
    assert (
        "经复核，该项目复核得分 89.30 分，等级为“良”，比单位自评低 10.70 分，等级由单位自评的“优”调整为“良”。" in body
    )


def test_every_line_of_the_sheet_is_a_row_with_its_scores_and_comment(tmp_path):
    sheet = reviewed_sheet()
    rows = score_table(write_review_opinion_docx(opinion(sheet), tmp_path / "o.docx"))
    assert list(rows[0]) == ["一级指标", "二级指标", "三级指标", *SCORE_COLUMNS, "复核说明"]
    by_leaf = {row["三级指标"]: row for row in rows}
    activities = by_leaf["科普活动场次"]
    assert (activities["一级指标"], activities["二级指标"]) == ("产出指标", "数量指标")
    assert [activities[c] for c in SCORE_COLUMNS] == ["30.00", "30.00", "30.00", "21.50", "8.50"]
    assert activities["复核说明"] == COMMENT
    assert by_leaf["参与群众满意度"]["复核得分"] == "8.00"
    assert by_leaf["参与群众满意度"]["复核说明"] == "未填写说明"
    execution = by_leaf[EXECUTION_KEY]  # spans the level columns
    assert [execution[c] for c in SCORE_COLUMNS] == ["10.00", "10.00", "9.80", "9.80", "0.20"]
    assert execution["复核说明"] == "已核对支出凭证"
    assert len(rows) == len(sheet.lines) + 1  # and 合计


def test_the_totals_row_is_the_sheets_totals_and_the_sum_of_the_printed_parts(tmp_path):
    sheet = reviewed_sheet()
    rows = score_table(write_review_opinion_docx(opinion(sheet), tmp_path / "o.docx"))
    *parts, total = rows
    assert total["一级指标"] == "合计"
    assert total["自评得分"] == f"{sheet.self_total.value:.2f}" == "100.00"
    assert total["计算得分"] == f"{sheet.computed_total.value:.2f}" == "99.80"
    assert total["复核得分"] == f"{sheet.review_total.value:.2f}" == "89.30"
    assert total["差异（自评−复核）"] == "10.70"
    for column in SCORE_COLUMNS:
        assert sum(number(row[column]) for row in parts) == Decimal(total[column]), column


def test_with_a_not_applicable_leaf_the_rescaling_is_a_row_and_the_totals_still_add_up(tmp_path):
    data = with_not_applicable_leaf()
    del data["indicators"][2]["children"][0]["children"][0]["claimed_score"]  # a blank claim
    sheet = review_sheet(run(data), {indicator_key(ACTIVITIES): ReviewEntry(Decimal("15"), "核减")})
    rows = score_table(write_review_opinion_docx(opinion(sheet, problems=()), tmp_path / "o.docx"))
    assert all(row["三级指标"] != "生态效益" for row in rows)
    *parts, total = rows
    assert parts[-1]["一级指标"].startswith("剔除不适用指标后按 100 分折算")
    assert total["计算得分"] == "99.78" and total["复核得分"] == "94.22"
    for column in ("计算得分", "复核得分"):
        assert sum(number(row[column]) for row in parts) == Decimal(total[column]), column
    satisfaction = next(row for row in parts if row["三级指标"] == "参与群众满意度")
    assert satisfaction["自评得分"] == "—" and satisfaction["差异（自评−复核）"] == "—"
    assert total["自评得分"] == "—"
    assert "参与群众满意度" in total["复核说明"] and "不能合计" in total["复核说明"]


def test_differences_are_explained_by_the_reviewers_comments(tmp_path):
    path = write_review_opinion_docx(opinion(), tmp_path / "o.docx")
    body = section(path, "三、差异及原因")
    assert body == [
        "（1）预算执行率：自评 10.00 分，计算 9.80 分，复核 9.80 分。原因：已核对支出凭证。",
        f"（2）科普活动场次（产出指标 / 数量指标）：自评 30.00 分，计算 30.00 分，复核 21.50 分。原因：{COMMENT}。",
        "（3）参与群众满意度（满意度指标 / 服务对象满意度指标）：自评 10.00 分，计算 10.00 分，复核 8.00 分。"
        "原因：未填写说明。",
    ]


def test_problems_and_requirements_are_numbered_with_their_due_dates(tmp_path):
    path = write_review_opinion_docx(opinion(), tmp_path / "o.docx")
    assert section(path, "四、发现的问题") == [
        "（1）“科普活动场次”：自评称开展科普活动 110 场，佐证材料仅能证明 72 场。",
        "（2）部分指标年度指标值设置偏低。",
    ]
    requirements = section(path, "五、整改要求")
    assert requirements[0] == (
        "（1）“科普活动场次”：补充活动签到表、照片等佐证材料，并据实调整自评得分，请于 2023年6月30日 前完成整改。"
    )
    assert requirements[1] == "（2）在下一年度绩效目标申报中科学设定指标值。"
    assert section(path, "六、复核意见") == [
        "该项目绩效目标基本完成，但自评打分偏高，佐证材料不够完整。",
        "湛江市财政局",
        "2023年5月10日",
    ]


def test_without_problems_or_differences_or_conclusion(tmp_path):
    sheet = review_sheet(run(make(claims={"total_score": 99.8, "grade": "优", "execution_score": 9.8})), {})
    path = write_review_opinion_docx(opinion(sheet, problems=(), conclusion="  "), tmp_path / "o.docx")
    assert section(path, "三、差异及原因") == ["经复核，各项指标的复核得分与单位自评得分、计算得分均一致。"]
    assert section(path, "四、发现的问题") == ["未发现问题。"]
    assert section(path, "五、整改要求")[0] == "无。"
    assert "六、复核意见" not in paragraphs(path)
    assert "经复核，该项目复核得分 99.80 分，等级为“优”，与单位自评一致。" in section(path, "一、复核基本情况")


def test_a_key_given_as_the_place_of_a_problem_is_printed_readably(tmp_path):
    problem = OpinionProblem(indicator_key(ACTIVITIES), "佐证不足", "补充佐证", dt.date(2023, 7, 1))
    path = write_review_opinion_docx(opinion(problems=(problem,)), tmp_path / "o.docx")
    assert section(path, "四、发现的问题") == ["（1）“产出指标 / 数量指标 / 科普活动场次”：佐证不足。"]


def test_no_raw_keys_and_no_english(tmp_path):
    path = write_review_opinion_docx(opinion(), tmp_path / "o.docx")
    text = all_text(path)
    assert "›" not in text
    assert not re.findall(r"[A-Za-z]{2,}", text)
    assert "None" not in text


def test_a_unit_other_than_its_department_names_both(tmp_path):
    path = write_review_opinion_docx(opinion(unit="湛江市科技馆", department="湛江市科学技术协会"), tmp_path / "o.docx")
    texts = paragraphs(path)
    assert "湛江市科技馆：" in texts
    assert any("预算单位为湛江市科技馆，主管部门为湛江市科学技术协会" in t for t in texts)


@pytest.mark.office
def test_the_pdf_has_the_title_and_the_review_total(tmp_path):
    pdf = write_review_opinion_pdf(opinion(), tmp_path / "out")
    assert pdf == (tmp_path / "out" / OPINION_PDF).resolve()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) >= 1
        plumbed = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in document.pages))
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    )
    for found in (plumbed, text):
        assert TITLE in found
        assert "复核得分89.30分" in found
        assert "2023年5月10日" in found
    assert not list((tmp_path / "out").glob("*.docx"))  # the .docx stayed in its temporary folder
