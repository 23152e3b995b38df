"""Seed documents for the fuzz: one small self-evaluation, written as a real file of every format the audit reads.

The content is shaped like the reference report (湛江市科协 2022 科普专项经费): numbered headings, the funds in
prose (预算、到位、执行、到位率、支出率), the unit's score and grade, and the 附1 table (funds block and indicator
rows). Each writer takes a :class:`Content`, so that the fuzz can also write hostile content into a well-formed
file. The .docx and .xlsx are made by python-docx and openpyxl; the .xls (BIFF8 in a compound file) and the .pdf
(text in the Adobe-GB1 font STSong-Light, which every PDF reader knows without an embedded font, and a ruled table)
are written here byte by byte, since no pinned library writes them and LibreOffice would take seconds. Every
writer is deterministic: the same content gives the same bytes.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from docx import Document
from docx.enum.text import WD_BREAK
from openpyxl import Workbook

Rows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Content:
    """What a seed document says: prose lines, then one table (the 附1 grid, as text)."""

    prose: tuple[str, ...]
    table: Rows


PROSE: tuple[str, ...] = (
    "2022年湛江市科普专项经费项目支出绩效自评报告",
    "一、基本情况",
    "（一）项目概况。2022年湛江市科普专项经费预期投入153万元，资金全部来源于市财政拨款。",
    "（二）项目绩效目标。普及科学知识，提高全民科学素质。",
    "二、绩效评价工作开展情况",
    "评价方法：根据项目支出绩效自评指标评分表进行评分。",
    "三、综合评价情况及评价结论",
    "经自评，该项目自评得分为95分，评价等级为“优”。",
    "四、绩效评价指标分析",
    "（一）资金投入情况。预算安排153万元，资金到位及时，财政资金划拨100万元，到位率65.36%。",
    "（二）资金使用情况。共使用经费100万元，其中学术活动23万元，支出率100%，预算执行率65.36%。",
    "资助廉江市科协7万元和赤坎区科协3万元，用于提升基层科协组织力。",
    "五、主要经验及做法、存在的问题及原因分析",
    "六、改进意见",
    "七、绩效自评结果拟应用和公开情况",
    "湛江市科学技术协会",
    "2023年4月20日",
)

_W = ("",) * 10


def _row(*cells: str) -> tuple[str, ...]:
    return (*cells, *_W)[:10]


TABLE: Rows = (
    _row("项目支出绩效自评表"),
    _row("（2022年度）"),
    _row("项目名称", "", "2022年湛江市科普专项经费"),
    _row("主管部门", "", "湛江市科学技术协会", "", "", "实施单位", "", "湛江市科学技术协会"),
    _row("项目资金（万元）", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
    _row("", "", "年度资金总额", "", "153", "153", "100", "10", "65.36%", "6.5"),
    _row("", "", "其中：当年财政拨款", "", "153", "153", "100", "—", "65.36%", "—"),
    _row("", "", "上年结转资金", "", "", "", "", "—", "", "—"),
    _row("年度总体目标", "预期目标", "", "", "", "", "实际完成情况"),
    _row("", "普及科学知识，提高全民科学素质", "", "", "", "", "举办科普活动120场，新增6家省级科普教育基地"),
    _row(
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ),
    _row("", "产出指标（50分）", "数量指标", "举办科普活动场次", "", "≥100场", "120场", "20", "20"),
    _row("", "", "质量指标", "活动覆盖率", "", "≥90%", "95%", "15", "15"),
    _row("", "", "时效指标", "完成及时率", "", "100%", "100%", "15", "15"),
    _row(
        "",
        "效益指标（30分）",
        "社会效益指标",
        "公众科学素质提升",
        "",
        "明显提升",
        "有所提升",
        "30",
        "25",
        "宣传覆盖面有待扩大",
    ),
    _row("", "满意度指标（10分）", "服务对象满意度指标", "群众满意度", "", "≥90%", "92%", "10", "10"),
    _row("总分", "", "", "", "", "", "", "100", "95"),
)

SEED = Content(PROSE, TABLE)

#: a fixed moment for every date a writer would otherwise take from the clock
_EPOCH = datetime(2023, 4, 20, 9, 0, 0)
_ZIP_TIME = (2023, 4, 20, 9, 0, 0)


# --- zip packages ------------------------------------------------------------------------------------------------


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a zip package in order (a damaged package raises ``zipfile.BadZipFile``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def zip_package(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of ``members`` with fixed dates, deflated; a name may repeat (a duplicated member)."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": on purpose
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    return out.getvalue()


# --- .txt --------------------------------------------------------------------------------------------------------


def txt_bytes(content: Content, encoding: str = "utf-8") -> bytes:
    """The prose, then the table one row per line with its cells separated by tabs (as a PDF copied to text)."""
    lines = [*content.prose, *("\t".join(cell for cell in row if cell) for row in content.table)]
    return "\n".join(lines).encode(encoding, errors="replace")


# --- .docx -------------------------------------------------------------------------------------------------------


def docx_bytes(content: Content) -> bytes:
    """Paragraphs, a page break, and the table (title cells merged across, the 绩效指标 label merged down)."""
    document = Document()
    properties = document.core_properties
    properties.created = properties.modified = _EPOCH
    properties.last_modified_by = properties.author = "jixiao"
    for line in content.prose:
        document.add_paragraph(_xml_safe(line))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    width = max((len(row) for row in content.table), default=0)
    if width:
        table = document.add_table(rows=len(content.table), cols=width)
        table.style = "Table Grid"
        for row, texts in zip(table.rows, content.table, strict=True):  # row by row: table.cell() is slow
            for cell, text in zip(row.cells, texts, strict=False):
                if text:
                    cell.text = _xml_safe(text)
        _merge(table, (0, 0), (0, width - 1))
        labels = [r for r, row in enumerate(content.table) if row and row[0] == "绩效指标"]
        if labels and labels[0] + 1 < len(content.table) - 1:
            _merge(table, (labels[0], 0), (len(content.table) - 2, 0))
    out = io.BytesIO()
    document.save(out)
    return zip_package(_trim_docx(zip_members(out.getvalue())))


#: parts of python-docx's template that Word does not need and the reader never opens (most of the package's bytes)
_DOCX_EXTRAS = {
    "word/stylesWithEffects.xml": "stylesWithEffects.xml",
    "docProps/thumbnail.jpeg": "docProps/thumbnail.jpeg",
}


#: the styles the seed uses (python-docx's template defines 164, a third of a megabyte that every mutation repacks)
_DOCX_STYLES = (b"Normal", b"DefaultParagraphFont", b"TableNormal", b"NoList", b"TableGrid")


def _trim_docx(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The package without :data:`_DOCX_EXTRAS` (and the relationships and content types naming them), its styles
    cut to :data:`_DOCX_STYLES`."""
    kept = []
    for name, part in members:
        if name in _DOCX_EXTRAS:
            continue
        if name == "word/styles.xml":
            part = re.sub(rb"<w:latentStyles.*?</w:latentStyles>", b"", part, flags=re.S)
            part = re.sub(
                rb'<w:style [^>]*w:styleId="([^"]+)".*?</w:style>',
                lambda m: m.group(0) if m.group(1) in _DOCX_STYLES else b"",
                part,
                flags=re.S,
            )
        for target in _DOCX_EXTRAS.values():
            part = re.sub(rb'<Relationship [^>]*Target="' + re.escape(target.encode()) + rb'"/>', b"", part)
        part = re.sub(rb'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', b"", part)
        kept.append((name, part))
    return kept


def _merge(table: object, first: tuple[int, int], last: tuple[int, int]) -> None:
    start, end = table.cell(*first), table.cell(*last)  # type: ignore[attr-defined]
    text = start.text
    merged = start.merge(end)
    merged.text = text


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """What XML can hold: python-docx and openpyxl refuse control characters (a real file cannot carry them)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


# --- .xlsx -------------------------------------------------------------------------------------------------------


def xlsx_bytes(content: Content) -> bytes:
    """The 附1 grid on its sheet (plain numbers as numbers, 65.36% as a percentage), the prose on a second sheet."""
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = _EPOCH
    sheet = workbook.active
    sheet.title = "项目支出绩效自评表"
    for r, row in enumerate(content.table, start=1):
        for c, text in enumerate(row, start=1):
            if text:
                cell = sheet.cell(r, c)
                cell.value, fmt = spreadsheet_value(text)
                if fmt:
                    cell.number_format = fmt
    if content.table and len(content.table[0]) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(content.table[0]))
    prose = workbook.create_sheet("自评报告")
    for r, line in enumerate(content.prose, start=1):
        prose.cell(r, 1).value = _xml_safe(line)[:32_767]
    out = io.BytesIO()
    workbook.save(out)
    return zip_package(_shared_strings(_fixed_modified(zip_members(out.getvalue()))))


def _fixed_modified(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """openpyxl stamps docProps/core.xml with the time of saving; the seed says 2023-04-20 instead."""
    fixed = []
    for name, part in members:
        if name == "docProps/core.xml":
            part = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-04-20T09:00:00Z", part)
        fixed.append((name, part))
    return fixed


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)


def _shared_strings(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The workbook with its text in xl/sharedStrings.xml, as Excel and WPS save it (openpyxl writes each
    string inline in its cell)."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    out = [(name, _INLINE.sub(shared, part) if name.startswith("xl/worksheets/") else part) for name, part in members]
    items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
    table = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(strings), len(strings), items)
    )
    rel = (
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    fixed = []
    for name, part in out:
        if name == "xl/_rels/workbook.xml.rels":
            part = part.replace(b"</Relationships>", rel)
        elif name == "[Content_Types].xml":
            part = part.replace(b"</Types>", override)
        fixed.append((name, part))
    return [*fixed, ("xl/sharedStrings.xml", table)]


_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,6})?")
_PERCENT = re.compile(r"(-?\d{1,6}(?:\.\d{1,4})?)%")


def spreadsheet_value(text: str) -> tuple[str | float, str | None]:
    """A cell as a spreadsheet keeps it: ``153`` as the number 153, ``65.36%`` as 0.6536 shown as a percentage,
    anything else as text."""
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text), None
    if match := _PERCENT.fullmatch(text):
        return float(match.group(1)) / 100, "0.00%"
    return _xml_safe(text)[:32_767], None


# --- .xls (BIFF8 in a compound file) -----------------------------------------------------------------------------

_BIFF_MAX = 8224  # the most data one BIFF8 record holds; longer content goes on in CONTINUE records
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR = 512
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x00000006))


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", errors="surrogatepass")


def _sst(strings: Sequence[str]) -> list[bytes]:
    """The shared string table: SST, then CONTINUE records wherever a record is full (a string cut between
    records goes on after a fresh option byte, as Excel writes it)."""
    records: list[bytes] = []
    current = bytearray(struct.pack("<II", len(strings), len(strings)))
    kind = 0x00FC
    for text in strings:
        chars = _utf16(text)
        if len(current) + 3 + 2 > _BIFF_MAX:  # the header (count and option byte) is never split
            records.append(record(kind, bytes(current)))
            current, kind = bytearray(), 0x003C
        current += struct.pack("<HB", len(chars) // 2, 0x01)
        while chars:
            room = (_BIFF_MAX - len(current)) // 2 * 2
            current += chars[:room]
            chars = chars[room:]
            if chars:
                records.append(record(kind, bytes(current)))
                current, kind = bytearray(b"\x01"), 0x003C
    records.append(record(kind, bytes(current)))
    return records


def biff_records(sheets: Sequence[tuple[str, Rows]]) -> tuple[list[bytes], list[list[bytes]]]:
    """The workbook globals and each sheet's records, as lists of records (the fuzz edits them one by one).

    The BOUNDSHEET records hold a placeholder offset: :func:`biff_stream` fills it in.
    """
    strings: list[str] = []
    index: dict[str, int] = {}
    sheet_records: list[list[bytes]] = []
    for _, rows in sheets:
        cells: list[bytes] = []
        width = max((len(row) for row in rows), default=0)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if not text:
                    continue
                value, fmt = spreadsheet_value(text)
                if isinstance(value, float):
                    cells.append(record(0x0203, struct.pack("<HHHd", r, c, 16 if fmt else 15, value)))
                else:
                    text = value[:32_767]
                    if text not in index:
                        index[text] = len(strings)
                        strings.append(text)
                    cells.append(record(0x00FD, struct.pack("<HHHI", r, c, 15, index[text])))
        dimensions = record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        sheet_records.append([_bof(0x0010), dimensions, *cells, record(0x000A)])
    fonts = [
        record(0x0031, struct.pack("<HHHHHBBBB", 220, 0, 0x7FFF, 400, 0, 0, 0, 134, 0) + b"\x02\x01" + _utf16("宋体"))
    ] * 5
    style_xfs = [record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))] * 15
    cell_xf = record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    percent_xf = record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 10, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    bound = [record(0x0085, struct.pack("<IBBBB", 0, 0, 0, len(name), 0x01) + _utf16(name)) for name, _ in sheets]
    globals_ = [
        _bof(0x0005),
        record(0x0042, struct.pack("<H", 1200)),  # CODEPAGE: UTF-16
        record(0x0022, struct.pack("<H", 0)),  # DATEMODE: 1900
        *fonts,
        *style_xfs,
        cell_xf,
        percent_xf,
        *bound,
        *_sst(strings),
        record(0x000A),
    ]
    return globals_, sheet_records


def biff_stream(globals_: Sequence[bytes], sheets: Sequence[Sequence[bytes]]) -> bytes:
    """The Workbook stream: the globals, then each sheet, with each BOUNDSHEET pointing at its sheet's BOF."""
    head = b"".join(globals_)
    offsets, position = [], len(head)
    for sheet in sheets:
        offsets.append(position)
        position += sum(len(r) for r in sheet)
    fixed = bytearray(head)
    at, n = 0, 0
    while at + 4 <= len(fixed) and n < len(offsets):
        kind, size = struct.unpack_from("<HH", fixed, at)
        if kind == 0x0085 and size >= 4:
            struct.pack_into("<I", fixed, at + 4, offsets[n])
            n += 1
        at += 4 + size
    return bytes(fixed) + b"".join(b"".join(sheet) for sheet in sheets)


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound file (version 3, 512-byte sectors) holding one stream, padded past the 4096-byte mini-stream
    cut-off so that it lives in ordinary sectors."""
    stream = stream + b"\x00" * max(0, 4096 - len(stream))
    data_sectors = -(-len(stream) // _SECTOR)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + 1 + data_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("stream too long for a compound file without DIFAT sectors")
    directory = fat_sectors
    first_data = fat_sectors + 1
    fat = [_FAT] * fat_sectors + [_END]
    fat += [first_data + i + 1 for i in range(data_sectors - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    header = bytearray(_SECTOR)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, fat_sectors, directory, 0, 4096, _END, 0, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    entries = [
        _dir_entry("Root Entry", 5, child=1, start=_END, size=0),
        _dir_entry(name, 2, child=_FREE, start=first_data, size=len(stream)),
        _dir_entry("", 0, child=_FREE, start=0, size=0),
        _dir_entry("", 0, child=_FREE, start=0, size=0),
    ]
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries)
    padded = stream + b"\x00" * (data_sectors * _SECTOR - len(stream))
    return bytes(header) + body + padded


def _dir_entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = _utf16(name) + b"\x00\x00" if name else b""
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, _FREE, _FREE, child)
    struct.pack_into("<IQ", entry, 116, start, size)
    return bytes(entry)


def xls_sheets(content: Content) -> list[tuple[str, Rows]]:
    return [("项目支出绩效自评表", content.table), ("自评报告", tuple((line,) for line in content.prose))]


def xls_bytes(content: Content) -> bytes:
    """The same two sheets as :func:`xlsx_bytes`, as Excel 97–2003 writes them: numbers as NUMBER records, text
    in the shared string table."""
    return compound_file(biff_stream(*biff_records(xls_sheets(content))))


# --- .pdf --------------------------------------------------------------------------------------------------------

_PAGE_W, _PAGE_H, _MARGIN, _SIZE, _LEAD = 595, 842, 50, 10, 15


def pdf_bytes(content: Content, *, compress: bool = False) -> bytes:
    """Pages of prose lines, then the table as text in ruled cells (pdfplumber finds it by its lines)."""
    pages: list[bytes] = []
    ops: list[str] = []
    y = _PAGE_H - _MARGIN
    for line in content.prose:
        if y < _MARGIN:
            pages.append("\n".join(ops).encode("latin-1"))
            ops, y = [], _PAGE_H - _MARGIN
        ops.append(_show(line[:200], _MARGIN, y))
        y -= _LEAD
    pages.append("\n".join(ops).encode("latin-1"))
    if content.table:
        pages.extend(_table_pages(content.table))
    return pdf_document(pages, compress=compress)


def _table_pages(rows: Rows) -> list[bytes]:
    """The table's rows, as many to a page as fit, each page's part ruled by one line per row and column edge."""
    width = max(len(row) for row in rows) or 1
    column = (_PAGE_W - 2 * _MARGIN) / width
    height = 2 * _LEAD
    per_page = max(1, int((_PAGE_H - 2 * _MARGIN) // height))
    pages = []
    for first in range(0, len(rows), per_page):
        chunk = rows[first : first + per_page]
        top = _PAGE_H - _MARGIN
        bottom = top - len(chunk) * height
        ops = [
            f"{_MARGIN} {top - k * height:.2f} m {_PAGE_W - _MARGIN} {top - k * height:.2f} l"
            for k in range(len(chunk) + 1)
        ]
        ops += [
            f"{_MARGIN + c * column:.2f} {top:.2f} m {_MARGIN + c * column:.2f} {bottom:.2f} l"
            for c in range(width + 1)
        ]
        ops.append("S")
        per_line = max(1, int(column // 6))
        for r, row in enumerate(chunk):
            for c, text in enumerate(row[:width]):
                for k, start in enumerate(range(0, min(len(text), 2 * per_line), per_line)):
                    x, y = _MARGIN + c * column + 2, top - r * height - _LEAD + 3 - k * 6
                    ops.append(_show(text[start : start + per_line], x, y, size=6))
        pages.append("\n".join(ops).encode("latin-1"))
    return pages


def _show(text: str, x: float, y: float, size: int = _SIZE) -> str:
    encoded = text.encode("utf-16-be", errors="surrogatepass").hex().upper()
    return f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td <{encoded}> Tj ET"


def pdf_document(page_streams: Sequence[bytes], *, compress: bool = False) -> bytes:
    """A PDF 1.4 file: catalogue, page tree, one content stream per page, one Type0 font, cross-reference table."""
    objects: dict[int, bytes] = {}
    page_ids = [6 + 2 * i for i in range(len(page_streams))]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[3] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [4 0 R] >>"
    )
    objects[4] = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>"
    )
    objects[5] = (
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    for pid, stream in zip(page_ids, page_streams, strict=True):
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_PAGE_W} {_PAGE_H}]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        body = zlib.compress(stream) if compress else stream
        extra = b" /Filter /FlateDecode" if compress else b""
        objects[pid + 1] = b"<< /Length %d%s >>\nstream\n" % (len(body), extra) + body + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


# --- every format ------------------------------------------------------------------------------------------------

WRITERS: dict[str, Callable[[Content], bytes]] = {
    ".txt": txt_bytes,
    ".docx": docx_bytes,
    ".xlsx": xlsx_bytes,
    ".xls": xls_bytes,
    ".pdf": pdf_bytes,
}
FORMATS: tuple[str, ...] = tuple(WRITERS)


@cache
def seed_bytes(suffix: str) -> bytes:
    """The seed document of one format (made once per process)."""
    return WRITERS[suffix](SEED)


@cache
def seed_variants(suffix: str) -> tuple[bytes, ...]:
    """Every seed file of a format the byte-level mutations start from: besides the plain seed, the text in
    GB18030 and in UTF-16, and the PDF with compressed content streams."""
    extra: tuple[bytes, ...] = ()
    if suffix == ".txt":
        extra = (
            txt_bytes(SEED, "gb18030"),
            b"\xff\xfe" + txt_bytes(SEED, "utf-16-le"),
            b"\xef\xbb\xbf" + txt_bytes(SEED),
        )
    elif suffix == ".pdf":
        extra = (pdf_bytes(SEED, compress=True),)
    return (seed_bytes(suffix), *extra)
