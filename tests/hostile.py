"""A fixed collection of hostile files (issue 10, “Standing tests”), each written for real into a folder.

Every function here writes one file under the name a user would give it and returns its path;
:func:`write_collection` writes them all, and ``python -m tests.hostile OUTDIR`` does the same from a shell.
The collection stays small on disk and quick to make (well under 3 s):

- zip bombs are deflated without ever being expanded: a block of 1 MiB is compressed once, after a full flush
  (so it refers to nothing before it), and repeated; the CRC of the expanded content is computed by combining
  CRCs (zlib's ``crc32_combine``), so the 1.2 GB is never built in memory;
- the 100,000-row sheet is written as sheet XML straight into the package;
- password-protected Office files are the container Office writes (an OLE compound file holding
  ``EncryptionInfo`` and ``EncryptedPackage``), the PDF is encrypted with RC4 under a user password, and the
  zip member with the traditional PKWARE cipher, all written here, without any encryption library;
- XXE and “billion laughs” are DOCTYPEs inside the XML parts of real .xlsx and .docx packages.

The GBK text is not hostile: it is a report as a Chinese Windows Notepad saves it, and must be read.
"""

from __future__ import annotations

import hashlib
import stat
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MiB = 1 << 20

#: what each bomb expands to: 1,200 blocks of 1 MiB
BOMB_BLOCKS = 1200
BOMB_BYTES = BOMB_BLOCKS * MiB
#: rows of the large sheet (under the header)
LARGE_ROWS = 100_000
#: the file whose content an XXE tries to pull into the document; it must never appear in any answer
CANARY_NAME = "canary-secret.txt"
CANARY = "CANARY-机密-7f3a9c"
#: the password of every encrypted file
PASSWORD = "123456"

#: the project the GBK report describes (the task of the intake tests has it, under this code)
GBK_PROJECT = "科普活动经费"
GBK_CODE = "440800-001"

_UTF8_FLAG = 0x800
_DEFLATED, _STORED = 8, 0


# ---------------------------------------------------------------------------------------------- zip, by hand


@dataclass(frozen=True)
class _Entry:
    """One member as stored: ``data`` is what is written (compressed, encrypted), ``size`` the expanded size."""

    name: str
    data: bytes
    size: int
    crc: int
    method: int = _DEFLATED
    flags: int = _UTF8_FLAG
    mode: int = 0  # unix mode of the member (a symlink's S_IFLNK), 0 for none


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _entry(name: str, data: bytes) -> _Entry:
    return _Entry(name, _deflate(data), len(data), zlib.crc32(data))


def zip_bytes(entries: list[_Entry], *, aliases: tuple[str, ...] = ()) -> bytes:
    """A zip of ``entries``; each of ``aliases`` is one more central-directory entry pointing at the first entry's
    data (a bomb whose members overlap: the declared sizes add up, the bytes on disk do not)."""
    local = bytearray()
    central = bytearray()
    offsets = []
    for e in entries:
        offsets.append(len(local))
        name = e.name.encode("utf-8")
        local += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0x21, e.crc, len(e.data), e.size, len(name), 0
        )
        local += name + e.data
    listed = [(e, offset) for e, offset in zip(entries, offsets, strict=True)]
    listed += [(_Entry(alias, entries[0].data, entries[0].size, entries[0].crc), offsets[0]) for alias in aliases]
    for e, offset in listed:
        name = e.name.encode("utf-8")
        made_by = (3 << 8) | 20  # unix, so that the mode in the external attributes counts
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            made_by,
            20,
            e.flags,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.data),
            e.size,
            len(name),
            0,
            0,
            0,
            0,
            e.mode << 16,
            offset,
        )
        central += name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(listed), len(listed), len(central), len(local), 0)
    return bytes(local + central + end)


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from those of A and B and the length of B (zlib's ``crc32_combine``)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(block: bytes, times: int) -> int:
    """The CRC-32 of ``block * times``, by doubling."""
    total, piece, length = 0, zlib.crc32(block), len(block)
    while times:
        if times & 1:
            total = crc32_combine(total, piece, length)
        piece = crc32_combine(piece, piece, length)
        length *= 2
        times >>= 1
    return total


def bomb_entry(name: str, head: bytes, block: bytes, times: int, tail: bytes) -> _Entry:
    """A member whose content is ``head + block * times + tail``, deflated without building it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    # after a full flush the compressor refers to nothing before: the block's deflated bytes can be repeated
    middle = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = crc32_combine(zlib.crc32(head), _repeated_crc(block, times), len(block) * times)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    return _Entry(name, first + middle * times + last, len(head) + len(block) * times + len(tail), crc)


# ------------------------------------------------------------------------------------------ office packages

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(targets: dict[str, str]) -> bytes:
    """Relationships: target → its kind."""
    listed = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/{kind}" Target="{target}"/>'
        for n, (target, kind) in enumerate(targets.items(), start=1)
    )
    return _XML + f'<Relationships xmlns="{_PKG_REL}">{listed}</Relationships>'.encode()


def _types(overrides: dict[str, str]) -> bytes:
    parts = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
    return (
        _XML
        + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{parts}</Types>'
        ).encode()
    )


_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _xlsx_entries(sheet: _Entry, strings: bytes | None = None) -> list[_Entry]:
    """A workbook of one sheet named 项目清单 whose XML part is ``sheet``, with ``strings`` as its shared strings."""
    workbook = (
        _XML
        + (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="项目清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode()
    )
    types = {
        "/xl/workbook.xml": f"{_SHEET_TYPE}.sheet.main+xml",
        "/xl/worksheets/sheet1.xml": f"{_SHEET_TYPE}.worksheet+xml",
    }
    parts = {"worksheets/sheet1.xml": "worksheet"}
    if strings is not None:
        types["/xl/sharedStrings.xml"] = f"{_SHEET_TYPE}.sharedStrings+xml"
        parts["sharedStrings.xml"] = "sharedStrings"
    entries = [
        _entry("[Content_Types].xml", _types(types)),
        _entry("_rels/.rels", _rels({"xl/workbook.xml": "officeDocument"})),
        _entry("xl/workbook.xml", workbook),
        _entry("xl/_rels/workbook.xml.rels", _rels(parts)),
        sheet,
    ]
    return entries + ([_entry("xl/sharedStrings.xml", strings)] if strings is not None else [])


def _docx_entries(document: _Entry) -> list[_Entry]:
    return [
        _entry("[Content_Types].xml", _types({"/word/document.xml": f"{_WORD_TYPE}.document.main+xml"})),
        _entry("_rels/.rels", _rels({"word/document.xml": "officeDocument"})),
        document,
    ]


def _cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: list[str | int]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _sheet_xml(body: str, doctype: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'{doctype}<worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def _document_xml(paragraphs: list[str], doctype: str = "") -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'{doctype}<w:document xmlns:w="{_WORD}"><w:body>{body}</w:body></w:document>'
    ).encode()


#: the header of a 项目清单, the first rows a reader looks at
LIST_HEADER: list[str | int] = ["项目编码", "项目名称", "预算单位", "全年预算数（万元）"]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------------------------------------ the kinds

#: where a bomb's repeated blanks go in its XML
_SPLIT = "\x00SPLIT\x00"


def bomb_xlsx(folder: Path) -> Path:
    """An .xlsx of 1.2 MB whose sheet expands to 1.2 GB: blanks between the rows of a 项目清单."""
    head, tail = _sheet_xml(_row(1, LIST_HEADER) + _SPLIT).split(_SPLIT.encode())
    sheet = bomb_entry("xl/worksheets/sheet1.xml", head, b" " * MiB, BOMB_BLOCKS, tail)
    return _write(folder, "压缩炸弹.xlsx", zip_bytes(_xlsx_entries(sheet)))


def bomb_docx(folder: Path) -> Path:
    """A .docx of 1.2 MB whose document part expands to 1.2 GB."""
    head, tail = _document_xml(["2022年度项目支出绩效自评报告", _SPLIT]).split(_SPLIT.encode())
    document = bomb_entry("word/document.xml", head, b" " * MiB, BOMB_BLOCKS, tail)
    return _write(folder, "压缩炸弹.docx", zip_bytes(_docx_entries(document)))


#: the members the bomb archive declares (each 1.2 GB: 4.7 GB in all)
BOMB_ARCHIVE_MEMBERS = (
    "甲一单位自评报告.docx",
    "甲二单位自评报告.docx",
    "乙一单位自评报告.docx",
    "丙一单位自评报告.docx",
)


def bomb_zip(folder: Path) -> Path:
    """A zip of 1.2 MB that declares four reports of 1.2 GB each, all four sharing the same deflated bytes."""
    head, tail = _document_xml(["2022年度项目支出绩效自评报告", _SPLIT]).split(_SPLIT.encode())
    first = bomb_entry(BOMB_ARCHIVE_MEMBERS[0], head, b" " * MiB, BOMB_BLOCKS, tail)
    return _write(folder, "压缩炸弹.zip", zip_bytes([first], aliases=BOMB_ARCHIVE_MEMBERS[1:]))


def _canary(folder: Path) -> Path:
    return _write(folder, CANARY_NAME, CANARY.encode("utf-8"))


def _xxe_doctype(root: str, folder: Path) -> str:
    target = _canary(folder).resolve().as_uri()
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{target}">]>'


def xxe_xlsx(folder: Path) -> Path:
    """An .xlsx whose shared strings declare an external entity (a local file), used by a cell of the sheet."""
    body = _row(1, LIST_HEADER) + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{_xxe_doctype("sst", folder)}'
        f'<sst xmlns="{_MAIN}" count="2" uniqueCount="2"><si><t>440800-001</t></si><si><t>&xxe;</t></si></sst>'
    ).encode()
    sheet = _entry("xl/worksheets/sheet1.xml", _sheet_xml(body))
    return _write(folder, "外部实体.xlsx", zip_bytes(_xlsx_entries(sheet, strings)))


def xxe_docx(folder: Path) -> Path:
    """A .docx whose document declares an external entity (a local file) and uses it in a paragraph."""
    xml = _document_xml(["项目名称：&xxe;", "2022年度项目支出绩效自评报告"], _xxe_doctype("w:document", folder))
    return _write(folder, "外部实体.docx", zip_bytes(_docx_entries(_entry("word/document.xml", xml))))


def _laughs(root: str) -> str:
    """Ten levels of ten: the last entity would be 10⁹ times “哈”."""
    entities = ['<!ENTITY lol0 "哈">'] + [
        f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">' for n in range(1, 10)
    ]
    return f"<!DOCTYPE {root} [{''.join(entities)}]>"


def laughs_xlsx(folder: Path) -> Path:
    """An .xlsx whose sheet holds a “billion laughs” entity in a cell."""
    body = _row(1, LIST_HEADER) + _row(2, ["440800-001", "&lol9;", "甲一单位", 10])
    sheet = _entry("xl/worksheets/sheet1.xml", _sheet_xml(body, _laughs("worksheet")))
    return _write(folder, "十亿笑声.xlsx", zip_bytes(_xlsx_entries(sheet)))


def laughs_docx(folder: Path) -> Path:
    """A .docx whose document holds a “billion laughs” entity in a paragraph."""
    xml = _document_xml(["项目名称：&lol9;"], _laughs("w:document"))
    return _write(folder, "十亿笑声.docx", zip_bytes(_docx_entries(_entry("word/document.xml", xml))))


# ---- encrypted


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def _stream_bytes(seed: str, size: int) -> bytes:
    """Deterministic bytes that look random (ciphertext)."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def _directory_entry(
    name: str,
    kind: int,
    *,
    color: int = 1,
    left: int = _FREE,
    right: int = _FREE,
    child: int = _FREE,
    start: int = 0,
    size: int = 0,
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBLLL16sL8s8sLQ",
        encoded,
        len(encoded),
        kind,
        color,
        left,
        right,
        child,
        b"\0" * 16,
        0,
        b"\0" * 8,
        b"\0" * 8,
        start,
        size,
    )


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """An OLE compound file (version 3) holding ``streams`` under its root: small ones in the mini stream.

    The streams are siblings in the order given, which must be the directory's order (shorter names first); the
    tree is a black node with red ones to its right, which is a valid red-black tree for the two streams of an
    encrypted Office file."""
    mini_stream, mini_fat, starts = bytearray(), [], []
    for _, data in streams:
        if len(data) >= _CUTOFF:
            starts.append(None)
            continue
        count = max(1, -(-len(data) // _MINI))
        starts.append(len(mini_fat))
        mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [_END]
        mini_stream += data.ljust(count * _MINI, b"\0")
    # sector 0 the FAT, then the directory, the mini FAT, the mini stream and the large streams, each a chain
    chains: list[bytes] = [b"", struct.pack(f"<{len(mini_fat)}L", *mini_fat), bytes(mini_stream)]
    chains += [data for data, start in zip((d for _, d in streams), starts, strict=True) if start is None]
    fat = [_FAT_SECTOR]
    first: list[int] = []
    sectors = bytearray()
    for index, data in enumerate(chains):
        count = max(1, -(-len(data) // _SECTOR)) if index else 1  # the directory: one sector
        first.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
        sectors += data.ljust(count * _SECTOR, b"\0") if index else b""
    assert len(fat) <= _SECTOR // 4, "one FAT sector is enough for the collection's files"
    directory_sector, mini_fat_sector, mini_stream_sector = first[0], first[1], first[2]
    large = iter(first[3:])
    entries = [
        _directory_entry("Root Entry", 5, child=1, start=mini_stream_sector, size=len(mini_stream)),
    ]
    for index, ((name, data), start) in enumerate(zip(streams, starts, strict=True), start=1):
        right = index + 1 if index < len(streams) else _FREE
        where = start if start is not None else next(large)
        entries.append(
            _directory_entry(name, 2, color=1 if index == 1 else 0, right=right, start=where, size=len(data))
        )
    directory = b"".join(entries).ljust(_SECTOR, b"\0")
    assert len(directory) == _SECTOR
    header = struct.pack(
        "<8s16sHHHHH6sLLLLLLLLL",
        _OLE_MAGIC,
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        directory_sector,
        0,
        _CUTOFF,
        mini_fat_sector,
        1,
        _END,
        0,
    ) + struct.pack("<109L", 0, *([_FREE] * 108))
    fat_sector = struct.pack(f"<{_SECTOR // 4}L", *(fat + [_FREE] * (_SECTOR // 4 - len(fat))))
    # the directory's sector comes first among the chains (index 0 reserved above), then the others in order
    body = directory + bytes(sectors)
    return header + fat_sector + body


def _agile_encryption_info() -> bytes:
    """The ``EncryptionInfo`` stream of an agile-encrypted package (Office 2010 and later), version 4.4."""
    salt = _stream_bytes("salt", 16).hex()
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        f'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{salt}"/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        '<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        f'saltValue="{salt}"/></keyEncryptor></keyEncryptors></encryption>'
    )
    return struct.pack("<HHL", 4, 4, 0x40) + xml.encode("utf-8")


def encrypted_office(folder: Path, name: str) -> Path:
    """What Office writes for a document saved with a password: an OLE file, not a zip."""
    package = struct.pack("<Q", 8000) + _stream_bytes(name, 8192)
    data = compound_file([("EncryptionInfo", _agile_encryption_info()), ("EncryptedPackage", package)])
    return _write(folder, name, data)


def encrypted_xlsx(folder: Path) -> Path:
    """An .xlsx saved with an open password."""
    return encrypted_office(folder, "加密.xlsx")


def encrypted_docx(folder: Path) -> Path:
    """A .docx saved with an open password."""
    return encrypted_office(folder, "加密.docx")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


_PDF_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _pdf(content: bytes, *, password: str | None = None) -> bytes:
    """A one-page PDF showing ``content`` (a content stream); with ``password``, RC4-encrypted (standard security
    handler, revision 2) so that it opens only with that password."""
    file_id = hashlib.md5(content).digest()
    key = b""
    encrypt = ""
    if password is not None:
        padded = (password.encode("latin-1") + _PDF_PAD)[:32]
        owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
        permissions = -4
        key = hashlib.md5(padded + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
        user = _rc4(key, _PDF_PAD)
        encrypt = f"/Filter /Standard /V 1 /R 2 /O <{owner.hex()}> /U <{user.hex()}> /P {permissions}"

    def sealed(number: int, data: bytes) -> bytes:
        if not key:
            return data
        return _rc4(hashlib.md5(key + struct.pack("<I", number)[:3] + b"\0\0").digest()[:10], data)

    stream = sealed(4, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        objects.append(f"<< {encrypt} >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if encrypt:
        trailer += f" /Encrypt {len(objects)} 0 R"
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_PDF_TEXT = b"BT /F1 14 Tf 72 760 Td (2022 Self-evaluation report: 100 points) Tj ET"


def encrypted_pdf(folder: Path) -> Path:
    """A PDF that opens only with a password."""
    return _write(folder, "加密.pdf", _pdf(_PDF_TEXT, password=PASSWORD))


def _zip_crypto(data: bytes, crc: int, password: str) -> bytes:
    """``data`` encrypted with the traditional PKWARE cipher, after its 12-byte header."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], (keys[1] >> 24) & 0xFF)

    for byte in password.encode():
        update(byte)
    out = bytearray()
    for byte in _stream_bytes("zip-header", 11) + bytes([crc >> 24]) + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


#: the member of the encrypted zip
ENCRYPTED_MEMBER = "甲一单位/科普活动经费自评报告.txt"


def encrypted_zip(folder: Path) -> Path:
    """A zip whose report is encrypted with a password (as WinRAR or 7-Zip write “ZipCrypto”)."""
    report = gbk_report().decode("gbk").encode("utf-8")
    plain = _entry(ENCRYPTED_MEMBER, report)
    sealed = _Entry(
        plain.name, _zip_crypto(plain.data, plain.crc, PASSWORD), plain.size, plain.crc, flags=_UTF8_FLAG | 1
    )
    return _write(folder, "加密.zip", zip_bytes([sealed]))


# ---- names


#: the members of the path-traversal zip, and where the symlink points
TRAVERSAL_MEMBERS = ("../x.xlsx", "/etc/x.xlsx", "链接.xlsx")
LINK_TARGET = "/etc/passwd"


def traversal_zip(folder: Path) -> Path:
    """A zip whose members would land outside the folder it is extracted to: ``..``, absolute, a symlink."""
    sheet = _entry("xl/worksheets/sheet1.xml", _sheet_xml(_row(1, LIST_HEADER)))
    workbook = zip_bytes(_xlsx_entries(sheet))
    dotdot, absolute, link = TRAVERSAL_MEMBERS
    target = LINK_TARGET.encode()
    symlink = _Entry(link, target, len(target), zlib.crc32(target), _STORED, mode=stat.S_IFLNK | 0o777)
    entries = [_entry(dotdot, workbook), _entry(absolute, workbook), symlink]
    return _write(folder, "路径穿越.zip", zip_bytes(entries))


#: longer than a file system allows for a name (255 bytes): 100 Chinese characters are 300 bytes in UTF-8
LONG_NAME = "湛江市科学技术协会" * 11 + "项目清单.xlsx"


def long_name_xlsx(folder: Path) -> Path:
    """A harmless 项目清单 under a name longer than a file system allows; written here under a short name,
    since it cannot be written under its own: the tests send it as :data:`LONG_NAME`."""
    rows = _row(1, LIST_HEADER) + _row(2, ["440800-001", "科普活动经费", "甲一单位", 153])
    return _write(
        folder, "长文件名.xlsx", zip_bytes(_xlsx_entries(_entry("xl/worksheets/sheet1.xml", _sheet_xml(rows))))
    )


# ---- empty, disguised, large, GBK


def empty_xlsx(folder: Path) -> Path:
    """0 bytes, named .xlsx."""
    return _write(folder, "空文件.xlsx", b"")


def empty_zip(folder: Path) -> Path:
    """0 bytes, named .zip."""
    return _write(folder, "空文件.zip", b"")


def pdf_as_xlsx(folder: Path) -> Path:
    """A real PDF named .xlsx."""
    return _write(folder, "实为PDF.xlsx", _pdf(_PDF_TEXT))


def docx_as_pdf(folder: Path) -> Path:
    """A real .docx named .pdf."""
    xml = _document_xml(["2022年度项目支出绩效自评报告", "项目名称：科普活动经费"])
    return _write(folder, "实为Word.pdf", zip_bytes(_docx_entries(_entry("word/document.xml", xml))))


def program_as_txt(folder: Path) -> Path:
    """A Windows program (its ``MZ`` header, a PE signature and machine code) named .txt."""
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43)
    header[0x3C:0x40] = struct.pack("<L", 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    body = bytes(header) + stub.ljust(0x80 - len(header), b"\x00") + b"PE\x00\x00\x4c\x01\x03\x00"
    return _write(folder, "程序.txt", body + _stream_bytes("code", 4096))


def large_xlsx(folder: Path) -> Path:
    """A 项目清单 of 100,000 projects, every one of a unit nobody knows (written straight as sheet XML)."""
    rows = [_row(1, LIST_HEADER)]
    rows += [
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>440899-{r:06d}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>第{r}个项目</t></is></c>'
        f'<c r="C{r}" t="inlineStr"><is><t>不存在的单位</t></is></c><c r="D{r}"><v>{r % 97 + 1}</v></c></row>'
        for r in range(2, LARGE_ROWS + 2)
    ]
    sheet = _entry("xl/worksheets/sheet1.xml", _sheet_xml("".join(rows)))
    return _write(folder, "十万行.xlsx", zip_bytes(_xlsx_entries(sheet)))


def gbk_report() -> bytes:
    """A 自评报告 as Notepad on Chinese Windows saves it: GBK, CRLF."""
    lines = [
        f"2022年度{GBK_PROJECT}项目支出绩效自评报告",
        "一、项目基本情况",
        f"项目名称：{GBK_PROJECT}",
        f"项目编码：{GBK_CODE}",
        "二、资金情况",
        "项目年度预算资金153万元，全年到位资金100万元，执行数100万元，预算执行率65.36%。",
        "三、自评结论",
        "自评得分95分，等级为优。",
    ]
    return "\r\n".join(lines).encode("gbk")


def gbk_txt(folder: Path) -> Path:
    """Not hostile: a GBK report that must be read as it was written."""
    return _write(folder, "GBK编码的报告.txt", gbk_report())


#: kind → the function that writes it, in the order of the collection
COLLECTION: dict[str, Callable[[Path], Path]] = {
    "bomb-xlsx": bomb_xlsx,
    "bomb-docx": bomb_docx,
    "bomb-zip": bomb_zip,
    "xxe-xlsx": xxe_xlsx,
    "xxe-docx": xxe_docx,
    "laughs-xlsx": laughs_xlsx,
    "laughs-docx": laughs_docx,
    "encrypted-xlsx": encrypted_xlsx,
    "encrypted-docx": encrypted_docx,
    "encrypted-pdf": encrypted_pdf,
    "encrypted-zip": encrypted_zip,
    "traversal-zip": traversal_zip,
    "long-name": long_name_xlsx,
    "empty-xlsx": empty_xlsx,
    "empty-zip": empty_zip,
    "pdf-as-xlsx": pdf_as_xlsx,
    "docx-as-pdf": docx_as_pdf,
    "program-as-txt": program_as_txt,
    "large-xlsx": large_xlsx,
    "gbk-txt": gbk_txt,
}


def write_collection(folder: Path) -> dict[str, Path]:
    """Every hostile file, written into ``folder``; kind → path."""
    return {kind: make(folder) for kind, make in COLLECTION.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python -m tests.hostile 输出文件夹", file=sys.stderr)
        return 2
    for kind, path in write_collection(Path(argv[0])).items():
        print(f"{kind:16} {path.stat().st_size:>10,} 字节  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
