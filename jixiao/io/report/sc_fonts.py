"""The Simplified Chinese faces of Noto CJK as standalone fonts named as SC, for LibreOffice's PDF export.

Debian's ``fonts-noto-cjk`` ships each weight as one collection (.ttc) of five faces (JP, KR, SC, TC, HK). The
faces have their own character maps (so the SC face draws the simplified shapes of 门, 直, 写 …) but share one
CFF table whose names say ``NotoSerifCJKjp``; a PDF made from the SC face therefore lists its fonts as
``NotoSerifCJKjp-Regular-…``, and anyone checking the PDF's fonts sees a Japanese face. Here the SC face is
copied out of the collection table by table, with the CFF names patched in place (``CJKjp`` → ``CJKsc``, same
length, so no offset moves and no glyph is touched), into a cache folder that :mod:`.pdf` hands to fontconfig
in place of the same faces inside the collections. It takes well under a second per face and is done once per machine and user.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.ttLib import TTCollection
from fontTools.ttLib.sfnt import SFNTWriter

#: the collections Debian installs, and the face taken from each (its PostScript name)
COLLECTIONS = {
    "NotoSerifCJK-Regular.ttc": "NotoSerifCJKsc-Regular",
    "NotoSerifCJK-Bold.ttc": "NotoSerifCJKsc-Bold",
    "NotoSansCJK-Regular.ttc": "NotoSansCJKsc-Regular",
    "NotoSansCJK-Bold.ttc": "NotoSansCJKsc-Bold",
}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jixiao" / "fonts-sc"


@cache
def _find_collections() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in FONT_DIRS:
        if root.is_dir():
            for name in COLLECTIONS:
                if name not in found:
                    match = next(root.rglob(name), None)
                    if match is not None:
                        found[name] = match
    return found


@cache  # the collections do not change while the process runs; every PDF conversion asks
def _sc_index(collection: Path, postscript: str) -> int | None:
    """The index of the face named ``postscript`` in ``collection``."""
    fonts = TTCollection(str(collection), lazy=True).fonts
    return next((i for i, f in enumerate(fonts) if f["name"].getDebugName(6) == postscript), None)


def _extract(collection: Path, index: int, target: Path) -> None:
    """Write face ``index`` of ``collection`` to ``target``, its CFF names patched from JP to SC."""
    reader = TTCollection(str(collection), lazy=True).fonts[index].reader
    tags = sorted(reader.keys())
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".otf")
    try:
        with os.fdopen(handle, "wb") as out:
            writer = SFNTWriter(out, len(tags), sfntVersion=reader.sfntVersion)
            for tag in tags:
                data = reader[tag]
                writer[tag] = data.replace(b"CJKjp", b"CJKsc") if tag == "CFF " else data
            writer.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: a concurrent conversion sees the whole font or none
    finally:
        Path(tmp).unlink(missing_ok=True)


def sc_fonts(folder: Path | None = None) -> tuple[Path, list[tuple[Path, int]]] | None:
    """The folder holding the SC faces (extracting them on first use) and the faces in the collections they
    replace, as (collection, index).

    None when the collections are not installed or the folder cannot be written: the PDF then uses the
    collections through ``fonts.conf`` (the same simplified glyphs, under the collection's JP name).
    """
    folder = folder or cache_dir()
    collections = _find_collections()
    if not collections:
        return None
    replaced: list[tuple[Path, int]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, source in sorted(collections.items()):
            index = _sc_index(source, COLLECTIONS[name])
            if index is None:
                continue
            target = folder / f"{COLLECTIONS[name]}.otf"
            if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
                _extract(source, index, target)
            replaced.append((source, index))
    except OSError:
        return None
    return (folder, replaced) if replaced else None


def fontconfig_file(shipped: Path, folder: Path, replaced: list[tuple[Path, int]]) -> Path:
    """A fontconfig file: the shipped mapping, plus the SC faces, minus the same faces inside their collections
    (the collections' other faces stay available to whatever asks for them)."""
    rejects = "".join(
        f'<pattern><patelt name="file"><string>{escape(str(path))}</string></patelt>'
        f'<patelt name="index"><int>{index}</int></patelt></pattern>'
        for path, index in replaced
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(folder))}</dir>\n"
        f'  <include ignore_missing="no">{escape(str(shipped))}</include>\n'
        f"  <selectfont><rejectfont>{rejects}</rejectfont></selectfont>\n"
        "</fontconfig>\n"
    )
    path = folder / "fonts.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".conf")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return path
