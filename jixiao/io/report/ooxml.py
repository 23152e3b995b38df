"""WordprocessingML text and the report's typography: fonts, paragraphs, tables, styles, page set-up, footers,
font table and the empty report template built from them.

Typography follows the conventions of Chinese official documents (GB/T 9704): A4, margins 37/35/28/26 mm,
title 方正小标宋简体 22 pt, 一、 headings 黑体, （一） headings 楷体_GB2312, 1. headings 仿宋 bold, body
仿宋_GB2312 16 pt with exact 28 pt lines and a two-character first-line indent, tables 宋体 9–10 pt and the
page number "— N —" in 宋体 14 pt, right on odd pages and left on even ones.

The fixes LibreOffice needs (stack notes §5.4) are built in: fonts are named explicitly for ascii, hAnsi,
eastAsia and cs with no theme fonts; ``firstLine`` twips are written next to ``firstLineChars``; tables carry
``w:gridCol`` widths; docDefaults say zh-CN; the picture paragraph has single spacing. Body text is
left-aligned, not justified: LibreOffice 7.4 drops a ，or 。 that hangs at the end of a justified line.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

# fonts named in the document; jixiao/io/report/fonts.conf maps them for LibreOffice
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"

TEXT_WIDTH_MM = 156  # 210 − 28 − 26
BODY_EM_TWIPS = 320  # one 16 pt hanzi
LANDSCAPE_TEXT_WIDTH_MM = 225  # 297 − 37 − 35
TITLE_CHARS_PER_LINE = 19  # 22 pt hanzi in 156 mm
_TWIPS_PER_MM = 1440 / 25.4
_NS = nsdecls("w", "r", "wp", "a", "pic")
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _ems(text: str) -> float:
    """Width of ``text`` in hanzi: ASCII letters and digits count a little over half."""
    return sum(0.55 if ord(ch) < 0x2000 else 1.0 for ch in text)


# --------------------------------------------------------------------------------------------
# WordprocessingML text
# --------------------------------------------------------------------------------------------


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>'


def _clean(text: object) -> str:
    return escape(_BAD_XML.sub("", str(text)).replace("\t", " "))


def _runs(text: str, rpr: str = "") -> str:
    """Runs for ``text``; line breaks inside become ``w:br``."""
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    lines = str(text).split("\n")
    parts = []
    for i, line in enumerate(lines):
        if i:
            parts.append(f"<w:r>{rpr_xml}<w:br/></w:r>")
        if line:
            parts.append(f'<w:r>{rpr_xml}<w:t xml:space="preserve">{_clean(line)}</w:t></w:r>')
    return "".join(parts)


def _p(text: str, style: str = "Normal", ppr: str = "", rpr: str = "") -> str:
    style_xml = "" if style == "Normal" else f'<w:pStyle w:val="{style}"/>'
    ppr_xml = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if (style_xml or ppr) else ""
    return f"<w:p>{ppr_xml}{_runs(text, rpr)}</w:p>"


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""
    span: int = 1  # gridSpan
    merge: str | None = None  # "restart" / "continue" (vertical merge)
    bold: bool = False
    align: str | None = None  # overrides the column's


@dataclass(frozen=True, slots=True)
class Col:
    title: str
    width_mm: float
    align: str = "center"  # left / center / right (w:jc values: left / center / right)


#: a table up to this height (mm, estimated) is kept on one page; a longer one may break between rows
KEEP_WHOLE_MM = 60.0
#: a table that breaks keeps this many body rows under its header, and as many on its last page
KEEP_ROWS = 2


def _row_height_mm(cells: Sequence[Cell], widths_mm: Sequence[float], size_pt: float) -> float:
    """An estimate of a row's height: its fullest cell's lines at single spacing, plus the cell margins."""
    em = size_pt * 25.4 / 72
    lines = 1
    col = 0
    for cell in cells:
        width = sum(widths_mm[col : col + cell.span]) - 2.0
        col += cell.span
        if cell.merge == "continue":
            continue
        per_line = max(width / em, 1.0)
        lines = max(lines, sum(max(1, math.ceil(_ems(line) / per_line)) for line in cell.text.split("\n")))
    return lines * size_pt * 1.3 * 25.4 / 72 + 1.0


def _kept_rows(heights: Sequence[float]) -> set[int]:
    """The rows whose paragraphs keep with the next row (w:keepNext, which LibreOffice honours in tables): all
    but the last when the table is short, so that it moves to the next page whole; otherwise the header and
    the first rows, so that a caption and header never end a page alone, and the rows before the last ones,
    so that a 合计 row never starts a page alone."""
    last = len(heights) - 1
    if sum(heights) <= KEEP_WHOLE_MM:
        return set(range(last))
    return set(range(min(KEEP_ROWS, last))) | set(range(max(last - KEEP_ROWS + 1, 0), last))


def _table(
    cols: Sequence[Col], rows: Iterable[Sequence[Cell | str]], small: bool = False, note: str | None = None
) -> str:
    """A bordered, fixed-layout table whose widths live in ``w:gridCol`` (LibreOffice lays out by those).

    The header row repeats on every page (w:tblHeader); no row breaks across pages (w:cantSplit) except in long
    tables with vertically merged cells (see the comment below); the caption
    (its style keeps with next), the header and the first rows stay together (see :func:`_kept_rows`). A
    ``note`` (注：…) is the table's last row, without side and bottom borders: LibreOffice keeps table rows
    together, but not a table's last row with the paragraph after it.
    """
    style = "TableText9" if small else "TableText"
    widths = [_twips(c.width_mm) for c in cols]
    total = sum(widths)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="0"/>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    header = [Cell(c.title, bold=True, align="center") for c in cols]
    table = [header, *([raw if isinstance(raw, Cell) else Cell(raw) for raw in row] for row in rows)]
    widths_mm = [c.width_mm for c in cols]
    heights = [_row_height_mm(row, widths_mm, 9 if small else 10) for row in table]
    kept = _kept_rows(heights)
    if note is not None:
        kept.add(len(table) - 1)
    # LibreOffice moves a whole group of rows under a vertically merged cell to the next page when its rows may
    # not split, which leaves pages half empty; in a long table with such groups, body rows may split instead.
    merged = sum(heights) > KEEP_WHOLE_MM and any(cell.merge for row in table for cell in row)
    for index, row in enumerate(table):
        out.append("<w:tr>")
        if index == 0:
            out.append("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        elif not merged:
            out.append("<w:trPr><w:cantSplit/></w:trPr>")
        keep = "<w:keepNext/>" if index in kept else ""
        col = 0
        for cell in row:
            width = sum(widths[col : col + cell.span])
            align = cell.align or cols[col].align
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.merge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.merge == "continue":
                tcpr += "<w:vMerge/>"
            tcpr += '<w:vAlign w:val="center"/>'
            text = "" if cell.merge == "continue" else cell.text
            ppr = keep + (f'<w:jc w:val="{align}"/>' if align != "center" else "")
            paras = "".join(
                _p(line, style, ppr, "<w:b/><w:bCs/>" if cell.bold else "") for line in (text.split("\n") or [""])
            )
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
            col += cell.span
        if col != len(cols):
            raise ValueError(f"表格行的列数 {col} 与表头 {len(cols)} 不一致")
        out.append("</w:tr>")
    if note is not None:
        no_borders = '<w:tcBorders><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>'
        out.append(
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{total}" w:type="dxa"/>'
            f'<w:gridSpan w:val="{len(cols)}"/>{no_borders}</w:tcPr>{_p(note, "TableNote")}</w:tc></w:tr>'
        )
    out.append("</w:tbl>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Styles, page set-up, footers
# --------------------------------------------------------------------------------------------


def _style(
    style_id: str,
    name: str,
    ppr: str,
    rpr: str,
    kind: str = "paragraph",
    based_on: str | None = "Normal",
    extra: str = "",
) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    default = ' w:default="1"' if style_id == "Normal" else ""
    return (
        f'<w:style {_NS} w:type="{kind}"{default} w:customStyle="{0 if style_id in _BUILTIN else 1}" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}<w:next w:val="Normal"/>{extra}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


_KEEP_STYLES = {"DefaultParagraphFont", "TableNormal", "NoList"}
_BUILTIN = {"Normal", "Heading1", "Heading2", "Heading3", "Title", "Subtitle", "Caption", "Footer", "Header"}
_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
_SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


def _styles_xml() -> list[str]:
    return [
        _style(
            "Normal",
            "Normal",
            '<w:adjustRightInd w:val="0"/><w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
            '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="left"/>',
            f'{_fonts(FANGSONG)}<w:kern w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/>',
            based_on=None,
        ),
        _style(
            "Heading1",
            "heading 1",
            '<w:keepNext/><w:outlineLvl w:val="0"/>',
            _fonts(HEITI),
            extra='<w:uiPriority w:val="9"/>',
        ),
        _style(
            "Heading2",
            "heading 2",
            '<w:keepNext/><w:outlineLvl w:val="1"/>',
            _fonts(KAITI),
            extra='<w:uiPriority w:val="9"/>',
        ),
        _style(
            "Heading3",
            "heading 3",
            '<w:keepNext/><w:outlineLvl w:val="2"/>',
            _fonts(FANGSONG) + "<w:b/><w:bCs/>",
            extra='<w:uiPriority w:val="9"/>',
        ),
        _style(
            "Title",
            "Title",
            f'<w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/>{_NO_INDENT}<w:jc w:val="center"/>',
            f'{_fonts(XIAOBIAOSONG)}<w:sz w:val="44"/><w:szCs w:val="44"/>',
        ),
        _style("Subtitle", "Subtitle", f'{_NO_INDENT}<w:jc w:val="center"/>', _fonts(KAITI)),
        _style(
            "TableText",
            "表格文字",
            f'{_SINGLE}{_NO_INDENT}<w:jc w:val="center"/>',
            f'{_fonts(SONGTI)}<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        _style("TableText9", "表格文字（小）", "", '<w:sz w:val="18"/><w:szCs w:val="18"/>', based_on="TableText"),
        _style(
            "Caption",
            "caption",
            '<w:keepNext/><w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/>'
            f'{_NO_INDENT}<w:jc w:val="center"/>',
            f'{_fonts(HEITI)}<w:sz w:val="24"/><w:szCs w:val="24"/>',
        ),
        _style("Picture", "图片", f'<w:keepNext/>{_SINGLE}{_NO_INDENT}<w:jc w:val="center"/>', ""),
        _style("TableNote", "表注", f"{_SINGLE}{_NO_INDENT}", '<w:sz w:val="21"/><w:szCs w:val="21"/>'),
        _style("Signature", "落款", f'{_NO_INDENT}<w:jc w:val="right"/>', ""),
        # like the 密级 mark of GB/T 9704: 黑体, top left, above the title
        _style("ReviewMark", "审核版标记", f'<w:spacing w:before="0" w:after="280"/>{_NO_INDENT}', _fonts(HEITI)),
        _style(
            "Header",
            "header",
            f'{_SINGLE}{_NO_INDENT}<w:jc w:val="center"/>',
            f'{_fonts(HEITI)}<w:sz w:val="21"/><w:szCs w:val="21"/>',
        ),
        _style(
            "Footer",
            "footer",
            f"{_SINGLE}{_NO_INDENT}",
            f'{_fonts(SONGTI)}<w:sz w:val="28"/><w:szCs w:val="28"/>',
        ),
    ]


def _set_up_styles(document: docx.document.Document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {_NS}><w:rPrDefault><w:rPr>{_fonts(FANGSONG)}"
            '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    new = [parse_xml(x) for x in _styles_xml()]
    wanted = {s.get(qn("w:styleId")) for s in new}
    for old in styles.findall(qn("w:style")):
        # the template's 160 styles (350 kB) cost time on every save; keep only the defaults Word needs
        if old.get(qn("w:styleId")) in wanted or old.get(qn("w:styleId")) not in _KEEP_STYLES:
            styles.remove(old)
    for style in new:
        styles.append(style)


def _set_up_settings(document: docx.document.Document) -> None:
    settings = document.settings.element
    for tag in ("w:savePreviewPicture",):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    document.settings.odd_and_even_pages_header_footer = True
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)
    # parts the report never uses (stylesWithEffects alone is 440 kB of theme-font styles)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "customXml", "numbering", "webSettings"):
            document.part.rels.pop(rid)


def _page_number(align: str) -> str:
    side = "right" if align == "right" else "left"
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        f'<w:p {_NS}><w:pPr><w:pStyle w:val="Footer"/><w:ind w:{side}Chars="100" w:{side}="280"/>'
        f'<w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{field}<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )


def _set_up_page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        element = footer._element
        for child in list(element):
            element.remove(child)
        element.append(parse_xml(_page_number(align)))
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        section._sectPr.remove(grid)


def _set_up_fonts(document: docx.document.Document) -> None:
    """fontTable entries with a Windows alternative, so Word without the _GB2312 fonts picks 仿宋/楷体."""
    part = next((p for p in document.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")), None)
    if part is None:
        return
    table = parse_xml(part.blob)
    present = {f.get(qn("w:name")) for f in table.findall(qn("w:font"))}
    for name, alt, family in (
        (FANGSONG, "仿宋", "modern"),
        (KAITI, "楷体", "modern"),
        (XIAOBIAOSONG, "宋体", "roman"),
        (HEITI, "SimHei", "modern"),
        (SONGTI, "SimSun", "auto"),
    ):
        if name not in present:
            table.append(
                parse_xml(
                    f'<w:font {_NS} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                    f'<w:family w:val="{family}"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


@functools.cache
def _template() -> bytes:
    """The empty report document: styles, settings, page set-up, footers and font table (built once per process)."""
    document = docx.Document()
    _set_up_styles(document)
    _set_up_settings(document)
    _set_up_page(document)
    _set_up_fonts(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
