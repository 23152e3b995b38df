"""Fixtures and helpers of the part-editing tests: two units with a 填报人 each, a record built from
``tests.conftest.BASE``, and a browser-like reader of the edit form (what a user would submit unchanged).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.conftest import make


class FormReader(HTMLParser):
    """The fields of ``<form id="edit-form">`` as a browser would submit them (no submit buttons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "edit-form":
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
                return
            self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.data[self.select], self.select_chosen = value, True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            if not self.select_chosen:
                self.data[self.select] = self.select_first or ""
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            self.data[self.textarea] = text[1:] if text.startswith("\n") else text
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)


def form_data(response: Any) -> dict[str, str]:
    """What submitting the edit page unchanged would send."""
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader.data


def edit_url(record: EvaluationRecord, part: str) -> str:
    return f"/evaluations/{record.pk}/edit/{part}/"


@pytest.fixture
def units(db: Any) -> dict[str, Organisation]:
    finance = Organisation.objects.create(name="某市财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(name="某市科学技术协会", kind=OrganisationKind.DEPARTMENT, parent=finance)
    unit = Organisation.objects.create(name="某市科协机关", kind=OrganisationKind.UNIT, parent=department)
    school = Organisation.objects.create(name="某市第一中学", kind=OrganisationKind.UNIT, parent=finance)
    return {"finance": finance, "department": department, "unit": unit, "other": school}


def _user(username: str, organisation: Organisation, role: str) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pw-not-used-123", first_name=username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def filler(units: dict[str, Organisation]) -> Any:
    return _user("tianbao", units["unit"], Role.FILLER)


@pytest.fixture
def other_filler(units: dict[str, Organisation]) -> Any:
    return _user("jiaoyu", units["other"], Role.FILLER)


@pytest.fixture
def record(units: dict[str, Organisation], filler: Any) -> EvaluationRecord:
    return services.create(units["unit"], make(), filler, "新建")


@pytest.fixture
def browser(filler: Any) -> Client:
    client = Client()
    client.force_login(filler)
    return client


def fresh(record: EvaluationRecord) -> EvaluationRecord:
    return EvaluationRecord.objects.get(pk=record.pk)


def submit(
    client: Client,
    record: EvaluationRecord,
    part: str,
    changes: dict[str, str] | None = None,
    remove: tuple[str, ...] = (),
) -> Any:
    """Open the part's edit page, change some fields as a user would, and submit it."""
    page = client.get(edit_url(record, part))
    assert page.status_code == 200
    data = form_data(page)
    for name in remove:
        data.pop(name, None)
    data.update(changes or {})
    return client.post(edit_url(record, part), data)


def versions(record: EvaluationRecord) -> int:
    return record.versions.count()
