"""The report body as it is built: headings, paragraphs, numbered items, numbered captions, tables and notes
collected as WordprocessingML fragments, landscape sections, the 落款, and the wording of empty values, names
with their year, amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ...core.values import fmt
from .ooxml import _NO_INDENT, BODY_EM_TWIPS, Cell, Col, _ems, _p, _table, _twips
from .variant import ReportVariant

#: an empty part in the review version: the reviewer sees what is missing
EMPTY = "（未填写）"
#: an empty part in the official version, where the outline requires the heading
NONE = "无"
#: an item that brings its own number: （1） (一) 1、 1. 1． 一、
_NUMBERED = re.compile(
    r"^\s*(?:[（(][0-9一二三四五六七八九十]+[)）]|[0-9]{1,2}[、.．](?![0-9])|[一二三四五六七八九十]+、|[①-⑳])\s*"
)


class _Body:
    """Collects the body's WordprocessingML."""

    def __init__(self, section_xml: str | None = None, variant: ReportVariant = ReportVariant.OFFICIAL) -> None:
        self.parts: list[str] = []
        self.tables = 0
        self.figures = 0
        self.section_xml = section_xml  # the document's w:sectPr, to start landscape sections from
        self.variant = variant
        self.review = variant is ReportVariant.REVIEW
        self.empty = EMPTY if self.review else NONE

    def end_section(self, section_xml: str | None = None) -> None:
        """End a section here, in a one-point paragraph (the next section starts on a new page): the portrait one,
        or the one given (a :meth:`landscape_section`)."""
        sect = section_xml or self.section_xml
        assert sect is not None
        self.parts.append(
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>{_NO_INDENT}'
            f'<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>{sect}</w:pPr></w:p>'
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
        """Body text; each line of ``text`` its own paragraph; nothing becomes （未填写） (review) or 无 (official)."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()] or [self.empty]
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
        self, cols: Sequence[Col], rows: Iterable[Sequence[Cell | str]], small: bool = False, note: str | None = None
    ) -> None:
        """A table, with its ``note`` (注：…) under it on the page of its last rows."""
        self.parts.append(_table(cols, rows, small, note))

    def raw(self, xml: str) -> None:
        self.parts.append(xml)

    def keep_last_with_next(self) -> None:
        """Keep the last paragraph on the page of what follows (w:keepNext)."""
        last = self.parts[-1]
        if not last.startswith("<w:p>") or "<w:keepNext/>" in last:
            return
        if last.startswith("<w:p><w:pPr>"):
            style = re.match(r"<w:p><w:pPr>(<w:pStyle [^>]*/>)?", last)
            assert style is not None
            self.parts[-1] = last[: style.end()] + "<w:keepNext/>" + last[style.end() :]
        else:
            self.parts[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[len("<w:p>") :]

    def signature(self, signer: str | None, signed_on: dt.date) -> None:
        """The 落款 after the last section (GB/T 9704—2012 7.3.5.2, a document without seal): one blank line,
        the signer two characters from the right, the date on the next line starting two characters right of
        the signer's first character; a date longer than that keeps two characters from the right and moves
        the signer left. The last line of text stays on the page of the 落款."""
        date = _date(signed_on)
        signer_w, date_w = (_ems(signer) if signer else 0.0), _ems(date)
        signer_right, date_right = 2.0, signer_w - date_w
        if date_right < 2:
            date_right, signer_right = 2.0, date_w + 4 - signer_w
        self.keep_last_with_next()
        if signer:
            self.parts.append(_p(signer, "Signature", _right_indent(signer_right, before=True, keep=True)))
        self.parts.append(_p(date, "Signature", _right_indent(date_right, before=not signer)))


def _right_indent(chars: float, before: bool = False, keep: bool = False) -> str:
    spacing = '<w:spacing w:before="560"/>' if before else ""  # 下空一行
    hundredths = round(chars * 100)
    indent = f'<w:ind w:rightChars="{hundredths}" w:right="{round(chars * BODY_EM_TWIPS)}"/>'
    return ("<w:keepNext/>" if keep else "") + spacing + indent


def _wan(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value)} 万元"


def _date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"
