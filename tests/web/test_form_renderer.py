"""The fast form renderer draws each widget exactly as Django's own templates do, character for character."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from jixiao.web.form_renderer import FastRenderer

CHOICES = [("", "（请选择）"), ("1", "一 & <二>"), ("组", [("2", "乙"), ("3", "丙")])]
WIDGETS = [
    (forms.TextInput(attrs={"class": "amount", "required": True, "disabled": False, "data-x": 'a"b'}), "文字 <b>&"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.NumberInput(attrs={"step": "0.01"}), 12.5),
    (forms.DateInput(attrs={"type": "date"}), dt.date(2022, 6, 30)),
    (forms.HiddenInput(), 7),
    (forms.EmailInput(), "a@b.cn"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "第一行\n第二行 <script>"),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES), "2"),
    (forms.Select(choices=CHOICES, attrs={"id": "x"}), None),
    (forms.SelectMultiple(choices=CHOICES), ["1", "3"]),
    (forms.RadioSelect(choices=CHOICES[:2]), "1"),  # not drawn fast: the templates draw it, the same
]


@pytest.mark.parametrize(
    ("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__ if isinstance(w, forms.Widget) else ""
)
def test_the_same_html_as_djangos_templates(widget: forms.Widget, value: object) -> None:
    attrs = {"id": "id_field"}
    fast = widget.render("field", value, attrs, renderer=FastRenderer())
    django = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert fast == django


class NoTemplates(FastRenderer):
    def get_template(self, template_name: str) -> object:
        raise AssertionError(f"drawn through the template {template_name}")


@pytest.mark.parametrize(
    ("widget", "value"), WIDGETS[:-2], ids=lambda w: type(w).__name__ if isinstance(w, forms.Widget) else ""
)
def test_the_common_widgets_never_touch_the_template_engine(widget: forms.Widget, value: object) -> None:
    assert widget.render("field", value, {"id": "id_field"}, renderer=NoTemplates()).startswith("<")


@pytest.mark.parametrize("messages", [[], ["金额不能为负数", "<b>注意</b>"]], ids=["empty", "two"])
def test_error_lists_are_drawn_the_same(messages: list[str]) -> None:
    errors = forms.utils.ErrorList(messages, renderer=FastRenderer())
    expected = forms.utils.ErrorList(messages, renderer=DjangoTemplates())
    assert (errors.as_ul(), errors.as_text(), str(errors)) == (expected.as_ul(), expected.as_text(), str(expected))
