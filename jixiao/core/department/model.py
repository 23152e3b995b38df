"""The 部门整体 self-evaluation as the department fills it in: header, account figures, stated ratios, item scores
with their 扣分原因, the stated total and grade, and the narrative. Stored as JSON by the web app."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from ..model import Model, Num


class Header(Model):
    department: str = Field(title="主管部门", min_length=1, max_length=200)
    year: int = Field(title="评价年度", ge=2000, le=2100)
    finance: str = Field(default="", title="财政部门", max_length=200)
    contact: str = Field(default="", title="部门联系人", max_length=50)
    phone: str = Field(default="", title="联系电话", max_length=50)


class ItemEntry(Model):
    """The department's own score of one leaf (分) and why points were taken off."""

    score: Num | None = Field(default=None, title="自评得分", ge=0)
    reason: str = Field(default="", title="扣分原因", max_length=2000)


class Narrative(Model):
    overview: str = Field(default="", title="部门基本情况", max_length=10000)
    achievements: str = Field(default="", title="绩效目标完成情况", max_length=10000)
    problems: str = Field(default="", title="存在的问题", max_length=10000)
    improvements: str = Field(default="", title="改进措施", max_length=10000)


class DepartmentEvaluation(Model):
    header: Header
    framework: str = Field(title="指标体系")
    #: by input id (jixiao/data/department/formulas.yaml); a missing or None figure is 未填写
    accounts: dict[str, Num | None] = Field(default_factory=dict, title="账面数据")
    #: ratios as the department states them in its own table, percentage points, by formula id
    stated_ratios: dict[str, Num | None] = Field(default_factory=dict, title="部门填报的比率")
    #: by path key (一级/二级/三级)
    items: dict[str, ItemEntry] = Field(default_factory=dict, title="指标自评")
    claimed_total: Num | None = Field(default=None, title="自评总分", ge=0)
    claimed_grade: str = Field(default="", title="自评等级", max_length=10)
    narrative: Narrative = Field(default_factory=Narrative)

    def amount(self, id: str) -> Decimal | None:
        return self.accounts.get(id)
