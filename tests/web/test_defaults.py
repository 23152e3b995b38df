"""Sensible defaults: a new evaluation starts on the 附1 framework and 财预〔2020〕10号 rules, a person's only unit
is chosen already, and a draft with nothing to score says 未评分 rather than 「0.00 分 差」."""

from __future__ import annotations

import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.edit_views import _saved_message
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.evaluations.overview import summarise
from jixiao.web.evaluations.unscored import UNSCORED, record_unscored
from jixiao.web.organisations.models import Membership, Role
from tests.conftest import make, run
from tests.web.conftest import World
from tests.web.test_language import option_texts

NEW = reverse("evaluations:new")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def blank_draft(world: World, name: str = "空白草稿") -> EvaluationRecord:
    """A new evaluation made through the form with its defaults: the framework's empty indicator tree."""
    client = signed_in(world.user(Role.FILLER, "A1"))
    form = {"unit": world.org("A1").pk, "name": name, "year": "2022", "framework": "mof-selfeval", "rules": "mof-2020"}
    response = client.post(NEW, form)
    assert response.status_code == 302
    return EvaluationRecord.objects.get(project_name=name)


# ------------------------------------------------------------------------------------------ the new form


def test_a_new_evaluation_defaults_to_the_appendix_1_framework_and_2020_rules(world):
    html = signed_in(world.user(Role.FILLER, "A1")).get(NEW).content.decode()
    frameworks = option_texts(html, "framework")
    rules = option_texts(html, "rules")
    assert frameworks[0] == ("mof-selfeval", "项目支出绩效自评表（财预〔2020〕10号 附1）", True)
    assert [selected for _, _, selected in frameworks[1:]] == [False] * (len(frameworks) - 1)
    assert rules[0] == ("mof-2020", "财预〔2020〕10号 项目支出绩效自评", True)
    assert [selected for _, _, selected in rules[1:]] == [False] * (len(rules) - 1)


def test_the_defaults_are_the_model_s(world):
    record = blank_draft(world)
    document = Evaluation.model_validate(record.document)
    assert document.framework == Evaluation.model_fields["framework"].default == "mof-selfeval"
    assert document.rules == Evaluation.model_fields["rules"].default == "mof-2020"


def test_a_person_s_only_unit_is_preselected(world):
    html = signed_in(world.user(Role.FILLER, "A1")).get(NEW).content.decode()
    assert option_texts(html, "unit") == [(str(world.org("A1").pk), "甲一单位", True)]
    assert "---------" not in html


def test_with_two_units_the_person_chooses(world):
    filler = world.user(Role.FILLER, "A1")
    Membership.objects.create(user=filler, organisation=world.org("A2"), role=Role.FILLER)
    html = signed_in(filler).get(NEW).content.decode()
    units = option_texts(html, "unit")
    assert [text for _, text, _ in units] == ["---------", "甲一单位", "甲二单位"]
    assert [selected for _, _, selected in units] == [True, False, False]  # nothing chosen yet


# ------------------------------------------------------------------------------------------ 未评分


def test_the_rule_on_results():
    blank = make(funds=[], indicators=[{"name": "产出指标", "children": [{"name": "数量指标"}]}], claims={})
    assert run(blank).unscored
    assert not run(make()).unscored
    # one score entered is enough, even without fund figures
    one = make(funds=[], claims={})
    assert not run(one).unscored


def test_the_rule_on_stored_records(world, record_factory):
    blank = blank_draft(world)
    scored = record_factory("A1")
    assert blank.computed_score == Decimal("0.00") and blank.computed_grade == "差"  # what is stored …
    assert record_unscored(blank) and not record_unscored(scored)  # … and what is shown
    assert list(EvaluationRecord.objects.filter(UNSCORED)) == [blank]


def test_a_blank_draft_is_unscored_in_the_list(world, record_factory):
    blank = blank_draft(world)
    scored = record_factory("A1", name="已填写项目")
    html = signed_in(world.user(Role.FILLER, "A1")).get(reverse("evaluations:list")).content.decode()
    rows = {
        name: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        for name in re.findall(r'">([^<]+)</a></td>', row)
    }
    assert rows[blank.project_name][7:9] == ["未评分", "—"]  # 计算, 计算等级
    assert rows[scored.project_name][7:9] == ["99.80", "优"]
    assert "0.00" not in rows[blank.project_name][7]


def test_a_blank_draft_is_unscored_in_the_overview(world, record_factory):
    record_factory("A1")
    blank = blank_draft(world)  # stored as 0.00 差
    EvaluationRecord.objects.filter(pk=blank.pk).update(claimed_score=Decimal("90"))  # the unit's word, nothing else
    client = signed_in(world.user(Role.FINANCE_ADMIN, "F1"))
    response = client.get(reverse("evaluations:overview"))
    html = response.content.decode()
    row = re.search(rf'<tr data-pk="{blank.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[5] == "未评分" and cells[7] == "—" and cells[9] == "—"
    summary = summarise(EvaluationRecord.objects.all())
    assert summary["unscored"] == 1
    assert dict(summary["by_grade"]) == {"优": 1, "良": 0, "中": 0, "差": 0, "": 1}
    assert dict(summary["bins"])["0–59"] == 0
    assert summary["claim_gap"] == 0  # 90 against nothing computed is no gap
    assert re.search(r'id="unscored-count">1<', html)
    # it has no gap to sort by: last, after every evaluation with a score
    by_gap = client.get(reverse("evaluations:overview"), {"sort": "claim_gap"}).content.decode()
    assert re.findall(r'<tr data-pk="(\d+)">', by_gap)[-1] == str(blank.pk)
    # filtering by 差 does not find it either
    filtered = client.get(reverse("evaluations:list"), {"grade": "差"})
    assert blank.project_name not in filtered.content.decode()


def test_a_published_blank_evaluation_is_unscored_on_the_public_pages(world):
    blank = blank_draft(world, "空白公开")
    for action in (Action.SUBMIT, Action.APPROVE, Action.REVIEW, Action.PUBLISH):
        score = Decimal("60") if action == Action.REVIEW else None
        services.move(blank.pk, action, world.actor(action, "A1"), "", score, gate=False)
    blank.refresh_from_db()
    assert blank.status == Status.PUBLISHED
    listing = Client().get(reverse("public:list")).content.decode()
    row = re.search(rf'<tr data-pk="{blank.pk}">(.*?)</tr>', listing, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[4] == "未评分"
    detail = Client().get(reverse("public:detail", args=[blank.pk])).content.decode()
    assert re.search(r'id="computed-score">未评分<', detail)
    assert re.search(r'id="computed-total">未评分<', detail)


def test_saving_a_part_of_a_blank_draft_does_not_announce_a_score(world, record_factory):
    blank = _saved_message("项目概况", blank_draft(world))
    assert "未评分" in blank and "0.00 分" not in blank
    scored = _saved_message("项目概况", record_factory("A1"))
    assert "重新计算得分 99.80 分（优）" in scored
