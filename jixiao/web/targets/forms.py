"""The 申报表 form: a header (project, 年度总体目标, 资金) and a table of indicator rows, one 三级指标 a row.

Rows are plain inputs named ``row-<n>-<field>``; a bad row gets a Chinese message naming its number and field, and
nothing is saved until every row is right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from pydantic import ValidationError

from ...core.model import FundSource, ValueBasis
from ...core.targets.declaration import Comparator, Declaration
from ...io.errors import from_validation
from ...io.targets.data import load_review_grades, load_target_rules
from ..organisations.models import Organisation

#: the most rows one form takes (a 申报表 has some 10–30 三级指标)
MAX_ROWS = 80
#: blank rows offered below the filled ones
BLANK_ROWS = 5

FIRST_LEVELS = ("成本指标", "产出指标", "效益指标", "满意度指标")
BASIS_LABELS = {
    ValueBasis.PLAN: "计划标准",
    ValueBasis.INDUSTRY: "行业标准",
    ValueBasis.HISTORY: "历史标准",
    ValueBasis.OTHER: "其他标准",
}
#: the row's fields: name → label (as the column header and the error messages say it)
ROW_FIELDS = {
    "first": "一级指标",
    "second": "二级指标",
    "name": "三级指标",
    "comparator": "方向",
    "value": "指标值",
    "unit": "计量单位",
    "scale": "定性评价标准",
    "expected": "定性目标等级",
    "points": "分值",
    "basis": "设定依据",
    "last_year": "上年实际",
    "reason": "低于上年理由",
}
_TEXT = ("second", "name", "value", "unit", "scale", "expected", "points", "last_year", "reason")


def _kinds() -> list[tuple[str, str]]:
    return [("", "（一般项目）")] + [(k, k) for k in load_target_rules().cost_required.project_kinds]


class HeaderForm(forms.Form):
    unit = forms.ModelChoiceField(label="预算单位", queryset=Organisation.objects.none(), empty_label=None)
    name = forms.CharField(label="项目名称", max_length=300)
    code = forms.CharField(label="项目编码", max_length=64, required=False)
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="项目类别", required=False)
    public_facing = forms.BooleanField(label="面向社会公众提供服务（须设满意度指标）", required=False)
    start = forms.DateField(label="实施期开始", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="实施期结束", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overall_goal = forms.CharField(label="年度总体目标", widget=forms.Textarea(attrs={"rows": 3}))
    total_wan = forms.DecimalField(label="资金总额（万元）", min_value=0, max_digits=15, decimal_places=4)
    current_wan = forms.DecimalField(
        label="当年财政拨款（万元）", min_value=0, max_digits=15, decimal_places=4, required=False
    )
    carryover_wan = forms.DecimalField(
        label="上年结转资金（万元）", min_value=0, max_digits=15, decimal_places=4, required=False
    )
    other_wan = forms.DecimalField(
        label="其他资金（万元）", min_value=0, max_digits=15, decimal_places=4, required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.fields["kind"].choices = _kinds()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "实施期结束日期早于开始日期")
        return data


def header_initial(declaration: Declaration, unit: Organisation) -> dict[str, Any]:
    p = declaration.project
    amounts = {f.source: f.amount_wan for f in declaration.funds}
    return {
        "unit": unit,
        "name": p.name,
        "code": p.code or "",
        "year": p.year,
        "kind": p.kind or "",
        "public_facing": declaration.public_facing,
        "start": p.start,
        "end": p.end,
        "overall_goal": declaration.overall_goal,
        "total_wan": declaration.total_wan,
        "current_wan": amounts.get(FundSource.CURRENT),
        "carryover_wan": amounts.get(FundSource.CARRYOVER),
        "other_wan": amounts.get(FundSource.OTHER),
    }


@dataclass
class Rows:
    rows: list[dict[str, str]] = field(default_factory=list)  # as typed, for showing the form again
    errors: list[str] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)  # the tree, when there are no errors


def rows_of(declaration: Declaration) -> list[dict[str, str]]:
    """The declaration's leaves as form rows (text as typed)."""
    out = []
    for a in declaration.leaves():
        leaf = a.leaf
        out.append(
            {
                "first": a.first,
                "second": a.second,
                "name": leaf.name,
                "comparator": leaf.comparator.value,
                "value": _text(leaf.value),
                "unit": leaf.unit or "",
                "scale": leaf.scale or "",
                "expected": leaf.expected or "",
                "points": _text(leaf.points),
                "basis": leaf.value_basis.value if leaf.value_basis else "",
                "last_year": _text(leaf.last_year),
                "reason": leaf.below_last_year_reason or "",
            }
        )
    return out


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def with_blanks(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    blank = dict.fromkeys(ROW_FIELDS, "")
    return rows + [dict(blank) for _ in range(BLANK_ROWS)]


def _number(text: str, where: str, errors: list[str], minimum: Decimal | None = None) -> Decimal | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(f"{where}：“{text}”不是数字")
        return None
    if not value.is_finite():
        errors.append(f"{where}：“{text}”不是数字")
        return None
    if minimum is not None and value < minimum:
        errors.append(f"{where}：不能小于 {minimum}")
        return None
    return value


def read_rows(data: Mapping[str, Any]) -> Rows:
    """The indicator rows of a POST: typed rows, problems (第 n 行“字段”：…) and, when none, the tree."""
    out = Rows()
    tree: dict[str, dict[str, list[dict[str, Any]]]] = {}
    n = 0
    for i in range(MAX_ROWS):
        raw = {name: str(data.get(f"row-{i}-{name}", "")).strip() for name in ROW_FIELDS}
        if not any(raw[name] for name in _TEXT):
            continue
        n += 1
        out.rows.append(raw)
        where = f"第 {n} 行"
        errors = out.errors
        before = len(errors)
        for name in ("first", "second", "name", "comparator"):
            if not raw[name]:
                errors.append(f"{where}“{ROW_FIELDS[name]}”：不能为空")
        if raw["first"] and raw["first"] not in FIRST_LEVELS:
            errors.append(f"{where}“一级指标”：须为{'、'.join(FIRST_LEVELS)}之一（实际为“{raw['first']}”）")
        comparators = [c.value for c in Comparator]
        if raw["comparator"] and raw["comparator"] not in comparators:
            errors.append(f"{where}“方向”：须为{'、'.join(comparators)}之一（实际为“{raw['comparator']}”）")
        value = _number(raw["value"], f"{where}“指标值”", errors)
        points = _number(raw["points"], f"{where}“分值”", errors, Decimal(0))
        last_year = _number(raw["last_year"], f"{where}“上年实际”", errors)
        if raw["basis"] and raw["basis"] not in ValueBasis.__members__.values():
            errors.append(f"{where}“设定依据”：不是可选的设定依据")
        if raw["comparator"] and raw["comparator"] != Comparator.QUALITATIVE and raw["value"] == "":
            errors.append(f"{where}“指标值”：定量指标须填写指标值（定性指标请选“定性”并填写评价标准）")
        if points is None and raw["points"] == "":
            errors.append(f"{where}“分值”：不能为空")
        if len(errors) > before:
            continue
        leaf = {
            "name": raw["name"],
            "comparator": raw["comparator"],
            "value": value,
            "unit": raw["unit"] or None,
            "scale": raw["scale"] or None,
            "expected": raw["expected"] or None,
            "points": points,
            "value_basis": raw["basis"] or None,
            "last_year": last_year,
            "below_last_year_reason": raw["reason"] or None,
        }
        tree.setdefault(raw["first"], {}).setdefault(raw["second"], []).append(leaf)
    if n == 0:
        out.errors.append("绩效指标：至少填写一行三级指标")
    out.indicators = [
        {"name": first, "children": [{"name": second, "children": leaves} for second, leaves in seconds.items()]}
        for first, seconds in tree.items()
    ]
    return out


def build_declaration(header: dict[str, Any], rows: Rows) -> tuple[Declaration | None, list[str]]:
    """The declaration of a valid header and rows, or the problems (in Chinese, naming the field)."""
    funds = [
        {"source": source.value, "amount_wan": header[key]}
        for key, source in (
            ("current_wan", FundSource.CURRENT),
            ("carryover_wan", FundSource.CARRYOVER),
            ("other_wan", FundSource.OTHER),
        )
        if header.get(key) is not None
    ]
    unit: Organisation = header["unit"]
    data = {
        "project": {
            "name": header["name"],
            "year": header["year"],
            "unit": unit.name,
            "department": unit.parent.name if unit.parent else None,
            "code": header.get("code") or None,
            "kind": header.get("kind") or None,
            "start": header.get("start"),
            "end": header.get("end"),
        },
        "overall_goal": header["overall_goal"],
        "total_wan": header["total_wan"],
        "funds": funds,
        "public_facing": bool(header.get("public_facing")),
        "indicators": rows.indicators,
    }
    try:
        return Declaration.model_validate(data), []
    except ValidationError as err:
        return None, [str(from_validation(err, Declaration, "申报表"))]


class ReviewForm(forms.Form):
    """主管部门 审核: pass or return, with a comment (required to return)."""

    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FinanceReviewForm(forms.Form):
    grade = forms.ChoiceField(label="审核等级", widget=forms.RadioSelect)
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [(g.grade, f"{g.grade}：{g.consequence}") for g in load_review_grades().grades]


class AdjustForm(forms.Form):
    indicator = forms.ChoiceField(label="指标")
    comparator = forms.ChoiceField(label="方向", choices=[(c.value, c.value) for c in Comparator])
    value = forms.DecimalField(label="新的指标值", required=False, max_digits=18, decimal_places=4)
    unit = forms.CharField(label="计量单位", required=False, max_length=20)
    expected = forms.CharField(label="定性目标等级", required=False, max_length=20)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, declaration: Declaration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (f"{a.first}|{a.second}|{a.leaf.name}", f"{a.path}（现为 {a.leaf.target_text()}）")
            for a in declaration.leaves()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("comparator") and data["comparator"] != Comparator.QUALITATIVE and data.get("value") is None:
            self.add_error("value", "定量指标须填写新的指标值")
        if data.get("comparator") == Comparator.QUALITATIVE and not (data.get("expected") or "").strip():
            self.add_error("expected", "定性指标须填写目标等级")
        return data

    def path(self) -> tuple[str, str, str]:
        first, second, name = self.cleaned_data["indicator"].split("|", 2)
        return first, second, name
