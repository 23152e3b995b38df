"""A rate stated in one sentence with the two amounts it is made of: read only where the sentence says which amount
was due and which happened, and checked (a warning) against their quotient."""

from decimal import Decimal

from jixiao.core.audit.source import Place, SourceText
from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.flat import flatten
from jixiao.reading.extract.rates import find_rate_statements


def source(*lines: str) -> SourceText:
    text = SourceText(file="t.txt", format="txt")
    for number, line in enumerate(lines, start=1):
        text.add_line(line, Place(line=number))
    return text


def rates(*lines: str) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    return [(r.name, r.rate_pct, r.due_wan, r.actual_wan) for r in find_rate_statements(flatten(source(*lines)))]


def test_a_rate_with_what_was_due_and_what_happened_in_its_sentence_is_read():
    found = rates("地方应配套200.00万元，实际配套到位资金250.00万元，超额配套50.00万元，执行率为125.00%。")
    assert found == [("执行率", Decimal("125.00"), Decimal("200.00"), Decimal("250.00"))]


def test_a_sentence_with_two_due_amounts_or_two_rates_or_no_actual_is_left_alone():
    assert rates("计划安排100万元，预算资金80万元，实际到位80万元，到位率为100%。") == []
    assert rates("应到位100万元，实际到位90万元，到位率90%，执行率85%。") == []
    assert rates("预算资金100万元，执行率为90%。") == []


def test_the_audit_warns_when_the_rate_is_not_the_quotient_of_its_amounts():
    settings = AuditSettings.load()
    wrong = source("2022年度项目绩效自评报告", "地方应配套200.00万元，实际配套到位资金250.00万元，执行率为150.00%。")
    right = source("2022年度项目绩效自评报告", "地方应配套200.00万元，实际配套到位资金250.00万元，执行率为125.00%。")
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
