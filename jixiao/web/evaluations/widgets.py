"""Widgets whose visible parts speak Chinese whatever the browser's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

FILE_INPUT_TEMPLATE = "jixiao/_file_input.html"


class ChineseFileInput(forms.FileInput):
    """A file input drawn as a 「选择文件」 button and the chosen file's name (the same include as plain forms)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        return render_to_string(
            FILE_INPUT_TEMPLATE,
            {
                "name": name,
                "input_id": final.get("id") or f"id_{name}",
                "accept": final.get("accept", ""),
                "required": final.get("required", False),
                "multiple": self.allow_multiple_selected,
            },
        )


class ChineseMultipleFileInput(ChineseFileInput):
    """The same, for choosing many files at once."""

    allow_multiple_selected = True
