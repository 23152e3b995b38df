"""The loser of a race between two people gets a Chinese page, never a server error: 404 when the evaluation was
deleted a moment before, 409 when it was changed or moved on (the step or the save no longer applies)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import services
from .models import EvaluationRecord


class RaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, services.Gone | EvaluationRecord.DoesNotExist):
            message = str(exception) if isinstance(exception, services.Gone) else str(services.Gone())
            return _page(request, "评价已不存在", message, 404)
        if isinstance(exception, services.NotAllowed | services.ConcurrentEdit):
            return _page(request, "操作未执行", f"{exception}。请刷新页面查看最新状态。", 409)
        return None


def _page(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "jixiao/conflict.html", {"title": title, "message": message}, status=status)
