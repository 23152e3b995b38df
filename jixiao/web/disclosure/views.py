"""Published evaluations for everyone (placeholder until the public pages land)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord


def public_list(request: HttpRequest) -> HttpResponse:
    records = EvaluationRecord.objects.filter(status=Status.PUBLISHED).select_related("unit")
    return render(request, "disclosure/list.html", {"records": records[:100]})
