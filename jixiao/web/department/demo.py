"""Demo data for this part of the system (called by ``manage.py load_demo``; idempotent): the 2022 部门整体自评 of
湛江市科学技术协会, filled in by its 主管部门审核人 and submitted to 湛江市财政局, waiting for its review. Its roll-up
reads the department's project self-evaluations of 2022 (the 科普 project of 湛江市科学技术协会机关, 153 万元)."""

from __future__ import annotations

from decimal import Decimal

from ...core.department.model import DepartmentEvaluation, ItemEntry, Narrative
from ...io.department.catalogue import load_department_framework
from ..organisations.models import Membership, Organisation, OrganisationKind, Role
from . import services
from .choices import Action
from .models import DepartmentEvaluationRecord

DEPARTMENT = "湛江市科学技术协会"
YEAR = 2022
FRAMEWORK = "mof-2013-53"

#: the department's 2022 accounts (万元; people)
ACCOUNTS = {
    "initial_budget": "412.60",
    "budget": "468.35",
    "spent": "441.20",
    "basic_spent": "296.40",
    "project_spent": "144.80",
    "carried_in": "18.40",
    "carry_over": "27.15",
    "three_public_budget": "8.50",
    "three_public_spent": "7.32",
    "three_public_budget_last": "9.00",
    "procurement_budget": "62.00",
    "procurement_actual": "58.90",
    "public_funds_budget": "45.60",
    "public_funds_spent": "43.80",
    "key_project_budget": "153.00",
    "project_budget": "236.50",
    "staff_actual": "41",
    "staff_quota": "45",
}

#: the self-scored items that lost points, and why; every other self-scored item is at full points
DEDUCTIONS = {
    "投入/目标设定/绩效指标明确性": ("2.5", "部分产出指标未量化（如“科普宣传覆盖面扩大”）。"),
    "过程/资产管理/固定资产利用率": ("1.5", "流动科技馆展品一套全年使用 3 次，利用不足。"),
    "产出/职责履行/完成及时率": ("5", "受疫情影响，青少年科技创新大赛延期至 12 月举办。"),
    "效果/履职效益/社会公众或服务对象满意度": ("7", "问卷调查满意度 88%，低于 90% 的目标。"),
}


def _document(department: Organisation, finance: Organisation) -> DepartmentEvaluation:
    items = {}
    for path, leaf in load_department_framework(FRAMEWORK).leaves():
        if leaf.formula:
            continue
        key = "/".join(path)
        score, reason = DEDUCTIONS.get(key, (str(leaf.points), ""))
        items[key] = ItemEntry(score=Decimal(score), reason=reason)
    return DepartmentEvaluation.model_validate(
        {
            "header": {
                "department": department.name,
                "year": YEAR,
                "finance": finance.name,
                "contact": "审核员（科协主管部门）",
                "phone": "0759-3333333",
            },
            "framework": FRAMEWORK,
            "accounts": ACCOUNTS,
            "items": {k: v.model_dump() for k, v in items.items()},
            "narrative": Narrative(
                overview="湛江市科学技术协会是市委领导的人民团体，主要职责是开展科学普及、学术交流、科技人才服务，"
                "下设湛江市科学技术协会机关 1 个预算单位，2022 年末在职人员 41 人，编制 45 人。",
                achievements="全年开展科普活动 126 场，举办青少年科技创新大赛 1 届，组织学术交流活动 18 场。",
                problems="（一）预算执行进度前慢后快，四季度支出占全年 38%。\n（二）部分绩效指标未量化，难以考核。",
                improvements="（一）按月监控预算执行进度，对滞后项目及时督促。\n（二）按财预〔2021〕101号细化量化绩效指标。",
            ).model_dump(),
        }
    )


def load_demo(finance: Organisation) -> None:
    department = Organisation.objects.filter(name=DEPARTMENT, kind=OrganisationKind.DEPARTMENT, parent=finance).first()
    if department is None or DepartmentEvaluationRecord.objects.filter(department=department, year=YEAR).exists():
        return
    membership = Membership.objects.filter(organisation=department, role=Role.DEPARTMENT_REVIEWER).first()
    reviewer = membership.user if membership else None
    record = services.create(department, YEAR, FRAMEWORK, reviewer)
    services.save(record.pk, _document(department, finance), reviewer, record.revision)
    services.move(record.pk, Action.SUBMIT, reviewer)
