"""docx → PDF through one LibreOffice run: real PDFs, checked with poppler (pdftoppm, pdftotext, pdffonts).

Every document these tests read is converted in one LibreOffice run per test session (the ``pdfs`` fixture).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image, ImageChops, ImageDraw, ImageFont

from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.report import pdf
from jixiao.io.report.body import _Body
from jixiao.io.report.chart import render_chart
from jixiao.io.report.docx import write_report_docx
from jixiao.io.report.ooxml import _NS, Col, _p, _template
from jixiao.io.report.pdf import PdfError, convert_to_pdf
from jixiao.io.report.variant import REVIEW_MARK
from tests.conftest import EXAMPLE, run
from tests.io.test_report_docx import four_level_result, minimal_result, rich_result

pytestmark = pytest.mark.office

#: hanzi whose Simplified Chinese glyphs differ visibly from the Japanese ones in Noto CJK
SC_PROBE = "门直写"
#: the report's paragraph styles and the face fonts.conf maps their font onto
GLYPH_STYLES = {"Normal": "Serif", "Title": "Serif", "TableText": "Serif", "Heading1": "Sans"}
#: filler lines before each probe table, so that its caption falls on the last lines of a page
FILLERS = range(16, 22)


def _write_fragments(parts: list[str], path: Path) -> Path:
    """A .docx with the report's template (styles, page, footers) and ``parts`` as its body."""
    document = docx.Document(io.BytesIO(_template()))
    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    document.element.replace(old, parse_xml(f"<w:body {_NS}>{''.join(parts)}<w:p/>{sect}</w:body>"))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _table_probes(path: Path) -> Path:
    """One probe per page: filler lines, then a captioned table, short (8 rows) or long (40 rows)."""
    body = _Body()
    for long in (False, True):
        for filler in FILLERS:
            for i in range(filler):
                body.raw(_p(f"填充第{i + 1}行", ppr="<w:pageBreakBefore/>" if i == 0 else ""))
            body.caption("表", f"探针{body.tables + 1}")
            rows = [[str(i), f"探{body.tables}行{i}"] for i in range(1, 41 if long else 9)]
            body.table([Col("序号", 20), Col("内容", 100)], rows)
    return _write_fragments(body.parts, path)


def _glyph_probe(path: Path) -> Path:
    """``SC_PROBE`` in each report style that names a Noto-mapped font, at 40 pt."""
    size = '<w:sz w:val="80"/><w:szCs w:val="80"/>'
    return _write_fragments([_p(SC_PROBE, style, rpr=size) for style in GLYPH_STYLES], path)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every PDF the tests read, converted in one LibreOffice run: the rich 153/100 report (official and review),
    the empty one, a four-level one (landscape table), the example in both versions, and two probes."""
    work = tmp_path_factory.mktemp("pdf")
    docs = work / "docx"
    rich = rich_result()
    chart = render_chart(rich)
    example = run(load_evaluation(EXAMPLE))
    sources = [
        write_report_docx(rich, docs / "rich.docx", chart),
        write_report_docx(rich, docs / "rich-review.docx", chart, variant="review"),
        write_report_docx(minimal_result(), docs / "empty.docx"),
        write_report_docx(four_level_result(), docs / "four-level.docx"),
        write_report_docx(example, docs / "example.docx"),
        write_report_docx(example, docs / "example-review.docx", variant="review"),
        _table_probes(docs / "tables.docx"),
        _glyph_probe(docs / "glyphs.docx"),
    ]
    return {path.stem: path for path in convert_to_pdf(sources, work / "out")}


def poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@cache
def page_lines(path: Path) -> list[list[str]]:
    """Each page's non-empty lines, read once per file with poppler's pdftotext (pages end in a form feed)."""
    pages = poppler("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-").split("\f")[:-1]
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def page_texts(path: Path) -> list[str]:
    """Each page's text without any whitespace (pdf text puts spaces between hanzi and digits)."""
    return [re.sub(r"\s+", "", "".join(lines)) for lines in page_lines(path)]


def test_batch_gives_one_pdf_per_docx_in_order(pdfs):
    assert list(pdfs) == [
        "rich",
        "rich-review",
        "empty",
        "four-level",
        "example",
        "example-review",
        "tables",
        "glyphs",
    ]
    for path in pdfs.values():
        assert path.read_bytes()[:5] == b"%PDF-"


def test_page_one_is_rendered_not_blank(pdfs, tmp_path):
    poppler("pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdfs["rich"]), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert abs(width - 413) <= 1 and abs(height - 585) <= 1  # A4 at 50 dpi
    dark = sum(image.histogram()[:200])
    assert dark > 3000, f"page 1 has only {dark} non-white pixels"


def test_text_is_chinese_and_carries_the_figures(pdfs):
    text = poppler("pdftotext", "-layout", str(pdfs["rich"]), "-")
    for expected in ("基本情况", "项目资金使用绩效", "万元", "153.00", "65.36%", "96.54", "湛江市科学技术协会"):
        assert expected in text, expected
    assert re.search(r"—\s*1\s*—", text)  # the footer page number
    review = poppler("pdftotext", str(pdfs["rich-review"]), "-")
    assert "一致性检查发现" in review and "S006" in review
    assert "无" in poppler("pdftotext", str(pdfs["empty"]), "-")


def test_the_official_pdf_has_no_appendix_and_the_review_pdf_is_marked_on_every_page(pdfs):
    official, review = page_texts(pdfs["example"]), page_texts(pdfs["example-review"])
    mark = re.sub(r"\s+", "", REVIEW_MARK)
    assert not any(mark in page or "一致性检查" in page or "录入说明" in page for page in official)
    assert all(mark in page for page in review)
    assert len(review) > len(official)
    assert "湛江市科学技术协会2023年4月20日" in official[-1]  # the 落款 closes the official report


def test_every_font_is_a_simplified_chinese_face_or_kaiti(pdfs):
    """Noto CJK's collections name every face's CFF “NotoSerifCJKjp…”; jixiao hands LibreOffice the SC faces copied
    out under their own name (io/report/sc_fonts.py), so pdffonts lists SC faces and never a JP one. Which face
    was drawn also shows in the glyphs (next test)."""
    for name in ("rich", "example-review", "glyphs"):
        lines = poppler("pdffonts", str(pdfs[name])).splitlines()[2:]
        fonts = {line.split()[0].split("+")[-1] for line in lines}
        assert fonts, name
        for font in fonts:
            assert re.match(r"(NotoSerifCJKsc|NotoSansCJKsc)-(Regular|Bold)|GBZenKai-Medium", font), (name, font)
            assert "jp" not in font.lower(), (name, font)


def _face(style: str, region: str) -> ImageFont.FreeTypeFont:
    family = f"Noto {style} CJK {region}"
    file = poppler("fc-match", "-f", "%{file}", family)
    for index in range(8):  # the collection's faces; find the region's by its name
        font = ImageFont.truetype(file, 160, index=index)
        if font.getname()[0] == family:
            return font
    pytest.fail(f"{file} has no face {family}")


def _ink(image: Image.Image) -> Image.Image:
    """The glyph's ink, cropped and scaled to 64 × 64, black on white."""
    binary = image.convert("L").point(lambda v: 255 if v < 128 else 0)
    return binary.crop(binary.getbbox()).resize((64, 64))


def _distance(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 128 else 0)
    return diff.histogram()[255] / (64 * 64)


def test_cjk_text_is_drawn_with_the_simplified_chinese_glyphs(pdfs):
    """Each probe glyph in the PDF matches the SC face of Noto CJK better than the JP face, by a clear margin."""
    references = {}
    for style in set(GLYPH_STYLES.values()):
        for region in ("SC", "JP"):
            font = _face(style, region)
            for char in SC_PROBE:
                canvas = Image.new("L", (320, 320), 255)
                ImageDraw.Draw(canvas).text((80, 80), char, font=font, fill=0)
                references[style, region, char] = _ink(canvas)
    with pdfplumber.open(pdfs["glyphs"]) as document:
        page = document.pages[0]
        image = page.to_image(resolution=300).original
        scale = 300 / 72
        chars = sorted((c for c in page.chars if c["text"] in SC_PROBE), key=lambda c: (round(c["top"]), c["x0"]))
        assert len(chars) == len(SC_PROBE) * len(GLYPH_STYLES)
        for n, char in enumerate(chars):
            style = list(GLYPH_STYLES.values())[n // len(SC_PROBE)]
            box = [round(v * scale) for v in (char["x0"] - 1, char["top"] - 1, char["x1"] + 1, char["bottom"] + 1)]
            drawn = _ink(image.crop(box))
            sc = _distance(drawn, references[style, "SC", char["text"]])
            jp = _distance(drawn, references[style, "JP", char["text"]])
            assert sc + 0.03 < jp, (list(GLYPH_STYLES)[n // len(SC_PROBE)], char["text"], sc, jp)


def test_a_caption_and_header_never_end_a_page_and_short_tables_stay_whole(pdfs):
    pages = page_texts(pdfs["tables"])
    probes = len(FILLERS) * 2
    for k in range(1, probes + 1):
        long = k > len(FILLERS)
        caption = next(i for i, page in enumerate(pages) if f"表{k}探针{k}" in page)
        first_rows = [f"探{k}行{i}" for i in ((1, 2) if long else range(1, 9))]
        assert all(row in pages[caption] for row in first_rows), (k, pages[caption][-80:])
        if long:  # the table breaks, but its last two rows stay together and the header repeats
            last = next(i for i, page in enumerate(pages) if f"探{k}行40" in page)
            assert f"探{k}行39" in pages[last]
            assert last == caption or pages[last].count("序号内容") == 1


def test_no_page_of_the_reports_ends_with_a_caption(pdfs):
    for name in ("rich", "example", "example-review"):
        for number, lines in enumerate(page_lines(pdfs[name]), 1):
            body = [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line)]
            assert body and not re.match(r"表\s*\d+\s", body[-1]), (name, number, body[-1])


def test_the_indicator_table_note_stays_with_the_total(pdfs):
    for name in ("rich", "four-level", "example"):
        pages = page_texts(pdfs[name])
        (note,) = [i for i, page in enumerate(pages) if "注：计算得分按" in page]
        assert re.search(r"合计\d+\.\d\d", pages[note]), name


def test_pages_are_a4(pdfs):
    with pdfplumber.open(pdfs["rich"]) as document:
        assert len(document.pages) >= 5
        for page in document.pages:
            assert (round(page.width), round(page.height)) == (595, 842)


def test_four_level_table_is_on_a_landscape_page_with_a_page_number(pdfs):
    with pdfplumber.open(pdfs["four-level"]) as document:
        sizes = [(round(p.width), round(p.height)) for p in document.pages]
        assert (842, 595) in sizes and sizes[0] == (595, 842) and sizes[-1] == (595, 842)
        landscape = sizes.index((842, 595))
        text = document.pages[landscape].extract_text()
    assert "绩效指标评分表" in text and "活动完成" in text
    assert re.search(rf"—\s*{landscape + 1}\s*—", text)  # numbering runs on through the sections


def test_no_punctuation_is_lost(pdfs, tmp_path):
    """LibreOffice 7.4 dropped a 。 or ， that hung at the end of a justified line; the body is left-aligned for it."""
    for name in ("rich", "empty", "four-level", "example-review"):
        pdf_path = pdfs[name]
        with zipfile.ZipFile(pdf_path.parent.parent / "docx" / f"{name}.docx") as z:
            xml = z.read("word/document.xml").decode()
        words = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).replace(REVIEW_MARK, "")
        text = poppler("pdftotext", str(pdf_path), "-").replace(REVIEW_MARK, "")  # also in every page header
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
