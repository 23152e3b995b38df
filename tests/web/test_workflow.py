"""The lifecycle is written once (``workflow.STEPS``): the service layer, the permission check, the confirmation
pages and docs/web.md all follow it. (Who may do what is tested against a hand-written table in
``test_permissions.py``; here, that everything reads the one table.)"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jixiao.web.evaluations import confirmations, services, workflow
from jixiao.web.evaluations.choices import Action, Status
from tests.conftest import ROOT

WEB_DOC = ROOT / "docs" / "web.md"


def test_docs_web_md_shows_the_table_the_code_runs() -> None:
    text = WEB_DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- workflow:begin -->\n(.*?)\n<!-- workflow:end -->", text, re.S)
    assert block, "docs/web.md 缺少 <!-- workflow:begin --> … <!-- workflow:end --> 之间的流程表"
    assert block.group(1) == workflow.markdown_table(), (
        "docs/web.md 的流程表与 workflow.STEPS 不一致；应为：\n" + workflow.markdown_table()
    )


def test_every_action_has_a_confirmation_button() -> None:
    assert set(confirmations.BUTTONS) == set(workflow.ACTIONS)


def test_the_table_names_each_step_once_and_only_lifecycle_statuses() -> None:
    assert workflow.ACTIONS == (
        Action.START,
        Action.SUBMIT,
        Action.APPROVE,
        Action.RETURN,
        Action.REVIEW,
        Action.PUBLISH,
    )
    statuses = {s.source for s in workflow.STEPS} | {s.target for s in workflow.STEPS}
    assert statuses == set(Status.values)
    assert workflow.step(Action.SUBMIT, Status.PUBLISHED) is None
    assert workflow.needs_comment(Action.RETURN) and not workflow.needs_comment(Action.APPROVE)
    assert workflow.needs_score(Action.REVIEW) and not workflow.needs_score(Action.PUBLISH)


@pytest.mark.parametrize("step", workflow.STEPS, ids=lambda s: f"{s.action}-from-{s.source}")
def test_the_service_layer_takes_each_step_as_the_table_says(step: workflow.Step, world, record_factory) -> None:
    """``services.move`` refuses what the table asks for when it is missing, then lands on the table's target."""
    record = record_factory("A1", step.source)
    if step.needs_comment:
        with pytest.raises(services.NotAllowed, match="必须填写"):
            services.move(record.pk, step.action, None, "", gate=False)
    if step.needs_score:
        with pytest.raises(services.NotAllowed, match="复核得分"):
            services.move(record.pk, step.action, None, "意见", None, gate=False)
    record.refresh_from_db()
    assert record.status == step.source  # a refusal changes nothing
    moved = services.move(record.pk, step.action, None, "意见", Decimal("80"), gate=False)
    assert moved.status == step.target
    last = moved.transitions.order_by("-pk").first()
    assert (last.action, last.from_status, last.to_status) == (step.action, step.source, step.target)
