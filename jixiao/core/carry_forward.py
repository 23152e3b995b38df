"""Last year's evaluation as the start of this year's: the targets and the structure, none of the results.

A 自评任务 opens each project as 待填报; where the project was evaluated the year before (same 项目编码, or the
same unit and name), its indicator tree (names, points, kinds, 年度指标值, value bases) and its goals' expectations
are carried into the new year, so the unit does not type them again. Every actual, score, reason, piece of
evidence, narrative and claim is left empty: those must be this year's.
"""

from __future__ import annotations

from .model import Evaluation, Goal, Indicator


def _blank_results(indicator: Indicator) -> Indicator:
    return indicator.model_copy(
        update={
            "actual": None,
            "claimed_score": None,
            "deviation_reason": None,
            "evidence": [],
            "children": [_blank_results(child) for child in indicator.children],
        }
    )


def carry_forward(previous: Evaluation, into: Evaluation) -> Evaluation:
    """``into`` with ``previous``'s indicator tree (results blanked) in place of its own (a blank skeleton), and
    ``previous``'s goal expectations where ``into`` states none."""
    indicators = [_blank_results(i) for i in previous.indicators] or into.indicators
    goals = into.goals or [Goal(kind=g.kind, title=g.title, expected=g.expected) for g in previous.goals]
    return into.model_copy(update={"indicators": indicators, "goals": goals})
