"""What each lifecycle step will do, said before it is done (the confirmation page asks 「确定…？」)."""

from __future__ import annotations

from decimal import Decimal

from ...core.values import fmt
from ...io.catalogue import load_rules
from .choices import Action
from .models import EvaluationRecord


def statement(record: EvaluationRecord, action: str, review_score: Decimal | None = None) -> str:
    """One or two sentences: what happens, who gets it next, what can no longer be done; ends with the question."""
    department = record.department.name if record.department else "主管部门"
    finance = record.finance.name if record.finance else "财政部门"
    if action == Action.START:
        return f"开始填报后，本评价成为{record.unit.name}的草稿，可以编辑、保存和提交。确定开始填报？"
    if action == Action.SUBMIT:
        return f"提交后不能再修改，将送 {department} 审核。确定提交？"
    if action == Action.APPROVE:
        return f"审核通过后将送 {finance} 复核，{record.unit.name}不能再修改。确定审核通过？"
    if action == Action.RETURN:
        return f"退回后，{record.unit.name}可以修改并重新提交；退回意见将显示在其评价页面顶部，直到重新提交。确定退回？"
    if action == Action.REVIEW:
        grade = load_rules(record.document.get("rules", "mof-2020")).grade_for(review_score or Decimal(0))
        replaces = f"，替换此前的复核得分 {fmt(record.review_score)} 分" if record.review_score is not None else ""
        return f"复核得分 {fmt(review_score)} 分，复核等级“{grade}”{replaces}。保存后记入流转记录。确定保存复核？"
    if action == Action.PUBLISH:
        return (
            "公开后，本评价的自评报告和得分将在“绩效信息公开”页面向社会公开，任何人无需登录即可查看和下载，"
            "公开后不能撤回。确定公开？"
        )
    raise ValueError(action)


#: the confirm button's words
BUTTONS = {
    Action.START: "确定开始填报",
    Action.SUBMIT: "确定提交",
    Action.APPROVE: "确定审核通过",
    Action.RETURN: "确定退回",
    Action.REVIEW: "确定保存复核",
    Action.PUBLISH: "确定公开",
}
