"""Who is making the current changes, and from where: set per web request by the middleware, per command or
background run by :func:`change_context`.

The user is kept as given: a request's lazy ``request.user`` is only looked at when a change is written, so that
reading pages costs no query for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from .models import Source


@dataclass(frozen=True)
class ChangeContext:
    user: Any = None  # a user, a lazy request.user (possibly anonymous), or None
    request_id: uuid.UUID | None = field(default_factory=uuid.uuid4)
    source: str = Source.OTHER

    def signed_in_user(self) -> Any:
        """The user when one is signed in, else None."""
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return user


#: the context of the running request, command or background run (None: a change made outside any of them)
current: ContextVar[ChangeContext | None] = ContextVar("jixiao_change_context", default=None)


def get() -> ChangeContext:
    """The current context, or one of source 「其他」 without a user or request id when none is set."""
    return current.get() or ChangeContext(request_id=None)


@contextmanager
def change_context(user: Any = None, source: str = Source.CLI) -> Iterator[ChangeContext]:
    """Record the changes made inside as made by ``user`` (None: 「系统」) from ``source``, under one fresh request id."""
    context = ChangeContext(user=user, source=Source(source))
    token = current.set(context)
    try:
        yield context
    finally:
        current.reset(token)
