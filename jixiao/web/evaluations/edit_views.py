"""Editing one part of an evaluation (placeholder until the part forms land)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from .access import get_record


def edit_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    get_record(request, pk, "edit")
    raise Http404("未知的编辑部分")
