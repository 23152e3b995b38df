"""One rounding rule, everywhere: each scored line is rounded once (2 places, half up, as the official table prints
it), every total is the sum of its printed parts, and every 「比…高/低 X 分」 is computed from printed figures.

The engine and the JSON are checked here over a few hundred generated evaluations; the documents and pages are
checked over fewer (they are slower to build) in the same way.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from jixiao.core import evaluate
from jixiao.core.model import Evaluation
from jixiao.core.result import EvaluationResult, compare_scores
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.json_result import result_to_json
from tests.generated import evaluations, two_places

pytestmark = pytest.mark.slow  # a few hundred generated evaluations per test

_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
