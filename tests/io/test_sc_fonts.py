"""The SC faces of Noto CJK, copied out of Debian's collections under their own names for the PDF export."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from jixiao.io.report.sc_fonts import fontconfig_file, sc_fonts

pytestmark = pytest.mark.skipif(
    not Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists(), reason="需要 fonts-noto-cjk"
)


def test_the_serif_sc_face_is_named_sc_and_maps_the_simplified_glyphs(tmp_path: Path) -> None:
    found = sc_fonts(tmp_path)
    assert found is not None
    folder, replaced = found
    serif = TTFont(folder / "NotoSerifCJKsc-Regular.otf")
    cff = serif["CFF "].cff
    assert cff.fontNames == ["NotoSerifCJKsc-Regular"]
    assert all("CJKsc" in fd.FontName for fd in cff.topDictIndex[0].FDArray)
    assert serif["name"].getDebugName(1) == "Noto Serif CJK SC"
    source, index = next((p, i) for p, i in replaced if p.name == "NotoSerifCJK-Regular.ttc")
    sc_in_collection = TTCollection(str(source)).fonts[index]
    assert sc_in_collection["name"].getDebugName(4) == "Noto Serif CJK SC"
    for char in "门直写":  # shapes that differ between the SC and JP faces
        assert serif.getBestCmap()[ord(char)] == sc_in_collection.getBestCmap()[ord(char)]


def test_the_fontconfig_file_adds_the_faces_and_rejects_only_the_same_faces_in_the_collections(
    tmp_path: Path,
) -> None:
    found = sc_fonts(tmp_path)
    assert found is not None
    conf = fontconfig_file(Path("/shipped/fonts.conf"), *found).read_text(encoding="utf-8")
    assert f"<dir>{tmp_path}</dir>" in conf
    assert '<include ignore_missing="no">/shipped/fonts.conf</include>' in conf
    for path, index in found[1]:  # the SC face of each collection, by file and index; its JP face stays usable
        assert f'<string>{path}</string></patelt><patelt name="index"><int>{index}</int>' in conf
    assert len(found[1]) == 4


def test_an_unwritable_folder_falls_back_to_the_collections(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert sc_fonts(blocked / "fonts") is None
