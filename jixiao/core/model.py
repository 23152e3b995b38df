"""The self-evaluation as data: project, funds, goals, indicator tree, outputs, surveys, narrative, claims.

Money is ``Decimal`` in 万元 (fields end in ``_wan``); rates are percentage points (fields end in ``_pct``).
What the unit *stated* lives in :class:`Claims` and in each indicator's ``claimed_score``; what jixiao
computes is never stored here but in :mod:`jixiao.core.scoring`'s result.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .values import Measure, fmt, fmt_pct, parse_amount, parse_measure, parse_percent, to_decimal


def _amount(value: object) -> object:
    return value if value is None else parse_amount(value, what="金额")


def _percent(value: object) -> object:
    return value if value is None else parse_percent(value, what="比率")


def _number(value: object) -> object:
    return value if value is None else to_decimal(value, what="数值")


#: an amount in 万元; input may be a number (万元) or text with a unit ("1530000元", "153万元")
Wan = Annotated[Decimal, BeforeValidator(_amount)]
#: percentage points; input must carry a % sign ("65.36%"), and JSON output writes it back with one
Pct = Annotated[
    Decimal, BeforeValidator(_percent), PlainSerializer(lambda v: f"{v}%", return_type=str, when_used="json")
]
#: a plain number (points, scores, counts)
Num = Annotated[Decimal, BeforeValidator(_number)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=False)


# --------------------------------------------------------------------------------------------
# Project
# --------------------------------------------------------------------------------------------


class BasisDocument(Model):
    """实施依据: a law, plan or notice the project rests on."""

    title: str = Field(title="文件名称")
    number: str | None = Field(default=None, title="文号")


#: the longest 项目名称 (characters): the lists and records store it in a column of this width
PROJECT_NAME_MAX = 300


class Project(Model):
    """项目概况."""

    name: str = Field(title="项目名称", min_length=1, max_length=PROJECT_NAME_MAX)
    year: int = Field(title="评价年度", ge=2000, le=2100)
    department: str | None = Field(default=None, title="主管部门")
    unit: str | None = Field(default=None, title="实施单位")
    background: str | None = Field(default=None, title="项目背景")
    basis: list[BasisDocument] = Field(default_factory=list, title="实施依据")
    content_items: list[str] = Field(default_factory=list, title="主要内容")
    implementation: str | None = Field(default=None, title="实施情况")
    expected_input_wan: Wan | None = Field(default=None, title="预期投入（万元）")
    expected_input_source: str | None = Field(default=None, title="预期投入资金来源")
    completed: bool | None = Field(default=None, title="项目是否已完成")

    def with_year(self, suffix: str = "年") -> str:
        """``2022年科普专项经费``; the name alone when it already starts with the year or says 「2022年」, so that
        no title reads 「2022年2022年…」."""
        name = self.name.strip()
        if name.startswith(str(self.year)) or f"{self.year}年" in name:
            return name
        return f"{self.year}{suffix}{name}"


# --------------------------------------------------------------------------------------------
# Funds
# --------------------------------------------------------------------------------------------


class FundSource(StrEnum):
    """The rows of the 附1 fund block."""

    CURRENT = "current"  # 当年财政拨款
    CARRYOVER = "carryover"  # 上年结转资金
    OTHER = "other"  # 其他资金

    @property
    def label(self) -> str:
        return FUND_SOURCE_LABELS[self]


FUND_SOURCE_LABELS = {
    FundSource.CURRENT: "当年财政拨款",
    FundSource.CARRYOVER: "上年结转资金",
    FundSource.OTHER: "其他资金",
}


class FundArrival(Model):
    """One transfer of funds that actually arrived (实际到位)."""

    amount_wan: Wan = Field(title="到位金额（万元）")
    date: dt.date | None = Field(default=None, title="到位日期")
    note: str | None = Field(default=None, title="说明")


class FundRow(Model):
    """资金来源行: budget, arrival and execution of one source, in 万元."""

    source: FundSource = Field(title="资金来源")
    detail: str | None = Field(default=None, title="来源说明")
    initial_budget_wan: Wan | None = Field(default=None, title="年初预算数（万元）")
    annual_budget_wan: Wan = Field(title="全年预算数（万元）")
    arrivals: list[FundArrival] = Field(default_factory=list, title="实际到位")
    executed_wan: Wan | None = Field(default=None, title="全年执行数（万元）")
    explanation: str | None = Field(default=None, title="差异说明")

    @property
    def arrived_wan(self) -> Decimal | None:
        if not self.arrivals:
            return None
        return sum((a.amount_wan for a in self.arrivals), Decimal(0))


class Allocation(Model):
    """资金分配: part of the funds passed to a sub-recipient."""

    recipient: str = Field(title="接收单位/对象")
    amount_wan: Wan = Field(title="金额（万元）")
    purpose: str | None = Field(default=None, title="用途")
    count: int | None = Field(default=None, title="项目数", ge=0)


# --------------------------------------------------------------------------------------------
# Goals and indicators
# --------------------------------------------------------------------------------------------


class GoalKind(StrEnum):
    OVERALL = "overall"  # 总体目标
    PHASE = "phase"  # 阶段性目标


class Goal(Model):
    """绩效目标 item: what was planned and what was achieved."""

    kind: GoalKind = Field(default=GoalKind.OVERALL, title="目标类型")
    title: str | None = Field(default=None, title="目标名称")
    expected: str = Field(title="预期目标")
    actual: str | None = Field(default=None, title="实际完成情况")


class IndicatorKind(StrEnum):
    """How a leaf is scored. ``fund`` leaves take their actual from the fund figures."""

    POSITIVE = "positive"  # 定量 正向 (≥)
    REVERSE = "reverse"  # 定量 反向 (≤)
    EQUAL = "equal"  # 定量 等于 (=)
    QUALITATIVE = "qualitative"  # 定性
    YES_NO = "yes_no"  # 是否
    FUND = "fund"  # 由资金数据计算（资金到位率、预算执行率）


INDICATOR_KIND_LABELS = {
    IndicatorKind.POSITIVE: "定量（正向）",
    IndicatorKind.REVERSE: "定量（反向）",
    IndicatorKind.EQUAL: "定量（等于）",
    IndicatorKind.QUALITATIVE: "定性",
    IndicatorKind.YES_NO: "是否",
    IndicatorKind.FUND: "资金计算",
}


class FundMeasure(StrEnum):
    """Which fund figure a ``fund`` indicator takes as its actual."""

    ARRIVAL_RATE = "arrival_rate"  # 资金到位率 = 到位 / 全年预算
    EXECUTION_RATE = "execution_rate"  # 预算执行率, basis from the rule set
    SPEND_RATE = "spend_rate"  # 支出率 = 执行 / 到位


class ValueBasis(StrEnum):
    """指标值设定依据 (财预〔2021〕101号)."""

    PLAN = "plan"  # 计划标准
    INDUSTRY = "industry"  # 行业标准
    HISTORY = "history"  # 历史标准
    OTHER = "other"  # 其他标准


class Indicator(Model):
    """A node of the indicator tree (一级 … 四级). Leaves are scored; a parent's points are its children's sum.

    Parsed values (``target_measure``, ``actual_measure``, ``effective_kind``) are cached on first use, so an
    indicator is treated as immutable once validated: edit by building a new one (``model_copy(update=...)``).
    """

    name: str = Field(title="指标名称", min_length=1)
    points: Num | None = Field(default=None, title="分值", ge=0)
    kind: IndicatorKind | None = Field(default=None, title="指标类型")
    fund_measure: FundMeasure | None = Field(default=None, title="资金指标口径")
    target: str | None = Field(default=None, title="年度指标值")
    actual: str | None = Field(default=None, title="实际完成值")
    claimed_score: Num | None = Field(default=None, title="自评得分")
    deviation_reason: str | None = Field(default=None, title="偏差原因分析及改进措施")
    evidence: list[str] = Field(default_factory=list, title="佐证材料")
    value_basis: ValueBasis | None = Field(default=None, title="指标值设定依据")
    survey: str | None = Field(default=None, title="关联满意度调查")
    not_applicable: bool = Field(default=False, title="不适用")
    children: list[Indicator] = Field(default_factory=list, title="下级指标")

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @cached_property
    def target_measure(self) -> Measure:
        return parse_measure(self.target)

    @cached_property
    def actual_measure(self) -> Measure:
        return parse_measure(self.actual)

    @cached_property
    def effective_kind(self) -> IndicatorKind:
        """The stated kind, or the one the target's form implies (≥ 正向, ≤ 反向, = 等于, 是/否, text 定性)."""
        if self.kind is not None:
            return self.kind
        if self.fund_measure is not None:
            return IndicatorKind.FUND
        target = self.target_measure
        if target.raw in ("是", "否", "有", "无"):
            return IndicatorKind.YES_NO
        if target.number is None:
            return IndicatorKind.QUALITATIVE
        if target.operator == "<=":
            return IndicatorKind.REVERSE
        if target.operator == "=" and target.number == 0:
            return IndicatorKind.EQUAL
        return IndicatorKind.POSITIVE

    def walk(self, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Indicator]]:
        """Every node below and including this one, with its path of names from the root."""
        here = (*path, self.name)
        nodes = [(here, self)]
        for child in self.children:
            nodes.extend(child.walk(here))
        return nodes


# --------------------------------------------------------------------------------------------
# Outputs, surveys, organisation, narrative
# --------------------------------------------------------------------------------------------


class OutputRecord(Model):
    """A dated activity or product with its counts (产出记录)."""

    title: str = Field(title="活动/产出")
    date: dt.date | None = Field(default=None, title="日期")
    end_date: dt.date | None = Field(default=None, title="结束日期")
    count: Num | None = Field(default=None, title="数量", ge=0)
    count_unit: str | None = Field(default=None, title="数量单位")
    approximate: bool = Field(default=False, title="约数（“多”“近”“余”）")
    participants: int | None = Field(default=None, title="参与人数", ge=0)
    amount_wan: Wan | None = Field(default=None, title="金额（万元）")
    indicator: str | None = Field(default=None, title="关联指标")
    source_text: str | None = Field(default=None, title="原文")


class Survey(Model):
    """满意度调查: how many answered and how many were satisfied."""

    id: str = Field(title="调查编号")
    title: str = Field(title="调查名称")
    respondents: int = Field(title="有效样本数", ge=0)
    satisfied: int = Field(title="满意人数", ge=0)
    method: str | None = Field(default=None, title="调查方式")

    @property
    def rate_pct(self) -> Decimal | None:
        if self.respondents == 0:
            return None
        return Decimal(self.satisfied) * 100 / Decimal(self.respondents)


class GroupMember(Model):
    """A member of the self-evaluation leadership group."""

    role: str = Field(title="小组职务")  # 组长 / 副组长 / 组员
    name: str | None = Field(default=None, title="姓名")
    position: str | None = Field(default=None, title="单位职务")


class Organisation(Model):
    """自评工作组织."""

    evaluated_object: str | None = Field(default=None, title="自评对象")
    scope: str | None = Field(default=None, title="自评范围")
    method: str | None = Field(default=None, title="评价方法")
    framework_description: str | None = Field(default=None, title="评价指标体系和标准")
    leadership: list[GroupMember] = Field(default_factory=list, title="领导小组")
    deadline: dt.date | None = Field(default=None, title="完成时限")
    steps: list[str] = Field(default_factory=list, title="工作步骤")
    documents: list[str] = Field(default_factory=list, title="形成材料")


class Narrative(Model):
    """The report's prose, section by section."""

    conclusion: str | None = Field(default=None, title="自评结论")
    fund_arrival: str | None = Field(default=None, title="资金到位情况")
    fund_execution: str | None = Field(default=None, title="资金执行情况")
    fund_management: str | None = Field(default=None, title="资金管理情况")
    performance: str | None = Field(default=None, title="绩效目标完成情况")
    satisfaction: str | None = Field(default=None, title="满意度指标完成情况")
    experience: list[str] = Field(default_factory=list, title="主要经验及做法")
    problems: list[str] = Field(default_factory=list, title="存在的问题及原因分析")
    improvements: list[str] = Field(default_factory=list, title="改进意见")
    result_use: str | None = Field(default=None, title="自评结果拟应用和公开情况")


class Claims(Model):
    """What the unit stated about itself, kept apart from what jixiao computes.

    ``quotes`` keeps the sentence each claim was taken from, keyed by field name.
    """

    total_score: Num | None = Field(default=None, title="自评总分")
    execution_score: Num | None = Field(default=None, title="预算执行率自评得分")
    grade: str | None = Field(default=None, title="自评等级", max_length=10)  # as the records store it
    budget_wan: Wan | None = Field(default=None, title="所述预算总额（万元）")
    arrived_wan: Wan | None = Field(default=None, title="所述到位资金（万元）")
    spent_wan: Wan | None = Field(default=None, title="所述支出资金（万元）")
    arrival_rate_pct: Pct | None = Field(default=None, title="所述资金到位率")
    spend_rate_pct: Pct | None = Field(default=None, title="所述支出率（占到位资金）")
    execution_rate_pct: Pct | None = Field(default=None, title="所述预算执行率")
    funds_timely: bool | None = Field(default=None, title="所述“资金到位及时”")
    quotes: dict[str, str] = Field(default_factory=dict, title="原文摘录")


# --------------------------------------------------------------------------------------------
# Monitoring (运行监控) as the self-evaluation sees it
# --------------------------------------------------------------------------------------------


class Likelihood(StrEnum):
    """完成目标可能性 (财预〔2019〕136号 监控表)."""

    CERTAIN = "certain"  # 确定能
    POSSIBLE = "possible"  # 有可能
    IMPOSSIBLE = "impossible"  # 完全不可能

    @property
    def label(self) -> str:
        return LIKELIHOOD_LABELS[self]


LIKELIHOOD_LABELS = {
    Likelihood.CERTAIN: "确定能",
    Likelihood.POSSIBLE: "有可能",
    Likelihood.IMPOSSIBLE: "完全不可能",
}


class DeviationCause(StrEnum):
    """偏差原因分析's columns in the 监控表."""

    FUNDING = "funding"  # 经费保障
    INSTITUTION = "institution"  # 制度保障
    STAFFING = "staffing"  # 人员保障
    HARDWARE = "hardware"  # 硬件条件保障
    OTHER = "other"  # 其他

    @property
    def label(self) -> str:
        return DEVIATION_CAUSE_LABELS[self]


DEVIATION_CAUSE_LABELS = {
    DeviationCause.FUNDING: "经费保障",
    DeviationCause.INSTITUTION: "制度保障",
    DeviationCause.STAFFING: "人员保障",
    DeviationCause.HARDWARE: "硬件条件保障",
    DeviationCause.OTHER: "其他",
}


class MonitoredIndicator(Model):
    """One indicator as the monitoring found it."""

    path: list[str] = Field(title="指标路径（一级/二级/三级）", min_length=1)
    target: str | None = Field(default=None, title="年度指标值")
    completed: str | None = Field(default=None, title="截至监控时点完成值")
    completion_pct: Num | None = Field(default=None, title="截至监控时点完成比例（%）")
    expected: str | None = Field(default=None, title="全年预计完成值")
    likelihood: Likelihood | None = Field(default=None, title="完成目标可能性")
    causes: list[DeviationCause] = Field(default_factory=list, title="偏差原因")
    cause_note: str | None = Field(default=None, title="偏差原因说明")
    measures: str | None = Field(default=None, title="纠偏措施")

    @property
    def name(self) -> str:
        return self.path[-1]


class MonitoringSnapshot(Model):
    """Where the project stood at the in-year monitoring (双监控): time progress, budget execution and every
    indicator's state, with the inputs of each rate kept so that its formula can be shown."""

    monitoring_date: dt.date = Field(title="监控时点")
    time_progress_mode: str = Field(default="month", title="序时进度口径")  # month / day
    elapsed: Num = Field(title="已过月数或天数")
    period: Num = Field(title="全年月数或天数")
    time_progress_pct: Num = Field(title="序时进度（%）")
    annual_budget_wan: Wan = Field(title="全年预算数（万元）")
    executed_wan: Wan = Field(title="截至监控时点执行数（万元）")
    execution_rate_pct: Num | None = Field(default=None, title="预算执行率（%）")
    indicators: list[MonitoredIndicator] = Field(default_factory=list, title="绩效指标监控情况")
    warnings: list[str] = Field(default_factory=list, title="预警")

    def indicator(self, name: str) -> MonitoredIndicator | None:
        """The monitored indicator of this (third-level) name."""
        return next((i for i in self.indicators if i.name == name), None)

    @property
    def time_progress_text(self) -> str:
        """``序时进度 = 已过月数 7 个月 ÷ 全年月数 12 个月 = 58.33%`` (or by day)."""
        what, unit = ("月数", "个月") if self.time_progress_mode == "month" else ("天数", "天")
        return (
            f"序时进度 = 已过{what} {self.elapsed.normalize():f} {unit} ÷ 全年{what} {self.period.normalize():f} {unit}"
            f" = {fmt_pct(self.time_progress_pct)}"
        )

    @property
    def execution_text(self) -> str:
        """``预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%``."""
        return (
            f"预算执行率 = 执行数 {fmt(self.executed_wan)} 万元 ÷ 全年预算数 {fmt(self.annual_budget_wan)} 万元"
            f" = {fmt_pct(self.execution_rate_pct)}"
        )


# --------------------------------------------------------------------------------------------
# The evaluation
# --------------------------------------------------------------------------------------------


class Evaluation(Model):
    """One project's self-evaluation for one year, as captured."""

    project: Project = Field(title="项目")
    framework: str = Field(default="mof-selfeval", title="指标体系")
    rules: str = Field(default="mof-2020", title="评分规则")
    framework_note: str | None = Field(default=None, title="指标体系分值来源说明")
    funds: list[FundRow] = Field(default_factory=list, title="项目资金")
    allocations: list[Allocation] = Field(default_factory=list, title="资金分配")
    goals: list[Goal] = Field(default_factory=list, title="绩效目标")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    outputs: list[OutputRecord] = Field(default_factory=list, title="产出记录")
    surveys: list[Survey] = Field(default_factory=list, title="满意度调查")
    organisation: Organisation = Field(default_factory=Organisation, title="自评工作组织")
    narrative: Narrative = Field(default_factory=Narrative, title="报告正文")
    claims: Claims = Field(default_factory=Claims, title="单位自述")
    explanations: dict[str, str] = Field(
        default_factory=dict,
        title="检查发现说明",
        description="单位对检查发现的书面说明，键为发现的 key（编号@位置，见 Finding.key）",
    )
    notes: list[str] = Field(
        default_factory=list,
        title="录入说明",
        description="录入或审核人对数据来源的说明（如“原文未写到位日期”）；只出现在审核版报告中，不出现在正式报告中",
    )
    monitoring: MonitoringSnapshot | None = Field(default=None, title="运行监控情况")

    def nodes(self) -> list[tuple[tuple[str, ...], Indicator]]:
        """Every indicator node with its path, depth first."""
        out: list[tuple[tuple[str, ...], Indicator]] = []
        for root in self.indicators:
            out.extend(root.walk())
        return out

    def leaves(self) -> list[tuple[tuple[str, ...], Indicator]]:
        return [(path, node) for path, node in self.nodes() if node.is_leaf]

    def survey(self, survey_id: str) -> Survey | None:
        return next((s for s in self.surveys if s.id == survey_id), None)
