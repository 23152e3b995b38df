"""The reference case: 湛江市科协's 2022 report claims 100 分 / 优秀 while 100 of 153 万元 arrived."""

from __future__ import annotations

import pytest

from jixiao.io.audit.audit_file import AuditSettings, audit_file
from tests.conftest import SHARED, requires_shared

SEED = SHARED / "seed" / "zhanjiang-2022-kepu-self-evaluation.txt"

pytestmark = requires_shared(SEED)


@pytest.fixture(scope="module")
def seed() -> dict:
    return audit_file(SEED, AuditSettings.load()).to_dict()


def test_the_report_states_budget_arrival_spending_and_its_claim(seed):
    facts = seed["facts"]
    assert seed["kind"] == "report"
    assert facts["year"] == 2022
    assert facts["unit"] == "湛江市科学技术协会"
    assert facts["project"] == "湛江市科普专项经费"
    assert (facts["budget_wan"], facts["arrived_wan"], facts["spent_wan"]) == (153, 100, 100)
    assert facts["arrival_rate_pct"] == 65.36
    assert (facts["self_score"], facts["grade"]) == (100, "优秀")


def test_each_fact_quotes_the_line_it_came_from(seed):
    where = seed["provenance"]
    assert where["year"]["line"] == 103 and "2022年湛江市科普专项经费" in where["year"]["text"]
    assert where["arrived_wan"]["line"] == 330 and "划拨100万元" in where["arrived_wan"]["text"]
    assert where["arrival_rate_pct"]["line"] == 332
    assert where["self_score"]["line"] == 316 and "100" in where["self_score"]["text"]


def test_the_claimed_100_and_excellent_cannot_stand_with_the_arrival(seed):
    s010 = next(f for f in seed["findings"] if f["id"] == "S010")
    assert s010["severity"] == "error"
    assert "不能成立" in s010["message"]
    assert "65.36%" in s010["message"] and "153.00" in s010["message"] and "96.54" in s010["message"]
    assert s010["location"] == "第316行"


def test_funds_timely_is_contradicted(seed):
    f006 = next(f for f in seed["findings"] if f["id"] == "F006")
    assert f006["severity"] == "error" and "65.36%" in f006["message"]


def test_risk_is_high_and_explained(seed):
    assert seed["risk"] >= 80
    assert any(note.startswith(f"风险分 {seed['risk']}") for note in seed["notes"])
