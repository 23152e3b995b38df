"""PDFs: text layer with tables (made by LibreOffice from a docx), and a scan read by Tesseract."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from jixiao.core.audit.source import Place
from jixiao.io.audit import UnreadableDocument, read_source
from jixiao.io.audit.readers import pdf as pdf_reader
from jixiao.io.audit.readers.ocr import join_cjk, tesseract_chi_sim

from .conftest import make_report_docx, soffice_convert

DRAWN = ("项目名称 科普专项经费", "预算 153 万元")


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pdf")
    return soffice_convert(make_report_docx(work / "报告.docx", page_break=True), "pdf", work)


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page image of Chinese text, saved by Pillow as a PDF without a text layer."""
    font = ImageFont.truetype(_cjk_font(), 64)
    image = Image.new("L", (1654, 1169), 255)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(DRAWN):
        draw.text((100, 150 + 150 * i), text, font=font, fill=0)
    path = tmp_path_factory.mktemp("scan") / "扫描件.pdf"
    image.save(path, "PDF", resolution=150)
    return path


def _cjk_font() -> str:
    default = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if default.exists():
        return str(default)
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        found = ""
    if not found or not Path(found).exists():
        pytest.skip("no CJK font to draw the scan")
    return found


@pytest.mark.office
def test_text_layer_lines_and_pages(text_pdf):
    source = read_source(text_pdf)
    assert source.format == "pdf"
    assert source.pages == 2
    assert source.ocr is False and source.notes == []
    lines = {line.text: line.place for line in source.lines}
    assert lines["一、基本情况"] == Place(page=1, line=1)
    assert lines["预算 153 万元，执行 387664.62 元。"] == Place(page=1, line=2)  # spaces between words kept
    assert lines["二、结论"] == Place(page=2, line=1)


@pytest.mark.office
def test_text_layer_table_is_a_table_in_reading_order(text_pdf):
    source = read_source(text_pdf)
    assert source.order == [("line", 0), ("line", 1), ("table", 0), ("line", 2)]
    table = source.tables[0]
    assert table.name == "第1页表1"
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["指标", "指标值", "实际完成值"],
        ["产出指标", "合并内容", ""],
        ["", "100%", "98%"],
    ]
    assert table.rows[1][1].place == Place(page=1, cell="表1!B2")
    assert not any("合并内容" in line.text for line in source.lines)  # table text is not prose too


@pytest.mark.office
def test_encrypted_pdf(tmp_path):
    docx = make_report_docx(tmp_path / "加密.docx")
    options = (
        '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"mima"}}'
    )
    encrypted = soffice_convert(docx, f"pdf:writer_pdf_Export:{options}", tmp_path)
    with pytest.raises(UnreadableDocument, match="PDF 已加密，无法读取") as caught:
        read_source(encrypted)
    assert str(encrypted) in str(caught.value)


@pytest.mark.ocr
@pytest.mark.skipif(not tesseract_chi_sim(), reason="Tesseract with chi_sim is not installed")
def test_scanned_pdf_is_read_by_ocr(scanned_pdf):
    source = read_source(scanned_pdf)
    assert source.ocr is True
    assert source.pages == 1
    assert len(source.notes) == 1
    assert "第1页无文本层，需 OCR" in source.notes[0] and "Tesseract（chi_sim）" in source.notes[0]
    text = "\n".join(line.text for line in source.lines)
    assert "153" in text and "科普" in text
    assert all(line.place.page == 1 for line in source.lines)
    assert [line.place.line for line in source.lines] == list(range(1, len(source.lines) + 1))


def test_scanned_pdf_without_tesseract(scanned_pdf, monkeypatch):
    monkeypatch.setattr(pdf_reader, "tesseract_chi_sim", lambda: False)
    with pytest.raises(UnreadableDocument, match=r"无文本层，需 OCR.*未安装 Tesseract chi_sim") as caught:
        read_source(scanned_pdf)
    assert str(scanned_pdf) in str(caught.value)


def test_join_cjk_removes_only_spaces_between_chinese():
    assert join_cjk(" 项 目 名 称 ： 科 普  预算 153 万 元 ") == "项目名称：科普预算 153 万元"


def test_pages_label():
    assert pdf_reader.pages_label([3]) == "第3页"
    assert pdf_reader.pages_label([1, 2, 3, 5, 7, 8]) == "第1至3、5、7至8页"


def test_overprinted_characters_are_detected():
    def char(text: str, x0: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "top": top}

    assert pdf_reader._overprinted([char("项", 10, 20), char("项", 10.2, 20.1), char("目", 22, 20)])
    assert not pdf_reader._overprinted([char("项", 10, 20), char("目", 22, 20), char("项", 10, 40)])


@pytest.fixture(scope="module")
def mixed_pdf(text_pdf: Path, scanned_pdf: Path) -> Path:
    """Two pages with a text layer followed by a scanned page, joined by poppler's pdfunite."""
    if shutil.which("pdfunite") is None:
        pytest.skip("poppler's pdfunite is not installed")
    path = scanned_pdf.parent / "混合.pdf"
    subprocess.run(
        ["pdfunite", str(text_pdf), str(scanned_pdf), str(path)], check=True, capture_output=True, timeout=60
    )
    return path


@pytest.mark.ocr
@pytest.mark.office
@pytest.mark.skipif(not tesseract_chi_sim(), reason="Tesseract with chi_sim is not installed")
def test_mixed_pdf_ocrs_only_the_scanned_page(mixed_pdf):
    source = read_source(mixed_pdf)
    assert source.pages == 3 and source.ocr is True
    assert len(source.notes) == 1 and source.notes[0].startswith("第3页无文本层，需 OCR：")
    pages = [line.place.page for line in source.lines]
    assert pages == sorted(pages) and pages[-1] == 3
    assert any("153" in line.text for line in source.lines if line.place.page == 3)
    assert source.tables[0].name == "第1页表1"


@pytest.mark.office
def test_mixed_pdf_without_tesseract_keeps_the_text_pages(mixed_pdf, monkeypatch):
    monkeypatch.setattr(pdf_reader, "tesseract_chi_sim", lambda: False)
    source = read_source(mixed_pdf)
    assert source.ocr is False
    assert source.notes == ["第3页无文本层，需 OCR；本机未安装 Tesseract chi_sim，这些页未读取"]
    assert {line.place.page for line in source.lines} == {1, 2}
