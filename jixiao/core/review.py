"""复核: the reviewer's score per indicator beside the unit's own and the computed one, added up the same way.

The 复核 sheet has one line per applicable leaf of the indicator tree, and one for 预算执行率 where the framework
scores it outside the tree. On each line the reviewer may set a 复核得分 (with a comment); where they do not, the
computed score stands. The three columns (自评 / 计算 / 复核) are each totalled by the engine's own
:func:`~jixiao.core.scoring.engine.total_of` and graded by the rule set's bands, so a 复核 total is never added up
by a different rule than the computed one (不适用 rescaling included).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .result import EvaluationResult, Explanation, Figure, IndicatorScore, ScoreBasis, score_value
from .scoring.engine import total_of
from .values import fmt

#: the key of the 预算执行率 line (scored outside the tree); indicator lines are keyed by their path
EXECUTION_KEY = "预算执行率"
#: joins an indicator's path of names into its key (no indicator name in the corpus contains it)
KEY_SEPARATOR = " › "


def indicator_key(path: tuple[str, ...]) -> str:
    """``产出指标 › 数量指标 › 举办科普活动次数``: the stable key of a node (its names from the root)."""
    return KEY_SEPARATOR.join(path)


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """What the reviewer set on one line: a 复核得分 (None: the computed score stands) and why."""

    score: Decimal | None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One line of the sheet; scores are at 2 places (as printed)."""

    key: str
    path: tuple[str, ...]  # () for 预算执行率
    points: Decimal | None
    claimed: Decimal | None  # the unit's own score
    computed: Decimal | None  # what the engine enters into the computed total (computed, or the carried claim)
    reviewed: Decimal | None  # the reviewer's score; None when they kept the computed one
    comment: str
    computed_basis: str  # how the computed score came about (计算 / 采用自评分，须人工复核 / 无法计算)
    computed_why: str = ""  # the engine's explanation of the computed score (rule, formula, inputs)

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else EXECUTION_KEY

    @property
    def review(self) -> Decimal | None:
        """The score that enters the 复核 total: the reviewer's, else the computed one."""
        return self.reviewed if self.reviewed is not None else self.computed

    @property
    def self_gap(self) -> Decimal | None:
        """自评 − 复核 (positive: the unit scored itself higher)."""
        if self.claimed is None or self.review is None:
            return None
        return self.claimed - self.review

    @property
    def differs(self) -> bool:
        """Whether the 复核 score differs from the unit's own or from the computed one (a missing 自评 or 计算
        score is no difference: there is nothing to differ from)."""
        if self.review is None:
            return False
        return any(other is not None and other != self.review for other in (self.claimed, self.computed))


@dataclass(frozen=True, slots=True)
class ReviewSheet:
    """The three columns, their totals and grades."""

    lines: tuple[ReviewLine, ...]
    self_total: Figure  # the sum of the unit's own line scores (None when a line has none)
    stated_total: Decimal | None  # the total the unit wrote (may differ from the sum of its lines)
    computed_total: Figure
    review_total: Figure
    self_grade: str | None
    computed_grade: str | None
    review_grade: str | None

    @property
    def reviewed_count(self) -> int:
        return sum(1 for line in self.lines if line.reviewed is not None)

    @property
    def gap(self) -> Decimal | None:
        """自评总分 − 复核总分: the stated total if the unit wrote one, else the sum of its lines."""
        own = self.stated_total if self.stated_total is not None else self.self_total.value
        if own is None or self.review_total.value is None:
            return None
        return score_value(own - self.review_total.value)

    def line(self, key: str) -> ReviewLine | None:
        return next((line for line in self.lines if line.key == key), None)


class ReviewScoreError(ValueError):
    """A 复核得分 that cannot stand (not a number, below 0, above the line's points); the message is Chinese."""


def check_score(line_name: str, points: Decimal | None, text: str | Decimal | None) -> Decimal | None:
    """The reviewer's input as a score at 2 places; blank is None (keep the computed score)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ReviewScoreError(f"“{line_name}”的复核得分“{text}”不是数字") from None
    if not value.is_finite():
        raise ReviewScoreError(f"“{line_name}”的复核得分“{text}”不是数字")
    if value < 0:
        raise ReviewScoreError(f"“{line_name}”的复核得分不能小于 0")
    if points is not None and value > points:
        raise ReviewScoreError(f"“{line_name}”的复核得分 {fmt(value)} 超过该指标分值 {fmt(points)} 分")
    try:
        exact = value == value.quantize(Decimal("0.01"))
    except InvalidOperation:  # past the decimal precision (1e999999999 on a line without 分值): no score at all
        raise ReviewScoreError(f"“{line_name}”的复核得分“{text}”超出可填写的范围") from None
    if not exact:
        raise ReviewScoreError(f"“{line_name}”的复核得分最多保留两位小数")
    return score_value(abs(value))  # abs: “-0” is 0.00, not −0.00


def review_sheet(result: EvaluationResult, entries: Mapping[str, ReviewEntry]) -> ReviewSheet:
    """The sheet for ``result`` with the reviewer's ``entries`` (keyed by :func:`indicator_key` or
    :data:`EXECUTION_KEY`). Entries for keys the tree no longer has are left out (the unit renamed the indicator;
    the caller shows them apart)."""
    rules = result.rules
    lines: list[ReviewLine] = []
    # each applicable leaf's line, by position: two sibling leaves of the same name share a key (and so the
    # reviewer's entry), but each keeps its own 自评 and 计算 scores in the totals
    line_of: dict[int, ReviewLine] = {}
    for index, s in enumerate(result.indicators):
        if s.indicator.not_applicable:
            continue
        key = indicator_key(s.path)
        entry = entries.get(key)
        line_of[index] = ReviewLine(
            key=key,
            path=s.path,
            points=s.points,
            claimed=s.claimed,
            computed=s.used,
            reviewed=score_value(entry.score) if entry else None,
            comment=entry.comment if entry else "",
            computed_basis=s.basis.label,
            computed_why=s.explanation.text(),
        )
        lines.append(line_of[index])
    execution = result.execution_score
    claimed_execution = score_value(result.evaluation.claims.execution_score)
    if execution is not None:
        entry = entries.get(EXECUTION_KEY)
        lines.append(
            ReviewLine(
                key=EXECUTION_KEY,
                path=(),
                points=result.execution_points,
                claimed=claimed_execution,
                computed=score_value(execution.value),
                reviewed=score_value(entry.score) if entry else None,
                comment=entry.comment if entry else "",
                computed_basis=ScoreBasis.COMPUTED.label if execution.value is not None else ScoreBasis.NONE.label,
                computed_why=execution.explanation.text(),
            )
        )

    def column(pick: str) -> Figure:
        scores: list[IndicatorScore] = []
        for index, s in enumerate(result.indicators):
            line = line_of.get(index)
            value = getattr(line, pick) if line is not None else None
            basis = ScoreBasis.COMPUTED if value is not None else ScoreBasis.NONE
            scores.append(dataclasses.replace(s, computed=value, basis=basis, carried=None))
        if pick == "claimed":
            blank = [line.name for line in line_of.values() if line.claimed is None and line.points is not None]
            if blank:
                more = f"等 {len(blank)} 项指标" if len(blank) > 1 else ""
                return Figure(None, Explanation("自评合计", f"单位未填写“{blank[0]}”{more}的自评得分，不能合计"))
        figure = None
        if execution is not None:
            value = getattr(lines[-1], pick)  # the 预算执行率 line comes last
            if value is None and pick == "claimed":
                return Figure(None, Explanation("自评合计", "单位未填写预算执行率的自评得分，不能合计"))
            figure = Figure(value, Explanation(EXECUTION_KEY, fmt(value)))
        return total_of(scores, figure, result.execution_points, rules)

    self_total = column("claimed")
    review_total = column("review")

    def grade(value: Decimal | None) -> str | None:
        return rules.grade_for(value) if value is not None else None

    stated = score_value(result.evaluation.claims.total_score)
    self_grade = rules.normalise_grade(result.evaluation.claims.grade) or grade(
        stated if stated is not None else self_total.value
    )
    return ReviewSheet(
        lines=tuple(lines),
        self_total=self_total,
        stated_total=stated,
        computed_total=result.total,
        review_total=review_total,
        self_grade=self_grade,
        computed_grade=result.grade,
        review_grade=grade(review_total.value),
    )
