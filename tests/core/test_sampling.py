"""抽查复核 sampling: every point of the risk score explained, the size spread over the 主管部门 by largest remainder
and raised to a minimum, the riskiest drawn first and a random share from the rest; same seed, same sample."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.sampling import (
    BudgetBand,
    Candidate,
    EarlierReviews,
    Sample,
    SamplePlan,
    SamplingError,
    SamplingWeights,
    _scorer,
    allocate,
    draw,
    random_count,
    risk_score,
    sample_size,
)
from jixiao.io.catalogue import read_yaml
from tests.conftest import ROOT

D = Decimal

#: weights of the tests, kept apart from the shipped ones so that tuning the YAML does not rewrite the specification
WEIGHTS = SamplingWeights(
    error=D(25),
    warning=D(8),
    findings_cap=D(50),
    gap_per_point=D(1),
    gap_cap=D(20),
    excellent_from=D(90),
    low_rate_pct=D(80),
    claimed_excellent_low_rate=D(20),
    budget_bands=[
        BudgetBand(from_wan=D(0), points=D(0)),
        BudgetBand(from_wan=D(100), points=D(5)),
        BudgetBand(from_wan=D(1000), points=D(10)),
    ],
    earlier_gap_weight=D(2),
    earlier_gap_cap=D(10),
)
#: names out of id order, so that ordering by name is seen
DEPARTMENTS = {1: "市教育局", 2: "市卫健委", 3: "市科协", None: ""}


def make(record_id: int, department_id: int | None = 1, **changes: object) -> Candidate:
    """A candidate with nothing risky about it, changed where the test says."""
    base = Candidate(
        record_id=record_id,
        department_id=department_id,
        department_name=DEPARTMENTS[department_id],
        unit_id=record_id,
        unit_name=f"单位{record_id}",
        project_name=f"项目{record_id}",
        budget_wan=D(50),
        claimed_score=D(85),
        computed_score=D(85),
        execution_rate=D(95),
        error_count=0,
        warning_count=0,
    )
    return base._replace(**changes)


def plan(**changes: object) -> SamplePlan:
    return SamplePlan(**{"size_count": 1, "seed": 12345, **changes})  # type: ignore[arg-type]


def ids(sample: Sample, part: str | None = None) -> list[int]:
    return [i.candidate.record_id for i in sample.items if part is None or i.part == part]


# -- the risk score -------------------------------------------------------------------------------------------------


def test_every_point_of_the_risk_score_is_explained_in_chinese() -> None:
    c = make(
        1,
        error_count=2,
        claimed_score=D("88.5"),
        computed_score=D("80.5"),
        budget_wan=D(150),
        earlier=EarlierReviews.of((D(3), D(-1), D(5))),
    )
    assert risk_score(c, WEIGHTS) == (
        D(71),
        [
            "2 条错误 × 25 = 50",
            "自评高于计算 8.00 分 × 1 = 8",
            "预算 150.00 万元（100 万元及以上档）= 5",
            "往年复核 3 次中 2 次自评偏高，平均高出 4.00 分 × 2 = 8",
        ],
    )


def test_errors_and_warnings_count_separately_until_their_cap() -> None:
    assert risk_score(make(1, error_count=1, warning_count=2), WEIGHTS) == (
        D(41),
        ["1 条错误 × 25 = 25", "2 条警告 × 8 = 16"],
    )
    assert risk_score(make(1, error_count=2, warning_count=3), WEIGHTS) == (
        D(50),
        ["2 条错误 × 25 + 3 条警告 × 8 = 74，封顶 50"],
    )


def test_the_gap_counts_only_when_the_unit_claimed_more_and_is_capped() -> None:
    assert risk_score(make(1, claimed_score=D(80), computed_score=D(85)), WEIGHTS) == (D(0), [])
    assert risk_score(make(1, claimed_score=D(95), computed_score=D("62.5")), WEIGHTS) == (
        D(20),
        ["自评高于计算 32.50 分 × 1 = 32.5，封顶 20"],
    )


def test_an_unscored_candidate_gets_no_gap_points() -> None:
    assert risk_score(make(1, claimed_score=D(89), computed_score=None), WEIGHTS) == (D(0), [])
    assert risk_score(make(1, claimed_score=None, computed_score=D(60)), WEIGHTS) == (D(0), [])


def test_claiming_excellent_with_a_low_execution_rate_adds_fixed_points() -> None:
    claimed = make(1, claimed_score=D(90), computed_score=None, execution_rate=D("79.99"))
    assert risk_score(claimed, WEIGHTS) == (D(20), ["自评 90.00 分（优）而预算执行率仅 79.99% = 20"])
    assert risk_score(claimed._replace(execution_rate=D(80)), WEIGHTS) == (D(0), [])
    assert risk_score(claimed._replace(claimed_score=D("89.99")), WEIGHTS) == (D(0), [])
    assert risk_score(claimed._replace(execution_rate=None), WEIGHTS) == (D(0), [])


@pytest.mark.parametrize(
    ("budget", "points", "reasons"),
    [
        (None, D(0), []),
        (D("99.99"), D(0), []),
        (D(100), D(5), ["预算 100.00 万元（100 万元及以上档）= 5"]),
        (D("999.99"), D(5), ["预算 999.99 万元（100 万元及以上档）= 5"]),
        (D(25000), D(10), ["预算 25000.00 万元（1000 万元及以上档）= 10"]),
    ],
)
def test_the_budget_falls_in_the_highest_band_it_reaches(
    budget: Decimal | None, points: Decimal, reasons: list[str]
) -> None:
    assert risk_score(make(1, budget_wan=budget), WEIGHTS) == (points, reasons)


def test_earlier_inflation_is_averaged_over_the_inflated_years_and_capped() -> None:
    assert risk_score(make(1, earlier=EarlierReviews.of((D(-4), D(0)))), WEIGHTS) == (D(0), [])
    assert risk_score(make(1, earlier=EarlierReviews.of((D(1), D(2), D(2)))), WEIGHTS) == (
        D("3.34"),
        ["往年复核 3 次中 3 次自评偏高，平均高出 1.67 分 × 2 = 3.34"],
    )
    assert risk_score(make(1, earlier=EarlierReviews.of((D(12),))), WEIGHTS) == (
        D(10),
        ["往年复核 1 次中 1 次自评偏高，平均高出 12.00 分 × 2 = 24，封顶 10"],
    )


def test_the_total_is_capped_at_100_and_the_cap_is_said() -> None:
    c = make(
        1,
        error_count=3,
        claimed_score=D(98),
        computed_score=D(60),
        execution_rate=D(40),
        budget_wan=D(5000),
        earlier=EarlierReviews.of((D(10),)),
    )
    score, reasons = risk_score(c, WEIGHTS)
    assert score == D(100)
    assert reasons[-1] == "合计 110，封顶 100"


def test_a_units_earlier_reviews_are_summed_up_as_count_inflated_count_and_inflated_total() -> None:
    assert EarlierReviews.of((D(3), D(-1), D("5.25"), D(0))) == EarlierReviews(4, 2, D("8.25"))
    assert EarlierReviews.of(()) == EarlierReviews() == EarlierReviews(0, 0, D(0))


def test_the_ranking_score_is_the_explained_score_for_every_kind_of_candidate() -> None:
    """``draw`` ranks every candidate by :func:`_scorer` and explains the drawn ones by :func:`risk_score`: the two
    must agree to the cent, cap and band edge included, with the shipped weights, the tests' and fractional ones."""
    shipped = SamplingWeights.model_validate(read_yaml(ROOT / "jixiao" / "data" / "sampling" / "risk.yaml"))
    histories = [
        EarlierReviews(),
        EarlierReviews.of((D(-2), D(0))),
        EarlierReviews.of((D(1), D(2), D(2))),
        EarlierReviews.of((D("0.01"), D("0.02"))),
        EarlierReviews.of((D("14.99"), D(-3))),
        EarlierReviews.of((D(30),)),
    ]
    scores = [None, D(0), D("59.99"), D("79.995"), D(80), D("89.99"), D(90), D("100")]
    rates = [None, D(0), D("79.99"), D(80), D("120.5")]
    budgets = [None, D(0), D("9.9999"), D(10), D("99.99"), D(100), D(1000), D("25000.5")]
    fractional = WEIGHTS.model_copy(
        update={
            "warning": D("7.5"),
            "gap_per_point": D("1.5"),
            "earlier_gap_weight": D("0.75"),
            "budget_bands": [BudgetBand(from_wan=D(0), points=D("0.5")), BudgetBand(from_wan=D(10), points=D(3))],
        }
    )
    for weights in (WEIGHTS, shipped, fractional):
        score = _scorer(weights)
        n = 0
        for claimed in scores:
            for computed in scores[::2]:
                for rate in rates:
                    for budget in budgets:
                        for errors, warnings in ((0, 0), (1, 0), (0, 1), (1, 1), (0, 3), (2, 1), (4, 4)):
                            n += 1
                            c = make(
                                n,
                                claimed_score=claimed,
                                computed_score=computed,
                                execution_rate=rate,
                                budget_wan=budget,
                                error_count=errors,
                                warning_count=warnings,
                                earlier=histories[n % len(histories)],
                            )
                            assert score(c) == risk_score(c, weights)[0], c


# -- size and allocation --------------------------------------------------------------------------------------------


def test_a_percentage_is_rounded_up_and_the_size_is_at_most_the_candidates() -> None:
    assert sample_size(plan(size_count=None, size_pct=D(10)), 11) == 2
    assert sample_size(plan(size_count=None, size_pct=D(10)), 10) == 1
    assert sample_size(plan(size_count=None, size_pct=D(100)), 7) == 7
    assert sample_size(plan(size_count=50), 3) == 3


def test_the_size_is_spread_by_largest_remainder() -> None:
    # 4 × 5/10 = 2, 4 × 3/10 = 1.2, 4 × 2/10 = 0.8: the one left goes to the largest remainder, 0.8
    assert allocate({1: 5, 2: 3, 3: 2}, 4, 0) == {1: (2, 2), 2: (1, 1), 3: (1, 1)}


def test_equal_remainders_go_to_the_smaller_department_id_and_the_unassigned_last() -> None:
    assert allocate({3: 1, 1: 1, 2: 1}, 2, 0) == {1: (1, 1), 2: (1, 1), 3: (0, 0)}
    assert allocate({None: 1, 7: 1}, 1, 0) == {7: (1, 1), None: (0, 0)}


def test_the_minimum_per_department_raises_small_ones_up_to_their_size() -> None:
    # 3 × 8/10 = 2.4, 3 × 1/10 = 0.3 twice → 3, 0, 0; then at least 2 each, but the small ones have only 1
    assert allocate({1: 8, 2: 1, 3: 1}, 3, 2) == {1: (3, 3), 2: (0, 1), 3: (0, 1)}


def test_a_sample_raised_by_the_minimum_is_larger_than_asked_and_says_so() -> None:
    candidates = [make(i, 1) for i in range(1, 9)] + [make(9, 2), make(10, 3)]
    sample = draw(candidates, plan(size_count=3, minimum_per_department=1), WEIGHTS)
    assert (sample.n_asked, sample.n_drawn) == (3, 5)
    assert [(s.department_name, s.candidates, s.proportional, s.allocated) for s in sample.per_department] == [
        ("市卫健委", 1, 0, 1),
        ("市教育局", 8, 3, 3),
        ("市科协", 1, 0, 1),
    ]
    assert sample.notes == ["因每个主管部门至少抽取 1 个，实际抽取 5 个，多于按规模确定的 3 个"]


def test_asking_for_more_than_there_are_draws_them_all() -> None:
    sample = draw([make(1), make(2), make(3, 2)], plan(size_count=50), WEIGHTS)
    assert (sample.n_asked, sample.n_drawn) == (3, 3)
    assert sorted(ids(sample)) == [1, 2, 3]
    assert sample.notes == ["抽样个数 50 多于候选数 3，全部抽取"]


def test_no_candidates_no_sample() -> None:
    sample = draw([], plan(size_pct=D(10), size_count=None), WEIGHTS)
    assert (sample.n_asked, sample.n_drawn, sample.items, sample.per_department) == (0, 0, [], [])


# -- the draw -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "share", "r"), [(5, D(30), 2), (5, D(10), 1), (3, D(10), 0), (4, D(0), 0), (4, D(100), 4)]
)
def test_the_random_share_is_rounded_half_up(k: int, share: Decimal, r: int) -> None:
    assert random_count(k, share) == r


def test_the_riskiest_are_drawn_first_and_the_random_part_from_the_rest() -> None:
    candidates = [make(i, error_count=i % 3, warning_count=i % 2) for i in range(1, 11)]
    sample = draw(candidates, plan(size_count=5, random_share_pct=D(30)), WEIGHTS)
    (summary,) = sample.per_department
    assert (summary.allocated, summary.drawn_risk, summary.drawn_random) == (5, 3, 2)
    # 2, 5 and 8 have 2 errors (5 a warning too, past the cap of 50): equal scores and budgets go by record id
    assert [(i.candidate.record_id, i.rank_in_department, i.risk_score) for i in sample.items if i.part == "risk"] == [
        (2, 1, D(50)),
        (5, 2, D(50)),
        (8, 3, D(50)),
    ]
    assert ids(sample, "random") == [7, 9]
    assert not set(ids(sample, "random")) & {2, 5, 8}


def test_the_same_seed_draws_the_same_sample_in_the_same_order() -> None:
    candidates = [make(i, 1 + i % 3, error_count=i % 4, budget_wan=D(i * 7)) for i in range(1, 61)]
    the_plan = plan(size_count=None, size_pct=D(25), minimum_per_department=2, random_share_pct=D(40))
    first = draw(candidates, the_plan, WEIGHTS)
    assert draw(list(reversed(candidates)), the_plan, WEIGHTS) == first
    other = draw(candidates, replace(the_plan, seed=54321), WEIGHTS)
    assert ids(other, "risk") == ids(first, "risk")
    assert ids(other, "random") != ids(first, "random")


def test_ties_in_risk_go_to_the_larger_budget_then_the_smaller_record_id() -> None:
    candidates = [make(4, budget_wan=None), make(3, budget_wan=D(10)), make(2, budget_wan=D(60)), make(1)]
    sample = draw(candidates, plan(size_count=4), WEIGHTS)
    assert ids(sample) == [2, 1, 3, 4]


def test_earlier_inflation_raises_a_units_rank() -> None:
    candidates = [make(1), make(2), make(3)]
    assert ids(draw(candidates, plan(size_count=1), WEIGHTS)) == [1]
    inflated = [make(1), make(2), make(3, earlier=EarlierReviews.of((D(3),)))]
    sample = draw(inflated, plan(size_count=1), WEIGHTS)
    assert ids(sample) == [3]
    assert (
        sample.items[0].why
        == "风险分 6（往年复核 1 次中 1 次自评偏高，平均高出 3.00 分 × 2 = 6），在本主管部门排第 1 位"
    )


def test_items_come_by_department_name_then_risk_before_random_and_each_says_why() -> None:
    candidates = [
        make(1, 1, error_count=2, claimed_score=D(88), computed_score=D(80)),
        make(2, 1),
        make(3, 2, warning_count=1),
        make(4, None),
    ]
    sample = draw(candidates, plan(size_count=4, random_share_pct=D(25)), WEIGHTS)
    assert [(i.candidate.department_name, i.part, i.rank_in_department, i.why) for i in sample.items] == [
        ("市卫健委", "risk", 1, "风险分 8（1 条警告 × 8 = 8），在本主管部门排第 1 位"),
        ("市教育局", "risk", 1, "风险分 58（2 条错误 × 25 = 50；自评高于计算 8.00 分 × 1 = 8），在本主管部门排第 1 位"),
        ("市教育局", "random", 1, "随机抽取（种子 12345）"),
        ("", "risk", 1, "风险分 0（无风险因素），在本主管部门排第 1 位"),
    ]
    assert [s.department_name for s in sample.per_department] == ["市卫健委", "市教育局", "（未归属主管部门）"]


def test_a_record_cannot_be_a_candidate_twice() -> None:
    with pytest.raises(SamplingError) as err:
        draw([make(1), make(1, 2)], plan(), WEIGHTS)
    assert str(err.value) == "候选中记录编号 1 重复出现"


# -- plan and weights -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size_pct": D(10), "size_count": 5}, "抽样规模只能按比例或按个数给出其一，不能同时给出"),
        ({"size_count": None}, "请给出抽样规模：按比例或按个数"),
        ({"size_count": None, "size_pct": D(0)}, "抽样比例应大于 0 且不超过 100%，实际为 0%"),
        ({"size_count": None, "size_pct": D("100.5")}, "抽样比例应大于 0 且不超过 100%，实际为 100.5%"),
        ({"size_count": None, "size_pct": D("NaN")}, "抽样比例应大于 0 且不超过 100%，实际为 NaN%"),
        ({"size_count": 0}, "抽样个数应为正整数，实际为 0"),
        ({"minimum_per_department": -1}, "每个主管部门最少抽取数不能为负数，实际为 -1"),
        ({"random_share_pct": D(-5)}, "随机抽取比例应在 0 到 100% 之间，实际为 -5%"),
        ({"random_share_pct": D(120)}, "随机抽取比例应在 0 到 100% 之间，实际为 120%"),
    ],
)
def test_a_plan_that_cannot_be_drawn_is_refused_in_chinese(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SamplingError) as err:
        plan(**changes)
    assert str(err.value) == message


def test_the_shipped_weights_load_and_name_every_weight() -> None:
    data = read_yaml(ROOT / "jixiao" / "data" / "sampling" / "risk.yaml")
    assert isinstance(data, dict)
    assert sorted(data) == sorted(SamplingWeights.model_fields)
    weights = SamplingWeights.model_validate(data)
    assert weights.budget_bands[0].from_wan == 0
    assert all(
        isinstance(getattr(weights, name), Decimal) for name in SamplingWeights.model_fields if name != "budget_bands"
    )


def test_budget_bands_must_start_at_zero_and_ascend() -> None:
    bands = [{"from_wan": 0, "points": 0}, {"from_wan": 100, "points": 5}]
    fields = WEIGHTS.model_dump(exclude={"budget_bands"})
    assert SamplingWeights.model_validate({**fields, "budget_bands": bands}).budget_bands[1].from_wan == 100
    with pytest.raises(ValueError, match="预算分档的第一档应从 0 万元起"):
        SamplingWeights.model_validate({**fields, "budget_bands": bands[1:]})
    with pytest.raises(ValueError, match="预算分档的起点应逐档递增"):
        SamplingWeights.model_validate({**fields, "budget_bands": [*bands, {"from_wan": 100, "points": 9}]})
    with pytest.raises(ValueError, match="extra"):
        SamplingWeights.model_validate({**fields, "budget_bands": bands, "info": 1})


def test_departments_are_listed_by_name_with_their_numbers_in_numeric_order() -> None:
    """基准主管部门2 comes before 基准主管部门10, as a finance officer reads a list, not by character codes."""
    names = {7: "第10分局", 8: "第2分局", 9: "第1分局"}
    candidates = [make(i)._replace(department_id=d, department_name=name) for i, (d, name) in enumerate(names.items())]
    sample = draw(candidates, plan(size_count=3), WEIGHTS)
    assert [d.department_name for d in sample.per_department] == ["第1分局", "第2分局", "第10分局"]
    assert [i.candidate.department_name for i in sample.items] == ["第1分局", "第2分局", "第10分局"]
