"""How far each sheet of a workbook reaches, found before calamine reads it.

calamine builds a sheet as one dense grid from A1 to its furthest cell, and it builds all of an .xls's sheets when it
opens the file, reserving first the range each sheet's DIMENSIONS record declares. A damaged or hostile file makes
that grid absurd: one .xlsx cell at XFD1048576 asks for 512 GB and the failed allocation aborts the whole process;
an .xls cell at column 60,672 costs a gigabyte and half a minute. So the cells are located here first, cheaply:
the cell references of an .xlsx sheet's XML, and the cell records of an .xls's BIFF stream (found in its compound
file). A sheet whose grid would pass :data:`MAX_CELLS` is not handed to calamine.

Nothing here raises on a damaged file: what cannot be located is left to calamine, which says the file is damaged.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .base import OLE_MAGIC

#: the most cells and rows a sheet's grid (from A1 to its furthest cell with content) may hold. A self-evaluation
#: fills a few thousand cells; a grid this size takes one to two seconds and some 100 MB to read (every row costs
#: the reader and the audit a few microseconds, empty or not), within the bounds of a read.
MAX_CELLS = 2_000_000
MAX_ROWS = 200_000
#: the largest range an .xls (BIFF8) can hold, which calamine reserves (without using it) when a sheet declares it
XLS_ROWS, XLS_COLUMNS = 65_536, 256


@dataclass(frozen=True, slots=True)
class Extent:
    """A sheet's grid: ``rows`` × ``columns`` from A1 to its furthest cell (or to the range it declares)."""

    sheet: str
    rows: int
    columns: int
    declared: bool = False  # the range an .xls's DIMENSIONS record declares, not where its cells are

    def problem(self) -> str:
        """The Chinese words for a sheet that is not read."""
        what = "声明的表格范围" if self.declared else "表格范围"
        return f"工作表“{self.sheet}”{what}过大（{self.rows} 行 × {self.columns} 列），可能已损坏，未读取"


def _too_big(rows: int, columns: int) -> bool:
    return rows > MAX_ROWS or rows * columns > MAX_CELLS


# --- .xlsx: the cell references of each sheet's XML ---------------------------------------------------------------

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# a cell with content (not self-closing: <c r="XFD9" s="1"/> is a formatted empty cell, which calamine leaves out)
_CELL = re.compile(rb"<" + _PREFIX + rb"c(?:\s[^>]*)?(?<!/)>")
_CELL_REF = re.compile(rb"<" + _PREFIX + rb"c\s[^>]*?(?<=\s)r\s*=\s*[\"']\$?([A-Za-z]*)\$?(\d*)[\"'][^>]*(?<!/)>")
# a cell with content and without a reference (its attributes name no r)
_CELL_WITHOUT_REF = re.compile(rb"<" + _PREFIX + rb"c(?:\s+(?!r\s*=)[^\s=>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*>")
_ROW = re.compile(rb"<(/?)" + _PREFIX + rb"row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"(?<=\s)r\s*=\s*[\"'](\d+)[\"']")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STRICT_NS = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_REL_ID = re.compile(r"^\{[^}]*\}id$")


def column_number(letters: bytes) -> int:
    """``A`` → 1, ``XFD`` → 16384 (any length: a damaged reference is counted as far as it says)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns of a worksheet's grid, from A1 to its furthest cell with content (at least as far)."""
    refs = _CELL_REF.findall(xml)
    rows = max((int(number) for number in {n for _, n in refs if n}), default=0)
    columns = max((column_number(letters) for letters in {c for c, _ in refs if c}), default=0)
    if _CELL_WITHOUT_REF.search(xml):
        # cells without a reference (some programs write none) are placed by counting, row by row
        counted_rows, counted_columns = _counted_extent(xml)
        rows, columns = max(rows, counted_rows), max(columns, counted_columns)
    return rows, columns


def _counted_extent(xml: bytes) -> tuple[int, int]:
    """The extent when cells are placed as calamine places those without a reference: the row's number (or the
    next one), and the column after the previous cell's."""
    rows = columns = row = 0
    at = 0
    for tag in _ROW.finditer(xml):
        if tag.group(1):  # </row>: its cells are those since the opening tag
            cells = _cells_of_row(xml[at : tag.start()])
            if cells:
                rows = max(rows, row)
                columns = max(columns, cells)
            continue
        number = _ROW_NUMBER.search(tag.group(2))
        row = int(number.group(1)) if number else row + 1
        at = tag.end()
    return rows, columns


def _cells_of_row(xml: bytes) -> int:
    column = furthest = 0
    for cell in _CELL.finditer(xml):
        ref = _CELL_REF.match(cell.group())
        column = column_number(ref.group(1)) if ref and ref.group(1) else column + 1
        furthest = max(furthest, column)
    return furthest


def xlsx_sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the package, by the name the workbook gives it (as calamine finds them: the
    relationships of ``xl/workbook.xml``); empty when they cannot be read."""
    try:
        workbook = etree.fromstring(package.read("xl/workbook.xml"), _parser())
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"), _parser())
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter() if rel.get("Id")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet", f"{_STRICT_NS}sheet"):
        rid = next((value for key, value in sheet.attrib.items() if _REL_ID.match(key)), None)
        target = targets.get(rid)
        if target:
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts


def xlsx_oversized(package: zipfile.ZipFile) -> Iterator[tuple[str, Extent]]:
    """The worksheet parts whose grid would pass :data:`MAX_CELLS` or :data:`MAX_ROWS`, with their extent. Every XML
    part that holds a ``sheetData`` is measured, whether the workbook names it or not, so that a sheet calamine finds
    by another way is measured too (images and other binary parts are not read)."""
    names = {part: name for name, part in xlsx_sheet_parts(package).items()}
    for info in package.infolist():
        named = posixpath.normpath(info.filename) in names
        if info.is_dir() or not (named or info.filename.lower().endswith(".xml")):
            continue
        try:
            xml = package.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
            continue  # calamine cannot read it either
        if b"sheetData" not in xml:  # where a worksheet keeps its cells, wherever its root or its name
            continue
        rows, columns = sheet_extent(xml)
        if _too_big(rows, columns):
            sheet = names.get(posixpath.normpath(info.filename), posixpath.basename(info.filename))
            yield info.filename, Extent(sheet, rows, columns)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True)


# --- .xls: the BIFF records of each sheet, in the compound file -----------------------------------------------------

_LAST_SECTOR = 0xFFFFFFFA  # sector numbers from here on are markers

_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x0200
#: records of one cell with content: FORMULA, NUMBER, RK, LABELSST, LABEL, BOOLERR, RSTRING (blank cells calamine
#: leaves out)
_CELL_RECORDS = frozenset({0x0006, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x00D6})
_MULRK = 0x00BD


def xls_oversized(data: bytes) -> Extent | None:
    """The first sheet of the .xls ``data`` whose grid would pass :data:`MAX_CELLS`, or whose DIMENSIONS record
    declares more than an .xls can hold; None when every sheet is within bounds or the file cannot be followed (an
    encrypted or damaged file, which calamine reports)."""
    try:
        stream = _workbook_stream(data)
        if stream is None:
            return None
        for name, offset in _sheets(stream):
            extent = _sheet_records_extent(stream, offset, name)
            if extent is not None:
                return extent
    except (struct.error, IndexError, ValueError, UnicodeDecodeError, MemoryError):
        return None
    return None


def _workbook_stream(data: bytes) -> bytes | None:
    """The ``Workbook`` (or older ``Book``) stream of a compound file, or None."""
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return None
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= sector_shift <= 16 or not 2 <= mini_shift <= sector_shift:
        return None
    size = 1 << sector_shift
    sectors = (len(data) + size - 1) // size
    directory_start = struct.unpack_from("<I", data, 0x30)[0]
    cutoff, minifat_start, minifat_count, difat_start, difat_count = struct.unpack_from("<5I", data, 0x38)

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start : start + size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _LAST_SECTOR]
    difat, seen = difat_start, 0
    while difat < _LAST_SECTOR and seen < min(difat_count, sectors):
        entries = struct.unpack(f"<{size // 4}I", sector(difat).ljust(size, b"\xff"))
        fat_sectors += [n for n in entries[:-1] if n < _LAST_SECTOR]
        difat, seen = entries[-1], seen + 1
    fat_bytes = b"".join(sector(n) for n in fat_sectors if n < sectors)
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes[: len(fat_bytes) // 4 * 4])

    def chain(start: int, table: tuple[int, ...]) -> Iterator[int]:
        number, steps = start, 0
        while number < _LAST_SECTOR and number < len(table) and steps <= len(table):
            yield number
            number, steps = table[number], steps + 1

    directory = b"".join(sector(n) for n in chain(directory_start, fat))
    entries = [directory[at : at + 128] for at in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    found = None
    for wanted in ("Workbook", "Book"):
        found = next((e for e in entries if e[66] == 2 and _entry_name(e) == wanted), None)
        if found is not None:
            break
    if found is None:
        return None
    start, length = struct.unpack_from("<II", found, 116)
    if length >= cutoff:
        stream = b"".join(sector(n) for n in chain(start, fat))
        return stream[:length]
    root = entries[0]
    mini_stream = b"".join(sector(n) for n in chain(struct.unpack_from("<I", root, 116)[0], fat))
    minifat_bytes = b"".join(sector(n) for n in chain(minifat_start, fat))[: minifat_count * size]
    minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes[: len(minifat_bytes) // 4 * 4])
    mini = 1 << mini_shift
    stream = b"".join(mini_stream[n * mini : (n + 1) * mini] for n in chain(start, minifat))
    return stream[:length]


def _entry_name(entry: bytes) -> str:
    length = min(struct.unpack_from("<H", entry, 64)[0], 64)
    return entry[: max(0, length - 2)].decode("utf-16-le", "replace")


def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """The records from ``at`` to the substream's EOF (or the end of the stream), through any substream nested in
    it (a chart's, or a stray BOF)."""
    depth = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4 : at + 4 + length]
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                return
        at += 4 + length


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """Each sheet's name and the offset of its substream, from the BOUNDSHEET records of the workbook globals;
    empty when the workbook is encrypted (its records cannot be read without the password)."""
    sheets = []
    biff8 = True
    for kind, body in _records(stream, 0):
        if kind == _BOF and len(body) >= 2:
            biff8 = struct.unpack_from("<H", body)[0] >= 0x0600
        elif kind == _FILEPASS:
            return []
        elif kind == _BOUNDSHEET and len(body) >= 8:
            sheets.append((_sheet_name(body, biff8), struct.unpack_from("<I", body)[0]))
    return sheets


def _sheet_name(body: bytes, biff8: bool) -> str:
    length = body[6]
    if not biff8:  # BIFF5: bytes in the workbook's code page (a Chinese workbook's is GBK)
        return body[7 : 7 + length].decode("gbk", "replace")
    if body[7] & 0x01:  # UTF-16
        return body[8 : 8 + 2 * length].decode("utf-16-le", "replace")
    return body[8 : 8 + length].decode("latin-1")


def _sheet_records_extent(stream: bytes, offset: int, name: str) -> Extent | None:
    """The sheet's extent if it is too large (its cells, or the range it declares), else None."""
    rows = columns = 0
    for kind, body in _records(stream, offset):
        if kind in _CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            last = max(struct.unpack_from("<H", body, len(body) - 2)[0], first + (len(body) - 6) // 6 - 1)
            rows, columns = max(rows, row + 1), max(columns, last + 1)
        elif kind == _DIMENSIONS and len(body) >= 10:
            first_row, last_row, first_column, last_column = struct.unpack_from(
                "<IIHH" if len(body) >= 14 else "<HHHH", body
            )
            # what calamine reserves for it, as measured: the rows between the first and the last (a first past
            # the last wraps round to four billion), by the columns up to the last (or between, wrapped likewise)
            declared_rows = (last_row - first_row) % 2**32
            declared_columns = max(last_column, (last_column - first_column) % 2**16)
            if declared_rows * declared_columns > XLS_ROWS * XLS_COLUMNS:
                return Extent(name, declared_rows, declared_columns, declared=True)
    return Extent(name, rows, columns) if _too_big(rows, columns) else None
