"""Collecting files, auditing a batch that never stops on one file, and the summary workbook."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import jixiao.io.audit.batch as batch
from jixiao.core.audit.document import AuditedDocument
from jixiao.io.audit.audit_file import AuditSettings
from jixiao.io.audit.batch import audit_paths, iter_files
from jixiao.io.audit.summary import ISSUE_COLUMNS, RANKING_COLUMNS, write_summary_xlsx
from jixiao.io.errors import InputError
from tests.conftest import SHARED, requires_shared

SEED = SHARED / "seed" / "zhanjiang-2022-kepu-self-evaluation.txt"
LOW_RISK = SHARED / "corpus" / "public" / "03-xiaoxian-hexi-2023-farming-table.txt"
needs_shared = requires_shared(SEED, LOW_RISK)


@pytest.fixture(scope="module")
def settings() -> AuditSettings:
    return AuditSettings.load()


def touch(path: Path, text: str = "内容") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- iter_files -----------------------------------------------------------------------------------------


def test_folders_are_walked_recursively_sorted_and_filtered(tmp_path):
    root = tmp_path / "报送"
    for name in ("b.txt", "a.PDF", "c.docx", "sub/z.xlsx", "sub/deeper/y.xls", "sub/a.txt"):
        touch(root / name)
    for skipped in ("说明.md", "~$c.docx", ".hidden.txt", ".git/x.txt", "sub/~$z.xlsx", "d.doc"):
        touch(root / skipped)
    assert iter_files([root]) == [
        root / "a.PDF",
        root / "b.txt",
        root / "c.docx",
        root / "sub" / "a.txt",
        root / "sub" / "deeper" / "y.xls",
        root / "sub" / "z.xlsx",
    ]


def test_files_are_taken_as_given_in_order_and_once(tmp_path):
    folder = tmp_path / "f"
    b = touch(folder / "b.txt")
    a = touch(folder / "a.txt")
    odd = touch(tmp_path / "旧格式.doc")  # named explicitly: kept, so its audit can say why it is not read
    assert iter_files([odd, b, folder]) == [odd, b, a]


def test_a_missing_path_is_named(tmp_path):
    there = touch(tmp_path / "a.txt")
    missing = [tmp_path / "无此文件.txt", tmp_path / "无此文件夹"]
    with pytest.raises(InputError) as caught:
        iter_files([there, *missing])
    message = str(caught.value)
    assert "不存在" in message and all(str(p) in message for p in missing)


# --- audit_paths ----------------------------------------------------------------------------------------


@needs_shared
def test_batch_audits_in_order_and_reports_progress(tmp_path, settings):
    seed = Path(shutil.copy(SEED, tmp_path / "seed.txt"))
    gone = touch(tmp_path / "gone.txt")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    gone.unlink()  # removed between listing and reading
    calls: list[tuple[int, int, Path]] = []
    docs = audit_paths([seed, gone, empty], settings, lambda *args: calls.append(args))
    assert calls == [(1, 3, seed), (2, 3, gone), (3, 3, empty)]
    assert [d.file for d in docs] == [str(seed), str(gone), str(empty)]
    assert docs[0].error is None and docs[0].extraction is not None
    assert docs[0].extraction.value("budget_wan") == Decimal(153)
    assert "gone.txt" in (docs[1].error or "") and "不存在" in (docs[1].error or "")
    assert "empty.docx" in (docs[2].error or "") and "为空" in (docs[2].error or "")


@needs_shared
def test_an_unexpected_failure_on_one_file_does_not_stop_the_batch(tmp_path, settings, monkeypatch):
    first = Path(shutil.copy(SEED, tmp_path / "first.txt"))
    bad = Path(shutil.copy(SEED, tmp_path / "bad.txt"))
    last = Path(shutil.copy(LOW_RISK, tmp_path / "last.txt"))
    real = batch.audit_file

    def failing_on_bad(path: Path, settings: AuditSettings, **kwargs: object) -> AuditedDocument:
        if path == bad:
            raise ZeroDivisionError("division by zero")
        return real(path, settings)

    monkeypatch.setattr(batch, "audit_file", failing_on_bad)
    docs = audit_paths([first, bad, last], settings)
    assert [d.error is None for d in docs] == [True, False, True]
    # in Chinese, without the exception's English (it goes to the log)
    assert docs[1].error == f"文件 {bad}：读取时程序出错，未能识别其内容（已记入日志）；请检查文件，或联系系统管理员"
    assert docs[1].extraction is None and docs[1].findings == []


@needs_shared
def test_a_batch_read_on_two_cores_gives_what_one_gives_in_the_order_given(tmp_path, settings):
    seed = Path(shutil.copy(SEED, tmp_path / "seed.txt"))
    low = Path(shutil.copy(LOW_RISK, tmp_path / "low.txt"))
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    files = [seed, empty, low] * (batch.PER_WORKER * 2 // 3 + 1)  # enough to start the workers
    calls: list[tuple[int, int, Path]] = []
    docs = audit_paths(files, settings, lambda *args: calls.append(args), jobs=2)
    alone = audit_paths(files, settings)
    assert [d.to_dict() for d in docs] == [d.to_dict() for d in alone]
    assert [d.file for d in docs] == [str(p) for p in files]
    assert docs[0].extraction is not None and docs[0].extraction.value("budget_wan") == Decimal(153)
    assert docs[1].error == f"文件 {empty}：文件为空"
    assert [done for done, _, _ in calls] == list(range(1, len(files) + 1))
    assert sorted(map(str, (path for _, _, path in calls))) == sorted(map(str, files))


# --- the summary workbook -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, settings: AuditSettings) -> list[AuditedDocument]:
    folder = tmp_path_factory.mktemp("docs")
    broken = folder / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(LOW_RISK, folder / "=1+1.txt")
    seed = Path(shutil.copy(SEED, folder / "seed.txt"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)  # walking "." names the file "=1+1.txt", which Excel would take for a formula
        (formula_like,) = [p for p in iter_files([Path(".")]) if p.suffix == ".txt" and p.stem != "seed"]
        return audit_paths([broken, formula_like, seed], settings)


@pytest.fixture(scope="module")
def workbook(audited: list[AuditedDocument], tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("summary") / "audit-summary.xlsx"
    assert write_summary_xlsx(audited, path) == path
    return load_workbook(path)


def rows_of(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


@needs_shared
def test_ranking_sheet_has_its_columns_and_order(workbook):
    ws = workbook["风险排序"]
    assert workbook.sheetnames == ["风险排序", "全部问题"]
    assert tuple(c.value for c in ws[1]) == RANKING_COLUMNS
    rows = rows_of(ws)
    assert [Path(str(r["文件"])).name for r in rows] == ["seed.txt", "=1+1.txt", "broken.docx"]
    assert [r["序号"] for r in rows] == [1, 2, 3]
    seed, low, broken = rows
    assert seed["风险分"] == 86 and low["风险分"] < seed["风险分"]
    assert seed["类型"] == "自评报告" and seed["年度"] == 2022 and seed["自评等级"] == "优秀"
    assert seed["自评得分"] == 100 and seed["错误数"] == 2 and seed["警告数"] == 2
    problems = str(seed["主要问题"]).split("\n")
    assert len(problems) == 3
    assert problems[0].startswith("F006 ") and problems[1].startswith("S010 ") and problems[2].startswith("F005 ")
    assert seed["无法读取原因"] is None
    assert broken["风险分"] is None and broken["类型"] is None and broken["错误数"] is None
    assert "broken.docx" in str(broken["无法读取原因"])


@needs_shared
def test_amounts_are_numbers_shown_with_two_places(workbook):
    ws = workbook["风险排序"]
    header = [c.value for c in ws[1]]
    seed_row = ws[2]
    for column, expected in (("预算数(万元)", 153), ("到位数(万元)", 100), ("执行数(万元)", 100), ("自评得分", 100)):
        cell = seed_row[header.index(column)]
        assert cell.value == expected and cell.data_type == "n" and cell.number_format == "0.00"


@needs_shared
def test_text_that_looks_like_a_formula_stays_text(workbook):
    ws = workbook["风险排序"]
    cell = ws["B3"]
    assert cell.value == "=1+1.txt" and cell.data_type == "s"


@needs_shared
def test_sheets_have_bold_frozen_filtered_headers_and_widths(workbook):
    for ws, width in ((workbook["风险排序"], len(RANKING_COLUMNS)), (workbook["全部问题"], len(ISSUE_COLUMNS))):
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, width).column_letter}{ws.max_row}"
        assert all(6 <= ws.column_dimensions[ws.cell(1, i).column_letter].width <= 60 for i in range(1, width + 1))
    ranking = workbook["风险排序"]
    assert ranking.column_dimensions["P"].width == 60 and ranking["P2"].alignment.wrap_text


@needs_shared
def test_issue_sheet_has_one_row_per_finding(workbook, audited):
    ws = workbook["全部问题"]
    assert tuple(c.value for c in ws[1]) == ISSUE_COLUMNS
    rows = rows_of(ws)
    assert len(rows) == sum(len(d.findings) for d in audited)
    s010 = next(r for r in rows if r["编号"] == "S010")
    assert Path(str(s010["文件"])).name == "seed.txt"
    assert s010["级别"] == "错误" and s010["位置"] == "第316行" and "不能成立" in str(s010["说明"])


def test_control_characters_are_dropped_not_fatal(tmp_path):
    doc = AuditedDocument(file="a\x07b.txt", extraction=None, error="文件 a\x07b.txt：无法读取\x0b")
    path = write_summary_xlsx([doc], tmp_path / "s.xlsx")
    row = rows_of(load_workbook(path)["风险排序"])[0]
    assert row["文件"] == "ab.txt" and row["无法读取原因"] == "文件 ab.txt：无法读取"


@needs_shared
def test_a_failed_write_leaves_the_target_as_it_was(tmp_path, audited):
    target = tmp_path / "audit-summary.xlsx"
    target.mkdir()  # cannot be replaced by a file
    (target / "keep.txt").write_text("原有内容", encoding="utf-8")
    with pytest.raises(OSError):
        write_summary_xlsx(audited, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit-summary.xlsx"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "原有内容"
