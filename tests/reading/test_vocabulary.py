"""The reading vocabulary is data: every list is explained, loads into one Vocabulary, and code sees the one in use."""

import re
from pathlib import Path

import pytest

from jixiao.io.catalogue import load_reading_vocabulary, read_vocabulary
from jixiao.io.errors import InputError
from jixiao.reading import levels, vocabulary
from jixiao.reading.normalise import clean
from jixiao.reading.vocabulary import Vocabulary, VocabularyError, using

DATA = Path(__file__).resolve().parents[2] / "jixiao" / "data" / "reading"


def test_every_list_in_every_file_says_which_documents_need_its_entries():
    files = sorted(DATA.glob("*.yaml"))
    assert {f.stem for f in files} >= {"levels", "ocr", "organisations"}
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^[A-Za-z_][\w]*:", line):
                above = [x for x in lines[:i] if x.strip()][-1:]
                assert above and above[0].lstrip().startswith("#"), f"{file.name}: “{line}” 前没有说明"


def test_the_loaded_vocabulary_holds_lists_and_maps_by_file():
    v = load_reading_vocabulary()
    assert "局" in v.words("organisations", "suffixes")
    assert v.mapping("ocr", "units")["万兀"] == "万元"
    with pytest.raises(VocabularyError, match=r"levels\.yaml 中没有“level9”"):
        v.words("levels", "level9")


def test_code_sees_the_vocabulary_in_use_and_builds_its_patterns_once_per_vocabulary():
    default = vocabulary.current()
    extra = Vocabulary(
        {**default.lists, "levels": {**default.lists["levels"], "level1": ("试点指标",)}},
        default.maps,
    )
    assert "试点指标" not in levels.level1()
    with using(extra):
        assert levels.level1() == "试点指标"
        assert levels.level1() is levels.level1()
    assert "产出指标" in levels.level1()


def test_ocr_slips_of_units_are_mended_from_the_data():
    assert clean("资金 30万兀") == "资金 30万元"
    default = vocabulary.current()
    other = Vocabulary(default.lists, {**default.maps, "ocr": {"units": {"万兀": "万元", "万无": "万元"}}})
    with using(other):
        assert clean("资金 30万无") == "资金 30万元"
    assert clean("资金 30万无") == "资金 30万无"


def test_a_damaged_vocabulary_file_is_refused_in_chinese_naming_the_file(tmp_path):
    (tmp_path / "levels.yaml").write_text("# 一级\nlevel1: [产出指标]\n", encoding="utf-8")
    assert read_vocabulary(tmp_path).words("levels", "level1") == ("产出指标",)
    (tmp_path / "levels.yaml").write_text("level1: [产出指标, 3]\n", encoding="utf-8")
    with pytest.raises(InputError, match="“level1”应为非空文字的列表") as err:
        read_vocabulary(tmp_path)
    assert "levels.yaml" in str(err.value)
    (tmp_path / "levels.yaml").write_text("level1: [产出指标\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML 格式错误，位于第 2 行"):
        read_vocabulary(tmp_path)
