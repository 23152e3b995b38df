"""What a unit fills in at a monitoring date: the project's 全年预算数 and 执行数 to date (万元), and per indicator
the 监控表's row (财预〔2019〕136号): 年度指标值, 截至监控时点完成值, 全年预计完成值, 偏差原因, 完成目标可能性,
纠偏措施. :func:`problems` says in Chinese, naming the field, what stops it being submitted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field

from ..model import DeviationCause, Likelihood, Model, Wan


class IndicatorProgress(Model):
    """One row of the 监控表."""

    path: list[str] = Field(title="指标路径（一级/二级/三级）", min_length=1)
    target: str | None = Field(default=None, title="年度指标值")
    completed: str | None = Field(default=None, title="截至监控时点完成值")
    expected: str | None = Field(default=None, title="全年预计完成值")
    causes: list[DeviationCause] = Field(default_factory=list, title="偏差原因")
    cause_note: str | None = Field(default=None, title="偏差原因说明")
    likelihood: Likelihood | None = Field(default=None, title="完成目标可能性")
    measures: str | None = Field(default=None, title="纠偏措施")
    note: str | None = Field(default=None, title="备注")

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def path_text(self) -> str:
        return "/".join(self.path)


class MonitoringRecord(Model):
    """A project's monitoring at one date."""

    project: str = Field(title="项目名称", min_length=1)
    year: int = Field(title="年度", ge=2000, le=2100)
    unit: str | None = Field(default=None, title="预算单位")
    department: str | None = Field(default=None, title="主管部门")
    monitoring_date: dt.date = Field(title="监控时点")
    requested_wan: Wan | None = Field(default=None, title="年度预算申请（万元）")
    annual_budget_wan: Wan = Field(title="全年预算数（万元）")
    expected_executed_wan: Wan | None = Field(default=None, title="全年预计执行数（万元）")
    executed_wan: Wan | None = Field(default=None, title="截至监控时点执行数（万元）")
    overall_note: str | None = Field(default=None, title="总体情况说明")
    indicators: list[IndicatorProgress] = Field(default_factory=list, title="绩效指标")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a record cannot be submitted: the field (``executed_wan``, ``indicators[2].measures``) and a Chinese
    message naming it."""

    field: str
    message: str
    missing: bool = False  # only not filled in yet: a draft may leave it open, a submission may not


def problems(record: MonitoringRecord) -> list[Problem]:
    """What is missing or contradictory before ``record`` can be submitted."""
    found: list[Problem] = []
    if record.executed_wan is None:
        found.append(Problem("executed_wan", "请填写截至监控时点执行数（万元）", missing=True))
    elif record.executed_wan > record.annual_budget_wan:
        found.append(
            Problem(
                "executed_wan",
                f"截至监控时点执行数 {record.executed_wan:f} 万元超过全年预算数 {record.annual_budget_wan:f} 万元",
            )
        )
    if record.monitoring_date.year != record.year:
        found.append(Problem("monitoring_date", f"监控时点 {record.monitoring_date} 不在 {record.year} 年度内"))
    for i, row in enumerate(record.indicators):
        where = f"indicators[{i}]"
        if row.likelihood is None:
            found.append(Problem(f"{where}.likelihood", f"指标“{row.name}”请选择完成目标可能性", missing=True))
        elif row.likelihood is not Likelihood.CERTAIN and not (row.measures or "").strip():
            found.append(
                Problem(
                    f"{where}.measures",
                    f"指标“{row.name}”完成目标可能性为“{row.likelihood.label}”，须填写纠偏措施",
                )
            )
        if row.likelihood is not None and row.likelihood is not Likelihood.CERTAIN and not row.causes:
            found.append(
                Problem(
                    f"{where}.causes",
                    f"指标“{row.name}”完成目标可能性为“{row.likelihood.label}”，须选择偏差原因"
                    "（经费保障、制度保障、人员保障、硬件条件保障或其他）",
                )
            )
        if DeviationCause.OTHER in row.causes and not (row.cause_note or "").strip():
            found.append(Problem(f"{where}.cause_note", f"指标“{row.name}”偏差原因选了“其他”，须说明具体原因"))
    return found
