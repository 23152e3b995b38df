"""The dashboard's sections: each a table of figures and the chart drawn from the same figures. The page writes the
tables as HTML (``html.py``), the workbook as sheets (``xlsx.py``): one list of rows, so the chart, the page and the
workbook cannot disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ...io import svg_charts
from ...io.svg_charts import Series
from ..results.models import Rectification
from .figures import EXECUTION_BINS, GRADE_LABELS, GRADES, MIN_REVIEWED, UNGRADED, UNSCORED, Trends, mean

Cell = int | Decimal | str | None

GRADE_COLOURS = {
    "优": "#15803d",
    "良": "#1d4ed8",
    "中": "#d97706",
    "差": "#b91c1c",
    UNGRADED: "#6d28d9",
    UNSCORED: "#9aa5b1",
}
EXECUTION_COLOURS = ("#b91c1c", "#c2410c", "#d97706", "#0f766e", "#15803d", "#1d4ed8")
MISSING_COLOUR = "#9aa5b1"
SCORE_COLOURS = {"自评": "#d97706", "计算": "#1d4ed8", "复核": "#6d28d9"}


@dataclass(frozen=True)
class Column:
    """``kind``: ``text``, ``count`` (项), ``score`` (分, two places), ``pct`` (%, two places)."""

    key: str
    label: str
    kind: str = "count"
    width: float = 10


@dataclass
class Section:
    key: str  # the table's id on the page
    title: str
    note: str  # what the figures count and in which units
    columns: list[Column]
    rows: list[list[Cell]]
    chart: str = ""  # SVG text, every label escaped
    #: per row, the filters (department, unit) its 「unit」 cell links to on the page
    links: list[dict[str, str | None]] = field(default_factory=list)


def _year(year: int) -> str:
    return f"{year}年"


def _year_column() -> Column:
    return Column("year", "评价年度", "text", 10)


def grades(trends: Trends) -> Section:
    years = trends.years
    keys = [*GRADES]
    if any(trends.year(y).grade(UNGRADED) for y in years):
        keys.append(UNGRADED)
    keys.append(UNSCORED)
    columns = [_year_column(), *(Column(f"g-{k or 'none'}", GRADE_LABELS[k], "count", 8) for k in keys)]
    columns.append(Column("total", "合计", "count", 9))
    rows: list[list[Cell]] = []
    for y in years:
        figures = trends.year(y)
        rows.append([_year(y), *(figures.grade(k) for k in keys), figures.n])
    series = [Series(GRADE_LABELS[k], [trends.year(y).grade(k) for y in years], GRADE_COLOURS[k]) for k in keys]
    chart = svg_charts.stacked_bars(
        [_year(y) for y in years], series, chart_id="chart-grades", title="各年度评价的计算等级分布（项）"
    )
    note = "单位：项（评价数）。按计算等级；未评分：尚无可计分的指标和资金数（如待填报、空白草稿）。"
    return Section("grades", "计算等级分布", note, columns, rows, chart)


def review_grades(trends: Trends) -> Section:
    years = trends.years
    ungraded = any(trends.year(y).review_ungraded for y in years)
    columns = [_year_column(), *(Column(f"rv-{g}", g, "count", 8) for g in GRADES)]
    if ungraded:
        columns.append(Column("rv-none", "复核未定级", "count", 10))
    columns += [Column("reviewed", "已复核", "count", 9), Column("unreviewed", "未复核", "count", 9)]
    rows: list[list[Cell]] = []
    for y in years:
        f = trends.year(y)
        rows.append([
            _year(y), *f.review_grades, *([f.review_ungraded] if ungraded else []), f.m["review_n"], f.n - f.m["review_n"]
        ])  # fmt: skip
    series = [
        Series(g, [trends.year(y).review_grades[i] for y in years], GRADE_COLOURS[g]) for i, g in enumerate(GRADES)
    ]
    if ungraded:
        series.append(Series("复核未定级", [trends.year(y).review_ungraded for y in years], GRADE_COLOURS[UNGRADED]))
    chart = svg_charts.stacked_bars(
        [_year(y) for y in years], series, chart_id="chart-review-grades", title="各年度已复核评价的复核等级分布（项）"
    )
    note = "单位：项。复核等级是财政复核时按复核得分定的等级；图中只画已复核的评价。"
    return Section("review-grades", "复核等级分布", note, columns, rows, chart)


def execution(trends: Trends) -> Section:
    years = trends.years
    columns = [
        _year_column(),
        *(Column(f"ex-{i}", label, "count", 9) for i, (label, _, _) in enumerate(EXECUTION_BINS)),
        Column("ex-missing", "未填报", "count", 8),
    ]
    rows: list[list[Cell]] = []
    for y in years:
        f = trends.year(y)
        rows.append([_year(y), *f.execution, f.execution_missing])
    series = [
        Series(label, [trends.year(y).execution[i] for y in years], EXECUTION_COLOURS[i])
        for i, (label, _, _) in enumerate(EXECUTION_BINS)
    ]
    series.append(Series("未填报", [trends.year(y).execution_missing for y in years], MISSING_COLOUR))
    chart = svg_charts.stacked_bars(
        [_year(y) for y in years], series, chart_id="chart-execution", title="各年度评价的预算执行率分布（项）"
    )
    note = (
        "单位：项。按预算执行率（%）分档，每档含下限、不含上限（如 80–90% 为 80% ≤ 执行率 < 90%）；未填报：尚无执行率。"
    )
    return Section("execution", "预算执行率分布", note, columns, rows, chart)


def scores(trends: Trends) -> Section:
    years = trends.years
    columns = [_year_column()]
    for name, key in (("自评", "claimed"), ("计算", "computed"), ("复核", "review")):
        columns += [Column(f"{key}-n", f"有{name}得分", "count", 9), Column(f"{key}-mean", f"{name}平均", "score", 9)]
    rows: list[list[Cell]] = []
    for y in years:
        f = trends.year(y)
        row: list[Cell] = [_year(y)]
        for key in ("claimed", "computed", "review"):
            row += [f.m[f"{key}_n"], f.average(key)]
        rows.append(row)
    series = [
        Series(name, [trends.year(y).average(key) for y in years], SCORE_COLOURS[name])
        for name, key in (("自评", "claimed"), ("计算", "computed"), ("复核", "review"))
    ]
    chart = svg_charts.lines(
        [_year(y) for y in years], series, chart_id="chart-scores", title="各年度自评、计算与复核得分的平均（分）"
    )
    note = "单位：分（平均分，四舍五入到 0.01 分）。每种得分按有该得分的评价平均；计算得分不含未评分的评价。"
    return Section("scores", "自评、计算与复核得分：各自平均", note, columns, rows, chart)


def scores_together(trends: Trends) -> Section:
    years = trends.years
    columns = [
        _year_column(),
        Column("all-n", "三项齐全", "count", 9),
        Column("all-claimed", "自评平均", "score", 9),
        Column("all-computed", "计算平均", "score", 9),
        Column("all-review", "复核平均", "score", 9),
        Column("all-gap", "自评−复核", "score", 9),
    ]
    rows: list[list[Cell]] = []
    for y in years:
        f = trends.year(y)
        gap = mean(f.m["all_claimed_c"] - f.m["all_review_c"], f.m["all_n"])
        rows.append([
            _year(y), f.m["all_n"], f.average("all_claimed"), f.average("all_computed"), f.average("all_review"), gap
        ])  # fmt: skip
    series = [
        Series(name, [trends.year(y).average(f"all_{key}") for y in years], SCORE_COLOURS[name])
        for name, key in (("自评", "claimed"), ("计算", "computed"), ("复核", "review"))
    ]
    chart = svg_charts.lines(
        [_year(y) for y in years],
        series,
        chart_id="chart-scores-together",
        title="三项得分齐全的评价：各年度自评、计算与复核得分的平均（分）",
    )
    note = "单位：分。只计自评、计算、复核三项得分都有的评价，三条线比的是同一批评价。"
    return Section("scores-together", "自评、计算与复核得分：三项齐全的评价", note, columns, rows, chart)


def gaps(trends: Trends) -> Section:
    years = trends.years
    columns = [
        Column("rank", "序号", "count", 6),
        Column("unit", "预算单位", "text", 30),
        Column("department", "主管部门", "text", 22),
        Column("reviewed", "复核评价数", "count", 10),
        Column("claimed", "平均自评", "score", 10),
        Column("review", "平均复核", "score", 10),
        Column("gap", "平均偏高", "score", 10),
    ]
    listed = trends.gaps
    rows: list[list[Cell]] = [
        [i, g.unit_name, g.department_name, g.reviewed, g.mean_claimed, g.mean_review, g.mean_gap]
        for i, g in enumerate(listed, 1)
    ]
    span = f"{years[0]}–{years[-1]} 年度" if years else "所选年度"
    threshold = f"{trends.filters.gap_threshold.normalize():f}"
    note = (
        f"{span}中，有自评得分和复核得分的评价不少于 {MIN_REVIEWED} 项、平均自评得分比复核得分高 {threshold} 分"
        "及以上的单位，按平均偏高从大到小排列。单位：分；平均偏高 = 平均（自评得分 − 复核得分）。"
    )
    links = [{"department": str(g.department_id) if g.department_id else None, "unit": str(g.unit_id)} for g in listed]
    return Section("gaps", "自评持续高于复核的单位", note, columns, rows, links=links)


def rectifications(trends: Trends, today: dt.date) -> Section:
    years = trends.years
    state = Rectification.State
    columns = [
        _year_column(),
        Column("total", "整改事项", "count", 9),
        Column("closed", "已销号", "count", 9),
        Column("rate", "销号率", "pct", 9),
        Column("reported", "已报整改情况", "count", 11),
        Column("open", "待整改", "count", 9),
        Column("overdue", "其中逾期", "count", 9),
    ]
    rows: list[list[Cell]] = []
    for y in years:
        r = trends.rectification(y)
        rows.append([
            _year(y), r.total, r.count(state.CLOSED), r.closure_rate, r.count(state.REPORTED), r.count(state.OPEN),
            r.overdue,
        ])  # fmt: skip
    chart = svg_charts.grouped_bars(
        [_year(y) for y in years],
        [
            Series("整改事项", [trends.rectification(y).total for y in years], "#1d4ed8"),
            Series("已销号", [trends.rectification(y).count(state.CLOSED) for y in years], "#15803d"),
            Series("逾期未整改", [trends.rectification(y).overdue for y in years], "#b91c1c"),
        ],
        chart_id="chart-rectifications",
        title="各年度评价的整改事项与销号（项）",
    )
    note = (
        f"单位：项；销号率 = 已销号 ÷ 整改事项。按所属评价的年度统计；逾期：待整改且已过整改期限（截至 {today:%Y-%m-%d}）。"
        "整改事项不按计算等级和评分规则筛选。"
    )
    return Section("rectifications", "整改销号情况", note, columns, rows, chart)


#: the dashboard's pages: url name, tab title, the sections it shows, and what it reads besides every year's counts
PAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("index", "等级分布", ("grades", "review-grades")),
    ("execution", "预算执行率", ("execution",)),
    ("scores", "得分对照", ("scores", "scores-together")),
    ("gaps", "自评偏高的单位", ("gaps",)),
    ("rectifications", "整改销号", ("rectifications",)),
)


def build(key: str, trends: Trends, today: dt.date) -> Section:
    builders = {
        "grades": grades,
        "review-grades": review_grades,
        "execution": execution,
        "scores": scores,
        "scores-together": scores_together,
        "gaps": gaps,
    }
    return rectifications(trends, today) if key == "rectifications" else builders[key](trends)


def all_sections(trends: Trends, today: dt.date) -> list[Section]:
    return [build(key, trends, today) for _, _, keys in PAGES for key in keys]


def cell_text(value: Cell, kind: str) -> str:
    """A cell as the page shows it: counts as they are, scores with two places, rates with 「%」, 「—」 for none."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind == "pct":
        return f"{svg_charts.number(value)}%"
    return svg_charts.number(value)
