"""The 监控表 workbook and the 监控报告, written and read back: header cells, figures, ticks, warnings."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from jixiao.core.monitoring import MonitoringRecord, assess
from jixiao.io.monitoring.presets import load_warning_preset
from jixiao.io.monitoring.report_docx import write_monitoring_report_docx, write_monitoring_report_pdf
from jixiao.io.monitoring.table_xlsx import write_monitoring_table

KEPU = MonitoringRecord.model_validate(
    {
        "project": "科普专项经费",
        "year": 2022,
        "unit": "湛江市科学技术协会机关",
        "department": "湛江市科学技术协会",
        "monitoring_date": "2022-07-31",
        "requested_wan": 153,
        "annual_budget_wan": 153,
        "executed_wan": "53.55",
        "expected_executed_wan": 150,
        "indicators": [
            {
                "path": ["产出指标", "数量指标", "科普活动场次"],
                "target": "≥100场",
                "completed": "45场",
                "expected": "60场",
                "causes": ["funding"],
                "likelihood": "possible",
                "measures": "下半年集中举办科普进校园活动",
            },
            {
                "path": ["效益指标", "社会效益指标", "公民科学素质"],
                "target": "具备科学素质的公民比例提高1个百分点",
                "completed": "调查尚未开展",
                "expected": "达成",
                "likelihood": "impossible",
                "causes": ["other"],
                "cause_note": "省级调查推迟至次年",
                "measures": "与省科协协调调查时间",
            },
        ],
    }
)
LAG = "预算执行率 35.00%（执行数 53.55 万元 ÷ 全年预算数 153.00 万元）低于序时进度 58.33%"


@pytest.fixture
def assessment():  # type: ignore[no-untyped-def]
    return assess(KEPU, load_warning_preset("default"))


def _cells(ws) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def _find(cells: dict[str, object], text: str) -> str:
    return next(k for k, v in cells.items() if v == text)


def test_the_monitoring_table_has_the_official_columns_and_the_figures(assessment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(write_monitoring_table(assessment, tmp_path / "t.xlsx")).active
    cells = _cells(ws)
    assert ws["A1"].value == "项目支出绩效目标执行监控表"
    texts = set(cells.values())
    for header in (
        "年度预算申请（万元）", "全年预算数（万元）", "1-7月执行数（万元）", "1-7月执行率", "全年预计执行数（万元）",
        "一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况",
        "偏差原因分析", "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他",
        "完成目标可能性", "确定能", "有可能", "完全不可能", "纠偏措施", "备注",
    ):  # fmt: skip
        assert header in texts, header
    # the funds block: the value under each header
    below = lambda text: ws.cell(row=ws[_find(cells, text)].row + 1, column=ws[_find(cells, text)].column).value  # noqa: E731
    assert below("全年预算数（万元）") == 153
    assert below("1-7月执行数（万元）") == 53.55
    assert below("1-7月执行率") == "35.00%"
    assert below("序时进度") == "58.33%"
    # the ticks: 科普活动场次 under 经费保障 and 有可能
    row = ws[_find(cells, "科普活动场次")].row
    assert ws.cell(row=row, column=ws[_find(cells, "经费保障")].column).value == "√"
    assert ws.cell(row=row, column=ws[_find(cells, "有可能")].column).value == "√"
    assert ws.cell(row=row, column=ws[_find(cells, "确定能")].column).value is None
    assert ws.cell(row=row, column=5).value == "45场（完成 45.00%）"
    warnings = next(v for v in texts if isinstance(v, str) and v.startswith("1. 【黄色预警】"))
    assert LAG in warnings and "完全不可能" in warnings
    # printable: print area, one page wide, the indicator header repeated
    assert ws.print_area and ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows


def test_the_report_states_the_formulas_the_warnings_and_the_measures(assessment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(str(write_monitoring_report_docx(assessment, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2022年科普专项经费绩效运行监控报告" in text
    assert "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%" in text
    assert "序时进度 = 已过月数 7 个月 ÷ 全年月数 12 个月 = 58.33%" in text
    assert LAG in text
    assert "纠偏措施：下半年集中举办科普进校园活动" in text
    assert "偏差原因：其他，省级调查推迟至次年" in text
    table = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "科普活动场次" in table and "45.00%" in table and "完全不可能" in table


@pytest.mark.office
def test_the_report_as_pdf(assessment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = write_monitoring_report_pdf(assessment, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_self_evaluation_report_says_where_the_project_stood_at_monitoring(assessment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jixiao.io.report.docx import build_body
    from tests.conftest import make, run

    result = run(make(monitoring=assessment.snapshot().model_dump(mode="json")))
    text = "".join(build_body(result))
    assert "运行监控情况：截至 2022年7月31日，预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%" in text
    assert (
        "科普活动场次：年度指标值 ≥100场，截至监控时点完成 45场（45.00%），全年预计 60场，完成目标可能性“有可能”"
        in text
    )
    assert "运行监控情况" not in "".join(build_body(run(make())))
