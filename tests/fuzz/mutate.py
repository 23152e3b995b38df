"""Mutations of the seed documents: damaged bytes, damaged containers, hostile content in well-formed files.

Every case is a pure function of ``(seed, format, index)`` (:func:`mutant`), so any case a run reports can be made
again on its own. Four kinds of damage:

- **bytes** — any format: bits flipped, bytes overwritten, the file cut short, a chunk repeated, removed or
  copied over another, random bytes or hostile text spliced in.
- **container** — .docx and .xlsx: one member of the zip package rewritten (its text, an attribute, its bytes),
  dropped, doubled, renamed or replaced by rubbish, or a DOCTYPE with entities put in front of it; .xls: one BIFF
  record dropped, doubled, moved, cut or given odd fields, or the compound file's header and directory edited;
  .pdf: a number, a name or an object changed, the cross-reference table broken, the page tree made a loop,
  hostile drawing operators.
- **content** — every format: a well-formed file whose text is hostile: amounts too large for any decimal,
  negative amounts, full-width and non-Latin digits, units piled up (万万元), percentages far above 100, control
  and invisible characters, very long lines, numbers where text belongs and text where numbers belong. The file
  is valid, so the reader must read it (``readable``): an error other than “empty” is a defect.

Resource bombs are drawn too, now that the readers bound them (findings F4–F6 of ``test_findings.py``): now and then
an attribute is one of :data:`ATTRIBUTE_BOMBS` (a cell at XFD1048576, a span of ten million columns), a BIFF cell is
moved anywhere its 16-bit row and column reach, a DIMENSIONS record declares any range, the compound file declares
any stream size. The other attribute values stay below :data:`ATTRIBUTE_MAX`.
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from lxml import etree

from . import seeds
from .seeds import Content

#: numbers as documents should never write them, but some do
HOSTILE_NUMBERS: tuple[str, ...] = (
    "99999999999999999999999999999",
    "-153",
    "１５３",
    "－１５３",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "-0",
    "0.0000000000000000000000001",
    "153.4.5",
    "1,5,3",
    "1,530,000.00",
    "１５３．００",
    "一百五十三",
    "壹佰伍拾叁",
    "九千九百九十九万亿",
    "零点零零一",
    "−153",
    "﹣153",
    "(153)",
    "+153",
    "0x99",
    "1_000",
    "٣٤٥",
    "१२३",
    "𝟏𝟓𝟑",
    "¹⁵³",
    "①⑤③",
    "Ⅲ",
    "1" * 400,
    "9" * 40 + "." + "9" * 40,
    "0" * 60 + "1",
    "4294967296",
    "18446744073709551616",
    "-2147483649",
)

#: units, right and wrong
UNITS: tuple[str, ...] = (
    "万元",
    "元",
    "亿元",
    "万万元",
    "元万元",
    "万亿元",
    "千万元",
    "萬元",
    "兀",
    "%",
    "％",
    "‰",
    "分",
    "",
)

#: whole fragments of hostile text
HOSTILE_TEXT: tuple[str, ...] = (
    "年度预算资金99999999999999999999999999999万元",
    "-153万元",
    "全年预算数-153万元，全年执行数-100万元",
    "预算执行率650.36%",
    "到位率-65.36%",
    "支出率１００００％",
    "自评得分1e309分，评价等级为“优”",
    "自评得分９９９分",
    "自评得分-5分，评价等级为“差”",
    "全年预算数为１５３万万元",
    "预算安排153元万元",
    "执行率百分之一百五十",
    "到位资金壹仟亿亿元整",
    "共100万元，其中：23万元、99999999999999999999万元、-7万元",
    "2022年13月45日",
    "0000年00月00日",
    "第99999999999页",
    "〔2020〕10号〔〔〔",
    "（（（（（（（（（（",
    "預算執行率65.36％",
    "\x00\x01\x07\x1b[31m\x7f",
    "\u200b\u200e\u202e\ufeff\u2028\u2029",
    "\r\r\n\n\t\t\v\f",
    "😀🀄𠀀𪚥",
    "a\u0301\u0301\u0301\u0301",
    "<w:t>&amp;]]><![CDATA[",
    "{{ 预算 }}%s%n%(x)s",
    "../../etc/passwd",
    "一、基本情况二、三、四、五、六、七、",
    "项目名称：" + "某" * 300,
    "万元" * 500,
    "%" * 500,
    "1." * 500,
    "153万元" * 300,
)

#: the largest number an ordinary attribute mutation writes: big enough to be wrong, small enough to keep most cases
#: about the readers' handling of odd values rather than of size
ATTRIBUTE_MAX = 1000
#: resource bombs an attribute mutation writes now and then (the readers refuse or bound them: findings F4–F6)
ATTRIBUTE_BOMBS: tuple[str, ...] = (
    "10000000", "2147483647", "4294967296", "1048576", "16384", "65536",
    "XFD1048576", "A1048576", "XFD1", "IV65536", "ZZZZ1", "A99999999999", "XFD1048577",
)  # fmt: skip


# --- hostile content (shared by the seeded loops and the hypothesis strategies) -----------------------------------


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the text of a document: ``how`` is done with ``what`` to the slot ``where`` points at."""

    where: int
    how: str
    what: str


#: what an edit does to one piece of text (a prose line or a table cell)
TEXT_EDITS: tuple[str, ...] = ("insert", "replace", "number", "unit", "repeat", "wide", "control", "append")
#: what an edit does to the document's structure (prose and table only)
STRUCTURE_EDITS: tuple[str, ...] = ("copy-line", "drop-line", "copy-row", "drop-row", "new-column")

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT = re.compile(r"万元|元|%")
_WIDE = str.maketrans("0123456789.%-", "０１２３４５６７８９．％－")
_CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\u200b\u202e\ufeff"
#: a very long line: the longest a mutation writes (tools/fuzz.py --long writes longer ones). Every reader and the
#: audit take at most a second or two at this length (F7 fixed); a line of 30,000 characters listing amounts after
#: 其中 still takes longer than the bound (finding F12).
LONG = 10_000


def edit_text(text: str, edit: Edit) -> str:
    """``text`` after one :data:`TEXT_EDITS` edit."""
    at = edit.where % (len(text) + 1)
    how, what = edit.how, edit.what
    if how == "insert":
        return text[:at] + what + text[at:]
    if how == "replace":
        return what
    if how == "number":
        numbers = list(_NUMBER.finditer(text))
        if not numbers:
            return text + what
        found = numbers[edit.where % len(numbers)]
        return text[: found.start()] + what + text[found.end() :]
    if how == "unit":
        units = list(_UNIT.finditer(text))
        if not units:
            return text + what
        found = units[edit.where % len(units)]
        return text[: found.start()] + what + text[found.end() :]
    if how == "repeat":
        piece = what or text or "9"
        return (piece * (LONG // len(piece) + 1))[:LONG]
    if how == "wide":
        return text.translate(_WIDE)
    if how == "control":
        return text[:at] + _CONTROLS[edit.where % len(_CONTROLS)] * (1 + len(what) % 5) + text[at:]
    return text + what  # append


def edit_texts(texts: Sequence[str], edits: Sequence[Edit]) -> list[str]:
    """Each edit applied to the text it points at (structure edits are ignored: there is no structure here)."""
    out = list(texts)
    for edit in edits:
        if out and edit.how in TEXT_EDITS:
            i = edit.where % len(out)
            out[i] = edit_text(out[i], edit)
    return out


def edit_content(content: Content, edits: Sequence[Edit]) -> Content:
    """The content after ``edits``: text edits on prose lines and table cells alike, structure edits on lines and
    rows."""
    prose = list(content.prose)
    table = [list(row) for row in content.table]
    for edit in edits:
        if edit.how in TEXT_EDITS:
            cells = [(None, i) for i in range(len(prose))] + [
                (r, c) for r, row in enumerate(table) for c in range(len(row))
            ]
            if not cells:
                prose.append(edit_text("", edit))
                continue
            r, c = cells[edit.where % len(cells)]
            if r is None:
                prose[c] = edit_text(prose[c], edit)
            else:
                table[r][c] = edit_text(table[r][c], edit)
        elif edit.how == "copy-line" and prose:
            i = edit.where % len(prose)
            prose.insert(i, prose[i])
        elif edit.how == "drop-line" and prose:
            del prose[edit.where % len(prose)]
        elif edit.how == "copy-row" and table:
            i = edit.where % len(table)
            table.insert(i, list(table[i]))
        elif edit.how == "drop-row" and table:
            del table[edit.where % len(table)]
        elif edit.how == "new-column" and table:
            i = edit.where % len(table)
            table[i].append(edit.what)
    return Content(tuple(prose), tuple(tuple(row) for row in table))


def random_fragment(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(HOSTILE_TEXT)
    if roll < 0.8:
        return rng.choice(HOSTILE_NUMBERS) + rng.choice(UNITS)
    if roll < 0.9:
        return rng.choice(HOSTILE_NUMBERS)
    return "".join(
        chr(rng.choice((rng.randrange(0x20, 0x7F), rng.randrange(0x80, 0x3000), rng.randrange(0x4E00, 0x9FA6))))
        for _ in range(rng.randrange(1, 30))
    )


def random_edits(rng: random.Random, *, structure: bool = True) -> list[Edit]:
    kinds = TEXT_EDITS + STRUCTURE_EDITS if structure else TEXT_EDITS
    edits = []
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        how = rng.choice(kinds)
        if how == "repeat" and rng.random() < 0.7:  # long lines are slow to audit: fewer of them
            how = "insert"
        edits.append(Edit(rng.randrange(1 << 16), how, random_fragment(rng)))
    return edits


# --- bytes -------------------------------------------------------------------------------------------------------

_INTERESTING = (0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x20, 0x30, 0x39, 0x3C, 0x3E, 0x22, 0x25, 0x0A, 0x0D)


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One byte-level mutation of ``data``: (what was done, the result)."""
    buf = bytearray(data)
    size = len(buf)
    op = rng.choice(("flip", "flip", "set", "truncate", "copy", "delete", "insert", "splice", "overwrite"))
    if op == "flip" and size:
        for _ in range(rng.choice((1, 1, 2, 4, 8, 32))):
            buf[rng.randrange(size)] ^= 1 << rng.randrange(8)
        return "字节翻转", bytes(buf)
    if op == "set" and size:
        for _ in range(rng.choice((1, 2, 4, 16))):
            buf[rng.randrange(size)] = rng.choice(_INTERESTING) if rng.random() < 0.6 else rng.randrange(256)
        return "字节改写", bytes(buf)
    if op == "truncate":
        return "截断", bytes(buf[: rng.randrange(size + 1)])
    start, length = rng.randrange(size + 1), rng.choice((1, 4, 16, 256, 4096))
    chunk = bytes(buf[start : start + length])
    at = rng.randrange(size + 1)
    if op == "copy":
        return "片段重复", bytes(buf[:at] + chunk * rng.choice((1, 2, 16)) + buf[at:])
    if op == "delete":
        return "片段删除", bytes(buf[:start] + buf[start + length :])
    if op == "insert":
        return "插入随机字节", bytes(buf[:at]) + rng.randbytes(rng.choice((1, 8, 64, 1024))) + bytes(buf[at:])
    if op == "splice":
        encoding = rng.choice(("utf-8", "gb18030", "utf-16-le", "utf-16-be"))
        text = random_fragment(rng).encode(encoding, errors="replace")
        return "插入恶意文本", bytes(buf[:at]) + text + bytes(buf[at:])
    buf[at : at + len(chunk)] = chunk  # overwrite: a piece of the file over another
    return "片段覆盖", bytes(buf)


# --- zip packages (.docx, .xlsx) ---------------------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: the members each reader opens, which mutations prefer
MAIN_MEMBERS = {
    ".docx": ("word/document.xml", "word/document.xml", "_rels/.rels", "[Content_Types].xml"),
    ".xlsx": (
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/sharedStrings.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "[Content_Types].xml",
        "_rels/.rels",
    ),
}

_ODD_ATTRIBUTES = ("-1", "0", "", "x", "1.5", "NaN", "restart", "continue", "A0", "ZZ0", "A-1", "1e3", " 1", "０")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _odd_attribute(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(_ODD_ATTRIBUTES)
    if roll < 0.62:
        return str(rng.randrange(-ATTRIBUTE_MAX, ATTRIBUTE_MAX))
    if roll < 0.7:
        return rng.choice(ATTRIBUTE_BOMBS)
    if roll < 0.85:  # a cell reference within the first ATTRIBUTE_MAX rows and 26 × 4 columns
        column = "".join(rng.choice("ABCD") for _ in range(rng.randrange(1, 3)))
        return f"{column}{rng.randrange(ATTRIBUTE_MAX)}"
    return xml_safe(random_fragment(rng))[:50]


def _edit_xml(part: bytes, rng: random.Random) -> bytes | None:
    """One text node or attribute of an XML member changed (None when the member is not XML)."""
    try:
        root = etree.fromstring(part, _PARSER)
    except etree.XMLSyntaxError:
        return None
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    if rng.random() < 0.5:
        texts = [e for e in elements if e.text and e.text.strip()]
        if texts:
            node = rng.choice(texts)
            node.text = xml_safe(edit_text(node.text or "", random_edits(rng, structure=False)[0]))
            return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with_attributes = [e for e in elements if e.attrib]
    if not with_attributes:
        return None
    node = rng.choice(with_attributes)
    name = rng.choice(list(node.attrib))
    node.set(name, _odd_attribute(rng))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _doctype(part: bytes, rng: random.Random) -> bytes:
    """A DOCTYPE in front of the member: entity definitions (nested, or naming a local file) and their use."""
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", part)
    root = re.match(rb"<([\w:]+)", body)
    name = root.group(1) if root else b"r"
    kind = rng.choice(("laughs", "file", "undefined"))
    if kind == "laughs":
        entities = '<!ENTITY a0 "153万元">'.encode() + b"".join(
            b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 6)
        )
        use = b"&a5;"
    elif kind == "file":
        entities, use = b'<!ENTITY x SYSTEM "file:///etc/passwd">', b"&x;"
    else:
        entities, use = b"", b"&nowhere;"
    body = re.sub(rb"(<(?:\w+:)?t(?: [^>]*)?>)", lambda m: m.group(1) + use, body, count=1)  # the first text
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE %s [%s]>' % (name, entities) + body


def mutate_package(data: bytes, suffix: str, rng: random.Random) -> tuple[str, bytes]:
    """One change to one member of a zip package, the package itself still a valid zip."""
    members = seeds.zip_members(data)
    names = [name for name, _ in members]
    target = rng.choice(MAIN_MEMBERS[suffix]) if rng.random() < 0.8 else rng.choice(names)
    if target not in names:
        target = rng.choice(names)
    i = names.index(target)
    name, part = members[i]
    op = rng.choice(("xml", "xml", "xml", "bytes", "drop", "double", "rename", "rubbish", "empty", "doctype"))
    if op == "xml" and (edited := _edit_xml(part, rng)) is not None:
        members[i] = (name, edited)
        return "改写部件文本", seeds.zip_package(members)
    if op == "drop":
        del members[i]
        return "删除部件", seeds.zip_package(members)
    if op == "double":
        other = part if rng.random() < 0.5 else mutate_bytes(part, rng)[1]
        members.insert(rng.randrange(len(members) + 1), (name, other))
        return "重复部件", seeds.zip_package(members)
    if op == "rename":
        members[i] = (rng.choice((name.upper(), "/" + name, name + ".bak", name.replace("/", "\\"))), part)
        return "部件改名", seeds.zip_package(members)
    if op == "rubbish":
        members[i] = (name, rng.randbytes(rng.choice((1, 100, 5000))))
        return "部件改为乱码", seeds.zip_package(members)
    if op == "empty":
        members[i] = (name, b"")
        return "部件清空", seeds.zip_package(members)
    if op == "doctype" and part.lstrip().startswith(b"<"):
        members[i] = (name, _doctype(part, rng))
        return "部件加实体定义", seeds.zip_package(members)
    members[i] = (name, mutate_bytes(part, rng)[1])
    return "部件字节损坏", seeds.zip_package(members)


#: numbers a spreadsheet may hold in a numeric cell (xsd:double), however unlikely in a self-evaluation
CELL_NUMBERS: tuple[str, ...] = (
    "99999999999999999999999999999", "-153", "-0", "0", "1E+308", "-1E+308", "4.9E-324", "0.0000000000001",
    "1530000", "-65.36", "6.536", "100.00000000000001", "1E+16", "123456789012345678",
)  # fmt: skip


def package_texts(data: bytes) -> tuple[list[tuple[str, bytes]], dict[str, list[etree._Element]]]:
    """The members of a package and, per member, the elements holding its text: Word's runs, the shared strings,
    and the values of numeric cells."""
    members = seeds.zip_members(data)
    texts: dict[str, list[etree._Element]] = {}
    for name, part in members:
        if name in ("word/document.xml", "xl/sharedStrings.xml") or name.startswith("xl/worksheets/"):
            root = etree.fromstring(part, _PARSER)
            texts[name] = [e for e in root.iter() if isinstance(e.tag, str) and _is_text(e)]
    return members, texts


def _is_text(element: etree._Element) -> bool:
    tag = element.tag.rsplit("}", 1)[-1]
    if tag == "t":
        return True
    cell = element.getparent()
    return tag == "v" and cell is not None and cell.get("t") in (None, "n")  # a number, not a shared string's index


def edit_package(data: bytes, edits: Sequence[Edit]) -> bytes:
    """A well-formed package whose texts carry ``edits`` (a numeric cell gets another number, never text)."""
    members, texts = package_texts(data)
    nodes = [node for name in sorted(texts) for node in texts[name]]
    edited = edit_texts([node.text or "" for node in nodes], edits)
    for node, text, edit in zip(nodes, edited, _edits_by_node(len(nodes), edits), strict=True):
        if node.tag.endswith("}v"):
            if edit is not None:
                node.text = CELL_NUMBERS[edit.where % len(CELL_NUMBERS)]
        else:
            node.text = xml_safe(text)
    roots = {name: elements[0].getroottree().getroot() for name, elements in texts.items() if elements}
    out = [
        (name, etree.tostring(roots[name], xml_declaration=True, encoding="UTF-8", standalone=True))
        if name in roots
        else (name, part)
        for name, part in members
    ]
    return seeds.zip_package(out)


def _edits_by_node(count: int, edits: Sequence[Edit]) -> list[Edit | None]:
    """The last text edit that points at each node (as :func:`edit_texts` counts them)."""
    by_node: list[Edit | None] = [None] * count
    for edit in edits:
        if count and edit.how in TEXT_EDITS:
            by_node[edit.where % count] = edit
    return by_node


# --- .xls: BIFF records in a compound file -----------------------------------------------------------------------


@cache
def _biff_seed() -> tuple[tuple[bytes, ...], tuple[tuple[bytes, ...], ...]]:
    globals_, sheets = seeds.biff_records(seeds.xls_sheets(seeds.SEED))
    return tuple(globals_), tuple(tuple(sheet) for sheet in sheets)


def _odd_u16(rng: random.Random) -> int:
    return rng.choice((0, 1, 0xFF, 0x100, 0x7FFF, 0xFFFF, rng.randrange(ATTRIBUTE_MAX)))


def _edit_record(rec: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind, size = struct.unpack_from("<HH", rec)
    body = bytearray(rec[4:])
    if kind in (0x00FD, 0x0203) and size >= 6 and rng.random() < 0.6:  # a cell: its row, column or format
        field = rng.choice((0, 2, 4))
        value = rng.randrange(ATTRIBUTE_MAX) if field == 0 else rng.randrange(256) if field == 2 else _odd_u16(rng)
        if field != 4 and rng.random() < 0.2:  # anywhere a 16-bit row or column reaches
            value = rng.choice((0xFFFF, rng.randrange(0x10000)))
        struct.pack_into("<H", body, field, value)
        return "BIFF单元格位置", rec[:4] + bytes(body)
    if kind == 0x0200 and size >= 14 and rng.random() < 0.6:  # DIMENSIONS: any range, backwards too
        rows = (rng.randrange(1 << 32), rng.choice((0, 17, 65_536, 1 << 20, 0xFFFFFFFF, rng.randrange(1 << 32))))
        columns = (rng.choice((0, 10, 0xFFFF)), rng.choice((10, 256, 16_384, 0xFFFF)))
        if rng.random() < 0.5:
            rows = (0, rows[1])
        struct.pack_into("<IIHH", body, 0, *rows, *columns)
        return "BIFF声明范围", rec[:4] + bytes(body)
    if kind == 0x00FD and size >= 10:
        struct.pack_into("<I", body, 6, rng.choice((0xFFFFFFFF, 9999, rng.randrange(100))))
        return "BIFF共享字符串序号", rec[:4] + bytes(body)
    if kind == 0x0203 and size >= 14:
        value = rng.choice((float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 5e-324, -0.0, 1e16, -153.0))
        struct.pack_into("<d", body, 6, value)
        return "BIFF数值", rec[:4] + bytes(body)
    if rng.random() < 0.5:  # the length field lies
        new_size = rng.choice((0, 1, max(0, size - 1), size + 1, size + 100, 0xFFFF))
        return "BIFF记录长度", struct.pack("<HH", kind, new_size) + bytes(body)
    if body:
        for _ in range(rng.choice((1, 2, 4))):
            at = rng.randrange(len(body))
            body[at] = rng.choice(_INTERESTING) if rng.random() < 0.5 else rng.randrange(256)
    return "BIFF记录内容", rec[:4] + bytes(body)


def mutate_xls(rng: random.Random) -> tuple[str, bytes]:
    """One change to the BIFF records of the seed workbook or to its compound file."""
    globals_, sheets = _biff_seed()
    streams = [list(globals_), *(list(sheet) for sheet in sheets)]
    target = streams[rng.randrange(len(streams))]
    i = rng.randrange(len(target))
    op = rng.choice(("edit", "edit", "edit", "drop", "double", "move", "kind", "codepage", "container"))
    label = ""
    if op == "edit":
        label, target[i] = _edit_record(target[i], rng)
    elif op == "drop":
        del target[i]
        label = "BIFF删除记录"
    elif op == "double":
        target.insert(rng.randrange(len(target) + 1), target[i])
        label = "BIFF重复记录"
    elif op == "move":
        rec = target.pop(i)
        target.insert(rng.randrange(len(target) + 1), rec)
        label = "BIFF移动记录"
    elif op == "kind":
        kinds = (0x0809, 0x000A, 0x0085, 0x00FC, 0x003C, 0x00FD, 0x0203, 0x0204, 0x0006, 0x0200, 0x00E0, 0x0042, 0x0000)
        target[i] = struct.pack("<H", rng.choice(kinds)) + target[i][2:]
        label = "BIFF记录类型"
    elif op == "codepage":
        streams[0][1] = seeds.record(
            0x0042, struct.pack("<H", rng.choice((0, 367, 437, 936, 950, 1252, 10008, 65001, 0xFFFF)))
        )
        label = "BIFF代码页"
    stream = seeds.biff_stream(streams[0], streams[1:])
    if op != "container":
        return label, seeds.compound_file(stream)
    return _mutate_compound(seeds.compound_file(stream), rng)


def _mutate_compound(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A field of the compound file's header or of the Workbook stream's directory entry changed."""
    buf = bytearray(data)
    fields = (  # (offset, struct format) of header fields, then of the Workbook entry (the second entry, sector 1)
        (24, "<H"), (26, "<H"), (28, "<H"), (30, "<H"), (32, "<H"), (44, "<I"), (48, "<I"), (56, "<I"),
        (60, "<I"), (64, "<I"), (68, "<I"), (72, "<I"), (76, "<I"),
        (512 * 2 + 128 + 64, "<H"), (512 * 2 + 128 + 66, "<B"), (512 * 2 + 128 + 76, "<I"),
        (512 * 2 + 128 + 116, "<I"), (512 * 2 + 128 + 120, "<I"),
    )  # fmt: skip
    offset, fmt = rng.choice(fields)
    top = {"<B": 0xFF, "<H": 0xFFFF, "<I": 0xFFFFFFFF}[fmt]
    value = rng.choice((0, 1, 2, 7, 12, 0x40, top, top - 1, top - 2, rng.randrange(min(top, 1 << 16))))
    if fmt == "<I" and offset == 512 * 2 + 128 + 120 and rng.random() < 0.7:  # the stream's size: mostly near
        value = rng.randrange(2 * len(data))
    struct.pack_into(fmt, buf, offset, value)
    return "复合文件头", bytes(buf)


# --- .pdf --------------------------------------------------------------------------------------------------------

_PDF_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_PDF_NAME = re.compile(rb"/[A-Za-z][\w.+-]*")
_PDF_OBJECT = re.compile(rb"\d+ 0 obj\n.*?\nendobj\n", re.S)
_NAMES = (
    b"/Page", b"/Pages", b"/Catalog", b"/Font", b"/FlateDecode", b"/LZWDecode", b"/ASCIIHexDecode", b"/DCTDecode",
    b"/Identity-H", b"/UniGB-UCS2-H", b"/Type3", b"/CIDFontType2", b"/XObject", b"/Image", b"/Encrypt", b"/Standard",
)  # fmt: skip
_HOSTILE_OPERATORS = (
    "q " * 2000 + "Q " * 10,
    "1e30 0 0 1e30 0 0 cm BT /F1 12 Tf 0 0 Td <4E00> Tj ET",
    "BT /F1 1e30 Tf 1e30 -1e30 Td <4E004E8C> Tj ET",
    "BT /F1 0 Tf 0 0 Td <4E00> Tj ET",
    "BT /F1 12 Tf 100 100 Td [<4E00> -99999999 <4E8C>] TJ ET",
    "BT /F9 12 Tf 100 100 Td <4E00> Tj ET",
    "/Nothing Do /X1 Do",
    "BI /W 99999 /H 99999 /BPC 8 /CS /G ID \x00\x01 EI",
    "0 0 m " + "1 1 l " * 5000 + "S",
    "0 0 99999 99999 re S " * 50,
    "BT /F1 10 Tf 100 700 Td (" + "(" * 200 + ") Tj ET",
    "BT ET ET ET Tj TJ ' \" Td",
    "NaN NaN re f 1 0 0 1 NaN NaN cm",
)


def mutate_pdf(rng: random.Random) -> tuple[str, bytes]:
    """One change to the seed PDF's objects, cross-reference table, page tree or drawing operators."""
    data = seeds.seed_bytes(".pdf")
    op = rng.choice(("number", "number", "name", "drop", "double", "xref", "loop", "nest", "operators", "encrypt"))
    if op == "number":
        found = list(_PDF_NUMBER.finditer(data))
        hit = rng.choice(found)
        new = rng.choice((b"-1", b"0", b"1e308", b"99999999999", b"4294967296", b"1.2.3", b"-0", b"NaN", b"999"))
        return "PDF数字", data[: hit.start()] + new + data[hit.end() :]
    if op == "name":
        found = list(_PDF_NAME.finditer(data))
        hit = rng.choice(found)
        return "PDF名称", data[: hit.start()] + rng.choice(_NAMES) + data[hit.end() :]
    if op in ("drop", "double"):
        found = list(_PDF_OBJECT.finditer(data))
        hit = rng.choice(found)
        if op == "drop":
            return "PDF删除对象", data[: hit.start()] + data[hit.end() :]
        return "PDF重复对象", data[: hit.end()] + mutate_bytes(hit.group(), rng)[1] + data[hit.end() :]
    if op == "xref":
        at = data.rindex(b"\nxref\n") + 1
        damage = rng.choice((b"", b"xref\n0 999999\n", b"xref\n0 2\n0000000000 65535 f \n9999999999 00000 n \n"))
        tail = data[at:]
        if rng.random() < 0.5:
            tail = re.sub(rb"startxref\n\d+", b"startxref\n%d" % rng.randrange(len(data) * 2), tail)
            return "PDF交叉引用", data[:at] + tail
        return "PDF交叉引用", data[:at] + damage + tail[tail.index(b"trailer") :]
    if op == "loop":
        loop = rng.choice((b"/Kids [2 0 R", b"/Kids [2 0 R 6 0 R", b"/Parent 6 0 R /Kids [6 0 R"))
        return "PDF页树循环", data.replace(b"/Kids [", loop + b" ", 1)
    if op == "nest":
        depth = rng.choice((100, 1000, 10000))
        nest = b"/Deep " + b"[" * depth + b"]" * depth + b" /Dict " + b"<<" * (depth // 10) + b">>" * (depth // 10)
        return "PDF深层嵌套", data.replace(b"/Type /Catalog", b"/Type /Catalog " + nest, 1)
    if op == "encrypt":
        return "PDF加密字典", data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 >>")
    ops = rng.choice(_HOSTILE_OPERATORS).encode("latin-1")
    pages = [b"BT /F1 10 Tf 50 790 Td <5E749884> Tj ET\n" + ops, ops + b"\nBT /F1 10 Tf 50 770 Td <0031> Tj ET"]
    return "PDF绘图指令", seeds.pdf_document(pages, compress=rng.random() < 0.3)


# --- every format ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mutant:
    """One fuzz case: the file's bytes, what was done to make it, and whether it is still a well-formed file."""

    suffix: str
    index: int
    family: str
    data: bytes
    readable: bool = False

    @property
    def name(self) -> str:
        """How reports name the case: format, number and mutation (``.xlsx#123 删除部件``)."""
        return f"{self.suffix}#{self.index} {self.family}"


def _content_case(suffix: str, rng: random.Random) -> tuple[str, bytes]:
    edits = random_edits(rng)
    if suffix in (".docx", ".xlsx"):
        return "恶意内容", edit_package(seeds.seed_bytes(suffix), edits)
    content = edit_content(seeds.SEED, edits)
    if suffix == ".txt":
        encoding = rng.choice(("utf-8", "utf-8", "gb18030", "utf-16"))
        return "恶意内容", seeds.txt_bytes(content, encoding)
    if suffix == ".pdf":
        return "恶意内容", seeds.pdf_bytes(content, compress=rng.random() < 0.3)
    return "恶意内容", seeds.WRITERS[suffix](content)


#: how often each kind of damage is drawn, per format (bytes, container, content)
WEIGHTS: dict[str, tuple[int, int, int]] = {
    ".txt": (4, 0, 6),
    ".docx": (3, 4, 3),
    ".xlsx": (3, 4, 3),
    ".xls": (3, 4, 3),
    ".pdf": (4, 3, 3),
}

_CONTAINER: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    ".docx": lambda rng: mutate_package(seeds.seed_bytes(".docx"), ".docx", rng),
    ".xlsx": lambda rng: mutate_package(seeds.seed_bytes(".xlsx"), ".xlsx", rng),
    ".xls": mutate_xls,
    ".pdf": mutate_pdf,
}


def mutant(suffix: str, seed: int, index: int) -> Mutant:
    """Case ``index`` of format ``suffix`` in the run seeded ``seed``: always the same file."""
    rng = random.Random(f"jixiao-fuzz:{seed}:{suffix}:{index}")
    kind = rng.choices(("bytes", "container", "content"), weights=WEIGHTS[suffix])[0]
    if kind == "content":
        family, data = _content_case(suffix, rng)
        return Mutant(suffix, index, family, data, readable=True)
    if kind == "container":
        family, data = _CONTAINER[suffix](rng)
        return Mutant(suffix, index, family, data)
    family, data = mutate_bytes(rng.choice(seeds.seed_variants(suffix)), rng)
    return Mutant(suffix, index, family, data)
