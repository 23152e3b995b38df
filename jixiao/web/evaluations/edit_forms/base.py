"""What every part editor shares: fields that speak Chinese, row formsets that keep what they do not show,
and the editor protocol the view drives (build forms → validate → new document → save once).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from pydantic import ValidationError as ModelError

from ....core.model import Evaluation
from ....core.values import ValueProblem, parse_amount, parse_percent, to_decimal
from ....io.errors import _PYDANTIC_ZH, field_label, too_long

Document = dict[str, Any]

NUMBER_MESSAGE = "请输入数字"
AMOUNT_MESSAGE = "请输入数字（单位万元），如“153”，也可写“153万元”或“1530000元”"
NEGATIVE_AMOUNT_MESSAGE = "金额不能为负数"
DATE_MESSAGE = "请输入日期，如 2022-06-30"
REQUIRED = {"required": "此项必填"}


class EditRefused(Exception):
    """A structural change that cannot be made (e.g. a fifth indicator level); the message is Chinese."""


# --------------------------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------------------------


def text(label: str, *, required: bool = False, area: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    """A text field; blank becomes ``None`` so the document keeps ``null`` rather than ``""``."""
    widget = kwargs.pop("widget", None) or (forms.Textarea(attrs={"rows": rows}) if area else forms.TextInput())
    return forms.CharField(
        label=label, required=required, empty_value=None, widget=widget, error_messages=REQUIRED, **kwargs
    )


class _DecimalText(forms.CharField):
    """A text box read as a number by ``to_python``; blank becomes ``None``."""

    css_class = ""
    size = 6

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        attrs = {"size": self.size, "inputmode": "decimal", "class": self.css_class}
        super().__init__(
            label=label,
            required=required,
            empty_value=None,
            widget=forms.TextInput(attrs=attrs),
            error_messages=REQUIRED,
            **kwargs,
        )


class AmountField(_DecimalText):
    """An amount in 万元: ``153``, ``153万元`` or ``1530000元`` (read by :func:`parse_amount`); never negative."""

    css_class = "amount"
    size = 9

    def to_python(self, value: Any) -> Decimal | None:
        raw = super().to_python(value)
        if raw is None:
            return None
        try:
            return parse_amount(raw, what=str(self.label))
        except ValueProblem as exc:
            if "负数" in str(exc):
                raise ValidationError(NEGATIVE_AMOUNT_MESSAGE, code="negative") from None
            raise ValidationError(AMOUNT_MESSAGE, code="invalid") from None


class NumberField(_DecimalText):
    """A plain decimal number (points, scores, counts), optionally bounded."""

    css_class = "number"

    def __init__(
        self,
        *,
        label: str,
        required: bool = False,
        min_value: int | None = None,
        max_value: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(label=label, required=required, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        raw = super().to_python(value)
        if raw is None:
            return None
        try:
            number = to_decimal(raw, what=str(self.label))
        except ValueProblem:
            raise ValidationError(NUMBER_MESSAGE, code="invalid") from None
        if self.min_value == 0 and number < 0:
            raise ValidationError("不能为负数", code="min_value")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(f"不能小于 {self.min_value}", code="min_value")
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(f"不能大于 {self.max_value}", code="max_value")
        return number


def integer(label: str, *, required: bool = False, min_value: int = 0, max_value: int | None = None) -> forms.Field:
    messages = {
        **REQUIRED,
        "invalid": "请输入数字（整数）",
        "min_value": "不能为负数" if min_value == 0 else "不能小于 %(limit_value)s",
        "max_value": "不能大于 %(limit_value)s",
    }
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages=messages,
        widget=forms.TextInput(attrs={"size": 6, "inputmode": "numeric", "class": "number"}),
    )


class PercentField(forms.CharField):
    """A rate written with a % sign; :func:`parse_percent` explains in Chinese what is wrong otherwise."""

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=required,
            empty_value=None,
            error_messages=REQUIRED,
            widget=forms.TextInput(attrs={"size": 9, "placeholder": "如 98.50%"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:
        raw = super().to_python(value)
        if raw is None:
            return None
        try:
            return parse_percent(raw, what=str(self.label))
        except ValueProblem as exc:
            raise ValidationError(str(exc), code="invalid") from None


def date(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        error_messages={**REQUIRED, "invalid": DATE_MESSAGE},
        # a text box, not type=date: the browser would draw that in its own language (「mm/dd/yyyy」 in English)
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "如 2022-06-30", "size": 11, "class": "date"}),
    )


def choice(
    label: str, choices: list[tuple[str, str]], *, required: bool = False, initial: str | None = None
) -> forms.Field:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        initial=initial,
        error_messages={**REQUIRED, "invalid_choice": "请从列表中选择"},
    )


def flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class LinesField(forms.CharField):
    """A list of strings edited as a text area, one item per line; blank lines are dropped."""

    def __init__(self, *, label: str, rows: int = 4, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)
        if not self.help_text and "每行" not in label:
            self.help_text = "每行一项"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        raw = super().to_python(value) or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(self.prepare_value(initial)) != self.to_python(data)


class RevisionForm(forms.Form):
    """The revision the user opened; a save against any other revision is refused by ``services.save``."""

    revision = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "缺少版本号，请刷新页面后重试"})


# --------------------------------------------------------------------------------------------
# Rows: one form per list item, keeping the keys the form does not show
# --------------------------------------------------------------------------------------------


class RowForm(forms.Form):
    """One item of a list part. ``origin`` is the item's index in the stored list, so keys the form does not
    show survive the edit; ``below`` names fields drawn on a second table row (long texts)."""

    below: ClassVar[tuple[str, ...]] = ()
    origin = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, originals: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.originals = originals or []

    @classmethod
    def initial_for(cls, item: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from a stored item (override when the form flattens nested data)."""
        return item

    def original(self) -> dict[str, Any]:
        """The stored item this row edits ({} for a new row)."""
        value = self["origin"].value()
        try:
            index = int(value)
        except (TypeError, ValueError):
            return {}
        return self.originals[index] if 0 <= index < len(self.originals) else {}

    def main_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in self.below]

    def below_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name in self.below]

    def row_note(self) -> str:
        """A remark shown under the row (e.g. data kept but not editable here)."""
        return ""

    def item(self) -> dict[str, Any]:
        """The list item after the edit: the stored one with the form's fields replaced."""
        values = {k: v for k, v in self.cleaned_data.items() if k not in ("origin", "DELETE")}
        return {**copy.deepcopy(self.original()), **values}


class RowFormSet(BaseFormSet):
    def items(self) -> list[dict[str, Any]]:
        """The edited list, in display order: deleted rows and untouched blank rows left out."""
        deleted = set(map(id, self.deleted_forms))
        out = []
        for form in self.forms:
            if id(form) in deleted or (form.empty_permitted and not form.has_changed()):
                continue
            out.append(form.item())
        return out


def rows(
    form_class: type[RowForm],
    *,
    prefix: str,
    data: Any,
    items: list[dict[str, Any]],
    extra: int = 2,
    formset: type[RowFormSet] = RowFormSet,
) -> RowFormSet:
    """A formset over ``items`` with ``extra`` blank rows for new items and a 删除 box on each row."""
    factory = forms.formset_factory(form_class, formset=formset, extra=extra, can_delete=True)
    initial = [{**form_class.initial_for(item), "origin": i} for i, item in enumerate(items)]
    return factory(data, initial=initial, prefix=prefix, form_kwargs={"originals": items})


# --------------------------------------------------------------------------------------------
# Editors
# --------------------------------------------------------------------------------------------


@dataclass
class Section:
    """A block of the edit page: one form (fields one under another) or one formset (a table)."""

    title: str
    form: forms.Form | BaseFormSet
    help: str = ""

    @property
    def is_formset(self) -> bool:
        return isinstance(self.form, BaseFormSet)


@dataclass
class Outcome:
    """What a valid submission leads to: the new document, the version summary, and where to go next."""

    document: Document
    summary: str
    stay: bool = False
    anchor: str = ""
    notes: list[str] = field(default_factory=list)


class PartEditor:
    """Edits one part of the document. Subclasses build ``sections`` and say how the part is rebuilt."""

    slug: ClassVar[str]
    title: ClassVar[str]
    template: ClassVar[str] = "evaluations/edit/part.html"

    def __init__(self, document: Document, data: Any = None) -> None:
        self.document = document
        self.data = data
        self.errors: list[str] = []
        self.sections: list[Section] = self.build()

    def build(self) -> list[Section]:
        raise NotImplementedError

    def validated(self) -> list[forms.Form | BaseFormSet]:
        """Everything that must be valid before the part is rebuilt."""
        return [s.form for s in self.sections]

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in self.validated()]  # a list, so every form reports its errors
        return all(results)

    def updated(self) -> Document:
        """The top-level keys of the document this part replaces, with their new values."""
        raise NotImplementedError

    def outcome(self) -> Outcome:
        document = copy.deepcopy(self.document)
        document.update(self.updated())
        return Outcome(document, f"编辑{self.title}")

    def add_error(self, message: str) -> None:
        self.errors.append(message)


def model_problems(err: ModelError) -> list[str]:
    """Each problem of a failed ``Evaluation.model_validate``, in Chinese, naming the field."""
    out = []
    for problem in err.errors(include_url=False):
        where = field_label(Evaluation, tuple(problem["loc"]))
        ctx = problem.get("ctx") or {}
        cause = ctx.get("error")
        if isinstance(cause, ValueProblem):
            reason = str(cause)
        else:
            reason = _PYDANTIC_ZH.get(problem["type"], "取值无效")
            limit = ctx.get("ge", ctx.get("le"))
            if limit is not None:
                reason = f"{reason} {limit}"
            if problem["type"] == "string_too_long":
                reason = too_long(ctx.get("max_length"), problem.get("input"))
        out.append(f"字段 {where}：{reason}")
    return out
