"""Read a 附1 项目支出绩效自评表 back into an evaluation: one jixiao wrote or the official one filled by hand.

What round-trips (write, then :func:`read_selfeval_table`, gives the same model): project name, year,
主管部门, 实施单位; one fund row per source with 年初预算数, 全年预算数, 全年执行数; the overall goals'
预期目标 and 实际完成情况; the indicator tree (names, points of every node, 年度指标值, 实际完成值,
claimed score, 偏差原因); ``claims.total_score``; the fund block's 得分 (预算执行率) as
``claims.execution_score``, left empty when the table has none; the evaluation's framework and rule-set
ids (kept in the workbook's custom properties ``jixiao.framework`` and ``jixiao.rules``).

What 附1 does not hold, so import leaves it empty or default: arrivals (附1 has no 实际到位 column) and
their dates, so ``arrivals`` is empty and 到位率 cannot be computed from an imported table; a fund row's
``detail`` and ``explanation`` (several rows of one source are written as their sum and come back as
one row); allocations; phase goals and goal titles; indicator kind, fund measure, evidence, value
basis, survey link, the not-applicable flag and claimed scores of parent nodes; outputs; surveys;
project background, basis documents, content and the expected input; organisation; narrative; every
claim except the total and execution scores (and, for tables not written by jixiao, the stated fund totals
below).

Import is tolerant of the official table filled by hand: header cells are found by their text
("项目名称", "主管部门", "实施单位", "年度资金总额", "全年预算数", "预期目标", "一级指标", "年度指标值",
"总分"…) rather than fixed coordinates; 当年财政拨款 or 本年财政拨款; amounts as numbers or text with a
unit ("50.00万元"), in 元 when the fund block says "（元）"; rates as "65.36%", 0.6536 or 65.36; parent
names carried down by merged cells or left blank under the first row; spaces inside Chinese names
("产 出 指 标") removed; "（50分）" after a parent's name read as its points. A table not written by
jixiao has its 年度资金总额 全年预算数, 全年执行数 and 执行率 taken as the unit's statements
(``claims.budget_wan``, ``spent_wan``, ``execution_rate_pct``, with the cell in ``claims.quotes``), so the
checks compare them with the rows; a jixiao table's fund block is its own computation and is ignored.
A table that names no framework gets the shipped framework that fits its depth and its execution 分值.
Bad input raises :class:`InputError` naming the file and ``sheet!cell``. A file that is not a workbook at all
(empty, locked with a password, another type under an .xlsx name, damaged, a “zip bomb”) is refused in the words
every other path uses (``io.audit.read.office_refusal``, ``readers.base.corrupt``), a bomb before it is expanded.
A score above its points is not an input error: it is a finding for the checks.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import ValidationError

from ...core.model import Claims, Evaluation, FundRow, FundSource, Goal, GoalKind, Indicator, Project
from ...core.values import normalise
from ..audit.read import office_refusal
from ..audit.readers.base import OLE_MAGIC, corrupt
from ..errors import InputError, from_validation
from .selfeval_grid import DASHES, _clean_name, _compact, _Grid
from .selfeval_layout import LEVEL_NAMES, META_FRAMEWORK, META_RULES

_POINTS_SUFFIX = re.compile(r"^(.*?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")
_PLACEHOLDER = re.compile(r"^(?:[.…。·、]+|指标\d*[:：]?)$")
_NUMBERED = re.compile(r"^指标\d+[:：]\s*")
_GRADE = re.compile(r"^(优|良|中|差)(?:秀|好|等)?$")


def read_selfeval_table(path: Path | str) -> Evaluation:
    """An evaluation from a 附1 自评表 (ours or the official one filled by hand); see the module docstring."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", path)
    # empty, locked, not a workbook, or a “zip bomb”: in the words of every other path, before openpyxl expands it
    if problem := office_refusal(path):
        raise InputError(problem, path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception:  # openpyxl raises zip, XML, key and its own errors for a damaged file
        with path.open("rb") as stream:
            legacy = stream.read(len(OLE_MAGIC)) == OLE_MAGIC  # not locked: office_refusal has said that
        if legacy:
            raise InputError("是旧版 .xls 格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传", path) from None
        raise corrupt(path, ".xlsx") from None

    grid = None
    for ws in wb.worksheets:
        candidate = _Grid(ws, path)
        header = candidate.find(lambda t: t.startswith("一级指标"))
        if header is not None:
            grid = candidate
            break
    if grid is None:
        first = _Grid(wb.worksheets[0], path)
        raise InputError("找不到“一级指标”表头，不是项目支出绩效自评表", path, first.area())
    assert header is not None

    meta = {p.name: p.value for p in getattr(wb.custom_doc_props, "props", [])}
    ours = META_FRAMEWORK in meta
    project = _read_project(grid, header[0])
    funds, claims = _read_funds(grid, header[0], stated=not ours)
    goals = _read_goals(grid, header[0])
    indicators, total_row = _read_indicators(grid, header)
    _read_total(grid, total_row, header, claims)
    execution_points = claims.pop("_points")
    framework = str(meta.get(META_FRAMEWORK) or _guess_framework(indicators, execution_points))
    rules = str(meta.get(META_RULES) or "mof-2020")
    try:
        return Evaluation(
            project=project,
            framework=framework,
            rules=rules,
            funds=funds,
            goals=goals,
            indicators=indicators,
            claims=Claims.model_validate(claims),
        )
    except ValidationError as err:
        raise from_validation(err, Evaluation, path) from None


def _read_project(grid: _Grid, header_row: int) -> Project:
    rows = range(1, header_row)
    found = grid.find(lambda t: t.startswith("项目名称"), rows)
    if found is None:
        raise InputError("缺少“项目名称”：找不到“项目名称”单元格", grid.path, grid.area(header_row - 1))
    name = _labelled(grid, found, "项目名称")
    if not name:
        r = found[0]
        where = grid.extents.get(found, found)[1] + 1
        raise grid.error("缺少项目名称：“项目名称”右侧的单元格为空", r, where)

    department = unit = None
    if (cell := grid.find(lambda t: t.startswith("主管部门"), rows)) is not None:
        department = _labelled(grid, cell, "主管部门")
    if (cell := grid.find(lambda t: t.startswith("实施单位"), rows)) is not None:
        unit = _labelled(grid, cell, "实施单位")

    # the year: in the title rows above 项目名称 first, then anywhere before the indicators but the name itself
    name_cell = grid.right_of(*found)
    year = None
    for rows_searched in (range(1, found[0]), range(1, header_row)):
        year = next(
            (
                int(match.group(1))
                for r in rows_searched
                for c in grid.starts_in_row(r)
                if (r, c) != name_cell and (match := re.search(r"(\d{4})\s*年度", normalise(str(grid.own(r, c)))))
            ),
            None,
        )
        if year is not None:
            break
    if year is None or not 2000 <= year <= 2100:
        found_year = "" if year is None else f"（表中为 {year}）"
        raise grid.error(f"找不到有效的评价年度{found_year}：标题下应写“（2022年度）”", max(found[0] - 1, 1), 1)
    return Project(name=name, year=year, department=department, unit=unit)


def _labelled(grid: _Grid, cell: tuple[int, int], label: str) -> str | None:
    """The text after a label: in the same cell ("项目名称：X") or in the next filled cell to the right."""
    own = normalise(str(grid.own(*cell)))
    rest = re.sub(r"^\s*" + r"\s*".join(label) + r"\s*[:：]?\s*", "", own).strip()
    if rest:
        return _clean_name(rest)
    target = grid.right_of(*cell)
    if target is None:
        return None
    text = grid.text(*target)
    return _clean_name(text) if text else None


def _fund_key(text: str) -> str | None:
    if "年初预算" in text:
        return "initial"
    if "全年预算" in text or "调整后预算" in text:
        return "budget"
    if "执行率" in text:
        return "rate"
    if "执行数" in text or "全年执行" in text:
        return "executed"
    if "分值" in text:
        return "points"
    if "得分" in text:
        return "score"
    return None


def _source_of(text: str) -> FundSource | None:
    if "财政拨款" in text:  # 当年财政拨款, 本年财政拨款
        return FundSource.CURRENT
    if "结转" in text:
        return FundSource.CARRYOVER
    if "其他资金" in text:
        return FundSource.OTHER
    return None


def _read_funds(grid: _Grid, header_row: int, *, stated: bool) -> tuple[list[FundRow], dict[str, Any]]:
    total = grid.find(lambda t: t.startswith(("年度资金总额", "资金总额")), range(1, header_row))
    if total is None:
        raise InputError("缺少项目资金部分：找不到“年度资金总额”行", grid.path, grid.area(header_row - 1))
    rt, ct = total
    cols: dict[str, int] = {}
    head_row = None
    for r in range(rt - 1, max(rt - 5, 0), -1):
        found = {key: c for c in reversed(grid.starts_in_row(r)) if (key := _fund_key(grid.label(r, c)))}
        if "budget" in found:
            cols, head_row = found, r
            break
    if head_row is None:
        raise grid.error("项目资金部分找不到“全年预算数”表头", max(rt - 1, 1), ct)

    # amounts are in 万元 unless the block says （元）
    unit = "万元"
    for r in range(head_row - 1, rt + 5):
        for c in grid.starts_in_row(r):
            if "(元)" in grid.label(r, c):
                unit = "元"

    first_amount = min(cols.values())
    rows: list[FundRow] = []
    for r in range(rt + 1, rt + 6):
        label = "".join(grid.label(r, c) for c in grid.starts_in_row(r) if c < first_amount)
        if any(word in label for word in ("目标", "指标")):
            break
        source = _source_of(label)
        if source is None:
            continue
        initial = grid.amount(r, cols.get("initial"), f"{label}年初预算数", unit)
        budget = grid.amount(r, cols.get("budget"), f"{label}全年预算数", unit)
        executed = grid.amount(r, cols.get("executed"), f"{label}全年执行数", unit)
        if initial is None and budget is None and executed is None:
            continue
        if budget is None:
            raise grid.error(f"{label}填有金额，但缺少全年预算数", r, cols["budget"])
        rows.append(FundRow(source=source, initial_budget_wan=initial, annual_budget_wan=budget, executed_wan=executed))

    total_initial = grid.amount(rt, cols.get("initial"), "年度资金总额年初预算数", unit)
    total_budget = grid.amount(rt, cols.get("budget"), "年度资金总额全年预算数", unit)
    total_spent = grid.amount(rt, cols.get("executed"), "年度资金总额全年执行数", unit)
    if not rows and total_budget is not None:
        rows.append(
            FundRow(
                source=FundSource.CURRENT,
                detail="表中只填了年度资金总额，未分资金来源，按当年财政拨款录入",
                initial_budget_wan=total_initial,
                annual_budget_wan=total_budget,
                executed_wan=total_spent,
            )
        )
    claims: dict[str, Any] = {"quotes": {}, "_points": grid.score(rt, cols.get("points"), "年度资金总额分值")}
    execution_score = grid.score(rt, cols.get("score"), "年度资金总额得分")
    if execution_score is not None:
        claims["execution_score"] = execution_score
    if stated:
        rate = grid.rate(rt, cols.get("rate"), "年度资金总额执行率")
        for key, value, col in (
            ("budget_wan", total_budget, cols.get("budget")),
            ("spent_wan", total_spent, cols.get("executed")),
            ("execution_rate_pct", rate, cols.get("rate")),
        ):
            if value is not None and col is not None:
                claims[key] = f"{value:f}%" if key == "execution_rate_pct" else value
                claims["quotes"][key] = f"{grid.ref(rt, col)}：{grid.text(rt, col)}"
    return rows, claims


def _read_goals(grid: _Grid, header_row: int) -> list[Goal]:
    head = grid.find(lambda t: "预期目标" in t or "设定目标" in t, range(1, header_row))
    if head is None:
        return []
    rg, expected_col = head
    actual_col = next((c for c in grid.starts_in_row(rg) if c > expected_col and "完成情况" in grid.label(rg, c)), None)
    goals = []
    for r in range(rg + 1, header_row):
        if any(grid.label(r, c).startswith("一级指标") for c in grid.starts_in_row(r)):
            break
        expected = grid.text(r, expected_col)
        actual = grid.text(r, actual_col)
        if expected is None and actual is None:
            continue
        goals.append(Goal(kind=GoalKind.OVERALL, expected=expected or "", actual=actual))
    return goals


def _indicator_key(text: str) -> str | None:
    if "原因" in text or "改进措施" in text:
        return "reason"
    if "指标值" in text or "目标值" in text:
        return "target"
    if "实际" in text or "完成值" in text:
        return "actual"
    if "分值" in text or text == "权重":
        return "points"
    if "得分" in text:
        return "score"
    return None


def _level_name(value: object) -> str | None:
    if value is None:
        return None
    text = _clean_name(normalise(str(value)))
    text = _NUMBERED.sub("", text)
    if not text or _PLACEHOLDER.match(text) or text in DASHES:
        return None
    return text


def _read_indicators(grid: _Grid, header: tuple[int, int]) -> tuple[list[Indicator], int | None]:
    """The indicator tree from the level columns, and the row of 总分 (if any)."""
    rh, c1 = header
    cols: dict[str, int] = {}
    for c in range(c1 + 1, grid.max_col + 1):
        key = _indicator_key(_compact(grid.value(rh, c)))
        if key and key not in cols:
            cols[key] = c
    if not cols:
        raise grid.error("“一级指标”所在行找不到“年度指标值”“分值”“得分”等表头，不是项目支出绩效自评表", rh, c1)
    level_cols = list(range(c1, min(cols.values())))

    roots: list[dict[str, Any]] = []
    stack: list[tuple[tuple[int, int], dict[str, Any]]] = []
    total_row = None
    r = rh
    while r < grid.max_row:
        r += 1
        labels = [grid.label(r, c) for c in grid.starts_in_row(r)]
        if any(t.startswith("总分") for t in labels):
            total_row = r
            break
        if any(t.startswith("其他需要说明") for t in labels):
            total_row = next(
                (
                    rr
                    for rr in range(r, grid.max_row + 1)
                    if any(grid.label(rr, c).startswith("总分") for c in grid.starts_in_row(rr))
                ),
                None,
            )
            break

        names: list[tuple[tuple[int, int], str] | None] = []
        for c in level_cols:
            origin = grid.origin(r, c)
            name = _level_name(grid.values.get(origin)) if origin[1] == c else None
            names.append((origin, name) if name else None)
        data = {
            "target": grid.text(r, cols.get("target")),
            "actual": grid.text(r, cols.get("actual")),
            "points": grid.score(r, cols.get("points"), "分值"),
            "claimed_score": grid.score(r, cols.get("score"), "得分"),
            "deviation_reason": grid.text(r, cols.get("reason")),
        }
        filled = [i for i, n in enumerate(names) if n is not None]
        if not filled:
            if any(v is not None for v in data.values()):
                raise grid.error("该行填有指标数据，但没有指标名称", r, c1)
            continue
        deepest = filled[-1]
        for i in range(deepest):
            if names[i] is None:  # left blank under the first row of a parent: the parent above continues
                if i >= len(stack):
                    raise grid.error(f"缺少{LEVEL_NAMES[min(i, 3)]}名称", r, level_cols[i])
                names[i] = (stack[i][0], stack[i][1]["name"])

        for i in range(deepest + 1):
            key, name = names[i]  # type: ignore[misc]
            if i < len(stack) and stack[i][0] == key:
                continue
            del stack[i:]
            node: dict[str, Any] = {"name": name, "children": []}
            (stack[i - 1][1]["children"] if i else roots).append(node)
            stack.append((key, node))
        del stack[deepest + 1 :]
        leaf = stack[deepest][1]
        for field, value in data.items():
            if value is not None and leaf.get(field) is None:
                leaf[field] = value

    deepest_level = max((_depth(node) for node in roots), default=0)
    return [_to_indicator(node) for node in _prune(roots, 1, deepest_level)], total_row


_DATA_FIELDS = ("points", "target", "actual", "claimed_score", "deviation_reason")


def _depth(node: dict[str, Any]) -> int:
    return 1 + max((_depth(child) for child in node["children"]), default=0)


def _prune(nodes: list[dict[str, Any]], level: int, deepest: int) -> list[dict[str, Any]]:
    """Drop the official template's unfilled category rows ("生态效益指标" over "……"): a node above the
    deepest level with neither children nor any figure or text. A named leaf at the deepest level stays."""
    kept = []
    for node in nodes:
        node["children"] = _prune(node["children"], level + 1, deepest)
        if node["children"] or level == deepest or any(node.get(f) is not None for f in _DATA_FIELDS):
            kept.append(node)
    return kept


def _to_indicator(node: dict[str, Any]) -> Indicator:
    children = [_to_indicator(child) for child in node.pop("children")]
    if children:
        match = _POINTS_SUFFIX.match(node["name"])
        if match and match.group(1):
            node["name"] = match.group(1)
            node["points"] = Decimal(match.group(2))
    return Indicator(**node, children=children)


def _read_total(grid: _Grid, total_row: int | None, header: tuple[int, int], claims: dict[str, Any]) -> None:
    if total_row is None:
        return
    score_col = next(
        (c for c in range(header[1] + 1, grid.max_col + 1) if "得分" in _compact(grid.value(header[0], c))), None
    )
    value = grid.score(total_row, score_col, "总分")
    if value is not None:
        claims["total_score"] = value
    for c in grid.starts_in_row(total_row):
        if _GRADE.match(grid.label(total_row, c)):
            claims["grade"] = grid.label(total_row, c)


def _guess_framework(indicators: list[Indicator], funds_points: Decimal | None) -> str:
    """The shipped framework with enough levels whose execution 分值 matches the table's, fewest levels first."""
    from ..catalogue import load_framework, shipped_ids

    depth = max((len(path) for root in indicators for path, _ in root.walk()), default=1)
    candidates = [load_framework(fid) for fid in shipped_ids("frameworks")]
    fitting = [f for f in candidates if f.levels >= depth]
    if funds_points is not None:
        fitting = [f for f in fitting if f.execution_points == funds_points] or fitting
    if not fitting:
        return "mof-selfeval"
    return min(fitting, key=lambda f: (f.levels, f.execution_points == 0, f.id)).id
