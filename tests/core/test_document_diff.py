"""What changed between two versions of an evaluation, named as the form names it (shown to a reviewer after a
复核 query)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.document_diff import FieldChange, diff_documents
from jixiao.core.model import Indicator
from tests.conftest import make


def test_the_same_document_has_no_changes():
    assert diff_documents(make(), make()) == []


def test_a_changed_actual_is_named_by_the_indicator_s_path_and_the_field_s_title():
    before = make()
    after = before.model_copy(deep=True)
    leaf = after.indicators[0].children[0].children[0]
    after.indicators[0].children[0].children[0] = leaf.model_copy(
        update={"actual": "96场", "claimed_score": Decimal("25")}
    )
    assert diff_documents(before, after) == [
        FieldChange("绩效指标 › 产出指标 › 数量指标 › 科普活动场次 › 实际完成值", "110场", "96场"),
        FieldChange("绩效指标 › 产出指标 › 数量指标 › 科普活动场次 › 自评得分", "30.00", "25.00"),
    ]


def test_indicators_are_followed_by_name_so_a_new_one_is_one_line_not_a_shift_of_every_other():
    before = make()
    after = before.model_copy(deep=True)
    branch = after.indicators[0].children[0]
    extra = Indicator(name="培训人次", points=Decimal("0"), target="≥100人次", actual="120人次")
    after.indicators[0].children[0] = branch.model_copy(update={"children": [extra, *branch.children]})
    assert diff_documents(before, after) == [
        FieldChange("绩效指标 › 产出指标 › 数量指标 › 培训人次", "—", "新增该指标")
    ]
    assert diff_documents(after, before) == [
        FieldChange("绩效指标 › 产出指标 › 数量指标 › 培训人次", "原有该指标", "已删除")
    ]


def test_money_lists_and_booleans_are_printed_as_the_form_prints_them():
    before = make()
    after = before.model_copy(deep=True)
    after.funds[0] = after.funds[0].model_copy(update={"executed_wan": Decimal("97.5")})
    after.narrative.problems = ["宣传不足", "覆盖不均"]
    after.project.completed = True
    changes = {c.where: (c.before, c.after) for c in diff_documents(before, after)}
    assert changes["项目资金第 1 项 › 全年执行数（万元）"] == ("98.00", "97.50")
    assert changes["报告正文 › 存在的问题及原因分析"][1] == "宣传不足；覆盖不均"
    assert changes["项目 › 项目是否已完成"][1] == "是"
