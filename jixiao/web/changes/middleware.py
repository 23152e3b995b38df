"""Sets the change context of each request: its user, a fresh request id, and 系统管理 or 网页 by the path."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import ChangeContext, current
from .models import Source


class ChangeContextMiddleware:
    """Must come after AuthenticationMiddleware (it reads ``request.user``, lazily)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = Source.ADMIN if request.path.startswith("/admin/") else Source.WEB
        token = current.set(ChangeContext(user=getattr(request, "user", None), request_id=uuid.uuid4(), source=source))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
