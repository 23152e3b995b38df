"""The three workbooks as printed: every workbook goes through LibreOffice to PDF (one soffice run for the
session) and the PDF's words and their boxes are read back with poppler (``pdftotext -bbox``, which gives the
same word boxes as pdfplumber at a twentieth of the cost). On every page no word overlaps another, no cell's
text is missing (cut off by a row too low or shown as ### in a column too narrow), the repeated header rows are
there, and so are the page numbers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from jixiao.core.result import EvaluationResult
from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.report.pdf import FONTS_CONF
from jixiao.io.xlsx.basic_data import write_basic_data_xlsx
from jixiao.io.xlsx.scoring_sheet import write_scoring_xlsx
from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from tests.conftest import EXAMPLE, make, run
from tests.io.test_selfeval_table import guangdong_evaluation

pytestmark = pytest.mark.office

WRITERS: dict[str, Callable[[EvaluationResult, Path], Path]] = {
    "基础数据表": write_basic_data_xlsx,
    "评分表": write_scoring_xlsx,
    "自评表": write_selfeval_table,
}

#: one sentence of the Zhanjiang report, long enough to wrap over many lines, in CJK with Latin and figures
LONG = "通过开展科普日、科技活动周等系列活动（共 110 场，参与群众约 6115 人次），提升公民科学素质。" * 6


def small() -> EvaluationResult:
    """The small 附1-style evaluation with one long goal, a long reason with a line break, and a long name."""
    e = make()
    e.goals[0].actual = LONG
    leaf = e.indicators[0].children[0].children[0]
    leaf.deviation_reason = "受天气影响，部分户外活动延期。\nThe outdoor events were postponed; 下半年已补办完成。"
    leaf.name = "全市科普活动开展场次（含线上线下 Science Day 活动）"
    return run(e)


CASES: dict[str, Callable[[], EvaluationResult]] = {
    "湛江": lambda: run(load_evaluation(EXAMPLE)),
    "湛江按2021规则": lambda: run(load_evaluation(EXAMPLE), "mof-2021"),
    "小": small,
    "四级": lambda: run(guangdong_evaluation()),
}
BOOKS = [f"{case}-{what}" for case in CASES for what in WRITERS]


def convert(paths: list[Path], out_dir: Path) -> None:
    """Every workbook to PDF in one LibreOffice run, with a private profile and jixiao's font mapping."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": profile}
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile, 'user').as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)],
            env=env, cwd=profile, stdin=subprocess.DEVNULL, capture_output=True, timeout=300, check=True,
        )  # fmt: skip


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Book name → (xlsx, pdf)."""
    folder = tmp_path_factory.mktemp("xlsx-print")
    books: dict[str, Path] = {}
    for case, build in CASES.items():
        result = build()
        for what, write in WRITERS.items():
            books[f"{case}-{what}"] = write(result, folder / f"{case}-{what}.xlsx")
    convert(list(books.values()), folder)
    return {name: (path, path.with_suffix(".pdf")) for name, path in books.items()}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_texts(ws) -> list[str]:
    return [compact(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.strip()]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


XHTML = "{http://www.w3.org/1999/xhtml}"


def printed_pages(pdf_path: Path) -> list[Page]:
    """Every page's size and words with their boxes (points, from the top left), from poppler's pdftotext."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True, timeout=60
    ).stdout
    pages = []
    for page in ET.fromstring(out).iter(f"{XHTML}page"):
        words = [
            Word(w.text or "", *(float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter(f"{XHTML}word")
        ]
        pages.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), words))
    return pages


def overlapping(words: list[Word]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than half a point both ways."""
    found = []
    words = sorted(words, key=lambda w: w.top)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.top >= a.bottom - 0.5:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5:
                found.append((a.text, b.text))
    return found


def pages_by_sheet(pdf_path: Path, sheetnames: list[str]) -> dict[str, list[str]]:
    """Each sheet's pages (their words), told apart by the sheet name in the footer; and no page overlaps."""
    pages: dict[str, list[str]] = {name: [] for name in sheetnames}
    for number, page in enumerate(printed_pages(pdf_path), 1):
        assert overlapping(page.words) == [], f"{pdf_path.name} 第 {number} 页有文字重叠"
        footer = [w.text for w in page.words if w.top > page.height - 50]
        sheet = next((name for name in sheetnames if name in footer), None)
        assert sheet is not None, f"{pdf_path.name} 第 {number} 页页脚没有工作表名：{footer}"
        assert re.search(r"第\d+页，共\d+页", "".join(footer)), f"{pdf_path.name} 第 {number} 页页脚没有页码"
        pages[sheet].append(compact("".join(w.text for w in page.words)))
    return pages


@pytest.mark.parametrize("book", BOOKS)
def test_every_page_is_readable_whole_and_headed(printed, book):
    xlsx, pdf = printed[book]
    wb = openpyxl.load_workbook(xlsx)
    pages = pages_by_sheet(pdf, wb.sheetnames)
    for ws in wb.worksheets:
        text = "".join(pages[ws.title])
        assert pages[ws.title], f"{ws.title} 没有打印出来"
        assert "###" not in text, f"{ws.title} 有数字因列宽不够显示为 ###"
        # nothing cut off: every character of every cell is printed (repeated header rows only add)
        wanted = Counter("".join(cell_texts(ws)))
        missing = wanted - Counter(text)
        assert not missing, f"{ws.title} 有文字未打印出来：{''.join(sorted(missing.elements()))[:80]}"
        # the repeated rows head every page from the one they first print on (the first page, unless they are
        # the 附1's indicator header half-way down): the table is one page wide and headed on each page
        first, last = (int(n) for n in re.findall(r"\d+", ws.print_title_rows))
        header = Counter("".join(compact(c.value) for r in range(first, last + 1) for c in ws[r] if c.value))
        headed = [not header - Counter(page) for page in pages[ws.title]]  # a wrapped header prints in pieces
        start = 0 if first <= 5 else headed.index(True)
        assert all(headed[start:]), f"{ws.title} 第 {headed.index(False, start) + 1} 页缺少表头"


def test_the_zhanjiang_scoring_sheet_prints_landscape_on_several_pages(printed):
    pages = printed_pages(printed["湛江-评分表"][1])
    assert len(pages) >= 2
    assert all(page.width > page.height for page in pages)  # landscape A4
    assert round(pages[0].width) == 842


def test_the_selfeval_table_prints_portrait_like_the_official_form(printed):
    for case in CASES:
        pages = printed_pages(printed[f"{case}-自评表"][1])
        assert pages and all(round(page.width) == 595 and round(page.height) == 842 for page in pages), case


def _pdf_with_text(path: Path, runs: list[tuple[float, float, str]]) -> Path:
    """A one-page A4 PDF drawing each (x, y, text) run in Helvetica 12 pt (y from the bottom, as PDF counts)."""
    stream = "".join(f"BT /F1 12 Tf {x} {y} Td ({text}) Tj ET\n" for x, y, text in runs).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_the_overlap_check_sees_words_printed_over_each_other(tmp_path):
    """The check above can fail: two runs drawn 3 pt apart overlap; the same runs on separate lines do not."""
    over = printed_pages(_pdf_with_text(tmp_path / "over.pdf", [(100, 700, "Budget"), (103, 701, "Spent")]))
    assert overlapping(over[0].words) == [("Spent", "Budget")]
    apart = printed_pages(_pdf_with_text(tmp_path / "apart.pdf", [(100, 700, "Budget"), (100, 680, "Spent")]))
    assert [w.text for w in apart[0].words] == ["Budget", "Spent"] and overlapping(apart[0].words) == []
