"""The self-evaluation report as a Word document, in the outline of the seed report (一、基本情况 … 七、).

Typography follows the conventions of Chinese official documents (GB/T 9704): A4, margins 37/35/28/26 mm,
title 方正小标宋简体 22 pt, 一、 headings 黑体, （一） headings 楷体_GB2312, 1. headings 仿宋 bold, body
仿宋_GB2312 16 pt with exact 28 pt lines and a two-character first-line indent, tables 宋体 9–10 pt and the
page number "— N —" in 宋体 14 pt, right on odd pages and left on even ones.

The fixes LibreOffice needs (stack notes §5.4) are built in: fonts are named explicitly for ascii, hAnsi,
eastAsia and cs with no theme fonts; ``firstLine`` twips are written next to ``firstLineChars``; tables carry
``w:gridCol`` widths; docDefaults say zh-CN; the picture paragraph has single spacing. Body text is
left-aligned, not justified: LibreOffice 7.4 drops a ，or 。 that hangs at the end of a justified line.
An indicator table with four levels or long 实际完成值 gets a landscape section (297 × 210 mm) of its own.

The body is written as WordprocessingML text and parsed once, which keeps a report well under 50 ms;
python-docx supplies the package, the picture part and the footers.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

from ..core.model import BasisDocument, GoalKind, Indicator
from ..core.result import EvaluationResult, Explanation, IndicatorScore, ScoreBasis
from ..core.values import fmt, fmt_count, fmt_pct

EMPTY = "（未填写）"

# fonts named in the document; jixiao/io/fonts.conf maps them for LibreOffice
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"

TEXT_WIDTH_MM = 156  # 210 − 28 − 26
LANDSCAPE_TEXT_WIDTH_MM = 225  # 297 − 37 − 35
TITLE_CHARS_PER_LINE = 19  # 22 pt hanzi in 156 mm
_TWIPS_PER_MM = 1440 / 25.4
_NS = nsdecls("w", "r", "wp", "a", "pic")
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: an item that brings its own number: （1） (一) 1、 1. 1． 一、
_NUMBERED = re.compile(
    r"^\s*(?:[（(][0-9一二三四五六七八九十]+[)）]|[0-9]{1,2}[、.．](?![0-9])|[一二三四五六七八九十]+、)\s*"
)
_CN_DIGITS = "零一二三四五六七八九"


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (1–99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def report_title(result: EvaluationResult) -> str:
    """``2022年度科普专项经费项目支出绩效自评报告``; a line break before 项目支出… when it would not fit one line."""
    project = result.evaluation.project
    name = project.name.strip()
    head = name if str(project.year) in name else f"{project.year}年度{name}"  # “2022年湛江市…” has its year
    tail = f"{'' if name.endswith('项目') else '项目'}支出绩效自评报告"
    return head + ("\n" if len(head) + len(tail) > TITLE_CHARS_PER_LINE else "") + tail


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


def _table(
    cols: Sequence[Col], rows: Iterable[Sequence[Cell | str]], small: bool = False, split_rows: bool = False
) -> str:
    """A bordered, fixed-layout table whose widths live in ``w:gridCol`` (LibreOffice lays out by those)."""
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
    for index, row in enumerate([header, *rows]):
        out.append("<w:tr>")
        if index == 0:
            out.append("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        elif not split_rows:
            out.append("<w:trPr><w:cantSplit/></w:trPr>")
        col = 0
        for raw in row:
            cell = raw if isinstance(raw, Cell) else Cell(raw)
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
            ppr = f'<w:jc w:val="{align}"/>' if align != "center" else ""
            paras = "".join(
                _p(line, style, ppr, "<w:b/><w:bCs/>" if cell.bold else "") for line in (text.split("\n") or [""])
            )
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
            col += cell.span
        if col != len(cols):
            raise ValueError(f"表格行的列数 {col} 与表头 {len(cols)} 不一致")
        out.append("</w:tr>")
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
_BUILTIN = {"Normal", "Heading1", "Heading2", "Heading3", "Title", "Subtitle", "Caption", "Footer"}
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


# --------------------------------------------------------------------------------------------
# The report's content
# --------------------------------------------------------------------------------------------


class _Body:
    """Collects the body's WordprocessingML."""

    def __init__(self, section_xml: str | None = None) -> None:
        self.parts: list[str] = []
        self.tables = 0
        self.figures = 0
        self.section_xml = section_xml  # the document's w:sectPr, to start landscape sections from

    def end_section(self) -> None:
        """End the portrait section here, in a one-point paragraph (the next section starts on a new page)."""
        assert self.section_xml is not None
        self.parts.append(
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>{_NO_INDENT}'
            f'<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>{self.section_xml}</w:pPr></w:p>'
        )

    def landscape_section(self) -> str:
        """A w:sectPr for a landscape section: the portrait one turned, margins 28/26 top/bottom, 37/35 left/right."""
        assert self.section_xml is not None
        xml = re.sub(r"<w:pgSz\b[^>]*/>", '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>', self.section_xml)
        margins = (
            f'<w:pgMar w:top="{_twips(28)}" w:right="{_twips(35)}" w:bottom="{_twips(26)}" w:left="{_twips(37)}" '
            f'w:header="{_twips(15)}" w:footer="{_twips(14)}" w:gutter="0"/>'
        )
        return re.sub(r"<w:pgMar\b[^>]*/>", margins, xml)

    def h1(self, text: str, page_break: bool = False) -> None:
        self.parts.append(_p(text, "Heading1", "<w:pageBreakBefore/>" if page_break else ""))

    def h2(self, text: str) -> None:
        self.parts.append(_p(text, "Heading2"))

    def h3(self, text: str) -> None:
        self.parts.append(_p(text, "Heading3"))

    def para(self, text: str | None, lead: str = "") -> None:
        """Body text; each line of ``text`` its own paragraph; nothing becomes （未填写）."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()] or [EMPTY]
        for i, line in enumerate(lines):
            self.parts.append(_p((lead if i == 0 else "") + line))

    def items(self, texts: Sequence[str], numbered: str = "（{}）") -> None:
        """Numbered body paragraphs. Items that all bring their own numbers keep them; a mix is renumbered."""
        texts = [t.strip() for t in texts if t and t.strip()]
        if not texts:
            self.para(None)
            return
        own = [bool(_NUMBERED.match(t)) for t in texts]
        keep = all(own)  # all numbered by the unit: keep theirs; otherwise number them all alike
        for i, text in enumerate(texts, 1):
            first, *rest = [line.strip() for line in text.splitlines() if line.strip()]
            if not keep:
                first = numbered.format(i) + _NUMBERED.sub("", first, count=1)
            self.parts.append(_p(first))
            for line in rest:
                self.parts.append(_p(line))

    def caption(self, kind: str, text: str) -> None:
        if kind == "表":
            self.tables += 1
            number = self.tables
        else:
            self.figures += 1
            number = self.figures
        self.parts.append(_p(f"{kind}{number}　{text}", "Caption"))

    def table(
        self, cols: Sequence[Col], rows: Iterable[Sequence[Cell | str]], small: bool = False, split_rows: bool = False
    ) -> None:
        self.parts.append(_table(cols, rows, small, split_rows))

    def note(self, text: str, ppr: str = "") -> None:
        self.parts.append(_p(text, "TableNote", ppr))

    def raw(self, xml: str) -> None:
        self.parts.append(xml)


def _wan(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value)} 万元"


def _date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def _basis_line(doc: BasisDocument) -> str:
    title = doc.title.strip()
    if not title.startswith("《"):
        title = f"《{title}》"
    return title + (f"（{doc.number}）" if doc.number else "")


def _section_basic(body: _Body, result: EvaluationResult) -> None:
    e = result.evaluation
    p = e.project
    body.h1("一、基本情况")
    body.h2("（一）项目概况")
    body.h3("1. 项目背景")
    if p.department and p.department == p.unit:
        body.para(f"本项目（{p.name}）的主管部门和实施单位均为{p.department}。")
    elif p.department or p.unit:
        who = [
            x
            for x in (f"主管部门为{p.department}" if p.department else "", f"实施单位为{p.unit}" if p.unit else "")
            if x
        ]
        body.para(f"本项目（{p.name}）" + "，".join(who) + "。")
    body.para(p.background)
    body.h3("2. 实施依据")
    body.items([_basis_line(d) for d in p.basis])
    body.h3("3. 主要内容及实施情况")
    if p.content_items:
        body.items(p.content_items)
    if p.implementation or not p.content_items:
        body.para(p.implementation)
    body.h3("4. 预期投入")
    if p.expected_input_wan is None and not p.expected_input_source:
        body.para(None)
    else:
        source = f"，资金来源：{p.expected_input_source}" if p.expected_input_source else ""
        body.para(f"{p.year}年{p.name}预期投入{_wan(p.expected_input_wan)}{source}。")

    body.h2("（二）绩效目标")
    for number, (kind, label) in enumerate(((GoalKind.OVERALL, "总体目标"), (GoalKind.PHASE, "阶段性目标")), 1):
        body.h3(f"{number}. {label}")
        goals = [g for g in e.goals if g.kind is kind]
        if len(goals) == 1:
            g = goals[0]
            body.para(g.expected, lead=f"{g.title}：" if g.title else "")
        else:
            body.items([(f"{g.title}：" if g.title else "") + g.expected for g in goals])


def _section_work(body: _Body, result: EvaluationResult) -> None:
    o = result.evaluation.organisation
    fw, rules = result.framework, result.rules
    body.h1("二、绩效自评工作开展情况")
    body.h2("（一）自评对象和范围")
    body.para(o.evaluated_object, lead="自评对象：")
    body.para(o.scope, lead="自评范围：")
    body.h2("（二）评价指标体系和标准")
    body.para(o.framework_description)
    body.para(
        f"本报告按“{fw.name}”（{fw.id}）评分，共{cn_number(fw.levels)}级指标；评分规则为“{rules.name}”（{rules.id}），"
        f"依据：{rules.source}。"
    )
    bands = []
    for band in rules.grades:
        low, high = rules.grade_band(band.grade)
        bands.append(f"{fmt(low)}（含）—{fmt(high)}分为{band.grade}" if low > 0 else f"{fmt(high)}分以下为{band.grade}")
    body.para("等级划分：" + "，".join(bands) + "。")
    body.h2("（三）评价方法")
    body.para(o.method)
    body.h2("（四）自评工作组织")
    body.h3("1. 自评工作领导小组")
    if o.leadership:
        body.caption("表", "自评工作领导小组")
        body.table(
            [Col("序号", 14), Col("小组职务", 34), Col("姓名", 34), Col("单位职务", 74, "left")],
            [[str(i), m.role, m.name or "—", m.position or "—"] for i, m in enumerate(o.leadership, 1)],
        )
    else:
        body.para(None)
    body.h3("2. 完成时限")
    body.para(f"于{_date(o.deadline)}前完成自评工作。" if o.deadline else None)
    body.h3("3. 工作步骤")
    body.items(o.steps)
    body.h3("4. 形成材料")
    body.items(o.documents)


def _section_result(body: _Body, result: EvaluationResult) -> None:
    e = result.evaluation
    claims = e.claims
    body.h1("三、绩效自评结果")
    body.h2("（一）自评结论")
    body.para(e.narrative.conclusion)
    body.h2("（二）自评分数和等级")
    computed_grade = result.grade or "—"
    body.caption("表", "自评分数与计算分数")
    quote = claims.quotes.get("total_score") or claims.quotes.get("grade") or ""
    body.table(
        [Col("口径", 30), Col("总分（分）", 24), Col("等级", 20), Col("说明", 82, "left")],
        [
            ["单位自评", fmt(claims.total_score), claims.grade or "—", f"原文：{quote}" if quote else "单位填报"],
            [
                "按评分规则计算",
                fmt(result.total.value),
                computed_grade,
                f"{result.rules.name}；{result.framework.name}",
            ],
        ],
    )
    claimed = f"{fmt(claims.total_score)}分" if claims.total_score is not None else "未填写"
    body.para(f"单位自评总分：{claimed}，自评等级：{claims.grade or '未填写'}。")
    if result.total.value is None:
        body.para(f"按“{result.rules.name}”评分规则和“{result.framework.name}”指标体系无法得出计算总分。")
    else:
        gap = ""
        if claims.total_score is not None:
            diff = claims.total_score - result.total.value
            gap = "，与单位自评一致" if diff == 0 else f"，比单位自评{'低' if diff > 0 else '高'}{fmt(abs(diff))}分"
        body.para(
            f"按“{result.rules.name}”（{result.rules.id}）评分规则和“{result.framework.name}”（{result.framework.id}）"
            f"指标体系计算：总分{fmt(result.total.value)}分，等级“{computed_grade}”{gap}。"
        )
    body.para(f"计算过程：{result.total.explanation.text()}。")
    body.para(f"{result.max_attainable.explanation.text()}。")
    if not result.framework.points_official:
        note = e.framework_note or result.framework.points_note
        body.para(f"分值说明：“{result.framework.name}”的分值不是官方文件规定的分值，而是单位的配置。{note}")


def _fund_tables(body: _Body, result: EvaluationResult) -> None:
    e, f = result.evaluation, result.funds
    if e.funds:
        body.caption("表", "项目资金情况（单位：万元）")
        rows: list[list[Cell | str]] = []
        for row in e.funds:
            label = row.source.label
            if row.detail:
                label += f"：{row.detail}" if re.search(r"[（()）]", row.detail) else f"（{row.detail}）"
            rows.append(
                [
                    Cell(label, align="left"),
                    fmt(row.initial_budget_wan),
                    fmt(row.annual_budget_wan),
                    fmt(row.arrived_wan),
                    fmt(row.executed_wan),
                ]
            )
        rows.append(
            [
                Cell("合计", bold=True),
                Cell(fmt(f.initial_budget_wan), bold=True),
                Cell(fmt(f.budget_wan), bold=True),
                Cell(fmt(f.arrived_wan), bold=True),
                Cell(fmt(f.spent_wan), bold=True),
            ]
        )
        body.table(
            [
                Col("资金来源", 36),
                Col("年初预算数\n（万元）", 30, "right"),
                Col("全年预算数\n（万元）", 30, "right"),
                Col("实际到位\n（万元）", 30, "right"),
                Col("全年执行数\n（万元）", 30, "right"),
            ],
            rows,
        )
    else:
        body.para(None, lead="项目资金：")
    for number, figure in enumerate((f.arrival_rate, f.spend_rate, f.execution_rate), 1):
        body.para(f"（{number}）{figure.explanation.text()}。")
    for row in e.funds:
        for arrival in row.arrivals:
            when = (
                f"于{_date(arrival.date)}到位{_wan(arrival.amount_wan)}"
                if arrival.date
                else (f"到位{_wan(arrival.amount_wan)}（到位日期未填写）")
            )
            note = f"；说明：{arrival.note.rstrip('。')}" if arrival.note else ""
            body.para(f"{row.source.label}{when}{note}。")
        if row.explanation:
            body.para(row.explanation, lead=f"{row.source.label}差异说明：")
    c = e.claims
    stated = [
        (label, value)
        for label, value in (
            ("预算总额", _wan(c.budget_wan) if c.budget_wan is not None else None),
            ("到位资金", _wan(c.arrived_wan) if c.arrived_wan is not None else None),
            ("支出资金", _wan(c.spent_wan) if c.spent_wan is not None else None),
            ("资金到位率", fmt_pct(c.arrival_rate_pct) if c.arrival_rate_pct is not None else None),
            ("支出率", fmt_pct(c.spend_rate_pct) if c.spend_rate_pct is not None else None),
            ("预算执行率", fmt_pct(c.execution_rate_pct) if c.execution_rate_pct is not None else None),
        )
        if value is not None
    ]
    if stated:
        body.para("单位报告所述：" + "，".join(f"{label}{value}" for label, value in stated) + "。")

    if e.allocations:
        total = sum((a.amount_wan for a in e.allocations), Decimal(0))
        body.para(f"资金分配情况：共分配{len(e.allocations)}笔，合计{_wan(total)}，明细如下表。")
        body.caption("表", "资金分配情况（单位：万元）")
        rows = [
            [
                str(i),
                Cell(a.recipient, align="left"),
                fmt(a.amount_wan),
                Cell(a.purpose or "—", align="left"),
                str(a.count) if a.count is not None else "—",
            ]
            for i, a in enumerate(e.allocations, 1)
        ]
        rows.append([Cell("合计", span=2, bold=True), Cell(fmt(total), bold=True), "", ""])
        body.table(
            [
                Col("序号", 12),
                Col("接收单位/对象", 50),
                Col("金额（万元）", 28, "right"),
                Col("用途", 48),
                Col("项目数", 18),
            ],
            rows,
        )
    else:
        body.para(None, lead="资金分配情况：")


def _explanation(expl: Explanation, result: EvaluationResult) -> str:
    """The explanation without the rule-set name when that is the report's rule set (said once in 三、)."""
    if expl.rule != result.rules.name:
        return expl.text()
    inputs = "；".join(f"{name} {value}" for name, value in expl.inputs)
    return expl.formula + (f"（{inputs}）" if inputs else "")


_LEVELS = ("一级\n指标", "二级\n指标", "三级\n指标", "四级\n指标")


def _score_cell(s: IndicatorScore, result: EvaluationResult) -> Cell:
    if s.indicator.not_applicable:
        return Cell("不适用")
    if s.computed is None:
        return Cell("按自评" if s.basis is ScoreBasis.CLAIMED else "—")
    claimed = s.indicator.claimed_score
    off = claimed is not None and abs(claimed - s.computed) > result.rules.claim_tolerance
    return Cell(fmt(s.computed), bold=off)


_EM_MM_9PT = 9 * 25.4 / 72  # one hanzi at 9 pt
_CELL_PADDING_MM = 2.2


def _ems(text: str) -> float:
    """Width of ``text`` in hanzi: ASCII letters and digits count a little over half."""
    return sum(0.55 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _fit_widths(
    total: float, rows: Sequence[Sequence[float]], minimums: Sequence[float], step: float = 2.0
) -> list[float]:
    """Share ``total`` mm between text columns so that the table is short: start every column at its minimum and
    give each ``step`` of the rest to the column that lowers the sum of row heights most (a row is as high as its
    fullest cell). ``rows`` holds each row's text widths in hanzi, per column."""
    widths = list(minimums)
    spare = total - sum(widths)

    def height(ws: list[float]) -> float:
        return sum(max(n / max(w - _CELL_PADDING_MM, 1.0) for n, w in zip(row, ws, strict=True)) for row in rows)

    while spare >= step:
        best, best_height = len(widths) - 1, None
        for i in range(len(widths)):
            trial = widths.copy()
            trial[i] += step
            h = height(trial)
            if best_height is None or h < best_height - 1e-9:
                best, best_height = i, h
        widths[best] += step
        spare -= step
    widths[-1] += spare
    return [math.floor(w * 10) / 10 for w in widths]


def _text_cell(text: str | None) -> Cell:
    """A value as written: centred when short, left-aligned when it runs over several lines."""
    if not text:
        return Cell("—")
    return Cell(text, align="left" if _ems(text) > 8 else None)


def _indicator_table(body: _Body, result: EvaluationResult) -> None:
    scores = result.indicators
    depth = min(max(max((len(s.path) for s in scores), default=1), 1), 4)
    rows: list[list[Cell | str]] = []
    if result.execution_score is not None:
        f = result.funds
        rows.append(
            [
                Cell("预算执行率", span=depth),
                fmt(result.execution_points),
                "100.00%",
                fmt_pct(f.execution_rate.value),
                "—",
                fmt(result.execution_score.value),
                _explanation(result.execution_score.explanation, result),
            ]
        )
    previous: tuple[str, ...] = ()
    for s in scores:
        path = s.path[:depth]
        cells: list[Cell | str] = []
        for level in range(len(path) - 1):
            same = len(previous) > level + 1 and previous[: level + 1] == path[: level + 1]
            cells.append(Cell(path[level], merge="continue" if same else "restart"))
        leaf = path[-1] + ("（不适用）" if s.indicator.not_applicable else "")
        cells.append(Cell(leaf, span=depth - len(path) + 1))
        ind: Indicator = s.indicator
        cells += [
            fmt(s.points),
            _text_cell(ind.target),
            _text_cell(ind.actual),
            fmt(ind.claimed_score),
            _score_cell(s, result),
            _explanation(s.explanation, result),
        ]
        rows.append(cells)
        previous = path
    points = sum((s.points or Decimal(0) for s in scores if not s.indicator.not_applicable), Decimal(0))
    points += result.execution_points if result.execution_score is not None else Decimal(0)
    grade = f"等级：自评{result.evaluation.claims.grade or '—'}，计算{result.grade or '—'}"
    rows.append(
        [
            Cell("合计", span=depth, bold=True),
            Cell(fmt(points), bold=True),
            "",
            "",
            Cell(fmt(result.evaluation.claims.total_score), bold=True),
            Cell(fmt(result.total.value), bold=True),
            grade,
        ]
    )

    # widths: levels and scores fixed; 指标值, 完成值 and 依据 share the rest so that the table is short
    texts = [[str(c.text if isinstance(c, Cell) else c) for c in row[-6:]] for row in rows[:-1]]
    ems = [[_ems(t[1]), _ems(t[2]), _ems(t[5])] for t in texts]
    # four levels, or long 完成值, do not fit a portrait page: the table gets a landscape section of its own
    long_actuals = sum(1 for e in ems if e[1] > 16)
    landscape = body.section_xml is not None and (depth >= 4 or long_actuals >= 2)
    score_w = 13
    if landscape:
        width, level_w, minimums = LANDSCAPE_TEXT_WIDTH_MM, {1: 30, 2: 24, 3: 20, 4: 18}[depth], (16, 16, 50)
    else:
        width, level_w, minimums = TEXT_WIDTH_MM, {1: 24, 2: 18, 3: 14, 4: 12}[depth], (14, 14, 38)
    em = _EM_MM_9PT
    target_w, actual_w, basis_w = _fit_widths(
        width - level_w * depth - 3 * score_w, [[n * em for n in row] for row in ems], minimums
    )
    cols = [Col(_LEVELS[i], level_w) for i in range(depth)] + [
        Col("分值", score_w),
        Col("年度\n指标值", target_w),
        Col("实际\n完成值", actual_w),
        Col("自评\n得分", score_w),
        Col("计算\n得分", score_w),
        Col("计算依据", basis_w, "left"),
    ]
    if landscape:
        body.end_section()
    body.h3("2. 绩效指标完成情况")
    body.caption("表", "绩效指标评分表（分值、得分单位：分）")
    body.table(cols, rows, small=True, split_rows=True)  # a long 完成值 or 依据 must not leave half a page empty
    body.note(
        f"注：计算得分按“{result.rules.name}”计算；加粗的计算得分与自评得分相差超过{fmt(result.rules.claim_tolerance)}分；"
        "“按自评”表示该指标无法计算，总分中采用单位自评分。",
        body.landscape_section() if landscape else "",
    )


def _section_funds(body: _Body, result: EvaluationResult, chart_xml: str | None) -> None:
    e = result.evaluation
    n = e.narrative
    body.h1("四、项目资金使用绩效")
    body.h2("（一）资金投入情况")
    body.h3("1. 资金到位情况")
    body.para(n.fund_arrival)
    _fund_tables(body, result)
    body.h3("2. 资金执行情况")
    body.para(n.fund_execution)
    body.h3("3. 资金管理情况")
    body.para(n.fund_management)

    body.h2("（二）绩效目标完成情况")
    body.h3("1. 总体绩效目标完成情况")
    if n.performance:
        body.para(n.performance)
    if e.goals:
        body.items(
            [
                f"{g.title or ('总体目标' if g.kind is GoalKind.OVERALL else '阶段性目标')}：{g.expected}"
                f"\n完成情况：{g.actual or EMPTY}"
                for g in e.goals
            ]
        )
    elif not n.performance:
        body.para(None)
    if result.indicators:
        _indicator_table(body, result)
    else:
        body.h3("2. 绩效指标完成情况")
        body.para(None)
    if chart_xml is not None:
        body.raw(chart_xml)
        body.caption("图", "各一级指标分值与得分")
    body.h3("3. 主要产出")
    if e.outputs:
        body.caption("表", "主要产出")
        rows = []
        for i, o in enumerate(e.outputs, 1):
            when = o.date.isoformat() if o.date else "—"
            if o.end_date and o.end_date != o.date:
                when += f"至{o.end_date.isoformat()}"
            count = "—"
            if o.count is not None:
                count = f"{fmt_count(o.count)}{o.count_unit or ''}" + ("（约数）" if o.approximate else "")
            rows.append(
                [
                    str(i),
                    when,
                    Cell(o.title, align="left"),
                    count,
                    str(o.participants) if o.participants is not None else "—",
                    fmt(o.amount_wan),
                    o.indicator or "—",
                ]
            )
        body.table(
            [
                Col("序号", 10),
                Col("日期", 22),
                Col("活动/产出", 50),
                Col("数量", 20),
                Col("参与人数", 16),
                Col("金额（万元）", 18, "right"),
                Col("关联指标", 20),
            ],
            rows,
            small=True,
        )
    else:
        body.para(None)
    body.h3("4. 满意度指标完成情况")
    if n.satisfaction:
        body.para(n.satisfaction)
    if e.surveys:
        body.caption("表", "满意度调查")
        body.table(
            [
                Col("调查名称", 46, "left"),
                Col("调查方式", 42, "left"),
                Col("有效样本数", 22),
                Col("满意人数", 22),
                Col("满意度", 24),
            ],
            [[s.title, s.method or "—", str(s.respondents), str(s.satisfied), fmt_pct(s.rate_pct)] for s in e.surveys],
        )
    elif not n.satisfaction:
        body.para(None)


def _section_closing(body: _Body, result: EvaluationResult) -> None:
    n = result.evaluation.narrative
    body.h1("五、主要经验及做法、存在的问题及原因分析")
    body.h2("（一）主要经验及做法")
    body.items(n.experience)
    body.h2("（二）存在的问题及原因分析")
    body.items(n.problems)
    body.h1("六、改进意见")
    body.items(n.improvements)
    body.h1("七、绩效自评结果拟应用和公开情况")
    body.para(n.result_use)


def _appendix(body: _Body, result: EvaluationResult) -> None:
    body.h1("附件：一致性检查发现", page_break=True)
    findings = result.findings
    if not findings:
        body.para(f"按“{result.rules.name}”对本报告数据进行一致性检查，未发现问题。")
        return
    counts = "、".join(
        f"{label}{sum(1 for f in findings if f.severity.label == label)}条"
        for label in ("错误", "警告", "提示")
        if any(f.severity.label == label for f in findings)
    )
    body.para(f"按“{result.rules.name}”对本报告数据进行一致性检查，共发现{len(findings)}条（{counts}）。")
    body.caption("表", "一致性检查发现")
    body.table(
        [Col("编号", 16), Col("级别", 14), Col("问题", 90, "left"), Col("位置", 36, "left")],
        [
            [f.id, Cell(f.severity.label, bold=f.severity.value == "error"), f.message, f.location or "—"]
            for f in findings
        ],
        small=True,
    )


def _chart_xml(document: docx.document.Document, png: bytes) -> str:
    inline = document.part.new_pic_inline(io.BytesIO(png), width=Mm(150))
    drawing = etree.tostring(inline, encoding="unicode")
    return f'<w:p><w:pPr><w:pStyle w:val="Picture"/></w:pPr><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>'


def build_body(result: EvaluationResult, chart_xml: str | None = None, section_xml: str | None = None) -> list[str]:
    """The body paragraphs and tables as WordprocessingML fragments, in report order.

    With the document's ``section_xml`` (its w:sectPr), a wide indicator table gets a landscape section.
    """
    e = result.evaluation
    body = _Body(section_xml)
    body.raw(_p(report_title(result), "Title"))
    issuers = list(dict.fromkeys(x for x in (e.project.department, e.project.unit) if x))
    if issuers:
        body.raw(_p("（" + "　".join(issuers) + "）", "Subtitle"))
    _section_basic(body, result)
    _section_work(body, result)
    _section_result(body, result)
    _section_funds(body, result, chart_xml)
    _section_closing(body, result)
    _appendix(body, result)
    body.raw(_p("", "TableNote"))  # Word wants the body to end in a paragraph, not a table
    return body.parts


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


def write_report_docx(result: EvaluationResult, path: Path | str, chart_png: bytes | None = None) -> Path:
    """Write the self-evaluation report to ``path`` (.docx) and return the path.

    ``chart_png`` is the chart from :func:`jixiao.io.chart.render_chart`; it is rendered here when not given
    (and left out when the evaluation has no indicators).
    """
    path = Path(path)
    document = docx.Document(io.BytesIO(_template()))
    props = document.core_properties
    props.title = report_title(result).replace("\n", "")
    props.subject = "项目支出绩效自评报告"
    props.author = result.evaluation.project.unit or result.evaluation.project.department or ""
    props.last_modified_by = "jixiao"
    props.language = "zh-CN"
    props.keywords = "绩效自评"
    for tag in ("dcterms:created", "dcterms:modified"):
        for el in props._element.findall(qn(tag)):
            props._element.remove(el)

    chart_xml = None
    if result.indicators:  # without indicators the chart would show 预算执行率 alone
        if chart_png is None:
            from .chart import render_chart

            chart_png = render_chart(result)
        chart_xml = _chart_xml(document, chart_png)

    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    body = parse_xml(f"<w:body {_NS}>{''.join(build_body(result, chart_xml, sect))}{sect}</w:body>")
    document.element.replace(old, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
