"""项目资金: one row per fund source (budget, up to two arrivals shown, execution) and the allocations."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, ClassVar

from ....core.model import FUND_SOURCE_LABELS
from ....core.values import fmt
from .base import (
    AmountField,
    Document,
    PartEditor,
    RowForm,
    Section,
    choice,
    date,
    integer,
    rows,
    text,
)

SOURCE_CHOICES = [(source.value, label) for source, label in FUND_SOURCE_LABELS.items()]
#: arrivals shown per row; further arrivals of imported data are kept as they are
SHOWN_ARRIVALS = 2


class FundRowForm(RowForm):
    below: ClassVar[tuple[str, ...]] = ("detail", "explanation")

    source = choice("资金来源", SOURCE_CHOICES, required=True, initial="current")
    initial_budget_wan = AmountField(label="年初预算数（万元）")
    annual_budget_wan = AmountField(label="全年预算数（万元）", required=True)
    arrival1_amount_wan = AmountField(label="实际到位金额（万元）")
    arrival1_date = date("到位日期")
    arrival2_amount_wan = AmountField(label="第二笔到位金额（万元）")
    arrival2_date = date("第二笔到位日期")
    executed_wan = AmountField(label="全年执行数（万元）")
    detail = text("来源说明")
    explanation = text("差异说明", area=True, rows=2)

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        initial = dict(item)
        for n, arrival in enumerate((item.get("arrivals") or [])[:SHOWN_ARRIVALS], start=1):
            initial[f"arrival{n}_amount_wan"] = arrival.get("amount_wan")
            initial[f"arrival{n}_date"] = arrival.get("date")
        return initial

    def kept_arrivals(self) -> list[dict[str, Any]]:
        """Arrivals beyond the ones shown: not editable here, kept unchanged."""
        return list((self.original().get("arrivals") or [])[SHOWN_ARRIVALS:])

    def row_note(self) -> str:
        stored = self.original().get("arrivals") or []
        notes = [f"第 {n} 笔到位说明：{a['note']}" for n, a in enumerate(stored[:SHOWN_ARRIVALS], 1) if a.get("note")]
        kept = self.kept_arrivals()
        if kept:
            total = sum((Decimal(str(a["amount_wan"])) for a in kept), Decimal(0))
            notes.append(f"另有 {len(kept)} 笔到位记录（共 {fmt(total)} 万元）在此不显示，保持不变")
        return "；".join(notes)

    def arrivals(self) -> list[dict[str, Any]]:
        stored = self.original().get("arrivals") or []
        out = []
        for n in range(1, SHOWN_ARRIVALS + 1):
            amount = self.cleaned_data.get(f"arrival{n}_amount_wan")
            if amount is None:
                continue
            arrival = {"amount_wan": amount, "date": self.cleaned_data.get(f"arrival{n}_date")}
            if n <= len(stored) and stored[n - 1].get("note"):
                arrival["note"] = stored[n - 1]["note"]
            out.append(arrival)
        return out + copy.deepcopy(self.kept_arrivals())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, SHOWN_ARRIVALS + 1):
            if (
                data.get(f"arrival{n}_date")
                and data.get(f"arrival{n}_amount_wan") is None
                and not self.has_error(f"arrival{n}_amount_wan")
            ):
                self.add_error(f"arrival{n}_amount_wan", "填写了到位日期，请同时填写到位金额")
        if any(self.has_error(f"arrival{n}_amount_wan") for n in range(1, SHOWN_ARRIVALS + 1)):
            return data
        arrivals = self.arrivals()
        executed = data.get("executed_wan")
        if arrivals and executed is not None and not data.get("explanation"):
            arrived = sum((Decimal(str(a["amount_wan"])) for a in arrivals), Decimal(0))
            if executed > arrived:
                self.add_error(
                    "executed_wan",
                    f"全年执行数（{fmt(executed)} 万元）大于实际到位金额（{fmt(arrived)} 万元），"
                    "请核实或在差异说明中写明其他资金来源",
                )
        return data

    def item(self) -> dict[str, Any]:
        data = self.cleaned_data
        item = copy.deepcopy(self.original())
        item.update(
            source=data["source"],
            detail=data.get("detail"),
            initial_budget_wan=data.get("initial_budget_wan"),
            annual_budget_wan=data["annual_budget_wan"],
            arrivals=self.arrivals(),
            executed_wan=data.get("executed_wan"),
            explanation=data.get("explanation"),
        )
        return item


class AllocationForm(RowForm):
    recipient = text("接收单位/对象", required=True)
    amount_wan = AmountField(label="金额（万元）", required=True)
    purpose = text("用途")
    count = integer("项目数")


class FundsEditor(PartEditor):
    slug: ClassVar[str] = "funds"
    title: ClassVar[str] = "项目资金"

    def build(self) -> list[Section]:
        self.funds = rows(FundRowForm, prefix="funds", data=self.data, items=self.document.get("funds") or [])
        self.allocations = rows(
            AllocationForm, prefix="allocations", data=self.data, items=self.document.get("allocations") or []
        )
        return [
            Section(
                "资金来源",
                self.funds,
                "金额单位为万元，也可写“1530000元”。全年执行数大于实际到位金额时，须在差异说明中写明其他资金来源。",
            ),
            Section("资金分配", self.allocations, "资金分配给下级单位或对象的情况（可不填）。"),
        ]

    def updated(self) -> Document:
        return {"funds": self.funds.items(), "allocations": self.allocations.items()}
