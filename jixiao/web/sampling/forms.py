from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from ..organisations.models import Organisation


class DrawForm(forms.Form):
    finance = forms.ModelChoiceField(label="财政局", queryset=Organisation.objects.none(), empty_label=None)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    size_kind = forms.ChoiceField(label="抽取规模", choices=[("pct", "按比例（%）"), ("count", "按数量（个）")])
    size = forms.DecimalField(label="比例或数量", min_value=Decimal("0.01"), max_digits=9, decimal_places=2)
    minimum_per_department = forms.IntegerField(label="每个主管部门至少（个）", min_value=0, initial=1)
    random_share_pct = forms.DecimalField(
        label="其中随机抽取（%）", min_value=0, max_value=100, max_digits=5, decimal_places=2, initial=20
    )
    seed = forms.IntegerField(
        label="随机种子", required=False, min_value=0, max_value=2**62,
        help_text="留空则随机生成并记录；同一年度、同样条件和同一种子，抽取结果完全相同",
    )  # fmt: skip

    def __init__(self, *args: Any, finances: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finance"].queryset = finances
        if finances.count() == 1:
            self.fields["finance"].initial = finances.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        size = data.get("size")
        if size is not None and data.get("size_kind") == "pct" and size > 100:
            self.add_error("size", "按比例抽取时，比例须在 0 到 100 之间")
        if size is not None and data.get("size_kind") == "count" and size != size.to_integral_value():
            self.add_error("size", "按数量抽取时，数量须为整数")
        return data
