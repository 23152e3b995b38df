"""A qualitative 实际完成值 is scored by what it means, not by the words it happens to contain.

Negation, degree and contrast decide the tier of 财预〔2020〕10号 第十六条; a phrase whose tier is not certain is
carried as the unit's own score for review by hand, and never at more than the “部分达成” tier's maximum.
The phrases and their tiers are in ``cases/qualitative_phrases.yaml``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core import evaluate
from jixiao.core.result import IndicatorScore, ScoreBasis
from jixiao.core.rules import QualitativeTier, RuleSet
from jixiao.core.scoring.qualitative import read_phrase, read_yes_no
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.errors import InputError
from tests.conftest import make, run


def tier_for(rules: RuleSet, text: str | None) -> QualitativeTier | None:
    """The tier ``text`` states for certain, or None."""
    return read_phrase(text, rules).tier


CASES: dict[str, dict[str, list[str]]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "qualitative_phrases.yaml").read_text(encoding="utf-8")
)
RULES = load_rules("mof-2020")
TIERS = {"achieved": "达成年度指标", "partial": "部分达成年度指标并具有一定效果", "missed": "未达成年度指标且效果较差"}
#: a 10-point leaf claiming 10: the top of each tier, and the cap of an uncertain phrase (80% of 10)
SCORE_AT_CLAIM_10 = {"achieved": Decimal(10), "partial": Decimal(8), "missed": Decimal(6)}
CAP = Decimal(8)


def _cases() -> list[Any]:
    return [
        pytest.param(phrase, tier, id=f"{group}-{tier}-{phrase[:12]}")
        for group, by_tier in CASES.items()
        for tier, phrases in by_tier.items()
        for phrase in phrases
    ]


def scored(actual: str | None, claimed: float | None = 10, *, target: str = "效果明显", rules: str = "mof-2020"):
    node: dict[str, Any] = {"name": "社会效益", "points": 10, "target": target, "actual": actual}
    if claimed is not None:
        node["claimed_score"] = claimed
    tree = [{"name": "效益指标", "children": [{"name": "社会效益指标", "children": [node]}]}]
    return run(make(indicators=tree), rules).indicators[0]


def text(score: IndicatorScore) -> str:
    return score.explanation.text()


# --- every case through the scoring engine ------------------------------------------------------------


def test_the_case_file_has_at_least_80_phrases_of_every_tier():
    phrases = [p for by_tier in CASES.values() for ps in by_tier.values() for p in ps]
    assert len(phrases) >= 80 and len(set(phrases)) == len(phrases)
    assert {t for by_tier in CASES.values() for t in by_tier} == {"achieved", "partial", "missed", "uncertain"}


@pytest.mark.parametrize(("phrase", "tier"), _cases())
def test_phrase_is_scored_in_the_tier_it_states(phrase: str, tier: str):
    s = scored(phrase)
    if tier == "uncertain":
        assert (s.basis, s.tier, s.computed) == (ScoreBasis.CLAIMED, None, None)
        assert s.used == CAP
        assert "未能确定达成档次" in text(s) and "须人工复核" in text(s)
    else:
        assert (s.basis, s.tier) == (ScoreBasis.COMPUTED, TIERS[tier])
        assert s.used == SCORE_AT_CLAIM_10[tier]
    if tier != "achieved":
        assert s.used is not None and s.used <= CAP


def test_both_shipped_rule_sets_read_every_phrase_alike():
    other = load_rules("mof-2021")
    for by_tier in CASES.values():
        for phrases in by_tier.values():
            for phrase in phrases:
                assert read_phrase(phrase, RULES).tier == read_phrase(phrase, other).tier, phrase


# --- the defect: writing “未能完成” raised a total -------------------------------------------------------


def test_writing_weiwancheng_lowers_the_total_instead_of_keeping_the_top_tier():
    def total_with(actual: str) -> Decimal:
        data = make().model_dump(mode="json")
        data["indicators"][1]["children"][0]["children"][0]["actual"] = actual
        return run(data).total.value

    assert total_with("达成年度指标") == Decimal("99.80")
    # 公民科学素质 30 分, claimed 30: “未达成” tier is at most 60% = 18.00
    assert total_with("未能完成") == Decimal("87.80")
    assert total_with("效果不显著") == Decimal("87.80")
    assert total_with("完成了部分任务") == Decimal("93.80")


# --- how an uncertain phrase is carried -------------------------------------------------------------------


def test_an_uncertain_phrase_says_why_and_carries_the_claim_up_to_the_partial_tiers_maximum():
    s = scored("开展宣传活动12次")
    assert text(s) == (
        "采用单位自评分：实际完成值“开展宣传活动12次”未能确定达成档次（未写明达成、部分达成或未达成），须人工复核；"
        "单位自评 10.00 分超过“部分达成”档上限，暂按上限 8.00 分计入"
    )


def test_a_claim_below_the_cap_is_carried_as_claimed():
    s = scored("无一未完成", claimed=7.5)
    assert s.used == Decimal("7.50")
    assert "含双重否定“无一未完成”" in text(s)
    assert text(s).endswith("暂按单位自评 7.50 分计入，但不超过“部分达成”档上限 8.00 分")


def test_an_uncertain_phrase_without_a_claim_has_no_score():
    s = scored("开展宣传活动12次", claimed=None)
    assert (s.basis, s.used) == (ScoreBasis.NONE, None)
    assert text(s).startswith("无法计算：实际完成值“开展宣传活动12次”未能确定达成档次")


def test_an_empty_actual_is_carried_under_the_same_cap_and_counted_as_carried():
    s = scored(None)
    assert (s.basis, s.used) == (ScoreBasis.CLAIMED, CAP)
    assert "未填写实际完成值，未能确定达成档次，须人工复核" in text(s)
    data = make().model_dump(mode="json")
    data["indicators"][1]["children"][0]["children"][0]["actual"] = None
    result = run(data)
    assert (result.carried.count, result.carried.score) == (1, Decimal("24.00"))
    assert result.total.value == Decimal("93.80")


def test_a_rule_set_may_carry_the_whole_claim_for_an_empty_actual(tmp_path: Path):
    src = RULES.model_dump(mode="json")
    src["id"], src["qualitative_uncertain"]["cap_empty"] = "no-cap-empty", False
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(src, allow_unicode=True), encoding="utf-8")
    rules = load_rules(str(path))
    tree = [{"name": "效益指标", "children": [{"name": "社会效益指标", "children": [
        {"name": "社会效益", "points": 10, "target": "效果明显", "claimed_score": 10},
        {"name": "生态效益", "points": 10, "target": "效果明显", "actual": "开展宣传活动12次", "claimed_score": 10},
    ]}]}]  # fmt: skip
    empty, described = evaluate(make(indicators=tree), rules, load_framework("mof-selfeval")).indicators
    assert (empty.used, described.used) == (Decimal(10), CAP)


def test_a_determined_tier_names_the_words_it_rests_on():
    assert text(scored("未能完成")).startswith(
        "财预〔2020〕10号 项目支出绩效自评：定性指标：依据实际完成值中的“未能完成”，属“未达成年度指标且效果较差”档，"
        "得分区间 0.00%–60.00% 即 0.00–6.00 分；自评 10.00 分超出档内上限，按上限 6.00 分计"
    )
    mixed = text(scored("已完成，但效果不明显"))
    assert "依据实际完成值中的“完成”“不明显”，达成与未达成的表述并见，属“部分达成年度指标并具有一定效果”档" in mixed


def test_a_qualitative_satisfaction_leaf_without_survey_is_read_the_same_way():
    node = {"name": "群众满意度", "points": 10, "target": "群众满意", "actual": "群众不满意", "claimed_score": 10}
    tree = [{"name": "满意度指标", "children": [{"name": "服务对象满意度指标", "children": [node]}]}]
    s = run(make(indicators=tree)).indicators[0]
    assert (s.tier, s.used) == (TIERS["missed"], Decimal(6))


# --- 是否类指标: the same reading of negation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("是", "是", True),
        ("是", "是，已按要求建立", True),
        ("是", "已建立", True),
        ("是", "已制定并印发实施", True),
        ("是", "制度健全", True),
        ("是", "否", False),
        ("是", "否，尚未建立", False),
        ("是", "没有建立", False),
        ("是", "未完成", False),
        ("是", "尚未制定", False),
        ("否", "无", True),
        ("否", "否", True),
        ("无", "未发生", True),
        ("无", "未发现违规问题", True),
        ("无", "发生1起", False),
        ("无", "存在违规问题", False),
    ],
)
def test_yes_no_indicator_reads_negation_like_a_qualitative_one(target: str, actual: str, met: bool):
    s = scored(actual, target=target)
    assert s.basis is ScoreBasis.COMPUTED
    assert s.computed == (Decimal(10) if met else Decimal(0))


@pytest.mark.parametrize("actual", ["基本建立", "正在建立", "无一未建立", "按要求推进相关工作", None])
def test_yes_no_indicator_that_states_neither_is_carried_under_the_cap(actual: str | None):
    s = scored(actual, target="是")
    assert (s.basis, s.used) == (ScoreBasis.CLAIMED, CAP)
    assert "须人工复核" in text(s)


def test_yes_no_answers_agree_with_the_qualitative_reading():
    for phrase in ("已完成", "全部完成", "未完成", "没有达到", "效果不明显", "无一未完成", "基本完成"):
        tier = read_phrase(phrase, RULES).tier
        expected = {"achieved": True, "missed": False}.get(tier.id if tier else "", None)
        assert read_yes_no(phrase, RULES).yes is expected, phrase


# --- the vocabulary is data in the rule set ----------------------------------------------------------------


def test_tier_for_reads_meaning():
    assert tier_for(RULES, "未能完成").id == "missed"
    assert tier_for(RULES, "未全部完成").id == "partial"
    assert tier_for(RULES, "开展宣传活动12次") is None
    assert tier_for(RULES, None) is None


def _user_rules(tmp_path: Path, change) -> Any:
    src = RULES.model_dump(mode="json")
    src["id"] = "user-rules"
    change(src)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(src, allow_unicode=True), encoding="utf-8")
    return load_rules(str(path))


def test_a_users_rule_set_reads_phrases_with_its_own_words(tmp_path: Path):
    assert tier_for(RULES, "项目顺利收官") is None
    rules = _user_rules(tmp_path, lambda src: src["qualitative"][0]["keywords"].append("收官"))
    assert tier_for(rules, "项目顺利收官").id == "achieved"
    assert tier_for(rules, "项目未能收官").id == "missed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda src: src["qualitative"][1]["keywords"].append("完成"), "“完成”同时出现在"),
        (lambda src: src["qualitative_uncertain"].update(cap_tier="medium"), "引用了不存在的档次：medium"),
        (lambda src: src["qualitative_uncertain"].update(cap_tier="achieved"), "封顶档次不能是最高档"),
        (lambda src: src["qualitative"].reverse(), "须按得分比例从高到低排列"),
        (lambda src: src.pop("qualitative_phrases"), "qualitative_phrases"),
    ],
)
def test_a_users_rule_set_with_an_inconsistent_vocabulary_is_refused_in_chinese(tmp_path, change, message):
    with pytest.raises(InputError, match=message):
        _user_rules(tmp_path, change)


# --- properties ------------------------------------------------------------------------------------------

SUBJECTS = ["", "项目", "本单位", "年度目标任务", "各项工作", "科普活动", "该项目"]
BEFORE = ["", "仍", "至今", "目前", "截至年底", "还", "因故", "由于疫情"]
AFTER = ["", "能", "按期", "及时", "全部", "完全", "如期", "顺利", "按计划", "全面", "有效", "真正"]
VERBS = ["完成", "达成", "达到", "实现", "落实", "达成年度指标", "达到预期", "达标"]
OBJECTS = ["", "任务", "年度目标", "预期目标", "年度指标", "全年工作计划", "了"]
PUNCTUATION = ["", "。", "，", "；", "！", "……"]
#: clauses without contrast words that may follow, some of them top-tier on their own
TRAILING = ["效果明显", "群众满意度较高", "开展活动12场", "社会效益显著", "全面完成宣传任务", "取得良好效果",
            "资金使用规范", "未发生安全事故", "按计划推进", "已全部完成"]  # fmt: skip
NEGATORS = RULES.qualitative_phrases.negators


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.sampled_from(SUBJECTS),
    st.sampled_from(BEFORE),
    st.sampled_from(NEGATORS),
    st.sampled_from(AFTER),
    st.sampled_from(VERBS),
    st.sampled_from(OBJECTS),
    st.sampled_from(PUNCTUATION),
    st.lists(st.sampled_from(TRAILING), max_size=3),
)
def test_a_negated_completion_never_lands_in_the_top_tier(subject, before, negator, after, verb, obj, end, trailing):
    phrase = f"{subject}{before}{negator}{after}{verb}{obj}" + "".join(f"，{t}" for t in trailing) + end
    tier = tier_for(RULES, phrase)
    assert tier is None or tier.id != "achieved", phrase


#: phrase pieces labelled by what they state about completion
NEGATED = ["未完成", "没有达成", "尚未完成年度任务", "未能实现", "并未落实", "没有按期完成", "效果不明显", "未达标"]
PLAIN = ["已完成", "全部完成", "达成年度指标", "效果明显", "群众满意", "顺利实现年度目标"]
CANCELLED = ["无一未完成", "没有未完成的任务", "不是没有完成"]
FILLERS = ["受疫情影响", "开展宣传活动12场", "不断完善制度", "2022年", "群众满意度调查", "按计划推进", "详见附件"]
JOINERS = ["", "，", "。", "；", "但", "但是", "并且", "同时", "虽然", "不过"]


@settings(max_examples=400, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["negated", "plain", "cancelled", "filler"]).flatmap(
                lambda kind: st.tuples(
                    st.just(kind),
                    st.sampled_from(
                        {"negated": NEGATED, "plain": PLAIN, "cancelled": CANCELLED, "filler": FILLERS}[kind]
                    ),
                )
            ),
            st.sampled_from(JOINERS),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_phrase_read_as_top_tier_has_no_uncancelled_negation_of_completion(pieces):
    phrase = "".join(joiner + piece for (_, piece), joiner in pieces)
    tier = tier_for(RULES, phrase)
    if tier is not None and tier.id == "achieved":
        assert not any(kind == "negated" for (kind, _), _ in pieces), phrase
