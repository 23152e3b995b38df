"""The dashboard's filters: year range, 主管部门 (for whoever reaches several), unit, grade, rule set, and the gap
threshold of the unit list. A value outside the reader's reach is an invalid choice, shown as an error and not
applied, so no filter ever widens the scope."""

from __future__ import annotations

import functools
from decimal import Decimal
from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe

from ...io.catalogue import load_rules, shipped_ids
from .access import Scope, units_of
from .figures import GAP_THRESHOLD, GRADE_LABELS, GRADES, UNSCORED, Filters


class FastSelect(forms.Select):
    """A select written out directly: a 财政局's hundred 主管部门 through Django's option machinery (a dictionary and
    an attribute set per option) cost more than the figures on the page. The same markup; every value escaped."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = "" if value is None else str(value)
        attributes = self.build_attrs(self.attrs, attrs)
        extra = "".join(f' {escape(k)}="{escape(str(v))}"' for k, v in attributes.items() if v not in (None, False))
        options = "".join(
            f'\n  <option value="{escape(str(v))}"{" selected" if str(v) == chosen else ""}>{escape(str(label))}</option>'
            for v, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{extra}>{options}\n</select>')  # every value escaped


@functools.cache
def _rule_choices() -> list[tuple[str, str]]:
    """The shipped rule sets (they change with the code, not while it runs)."""
    return [(rule_id, f"{rule_id}（{load_rules(rule_id).name}）") for rule_id in shipped_ids("rules")]


class TrendFilterForm(forms.Form):
    year_from = forms.IntegerField(label="起始年度", required=False, min_value=2000, max_value=2100, widget=FastSelect)
    year_to = forms.IntegerField(label="截止年度", required=False, min_value=2000, max_value=2100, widget=FastSelect)
    department = forms.TypedChoiceField(
        label="主管部门", required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    unit = forms.TypedChoiceField(label="预算单位", required=False, coerce=int, empty_value=None, widget=FastSelect)
    grade = forms.ChoiceField(
        label="计算等级",
        required=False,
        choices=[("", "全部等级"), *((g, g) for g in GRADES), (UNSCORED, GRADE_LABELS[UNSCORED])],
        widget=FastSelect,
    )
    rules = forms.ChoiceField(label="评分规则", required=False, widget=FastSelect)
    gap = forms.DecimalField(
        label="偏高阈值（分）",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "number"}),
    )

    def __init__(self, data: Any, *, scope: Scope, departments: list[tuple[int, str]]) -> None:
        """``departments``: the 主管部门 within the reader's reach (``Scope.places``)."""
        super().__init__(data)
        self.scope = scope
        self.fields["rules"].choices = [("", "全部评分规则"), *_rule_choices()]
        self.fields["gap"].widget.attrs["placeholder"] = str(GAP_THRESHOLD)
        chosen = self._raw_int("department")
        if scope.sees_departments:
            self.fields["department"].choices = [("", "全部主管部门"), *departments]
        else:
            del self.fields["department"]
        if scope.sees_departments and chosen not in {pk for pk, _ in departments}:
            self.fields["unit"].choices = [("", "全部单位（先选择主管部门）")]
        else:
            parents = [chosen] if scope.sees_departments and chosen is not None else [pk for pk, _ in departments]
            self.fields["unit"].choices = [("", "全部单位"), *units_of(parents)]

    def _raw_int(self, name: str) -> int | None:
        try:
            return int(self.data.get(name, ""))
        except (TypeError, ValueError):
            return None

    def filters(self) -> Filters:
        """The filters that passed validation (an invalid one is left out: it shows as an error)."""
        self.is_valid()
        data = self.cleaned_data
        gap = data.get("gap")
        return Filters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            department=data.get("department"),
            unit=data.get("unit"),
            grade=data.get("grade") or None,
            rules=data.get("rules") or None,
            gap_threshold=gap if gap is not None else GAP_THRESHOLD,
        )

    def show_years(self, available: list[int], shown: list[int]) -> None:
        """Offer the years with data (and those shown) and select the range shown."""
        years = sorted(set(available) | set(shown))
        for name in ("year_from", "year_to"):
            self.fields[name].widget.choices = [(y, f"{y}年") for y in years]
        if shown:  # the form is always bound (to the query string, perhaps empty), and already cleaned
            data = self.data.copy()
            data["year_from"], data["year_to"] = str(shown[0]), str(shown[-1])
            self.data = data
