"""docx → PDF through one LibreOffice run: real PDFs, checked with poppler (pdftoppm, pdftotext, pdffonts)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from jixiao.io.report import pdf
from jixiao.io.report.chart import render_chart
from jixiao.io.report.docx import write_report_docx
from jixiao.io.report.pdf import PdfError, convert_to_pdf
from tests.io.test_report_docx import four_level_result, minimal_result, rich_result


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The rich 153/100 report, the empty one and a four-level one (landscape table), converted in one batch."""
    work = tmp_path_factory.mktemp("pdf")
    rich = rich_result()
    sources = [
        write_report_docx(rich, work / "docx" / "rich.docx", render_chart(rich)),
        write_report_docx(minimal_result(), work / "docx" / "empty.docx"),
        write_report_docx(four_level_result(), work / "docx" / "four-level.docx"),
    ]
    return convert_to_pdf(sources, work / "out")


def poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def test_batch_gives_one_pdf_per_docx_in_order(pdfs):
    assert [p.name for p in pdfs] == ["rich.pdf", "empty.pdf", "four-level.pdf"]
    for path in pdfs:
        assert path.read_bytes()[:5] == b"%PDF-"


def test_page_one_is_rendered_not_blank(pdfs, tmp_path):
    poppler("pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdfs[0]), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert abs(width - 413) <= 1 and abs(height - 585) <= 1  # A4 at 50 dpi
    dark = sum(image.histogram()[:200])
    assert dark > 3000, f"page 1 has only {dark} non-white pixels"


def test_text_is_chinese_and_carries_the_figures(pdfs):
    text = poppler("pdftotext", "-layout", str(pdfs[0]), "-")
    for expected in ("基本情况", "项目资金使用绩效", "万元", "153.00", "65.36%", "96.54", "一致性检查发现", "S006"):
        assert expected in text, expected
    assert re.search(r"—\s*1\s*—", text)  # the footer page number
    empty = poppler("pdftotext", str(pdfs[1]), "-")
    assert "（未填写）" in empty


def test_fonts_are_the_mapped_cjk_fonts(pdfs):
    fonts = poppler("pdffonts", str(pdfs[0]))
    assert "NotoSerifCJK" in fonts  # 仿宋_GB2312 / 宋体 / 方正小标宋简体
    assert "NotoSansCJK" in fonts  # 黑体
    assert "DejaVu" not in fonts  # the sign of missing aliases: LibreOffice falls back to DejaVu


def test_pages_are_a4(pdfs):
    with pdfplumber.open(pdfs[0]) as document:
        assert len(document.pages) >= 5
        for page in document.pages:
            assert (round(page.width), round(page.height)) == (595, 842)


def test_four_level_table_is_on_a_landscape_page_with_a_page_number(pdfs):
    with pdfplumber.open(pdfs[2]) as document:
        sizes = [(round(p.width), round(p.height)) for p in document.pages]
        assert (842, 595) in sizes and sizes[0] == (595, 842) and sizes[-1] == (595, 842)
        landscape = sizes.index((842, 595))
        text = document.pages[landscape].extract_text()
    assert "绩效指标评分表" in text and "活动完成" in text
    assert re.search(rf"—\s*{landscape + 1}\s*—", text)  # numbering runs on through the sections


def test_no_punctuation_is_lost(pdfs, tmp_path):
    """LibreOffice 7.4 dropped a 。 or ， that hung at the end of a justified line; the body is left-aligned for it."""
    for pdf_path, name in zip(pdfs, ("rich", "empty", "four-level"), strict=True):
        with zipfile.ZipFile(pdf_path.parent.parent / "docx" / f"{name}.docx") as z:
            xml = z.read("word/document.xml").decode()
        words = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
        text = poppler("pdftotext", str(pdf_path), "-")
        for mark in "，。":
            assert text.count(mark) == words.count(mark), (name, mark)


def test_missing_soffice_is_a_chinese_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    with pytest.raises(PdfError, match="未找到 LibreOffice（soffice），无法生成 PDF；请运行 make 安装依赖"):
        convert_to_pdf([source], tmp_path)


def test_a_file_that_is_not_a_document_fails_in_chinese(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"\x00\x01 not a word document")
    with pytest.raises(PdfError, match=r"LibreOffice 转换 PDF 失败.*broken\.docx"):
        convert_to_pdf([broken], tmp_path / "out")


def test_bad_batches_are_refused_before_starting(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    one, two = tmp_path / "x" / "same.docx", tmp_path / "y" / "same.docx"
    one.write_bytes(b"x")
    two.write_bytes(b"x")
    with pytest.raises(PdfError, match="重名"):
        convert_to_pdf([one, two], tmp_path / "out")
    with pytest.raises(PdfError, match="找不到要转换的文件"):
        convert_to_pdf([tmp_path / "missing.docx"], tmp_path / "out")
    assert convert_to_pdf([], tmp_path / "out") == []
