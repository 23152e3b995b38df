"""One rounding rule, everywhere: each scored line is rounded once (2 places, half up, as the official table prints
it), every total is the sum of its printed parts, and every 「比…高/低 X 分」 is computed from printed figures.

The engine and the JSON are checked here over a few hundred generated evaluations; the documents and pages are
checked over fewer (they are slower to build) in the same way.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from jixiao.core import evaluate
from jixiao.core.model import Evaluation
from jixiao.core.result import EvaluationResult, compare_scores
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.json_result import result_to_json
from tests.generated import evaluations, two_places

pytestmark = pytest.mark.slow  # a few hundred generated evaluations per test

_FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _evaluate(evaluation: Evaluation) -> EvaluationResult:
    return evaluate(evaluation, load_rules(evaluation.rules), load_framework(evaluation.framework))


def _d(value: float | None) -> Decimal:
    assert value is not None
    return Decimal(str(value))


@_FAST
@given(evaluations())
def test_every_scored_line_is_printed_as_computed_and_the_total_is_their_sum(evaluation: Evaluation) -> None:
    r = _evaluate(evaluation)
    for s in r.indicators:
        assert two_places(s.computed) and two_places(s.used), s.path
    if r.execution_score is not None:
        assert two_places(r.execution_score.value)
    assert two_places(r.total.value)
    dropped = any(s.indicator.not_applicable and s.points for s in r.indicators)
    if r.total.value is not None and not dropped:
        execution = r.execution_score.value if r.execution_score and r.execution_score.value is not None else 0
        assert r.total.value == r.indicator_sum + execution
    assert two_places(r.max_attainable.value)


@_FAST
@given(evaluations())
def test_the_json_total_is_the_sum_of_the_json_parts(evaluation: Evaluation) -> None:
    r = _evaluate(evaluation)
    data = result_to_json(r)
    computed = data["computed"]
    if computed["score"] is None:
        return
    used = [_d(i["used_score"]) for i in data["indicators"] if not i["not_applicable"] and i["used_score"] is not None]
    assert sum(used, Decimal(0)) == _d(computed["indicator_score_sum"])
    if not any(i["not_applicable"] and i["points"] for i in data["indicators"]):
        assert _d(computed["indicator_score_sum"]) + _d(computed["execution_score"] or 0) == _d(computed["score"])
    for i in data["indicators"]:
        assert two_places(i["computed_score"]) and two_places(i["claimed_score"]), i["path"]


@_FAST
@given(evaluations())
def test_comparisons_use_printed_figures(evaluation: Evaluation) -> None:
    r = _evaluate(evaluation)
    text = compare_scores(evaluation.claims.total_score, r.total.value)
    if not text:
        return
    claimed = Decimal(f"{evaluation.claims.total_score:.2f}")
    computed = Decimal(f"{r.total.value:.2f}")
    if text.startswith("与"):
        assert claimed == computed
        return
    match = re.fullmatch(r"比单位自评(高|低) (\d+\.\d\d) 分", text)
    assert match, text
    assert Decimal(match.group(2)) == abs(claimed - computed) != 0
    assert (match.group(1) == "低") == (computed < claimed)


# ------------------------------------------------------------------------------------------- the documents

_DOCS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NUMBER = re.compile(r"[-+]?\d+\.\d\d")


def _blank_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 3), "white").save(out, format="PNG")
    return out.getvalue()


_BLANK_PNG = _blank_png()


def _printed(text: object) -> Decimal | None:
    """The figure a cell prints (``"1.60\\n按自评"`` → 1.60); None for 「—」, 「不适用」 or an empty cell."""
    if isinstance(text, (int, float)):
        return Decimal(str(text))
    match = _NUMBER.match(str(text or "").strip())
    return Decimal(match.group()) if match else None


def _comparisons_hold(text: str, result: EvaluationResult) -> None:
    """Every 「比单位自评高/低 X 分」 in ``text`` is the difference of the two printed totals."""
    claimed = result.evaluation.claims.total_score
    for word, figure in re.findall(r"比单位自评(高|低) (\d+\.\d\d) 分", text):
        assert claimed is not None and result.total.value is not None
        gap = Decimal(f"{claimed:.2f}") - Decimal(f"{result.total.value:.2f}")
        assert Decimal(figure) == abs(gap) and (word == "低") == (gap > 0), (word, figure, gap)


@_DOCS
@given(evaluations())
def test_the_report_table_adds_up_and_compares_printed_figures(evaluation: Evaluation) -> None:
    import docx

    from jixiao.io.report.docx import write_report_docx

    r = _evaluate(evaluation)
    with tempfile.TemporaryDirectory() as folder:  # the chart plays no part in the totals: a blank one is quicker
        document = docx.Document(str(write_report_docx(r, Path(folder) / "r.docx", chart_png=_BLANK_PNG)))
    table = next(t for t in document.tables if t.cell(0, 0).text.replace("\n", "") == "一级指标")
    rows = [[c.text for c in row.cells] for row in table.rows]
    header = [h.replace("\n", "") for h in rows[0]]
    claimed_col, computed_col = header.index("自评得分"), header.index("计算得分")
    total = next(row for row in rows if row[0] == "合计")
    body = rows[1 : rows.index(total)]
    rescaling = [row for row in body if row[0].startswith("剔除不适用指标")]
    lines = [row for row in body if row not in rescaling]
    computed = sum((_printed(row[computed_col]) or Decimal(0) for row in lines), Decimal(0))
    computed += sum((_printed(row[computed_col]) or Decimal(0) for row in rescaling), Decimal(0))
    if total[computed_col] not in ("—", "未评分"):
        assert _printed(total[computed_col]) == computed
    claimed = [row[claimed_col] for row in lines if row[claimed_col] != "不适用"]
    if total[claimed_col] != "不完整":
        assert _printed(total[claimed_col]) == sum((_printed(c) or Decimal(0) for c in claimed), Decimal(0))
    else:
        assert any(_printed(c) is None for c in claimed)
    _comparisons_hold("\n".join(p.text for p in document.paragraphs) + "\n".join(total), r)


def _scoring_sheet_adds_up(path: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    head = next(i for i, row in enumerate(rows) if "计分方式" in row)
    columns = [rows[head].index(name) for name in ("自评得分", "计算得分")]
    how = rows[head].index("计分方式")
    levels = rows[head].index("分值")  # the level columns come first
    end = next(i for i, row in enumerate(rows) if row[0] == "总分")
    body = rows[head + 1 : end]
    body = [row for row in body if any(v is not None for v in row[levels:])]

    def level(row: list[object]) -> int:
        return next(i for i in range(levels) if row[i] is not None)

    for col in columns:
        leaves = [row for row in body if row[how] != "小计"]
        if rows[end][col] is not None:
            assert _printed(rows[end][col]) == sum((_printed(r[col]) or Decimal(0) for r in leaves), Decimal(0))
        for i, row in enumerate(body):
            if row[how] != "小计" or row[col] is None:
                continue
            under = []
            for child in body[i + 1 :]:
                if level(child) <= level(row):
                    break
                if child[how] != "小计":
                    under.append(child)
            assert _printed(row[col]) == sum((_printed(c[col]) or Decimal(0) for c in under), Decimal(0)), row


def _selfeval_table_adds_up(path: Path) -> None:
    from openpyxl import load_workbook

    from jixiao.io.xlsx.selfeval_layout import COL_SCORE, FUND_SCORE

    ws = load_workbook(path).active
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "总分")
    head = next(r for r in range(1, total_row) if ws.cell(r, 2).value == "一级指标")
    fund = next(r for r in range(1, head) if ws.cell(r, 3).value == "年度资金总额")
    parts = [_printed(ws.cell(r, COL_SCORE).value) for r in range(head + 1, total_row)]
    parts.append(_printed(ws.cell(fund, FUND_SCORE).value))
    printed_total = _printed(ws.cell(total_row, COL_SCORE).value)
    if printed_total is not None:
        assert printed_total == sum((p or Decimal(0) for p in parts), Decimal(0))


@pytest.mark.slow  # two workbooks written and read back per example: about 5 s
@_DOCS
@given(evaluations())
def test_the_scoring_sheet_and_the_selfeval_table_add_up(evaluation: Evaluation) -> None:
    from jixiao.io.xlsx.scoring_sheet import write_scoring_xlsx
    from jixiao.io.xlsx.selfeval_write import write_selfeval_table

    r = _evaluate(evaluation)
    with tempfile.TemporaryDirectory() as folder:
        _scoring_sheet_adds_up(write_scoring_xlsx(r, Path(folder) / "评分表.xlsx"))
        _selfeval_table_adds_up(write_selfeval_table(r, Path(folder) / "附1.xlsx"))
