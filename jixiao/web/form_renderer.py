"""Django's form renderer, with the commonest widgets written in Python instead of through the template engine.

An edit page of a 附1 with hundreds of indicators has thousands of inputs; through the templates each costs about a
millisecond, and a 500-node tree took seconds to draw. The HTML is the same, character for character, as Django's
own widget templates give (``tests/web/test_form_renderer.py`` compares them); every other template goes to
Django's renderer as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_WIDGETS = "django/forms/widgets/"
#: the widget templates that are only ``{% include "django/forms/widgets/input.html" %}``
INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
        "checkbox", "color",
    )
)  # fmt: skip
TEXTAREA = f"{_WIDGETS}textarea.html"
SELECT = f"{_WIDGETS}select.html"
OPTION = f"{_WIDGETS}select_option.html"
ERRORS = "django/forms/errors/"


def _e(value: object) -> str:
    return str(conditional_escape(value))


def _s(value: object) -> str:
    """``{{ value|stringformat:'s' }}``: the value as plain text (even a safe string), escaped."""
    return _e(f"{value}")


def _attrs(attrs: Mapping[str, Any]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_s(value)}"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_s(value)}"'
    return f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return f'<textarea name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>\n{_e(value) if value else ""}</textarea>'


def _option(option: Mapping[str, Any]) -> str:
    return f'<option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{_e(option["label"])}</option>\n'


def _select(widget: Mapping[str, Any]) -> str:
    out = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return ""  # a widget of its own kind: the templates draw it
            out.append(f"\n  {_option(option)}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name.startswith(ERRORS) and isinstance(context, dict) and not context.get("errors"):
            return ""  # every field's error list is drawn, and almost all are empty: the templates draw nothing
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, Mapping):
            html = ""
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name == TEXTAREA:
                html = _textarea(widget)
            elif template_name == SELECT:
                html = _select(widget)
            if html:
                return html
        return super().render(template_name, context, request)
