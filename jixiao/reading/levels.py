"""The names of indicator levels as tables print them (OCR slips included), shared by both row readers.

The names are data (``jixiao/data/reading/levels.yaml``); ``{XM}`` there stands for “项目” as OCR prints it
(``ocr.yaml``).
"""

from __future__ import annotations

from .vocabulary import Vocabulary, pattern


def _expand(v: Vocabulary, name: str) -> str:
    xm = "(?:" + v.alternation("ocr", "fragments_xiangmu", escape=False) + ")"
    return "|".join(f.replace("{XM}", xm) for f in sorted(v.words("levels", name), key=len, reverse=True))


@pattern
def level1(v: Vocabulary) -> str:
    """一级指标 of the 财预〔2020〕10号 table and of the 决策/过程/产出/效益 frameworks (a regex alternation)."""
    return _expand(v, "level1")


@pattern
def level2(v: Vocabulary) -> str:
    """二级指标 (a regex alternation); 成本指标 is one too, and a 一级 name only in the frameworks that make it one."""
    return _expand(v, "level2")
