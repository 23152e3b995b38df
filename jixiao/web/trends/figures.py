"""The 历年对比 figures, read from the tallies the database keeps exact on every write (``migrations/0001_tallies.py``).

Per year over a range: the computed grades (优/良/中/差, 未定级, 未评分), the 复核等级, the 预算执行率 in bins, the
average 自评, 计算 and 复核 scores (each over the evaluations that have it, and over those that have all three), the
units whose 自评 runs above the 复核, and how the 整改事项 of each year were closed. A 财政局's five years are a few
dozen tally rows (its unit list some thousands), never its hundreds of thousands of evaluations; nothing is cached.

Sums of scores are kept in hundredths of a point (integers), so averages are exact Decimals, rounded half up to two
places only when shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q

from ..organisations.models import Organisation
from ..results.models import Rectification
from .access import Scope

GRADES = ("优", "良", "中", "差")
#: the grade key of a scored evaluation without a grade, and of one with nothing scored yet (as evaluations_tally)
UNGRADED, UNSCORED = "", "u"
GRADE_LABELS = {**{g: g for g in GRADES}, UNGRADED: "未定级", UNSCORED: "未评分"}

#: 预算执行率 (%) bins: label, lower bound (inclusive), upper bound (exclusive); as the migration counts them
EXECUTION_BINS: tuple[tuple[str, int | None, int | None], ...] = (
    ("<60%", None, 60),
    ("60–80%", 60, 80),
    ("80–90%", 80, 90),
    ("90–95%", 90, 95),
    ("95–100%", 95, 100),
    ("≥100%", 100, None),
)

#: A unit's 自评 runs systematically above the 复核 when, over its reviewed evaluations of the chosen years (those with
#: both a 自评 and a 复核得分), the mean of 自评 − 复核 is at least this many points. Five points is half a grade band
#: (优 90, 良 80 …): a unit that claims half a band more than the 复核 finds, again and again, is worth a look. The
#: page's 「偏高阈值」 changes it for one reading.
GAP_THRESHOLD = Decimal("5")
#: … and has at least this many such evaluations: one reviewed evaluation is no pattern.
MIN_REVIEWED = 2
#: how many of the listed units the page shows (the workbook has all)
GAP_ROWS_SHOWN = 50
#: the widest year range drawn (a chart of thirty years is unreadable); by default, every year with evaluations up to
#: this many (the latest)
MAX_YEARS = 15

#: the tallies' measures, in the migration's order
MEASURES = (
    "n", "rv0", "rv1", "rv2", "rv3", "ex0", "ex1", "ex2", "ex3", "ex4", "ex5",
    "claimed_n", "claimed_c", "computed_n", "computed_c", "review_n", "review_c",
    "all_n", "all_claimed_c", "all_computed_c", "all_review_c", "pair_n", "pair_claimed_c", "pair_review_c",
)  # fmt: skip

_CENT = Decimal("0.01")


def mean(cents: int, count: int) -> Decimal | None:
    """The mean of ``count`` scores summing to ``cents`` hundredths, rounded half up to 0.01; None for none."""
    if not count:
        return None
    return (Decimal(cents) / count / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, rounded half up to 0.01; None when ``whole`` is nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the dashboard to (None: not narrowed)."""

    year_from: int | None = None
    year_to: int | None = None
    department: int | None = None
    unit: int | None = None
    grade: str | None = None  # a key of GRADE_LABELS
    rules: str | None = None
    gap_threshold: Decimal = GAP_THRESHOLD


@dataclass
class YearFigures:
    """One year's counts and sums."""

    year: int
    grades: dict[str, int] = field(default_factory=dict)
    m: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    @property
    def n(self) -> int:
        return self.m["n"]

    def grade(self, key: str) -> int:
        return self.grades.get(key, 0)

    @property
    def review_grades(self) -> list[int]:
        return [self.m[f"rv{i}"] for i in range(len(GRADES))]

    @property
    def review_ungraded(self) -> int:
        """Reviewed (a 复核得分) without a 复核等级: data entered around the lifecycle."""
        return max(self.m["review_n"] - sum(self.review_grades), 0)

    @property
    def execution(self) -> list[int]:
        return [self.m[f"ex{i}"] for i in range(len(EXECUTION_BINS))]

    @property
    def execution_missing(self) -> int:
        return self.n - sum(self.execution)

    def average(self, what: str) -> Decimal | None:
        """``claimed``, ``computed`` or ``review`` over those that have it; ``all_claimed`` … over those with all
        three; ``pair_claimed``, ``pair_review`` over those with a 自评 and a 复核."""
        return mean(self.m[f"{what}_c"], self.m[f"{what.split('_')[0]}_n"])

    @property
    def pair_gap(self) -> Decimal | None:
        return mean(self.m["pair_claimed_c"] - self.m["pair_review_c"], self.m["pair_n"])


@dataclass
class UnitGap:
    """A unit whose 自评 ran above the 复核: its reviewed evaluations (with a 自评 and a 复核得分) and their sums."""

    unit_id: int
    reviewed: int
    claimed_c: int
    review_c: int
    unit_name: str = ""
    department_name: str = ""
    department_id: int | None = None  # the unit's 主管部门 now

    @property
    def mean_claimed(self) -> Decimal | None:
        return mean(self.claimed_c, self.reviewed)

    @property
    def mean_review(self) -> Decimal | None:
        return mean(self.review_c, self.reviewed)

    @property
    def mean_gap(self) -> Decimal | None:
        return mean(self.claimed_c - self.review_c, self.reviewed)


@dataclass
class RectificationYear:
    """The 整改事项 of one year's evaluations by state, and those 待整改 past their due date."""

    year: int
    states: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def count(self, state: str) -> int:
        return self.states.get(state, 0)

    @property
    def closure_rate(self) -> Decimal | None:
        return share(self.count(Rectification.State.CLOSED), self.total)


@dataclass
class Trends:
    """Everything the dashboard shows."""

    years: list[int]  # the years shown, oldest first
    available: list[int]  # the years with evaluations in scope under the other filters
    per_year: dict[int, YearFigures]
    gaps: list[UnitGap]  # the units listed (the first GAP_ROWS_SHOWN, or all), largest mean gap first
    gap_count: int  # how many units are listed in all
    rectifications: dict[int, RectificationYear]
    filters: Filters

    def year(self, year: int) -> YearFigures:
        return self.per_year.get(year) or YearFigures(year)

    def rectification(self, year: int) -> RectificationYear:
        return self.rectifications.get(year) or RectificationYear(year)


# ---------------------------------------------------------------------------------------------------------- reading


def _rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where(scope: Scope, filters: Filters, *, unit_level: bool, graded: bool = True) -> tuple[str, list[object]]:
    where, params = scope.where()
    parts = [where]
    narrowing: list[tuple[str, object]] = [("department_id", filters.department)]
    if unit_level:
        narrowing.append(("unit_id", filters.unit))
    if graded:
        narrowing += [("rules", filters.rules), ("grade", filters.grade)]
    for column, value in narrowing:
        if value is not None:
            parts.append(f"{column} = %s")
            params.append(value)
    return " AND ".join(parts), params


def _year_range(available: list[int], filters: Filters, today: dt.date) -> list[int]:
    """The years to show: as asked, else every year with evaluations; at most the latest :data:`MAX_YEARS`."""
    last = filters.year_to if filters.year_to is not None else (available[-1] if available else today.year - 1)
    if filters.year_from is not None:
        first = filters.year_from
    else:
        earlier = [y for y in available if y <= last]
        first = earlier[0] if earlier else last
    if first > last:
        first, last = last, first
    first = max(first, last - MAX_YEARS + 1)
    return list(range(first, last + 1))


def per_year(scope: Scope, filters: Filters) -> dict[int, YearFigures]:
    """Every year's figures under the filters other than the year range (the range is cut afterwards: the same
    rows tell which years have evaluations)."""
    unit_level = filters.unit is not None
    if unit_level:
        table = "trends_tally"
    elif filters.department is None and not scope.department_ids:
        table = "trends_financetally"  # a 财政局 as a whole (or all of them): a few dozen rows
    else:
        table = "trends_departmenttally"
    where, params = _where(scope, filters, unit_level=unit_level)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    out: dict[int, YearFigures] = {}
    for year, grade, *values in _rows(
        f"SELECT year, grade, {sums} FROM {table} WHERE {where} GROUP BY year, grade", params
    ):
        figures = out.setdefault(int(year), YearFigures(int(year)))  # type: ignore[call-overload]
        counts = [int(v) for v in values]  # type: ignore[call-overload]
        if counts[0]:
            figures.grades[str(grade)] = figures.grades.get(str(grade), 0) + counts[0]
        for name, value in zip(MEASURES, counts, strict=True):
            figures.m[name] += value
    return {year: figures for year, figures in out.items() if figures.n}


def unit_gaps(
    scope: Scope, filters: Filters, years: list[int], limit: int | None, *, every_year: bool = False
) -> tuple[list[UnitGap], int]:
    """The units whose mean 自评 − 复核 over the years is at least the threshold, over at least
    :data:`MIN_REVIEWED` reviewed evaluations, largest mean first (then more evaluations first): the first ``limit``
    of them (all for None), and how many there are. The database sorts and counts them: a 财政局 may list thousands.

    ``every_year``: the years span every year with evaluations under the filters. A single 财政局 as a whole then
    reads its units' totals over all years (``trends_unitgaptotal``, one row per unit: nothing to add up); otherwise
    the units' rows per year (and grade and rule set, when those filter) are added up per unit."""
    if not years:
        return [], 0
    graded = filters.grade is not None or filters.rules is not None or filters.unit is not None
    single = len(scope.finance_ids) == 1 and not scope.department_ids and not scope.everything
    threshold = int((filters.gap_threshold * 100).to_integral_value(rounding=ROUND_HALF_UP))
    if every_year and single and not graded and filters.department is None:
        (finance,) = scope.finance_ids
        listed = (
            "SELECT unit_id, pair_n AS n, pair_claimed_c AS c, pair_review_c AS r FROM trends_unitgaptotal "
            "WHERE finance_id = %s AND pair_n >= %s AND pair_claimed_c - pair_review_c >= %s * pair_n"
        )
        params: list[object] = [finance, MIN_REVIEWED, threshold]
    else:
        table = "trends_tally" if graded else "trends_unitgap"
        where, params = _where(scope, filters, unit_level=True, graded=graded)
        listed = (
            f"SELECT unit_id, SUM(pair_n) AS n, SUM(pair_claimed_c) AS c, SUM(pair_review_c) AS r FROM {table} "
            f"WHERE {where} AND year >= %s AND year <= %s GROUP BY unit_id "
            "HAVING SUM(pair_n) >= %s AND SUM(pair_claimed_c) - SUM(pair_review_c) >= %s * SUM(pair_n)"
        )
        params += [years[0], years[-1], MIN_REVIEWED, threshold]
    # the mean as the double nearest the exact quotient of two integers, as Python's int / int gives it: equal means
    # sort equal, and two different means of such counts differ by far more than a double's precision
    rows = _rows(
        f"SELECT unit_id, n, c, r, COUNT(*) OVER () FROM ({listed}) AS listed "
        "ORDER BY CAST(c - r AS DOUBLE PRECISION) / n DESC, n DESC, unit_id"
        + (f" LIMIT {int(limit)}" if limit is not None else ""),
        params,
    )
    gaps = [UnitGap(int(u), int(n), int(c), int(r)) for u, n, c, r, _ in rows]  # type: ignore[call-overload]
    return gaps, int(rows[0][4]) if rows else 0  # type: ignore[call-overload]


#: the units' and their 主管部门's names (a hundred of them on every page: written out, not built through the ORM)
_NAMES_SQL = (
    f"SELECT u.id, u.name, u.parent_id, p.name FROM {Organisation._meta.db_table} u "
    f"LEFT JOIN {Organisation._meta.db_table} p ON p.id = u.parent_id WHERE u.id IN ({{ids}})"
)


def name_units(gaps: list[UnitGap]) -> None:
    """Fill in the units' and their 主管部门's names."""
    ids = [g.unit_id for g in gaps]
    names: dict[int, tuple[str, int | None, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pk, name, parent_id, parent in _rows(_NAMES_SQL.format(ids=", ".join(["%s"] * len(chunk))), chunk):
            names[int(pk)] = (str(name), parent_id, str(parent or ""))  # type: ignore[call-overload,assignment]
    for gap in gaps:
        gap.unit_name, gap.department_id, gap.department_name = names.get(
            gap.unit_id, (f"（编号 {gap.unit_id}）", None, "")
        )


def rectifications(scope: Scope, filters: Filters, years: list[int], today: dt.date) -> dict[int, RectificationYear]:
    """整改事项 per year and state, and the overdue ones (待整改 with the due date passed). One unit's are read from
    the items themselves (a few dozen, by the owner index); otherwise from ``trends_rectificationtally``. Grade and
    rule set do not narrow them: an item belongs to a year's evaluation, not to its grade."""
    if not years:
        return {}
    out: dict[int, RectificationYear] = {}
    if filters.unit is not None:
        items = Rectification.objects.filter(scope.records(), owner_id=filters.unit, year__range=(years[0], years[-1]))
        if filters.department is not None:
            items = items.filter(department_id=filters.department)
        grouped = items.values_list("year", "state").annotate(
            n=Count("pk"), late=Count("pk", filter=Q(state=Rectification.State.OPEN, due_date__lt=today))
        )
        rows = [(year, state, n, late) for year, state, n, late in grouped.order_by()]
    else:
        where, params = _where(scope, filters, unit_level=False, graded=False)
        rows = _rows(
            "SELECT year, state, SUM(n), SUM(CASE WHEN due_date < %s THEN n ELSE 0 END) FROM trends_rectificationtally "
            f"WHERE {where} AND year >= %s AND year <= %s GROUP BY year, state",
            [today, *params, years[0], years[-1]],
        )
    for year, state, n, late in rows:
        entry = out.setdefault(int(year), RectificationYear(int(year)))  # type: ignore[call-overload]
        if int(n):  # type: ignore[call-overload]
            entry.states[str(state)] = entry.states.get(str(state), 0) + int(n)  # type: ignore[call-overload]
        entry.overdue += int(late) if state == Rectification.State.OPEN else 0  # type: ignore[call-overload]
    return out


def read(
    scope: Scope,
    filters: Filters,
    today: dt.date,
    *,
    gaps: bool = True,
    rectified: bool = True,
    gap_limit: int | None = GAP_ROWS_SHOWN,
) -> Trends:
    """The dashboard's figures for ``scope`` under ``filters``: every year's counts, and with ``gaps`` the first
    ``gap_limit`` units of the list (all for None), with ``rectified`` the 整改事项 (each page reads what it shows)."""
    counted = per_year(scope, filters)
    available = sorted(counted)
    years = _year_range(available, filters, today)
    listed, gap_count = [], 0
    if gaps:
        every_year = bool(available) and years[0] <= available[0] and years[-1] >= available[-1]
        listed, gap_count = unit_gaps(scope, filters, years, gap_limit, every_year=every_year)
    return Trends(
        years=years,
        available=available,
        per_year={y: counted[y] for y in years if y in counted},
        gaps=listed,
        gap_count=gap_count,
        rectifications=rectifications(scope, filters, years, today) if rectified else {},
        filters=filters,
    )
