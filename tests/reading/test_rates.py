"""A rate stated in one sentence with the two amounts it is made of: read only where the sentence says which amount
was due and which happened, and checked (a warning) against their quotient."""

from decimal import Decimal

from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.facts import find_rates
from jixiao.reading.extract.flat import flatten
from jixiao.reading.extract.rates import find_rate_statements
from tests.reading.sources import text_source


def rates(*lines: str) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    return [(r.name, r.rate_pct, r.due_wan, r.actual_wan) for r in find_rate_statements(flatten(text_source(*lines)))]


def test_a_rate_with_what_was_due_and_what_happened_in_its_sentence_is_read():
    found = rates("地方应配套200.00万元，实际配套到位资金250.00万元，超额配套50.00万元，执行率为125.00%。")
    assert found == [("执行率", Decimal("125.00"), Decimal("200.00"), Decimal("250.00"))]


def test_a_sentence_with_two_due_amounts_or_two_rates_or_no_actual_is_left_alone():
    assert rates("计划安排100万元，预算资金80万元，实际到位80万元，到位率为100%。") == []
    assert rates("应到位100万元，实际到位90万元，到位率90%，执行率85%。") == []
    assert rates("预算资金100万元，执行率为90%。") == []


def test_the_audit_warns_when_the_rate_is_not_the_quotient_of_its_amounts():
    settings = AuditSettings.load()
    wrong = text_source(
        "2022年度项目绩效自评报告", "地方应配套200.00万元，实际配套到位资金250.00万元，执行率为150.00%。"
    )
    right = text_source(
        "2022年度项目绩效自评报告", "地方应配套200.00万元，实际配套到位资金250.00万元，执行率为125.00%。"
    )
    found = [
        [
            (f.id, f.severity.name, f.message)
            for f in audit_source(s, settings.rules, settings.framework, settings.weights).findings
            if f.id == "A015"
        ]
        for s in (wrong, right)
    ]
    assert found == [
        [("A015", "WARNING", "句中执行率 150.00%，与同句的实际 250.00 万元 ÷ 应有 200.00 万元 = 125.000% 不符")],
        [],
    ]


def stated_rates(*lines: str) -> dict[str, Decimal]:
    return {name: fact.value for name, fact in find_rates(flatten(text_source(*lines))).items()}


def test_a_rate_in_a_scoring_standard_is_a_threshold_not_a_stated_rate():
    assert stated_rates("预算执行率：预算执行率达到 95% 得满分，低于 95% 按比例计分。") == {}
    assert stated_rates("到位率每降低 10% 扣 1 分。") == {}


def test_the_stated_rate_after_a_scoring_standard_is_still_read():
    found = stated_rates("评分标准：预算执行率达到 95% 得满分。", "本年预算执行率为 92.50%。")
    assert found == {"execution_rate_pct": Decimal("92.50")}
