"""One document as one string, with a map back to where every character was read.

Table cells are separated by ``|`` and table rows and text lines by a newline, so extraction can use
plain patterns; :meth:`Flat.evidence` turns any span back into a page/line or cell and its source text.
The ``joined`` view drops the newlines (line wrapping splits sentences and numbers from their units).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ...core.audit.document import Evidence
from ...core.audit.source import Place, SourceCell, SourceText
from ..normalise import clean, squeeze

_ALNUM = re.compile(r"[0-9A-Za-z.%]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JOIN_GAP = re.compile(r"\n|(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_CELL_WRAP = re.compile(r"[ \t]*\n[ \t]*")
# an indented line that opens with a cell border: the next cell of the row above (the row was copied with
# its cells' line breaks); a border in the first column opens a row of its own
_ROW_GOES_ON = re.compile(r"[ \t\u3000\xa0]+\|")  # blanks as pages copy them: also no-break and ideographic


@dataclass(slots=True)
class Flat:
    text: str
    starts: list[int]  # start offset of each segment in ``text``
    places: list[Place]
    raws: list[str]
    new_rows: list[bool] = field(default_factory=list)
    joined: str = ""
    removed_at: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, parts: list[tuple[str, Place, bool]]) -> Flat:
        """``parts``: (text, place, starts_new_row). Cells of one row are joined with `` | ``."""
        chunks: list[str] = []
        starts: list[int] = []
        places: list[Place] = []
        raws: list[str] = []
        pos = 0
        for i, (text, place, new_row) in enumerate(parts):
            if i:
                sep = "\n" if new_row else " | "
                chunks.append(sep)
                pos += len(sep)
            starts.append(pos)
            places.append(place)
            raws.append(text)
            chunks.append(text)
            pos += len(text)
        flat = cls("".join(chunks), starts, places, raws, [new_row for _, _, new_row in parts])
        flat._join()
        return flat

    def from_segment(self, first: int) -> Flat:
        """The document from segment ``first`` on (to skip the tail of an earlier table on the same page)."""
        parts = list(zip(self.raws, self.places, self.new_rows, strict=True))[first:]
        return Flat.build(parts)

    def _join(self) -> None:
        """``joined`` = ``text`` without line breaks (a space where one would glue two numbers) and
        without blanks between two Chinese characters; ``_removed`` maps it back (see :meth:`to_text`)."""
        text = self.text
        pieces: list[str] = []
        last = 0
        for m in _JOIN_GAP.finditer(text):
            i = m.start()
            pieces.append(text[last:i])
            last = i + 1
            if text[i] == "\n" and _ALNUM.match(text[i - 1 : i]) and _ALNUM.match(text[i + 1 : i + 2]):
                pieces.append(" ")
                continue
            removed = len(self.removed_at) + 1
            self.removed_at.append(i - removed + 1)  # first joined position after this removal
        pieces.append(text[last:])
        self.joined = "".join(pieces)

    def to_text(self, joined_offset: int) -> int:
        """The offset in ``text`` of a character at ``joined_offset`` in ``joined``."""
        return joined_offset + bisect_right(self.removed_at, joined_offset)

    def segment_at(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def evidence(self, start: int, end: int, *, joined: bool = False) -> Evidence:
        """Where the span was read; ``joined`` spans are in the joined view."""
        if joined:
            start, end = self.to_text(start), self.to_text(max(end - 1, start)) + 1
        first, last = self.segment_at(start), self.segment_at(max(end - 1, start))
        if first == last:
            text = self.raws[first]
        else:
            text = self.text[start:end].replace("\n", "")
        if len(text) > 160:  # a long line: quote the match and a little around it
            lo = max(start - 20, 0)
            text = self.text[lo : end + 20].replace("\n", "")
        return Evidence(self.places[first], text.strip())


def flatten(source: SourceText) -> Flat:
    """The source's lines and tables in reading order, cleaned (simplified, ASCII digits) and squeezed."""
    parts: list[tuple[str, Place, bool]] = []
    last_row: dict[int, int] = {}  # column -> index in parts, of the last table row read
    order = source.order
    for at, (kind, index) in enumerate(order):
        if kind == "line":
            line = source.lines[index]
            text = clean(bordered(line.text))
            if not text:
                continue
            if parts and _wrapped_cell(line.text, _raw_line(source, order, at, -1), _raw_line(source, order, at, 1)):
                # a cell of a pipe table broken over lines ("社会效益\n    指标"): one cell again
                last, place, new_row = parts[-1]
                parts[-1] = (last + unspace_letters(squeeze(text.strip())), place, new_row)
                continue
            if "|" in text:
                cells = [cell_words(c.strip()) for c in text.split("|")]
                first = not _ROW_GOES_ON.match(line.text)
                opened = False
                for cell in cells:
                    if cell:
                        parts.append((cell, line.place, first))
                        first = False
                        opened = True
                if not opened:  # a line of bare pipes: still a row break
                    continue
            else:
                parts.append((unspace_letters(text), line.place, True))
        else:
            rows = source.tables[index].rows
            if last_row and rows and _continues(rows[0], last_row):
                # a row broken by a page end: its tail opens the next page's table ("受益人口数" | "量")
                for column, cell in enumerate(rows[0]):
                    if cell.text.strip() and column in last_row:
                        at = last_row[column]
                        text, place, new_row = parts[at]
                        parts[at] = (text + _cell_text(cell.text), place, new_row)
                rows = rows[1:]
            for row in rows:
                first = True
                last_row = {}
                for column, cell in enumerate(row):
                    text = _cell_text(cell.text)
                    if text:
                        last_row[column] = len(parts)
                        parts.append((text, cell.place, first))
                        first = False
            continue
        last_row = {}
    return Flat.build(parts)


_TAB_GAP = re.compile(r"[ \u3000\xa0]*\t[\t \u3000\xa0]*")


def bordered(raw: str) -> str:
    """A row of a table pasted from a spreadsheet (cells separated by tabs) with ``|`` borders instead, so that it
    is read as a row of cells: a blank inside a cell ("经济效益 指标") is then no cell border. Other lines as they are."""
    body = raw.lstrip(" \t\u3000\xa0").rstrip("\r\n ")  # tabs before the text indent it; after it, empty cells
    if "\t" not in body or "|" in body:
        return raw
    cells = _TAB_GAP.split(body)
    if _LIST_NUMBER.fullmatch(cells[0]):
        return raw  # "一、\t基本情况": a heading's number set off by a tab, not a cell
    return " | ".join(cells)


#: a heading's number: "一、", "(二)", "3." — a bare "1" is a 序号 cell
_LIST_NUMBER = re.compile(r"[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．]")


def _raw_line(source: SourceText, order: list[tuple[str, int]], at: int, step: int) -> str:
    """The nearest line before (``step`` -1) or after (1) the one at ``at`` that is not blank (a page copied with a
    blank line between its lines), as written; "" where a table or the document's edge comes first."""
    at += step
    while 0 <= at < len(order) and order[at][0] == "line":
        text = source.lines[order[at][1]].text
        if text.strip():
            return text
        at += step
    return ""


def _wrapped_cell(raw: str, previous: str, following: str) -> bool:
    """An indented line without a border, next to rows whose cells go on over indented ``|`` lines (a web
    table copied with its cells' line breaks): the rest of the cell above, not a row of its own."""
    if "|" in raw or not raw[:1].isspace():
        return False
    return bool(_ROW_GOES_ON.match(following)) or bool(_ROW_GOES_ON.match(previous))


def _cell_text(text: str) -> str:
    # a line break inside a cell is the column's width, not the author's ("38766\n4.62")
    return cell_words(clean(_CELL_WRAP.sub("", text)))


#: a cell at least this long, with blanks between at least this many pairs of Chinese words, is prose
_PROSE_CELL, _PROSE_GAPS = 40, 3
_WORD_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def cell_words(text: str) -> str:
    """A cell without the blanks that wrapping and letter spacing put between Chinese characters ("经济效益 指标").
    A long cell of many words apart is a line of prose (or a row typed into one cell, as a workbook holds a pasted
    document): its blanks part fields, as in a text line, and are kept."""
    if len(text) >= _PROSE_CELL and " " in text:
        spaced = unspace_letters(text)
        if len(spaced) >= _PROSE_CELL and len(_WORD_GAP.findall(spaced)) >= _PROSE_GAPS:
            return spaced
    return squeeze(text)


def _continues(row: tuple[SourceCell, ...], previous: dict[int, int]) -> bool:
    """A first row holding one lone character under a cell the previous row filled. Longer words can be
    rows of their own ("有效"), so only the unmistakable case is joined."""
    filled = [(i, c.text.strip()) for i, c in enumerate(row) if c.text.strip()]
    return len(filled) == 1 and filled[0][0] in previous and len(filled[0][1]) == 1 and bool(_CJK.match(filled[0][1]))


def unspace_letters(text: str) -> str:
    """Letter-spaced headings ("产 出 指 标 (50分)") closed up; spaces between words are kept, because
    in flattened tables they are the only cell borders left."""
    out: list[str] = []
    spaced = False  # the last word was built from single letters
    for word in text.split(" "):
        single = len(word) == 1 and bool(_CJK.match(word))
        if single and out and (spaced or (len(out[-1]) == 1 and _CJK.match(out[-1]))):
            out[-1] += word
            spaced = True
        else:
            out.append(word)
            spaced = False
    return " ".join(out)
