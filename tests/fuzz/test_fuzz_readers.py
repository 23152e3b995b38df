"""The standing fuzz of every reader (issue 10, “Standing tests”): over two thousand damaged or hostile files of
the five formats go through ``audit_file``, the public entry point, and for every one of them

- nothing escapes ``audit_file``;
- an error, when there is one, is a Chinese sentence naming the file, never the program's own words, and never
  the audit's catch-all for its own faults;
- a well-formed file with hostile text in it is read (an error other than “empty” is a defect);
- the read takes at most 5 s and 300 MB more memory than before it.

Two kinds of case. Seeded mutation loops (``mutate.mutant``: damaged bytes, damaged containers, hostile content)
run in a forked child, so a reader that aborts the process is one failed case, not a dead test run; their numbers
per format are balanced by cost (a PDF costs some twenty text files). Hypothesis writes hostile content into
well-formed files, deterministically (``derandomize``), and shrinks any failure to its smallest form.

``tools/fuzz.py`` (``make fuzz``) runs the same cases by the ten thousand; docs/reliability.md has its figures.
Nothing here needs ../shared: every file is made here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import seeds
from .harness import Outcome, audit_in_process, is_chinese_message, known_open, run_cases
from .mutate import (
    HOSTILE_NUMBERS,
    HOSTILE_TEXT,
    STRUCTURE_EDITS,
    TEXT_EDITS,
    UNITS,
    Edit,
    Mutant,
    edit_content,
    edit_package,
)

pytestmark = pytest.mark.slow  # some 20 s in all

#: the seed of the suite's mutation loops (tools/fuzz.py defaults to the same, and goes on past these cases)
SEED = 2026
#: cases of the seeded loops per format, balanced by what one case costs to audit
CASES: dict[str, int] = {".txt": 400, ".docx": 400, ".xlsx": 400, ".xls": 400, ".pdf": 80}
#: examples per format of the hypothesis tests (hostile content in well-formed files)
EXAMPLES: dict[str, int] = {".txt": 400, ".docx": 100, ".xlsx": 40, ".xls": 120, ".pdf": 20}


def _report(outcomes: list[Outcome]) -> str:
    return "\n".join(f"{o.name}：{o.problem}" + (f"（{o.detail}）" if o.detail else "") for o in outcomes)


def _failures(outcomes: list[Outcome]) -> list[Outcome]:
    """The failed cases that are not instances of an open finding (``harness.KNOWN_OPEN``)."""
    return [o for o in outcomes if o.problem and known_open(o) is None]


@pytest.mark.parametrize("suffix", seeds.FORMATS)
def test_every_reader_answers_damaged_and_hostile_files_in_chinese_in_bounded_time_and_memory(suffix: str) -> None:
    outcomes = run_cases([(suffix, SEED, index) for index in range(CASES[suffix])])
    assert len(outcomes) == CASES[suffix]
    failed = _failures(outcomes)
    assert not failed, f"{len(failed)} 个用例未通过：\n{_report(failed)}"
    # not all one kind of case: byte damage, container damage (plain text has no container) and hostile content
    families = {o.family for o in outcomes}
    assert {"恶意内容", "字节翻转", "截断"} <= families
    assert len(families) >= (8 if suffix == ".txt" else 14), families
    # and many files are still read, so that the damage reaches past the first check of each reader
    assert sum(o.error is None for o in outcomes) > len(outcomes) / 3


# --- hypothesis: hostile content in well-formed files ------------------------------------------------------------

_FRAGMENTS = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.builds(str.__add__, st.sampled_from(HOSTILE_NUMBERS), st.sampled_from(UNITS)),
    st.text(max_size=30),
)
#: every kind of edit, a very long line (``repeat``) rarely: it costs a hundred times the others
_HOW = st.sampled_from([how for how in TEXT_EDITS + STRUCTURE_EDITS if how != "repeat"] * 3 + ["repeat"])
_EDITS = st.lists(
    st.builds(Edit, where=st.integers(0, 1 << 16), how=_HOW, what=_FRAGMENTS),
    min_size=1,
    max_size=6,
)


def _hostile(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _assert_read(suffix: str, data: bytes) -> None:
    failed = _failures(audit_in_process([Mutant(suffix, 0, "恶意内容", data, readable=True)]))
    assert not failed, _report(failed)


@_hostile(EXAMPLES[".txt"])
@given(edits=_EDITS, encoding=st.sampled_from(("utf-8", "gb18030", "utf-16")))
def test_a_text_file_with_hostile_text_is_read(edits: list[Edit], encoding: str) -> None:
    _assert_read(".txt", seeds.txt_bytes(edit_content(seeds.SEED, edits), encoding))


@_hostile(EXAMPLES[".docx"])
@given(edits=_EDITS)
def test_a_word_document_with_hostile_text_is_read(edits: list[Edit]) -> None:
    _assert_read(".docx", edit_package(seeds.seed_bytes(".docx"), edits))


@_hostile(EXAMPLES[".xlsx"])
@given(edits=_EDITS)
def test_a_workbook_with_hostile_cells_is_read(edits: list[Edit]) -> None:
    _assert_read(".xlsx", seeds.xlsx_bytes(edit_content(seeds.SEED, edits)))


@_hostile(EXAMPLES[".xls"])
@given(edits=_EDITS)
def test_an_old_workbook_with_hostile_cells_is_read(edits: list[Edit]) -> None:
    _assert_read(".xls", seeds.xls_bytes(edit_content(seeds.SEED, edits)))


@_hostile(EXAMPLES[".pdf"])
@given(edits=_EDITS, compress=st.booleans())
def test_a_pdf_with_hostile_text_is_read(edits: list[Edit], compress: bool) -> None:
    _assert_read(".pdf", seeds.pdf_bytes(edit_content(seeds.SEED, edits), compress=compress))


def test_the_suite_runs_at_least_two_thousand_cases() -> None:
    assert sum(CASES.values()) + sum(EXAMPLES.values()) >= 2000


# --- the seeds themselves, and the judge ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", seeds.FORMATS)
def test_every_seed_is_read_with_its_facts(suffix: str) -> None:
    """The mutations start from files that the audit reads in full, so damage is measured against a good read."""
    (outcome,) = audit_in_process([Mutant(suffix, 0, "种子", seeds.seed_bytes(suffix), readable=True)])
    assert outcome.problem is None and outcome.error is None


@pytest.mark.parametrize("suffix", seeds.FORMATS)
def test_the_seeds_are_the_same_bytes_every_time(suffix: str) -> None:
    assert seeds.WRITERS[suffix](seeds.SEED) == seeds.seed_bytes(suffix)


@pytest.mark.parametrize(
    "message",
    [
        "文件 模糊测试1.xlsx：文件已损坏或不是有效的 .xlsx 文件",
        "文件 模糊测试1.txt：不是有效的文本文件（无法按 UTF-8、UTF-16 或 GB18030 解码）",
        "文件 模糊测试1.pdf：PDF 无文本层，需 OCR（扫描件）；本机未安装 Tesseract chi_sim，无法识别",
        "文件 模糊测试1.docx：文件解压后过大（1.2 GB，上限 200 MB），可能是“压缩炸弹”，未读取",
    ],
)
def test_the_readers_own_messages_count_as_chinese(message: str) -> None:
    assert is_chinese_message(message, "模糊测试1.xlsx")


@pytest.mark.parametrize(
    "message",
    [
        "Traceback (most recent call last):",
        "文件 a.xls：ValueError: invalid literal for int() with base 10: '万'",
        "文件 a.txt：[<class 'decimal.InvalidOperation'>]",
        "文件 a.docx：'NoneType' object has no attribute 'text'",
        "文件 a.xlsx：1 validation error for FundLine",
        "文件 a.pdf：PdfminerException: Unexpected EOF",
        "file is not a zip file",
        "读取失败：KeyError",
    ],
)
def test_the_program_s_own_words_do_not_count_as_chinese(message: str) -> None:
    assert not is_chinese_message(message)
