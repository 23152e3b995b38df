"""The score chart of a report: each top-level indicator branch's points, claimed score and computed score.

One PNG for the docx, the PDF and the web page. Rendered with matplotlib's Agg canvas on a private
``Figure`` (no pyplot state) inside an ``rc_context``, so nothing global changes and the same result
always gives the same bytes.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from decimal import Decimal

from ...core.result import EvaluationResult, ScoreBasis
from ...core.values import fmt

os.environ.setdefault("MPLBACKEND", "Agg")

_RC = {
    "font.family": ["Noto Sans CJK SC", "DejaVu Sans"],
    "axes.unicode_minus": False,
    "font.size": 10,
}
_COLOURS = {"points": "#c8ccd2", "claimed": "#7f9fc6", "computed": "#1f4e8c"}
_DPI = 200
_WIDTH_IN = 6.3


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One group of bars: a top-level branch (or 预算执行率 scored outside the tree)."""

    label: str
    points: Decimal | None
    claimed: Decimal | None
    computed: Decimal | None
    carried: bool = False  # some leaf's computed score is the unit's own, carried because it could not be computed


def chart_rows(result: EvaluationResult) -> list[ChartRow]:
    """The figures the chart shows, without drawing anything (cheap; no matplotlib import)."""
    rows: list[ChartRow] = []
    if result.execution_score is not None:
        rows.append(ChartRow("预算执行率", result.execution_points, None, result.execution_score.value))
    for root in result.evaluation.indicators:
        scores = [s for s in result.indicators if s.path[0] == root.name and not s.indicator.not_applicable]
        leaf_points = [s.points for s in scores if s.points is not None]
        points = root.points if root.points is not None else (sum(leaf_points, Decimal(0)) if leaf_points else None)
        claimed_parts = [s.indicator.claimed_score for s in scores if s.indicator.claimed_score is not None]
        used = [s.used for s in scores if s.used is not None]
        rows.append(
            ChartRow(
                label=root.name,
                points=points,
                claimed=sum(claimed_parts, Decimal(0)) if claimed_parts else None,
                computed=sum(used, Decimal(0)) if used else None,
                carried=any(s.basis is ScoreBasis.CLAIMED for s in scores),
            )
        )
    return rows


def render_chart(result: EvaluationResult) -> bytes:
    """A horizontal bar chart (PNG, 200 dpi) of points vs claimed vs computed score per top-level branch."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = chart_rows(result)
    series = [
        ("points", "分值", [r.points for r in rows]),
        ("claimed", "自评得分", [r.claimed for r in rows]),
        ("computed", "计算得分", [r.computed for r in rows]),
    ]
    if all(v is None for v in series[1][2]):
        series.pop(1)
    bar_h = 0.8 / len(series)
    height = 1.0 + 0.22 * len(series) * max(len(rows), 1) + 0.2 * max(len(rows) - 1, 0)
    top = max([float(v) for _, _, values in series for v in values if v is not None] or [10.0])

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(_WIDTH_IN, height), dpi=_DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if not rows:
            ax.text(0.5, 0.5, "（未填写绩效指标）", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
        for i, (key, label, values) in enumerate(series):
            ys = [n + (i - (len(series) - 1) / 2) * bar_h for n in range(len(rows))]
            xs = [float(v) if v is not None else 0.0 for v in values]
            ax.barh(ys, xs, height=bar_h * 0.92, color=_COLOURS[key], label=label, zorder=2)
            for y, x, v in zip(ys, xs, values, strict=True):
                ax.text(x + top * 0.01, y, fmt(v), va="center", ha="left", fontsize=8, zorder=3)
        if rows:
            ax.set_yticks(range(len(rows)))
            ax.set_yticklabels([r.label + ("*" if r.carried else "") for r in rows])
            ax.invert_yaxis()
            ax.set_xlim(0, top * 1.15)
            ax.set_xlabel("分")
            ax.grid(axis="x", color="#e3e5e8", linewidth=0.6, zorder=0)
            ax.spines[["top", "right"]].set_visible(False)
            fig.legend(loc="outside lower center", fontsize=8, frameon=False, ncols=len(series))
            if any(r.carried for r in rows):
                ax.set_xlabel("分（* 含无法计算、按单位自评分计入的指标）")
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=_DPI, metadata={"Software": None})
    return out.getvalue()
