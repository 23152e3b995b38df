"""The self-evaluation report as a Word document, in the outline of the seed report (一、基本情况 … 七、), in two
versions (:class:`~.variant.ReportVariant`): the official report and the internal review version.

The body is written as WordprocessingML text and parsed once, which keeps a report well under 50 ms;
python-docx supplies the package, the picture part and the footers. Typography, styles and the XML
primitives are in :mod:`.ooxml`; the sections are in :mod:`.sections_narrative` and
:mod:`.sections_funds_indicators`.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from ...core.result import EvaluationResult
from .body import _Body
from .ooxml import _NS, TITLE_CHARS_PER_LINE, _p, _runs, _template
from .sections_funds_indicators import _section_funds
from .sections_narrative import (
    _appendix,
    _section_basic,
    _section_closing,
    _section_result,
    _section_work,
    _signature,
)
from .variant import REVIEW_MARK, ReportVariant


def report_title(result: EvaluationResult) -> str:
    """``2022年度科普专项经费项目支出绩效自评报告``; a line break before 项目支出… when it would not fit one line."""
    project = result.evaluation.project
    name = project.name.strip()
    head = project.with_year("年度")  # “2022年湛江市…” has its year
    tail = f"{'' if name.endswith('项目') else '项目'}支出绩效自评报告"
    return head + ("\n" if len(head) + len(tail) > TITLE_CHARS_PER_LINE else "") + tail


def _chart_xml(document: docx.document.Document, png: bytes) -> str:
    inline = document.part.new_pic_inline(io.BytesIO(png), width=Mm(150))
    drawing = etree.tostring(inline, encoding="unicode")
    return f'<w:p><w:pPr><w:pStyle w:val="Picture"/></w:pPr><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>'


def build_body(
    result: EvaluationResult,
    chart_xml: str | None = None,
    section_xml: str | None = None,
    variant: ReportVariant = ReportVariant.OFFICIAL,
    signed_on: dt.date | None = None,
) -> list[str]:
    """The body paragraphs and tables as WordprocessingML fragments, in report order.

    With the document's ``section_xml`` (its w:sectPr), a wide indicator table gets a landscape section.
    """
    e = result.evaluation
    body = _Body(section_xml, variant)
    if body.review:
        body.raw(_p(REVIEW_MARK, "ReviewMark"))
    body.raw(_p(report_title(result), "Title"))
    issuers = list(dict.fromkeys(x for x in (e.project.department, e.project.unit) if x))
    if issuers:
        body.raw(_p("（" + "　".join(issuers) + "）", "Subtitle"))
    _section_basic(body, result)
    _section_work(body, result)
    _section_result(body, result)
    _section_funds(body, result, chart_xml)
    _section_closing(body, result)
    _signature(body, result, signed_on)
    if body.review:
        _appendix(body, result)
    body.raw(_p("", "TableNote"))  # Word wants the body to end in a paragraph, not a table
    return body.parts


def _mark_every_page(document: docx.document.Document) -> None:
    """The review mark in the page header, odd and even pages (the landscape sections copy these references)."""
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        element = header._element
        for child in list(element):
            element.remove(child)
        element.append(parse_xml(f'<w:p {_NS}><w:pPr><w:pStyle w:val="Header"/></w:pPr>{_runs(REVIEW_MARK)}</w:p>'))


def write_report_docx(
    result: EvaluationResult,
    path: Path | str,
    chart_png: bytes | None = None,
    *,
    variant: ReportVariant | str = ReportVariant.OFFICIAL,
    signed_on: dt.date | None = None,
) -> Path:
    """Write the self-evaluation report to ``path`` (.docx) and return the path.

    ``chart_png`` is the chart from :func:`jixiao.io.report.chart.render_chart`; it is rendered here when not given
    (and left out when the evaluation has no indicators). ``variant`` is the official report (the default) or the
    internal review version (``"review"``). ``signed_on`` is the date of the 落款 (e.g. the submission date);
    without it the self-evaluation's completion date, else today.
    """
    path = Path(path)
    variant = ReportVariant(variant)
    document = docx.Document(io.BytesIO(_template()))
    props = document.core_properties
    props.title = report_title(result).replace("\n", "") + ("（审核版）" if variant is ReportVariant.REVIEW else "")
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

    if variant is ReportVariant.REVIEW:
        _mark_every_page(document)
    old = document.element.body
    sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
    parts = build_body(result, chart_xml, sect, variant, signed_on)
    body = parse_xml(f"<w:body {_NS}>{''.join(parts)}{sect}</w:body>")
    document.element.replace(old, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
