"""Reading in a worker process bounded in time and memory (``jixiao.io.audit.bounded``), with real files: the same
answer as reading in-process, and a Chinese message naming the file when the worker is too slow, runs out of
memory or dies; nothing left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.io.audit.audit_file import AuditSettings, read_and_audit
from jixiao.io.audit.bounded import read_and_audit_bounded

REPORT = [
    "2022年度科普活动经费项目支出绩效自评报告",
    "一、项目基本情况",
    "项目名称：科普活动经费",
    "二、资金情况",
    "项目年度预算资金153万元，全年到位资金100万元，执行数100万元，预算执行率65.36%。",
    "三、自评结论",
    "自评得分95分，等级为优。",
]
#: a report of 40,000 funding lines (5 MB, under the upload limit): some 4 s to audit here, far beyond the limits
#: the tests set, so the worker is always still reading when they strike
SLOW_LINES = 40_000
#: far below what the worker has mapped before it reads anything (100 to 200 MB of libraries): any reading that
#: needs more than the spare room of the memory it inherited fails
TOO_FEW_MEGABYTES = 16
#: a sheet of 200 cells of 30,000 characters each: 54 KB on disk, 18 MB of text to read
LONG_CELLS, LONG_CELL = 200, "项目绩效自评" * 5000

_NS = "http://schemas.openxmlformats.org/"
_PACKAGE = {
    "[Content_Types].xml": f'<Types xmlns="{_NS}package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_NS}package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{_NS}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_NS}spreadsheetml/2006/main" '
    f'xmlns:r="{_NS}officeDocument/2006/relationships"><sheets><sheet name="自评表" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_NS}package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{_NS}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


@pytest.fixture(scope="module")
def audit_settings() -> AuditSettings:
    return AuditSettings.load()


def _report(folder: Path) -> Path:
    path = folder / "自评报告.txt"
    path.write_text("\n".join(REPORT), encoding="utf-8")
    return path


def _table(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    for row in (["项目支出绩效自评表"], ["项目名称", "科普活动经费"], ["自评得分", 95]):
        ws.append(row)
    path = folder / "自评表.xlsx"
    wb.save(path)
    return path


def _long_cells(folder: Path) -> Path:
    """A real .xlsx (the package Excel writes, its sheet XML written here, since openpyxl takes over a second)."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{LONG_CELL}</t></is></c></row>'
        for r in range(1, LONG_CELLS + 1)
    )
    sheet = f'<worksheet xmlns="{_NS}spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    path = folder / "长单元格.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for part, xml in {**_PACKAGE, "xl/worksheets/sheet1.xml": sheet}.items():
            package.writestr(part, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return path


def _slow(folder: Path) -> Path:
    path = folder / "大报告.txt"
    line = "项目年度预算资金153万元，全年到位资金100万元，执行数100万元，预算执行率65.36%。"
    path.write_text("\n".join(f"第{i}行：{line}" for i in range(SLOW_LINES)), encoding="utf-8")
    return path


def _readers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "jixiao-read"]


@pytest.mark.parametrize("make", [_report, _table], ids=["txt", "xlsx"])
def test_a_small_file_reads_as_it_does_in_process(make, tmp_path: Path, audit_settings: AuditSettings) -> None:
    path = make(tmp_path)
    source, doc = read_and_audit_bounded(path, audit_settings, name=path.name)
    here_source, here = read_and_audit(path, audit_settings, name=path.name)
    assert doc.error is None
    assert doc.file == path.name
    assert doc.to_dict()["facts"]["project"] == "科普活动经费"
    assert doc.to_dict() == here.to_dict()
    assert source == here_source
    assert sorted(tmp_path.iterdir()) == [path]  # the worker's temporary folder is gone
    assert _readers() == []


def test_the_report_read_by_the_worker_states_its_facts(tmp_path: Path, audit_settings: AuditSettings) -> None:
    _, doc = read_and_audit_bounded(_report(tmp_path), audit_settings, name="自评报告.txt")
    facts = doc.to_dict()["facts"]
    assert (facts["year"], facts["budget_wan"], facts["execution_rate_pct"], facts["self_score"], facts["grade"]) == (
        2022,
        153,
        65.36,
        95,
        "优",
    )


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("空.txt", b"", "文件 空.txt：文件为空"),
        ("坏表.xlsx", b"PK\x03\x04 not a zip", "文件 坏表.xlsx：文件已损坏或不是有效的 .xlsx 文件"),
    ],
)
def test_an_unreadable_file_is_told_as_in_process(
    name: str, content: bytes, error: str, tmp_path: Path, audit_settings: AuditSettings
) -> None:
    path = tmp_path / f"upload{Path(name).suffix}"
    path.write_bytes(content)
    source, doc = read_and_audit_bounded(path, audit_settings, name=name)
    assert (source, doc.error, doc.extraction) == (None, error, None)
    assert doc.to_dict() == read_and_audit(path, audit_settings, name=name)[1].to_dict()


def test_a_reading_past_the_time_limit_is_stopped(tmp_path: Path, audit_settings: AuditSettings) -> None:
    path = _slow(tmp_path)
    started = time.monotonic()
    source, doc = read_and_audit_bounded(path, audit_settings, name="大报告.txt", seconds=0.5)
    assert time.monotonic() - started < 2
    assert source is None
    assert doc.extraction is None
    assert doc.error == "文件 大报告.txt：读取超过 0.5 秒仍未完成，已停止（文件可能过大或已损坏）；请检查文件后重试"
    assert _readers() == []
    assert sorted(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("make", [_long_cells, _slow], ids=["xlsx", "txt"])
def test_a_reading_past_the_memory_limit_is_stopped(make, tmp_path: Path, audit_settings: AuditSettings) -> None:
    path = make(tmp_path)
    source, doc = read_and_audit_bounded(path, audit_settings, name=path.name, megabytes=TOO_FEW_MEGABYTES)
    assert source is None
    assert doc.error == (
        f"文件 {path.name}：读取所需内存超过上限（{TOO_FEW_MEGABYTES} MB），已停止；文件可能是压缩炸弹或过大"
    )
    assert sorted(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    ("how", "told"),
    [
        # a C library's crash, and the kernel's out-of-memory killer
        (signal.SIGSEGV, "读取程序崩溃"),
        (signal.SIGKILL, "读取程序被系统强行终止（可能是服务器内存不足）"),
    ],
    ids=["segfault", "killed"],
)
def test_the_death_of_the_worker_is_told(
    how: signal.Signals, told: str, tmp_path: Path, audit_settings: AuditSettings
) -> None:
    path = _slow(tmp_path)
    answers: list[object] = []
    reading = threading.Thread(
        target=lambda: answers.append(read_and_audit_bounded(path, audit_settings, name="大报告.txt", seconds=30))
    )
    started = time.monotonic()
    reading.start()
    while not (workers := _readers()) and time.monotonic() - started < 10:
        time.sleep(0.01)
    os.kill(workers[0].pid or 0, how)
    reading.join(10)
    assert time.monotonic() - started < 5
    [(source, doc)] = answers
    assert source is None
    assert doc.error == (
        f"文件 大报告.txt：读取时{told}，未能识别其内容（已记入日志）；请检查文件后重试，如仍出错请联系系统管理员"
    )
    assert sorted(tmp_path.iterdir()) == [path]


def test_uploads_are_read_within_the_limits_of_the_settings(tmp_path: Path, settings) -> None:
    """Both web readers: 导入 (a single upload) and 批量接收 (each file of a batch), each in a scratch folder left
    empty."""
    from jixiao.web import scratch
    from jixiao.web.evaluations import importing
    from jixiao.web.intake import services

    before = set(scratch.root().iterdir())
    slow = _slow(tmp_path).read_bytes()
    settings.JIXIAO_READ_SECONDS = 0.3
    doc = importing.audit_upload(slow, "大报告.txt")
    assert doc.error == "文件 大报告.txt：读取超过 0.3 秒仍未完成，已停止（文件可能过大或已损坏）；请检查文件后重试"
    settings.JIXIAO_READ_SECONDS = 60  # the memory limit alone, not a race with 0.3 s on a busy machine
    settings.JIXIAO_READ_MEGABYTES = TOO_FEW_MEGABYTES
    source, doc = services._audit(_long_cells(tmp_path).read_bytes(), "长单元格.xlsx")
    assert source is None
    assert doc.error == (
        f"文件 长单元格.xlsx：读取所需内存超过上限（{TOO_FEW_MEGABYTES} MB），已停止；文件可能是压缩炸弹或过大"
    )
    assert set(scratch.root().iterdir()) == before


def test_a_long_temp_folder_does_not_stop_the_worker(tmp_path: Path) -> None:
    """The forkserver's socket lives in the temp folder; a Unix socket's path holds at most 107 bytes, so under a
    long TMPDIR (pytest's own folders, a deep service path) it is kept in a short folder instead."""
    import subprocess
    import sys

    long_tmp = tmp_path / ("深" * 40)
    long_tmp.mkdir()
    report = tmp_path / "报告.txt"
    report.write_text("项目名称：科普活动经费\n年度预算资金153万元", encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from jixiao.io.audit.audit_file import AuditSettings\n"
        "from jixiao.io.audit.bounded import read_and_audit_bounded\n"
        "source, doc = read_and_audit_bounded(Path(sys.argv[1]), AuditSettings.load(), name='报告.txt')\n"
        "print(doc.error, len(source.lines) if source else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(report)],
        env={**os.environ, "TMPDIR": str(long_tmp)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(str(long_tmp).encode()) > 107
    assert done.stdout.strip() == "None 2", done.stderr[-2000:]
