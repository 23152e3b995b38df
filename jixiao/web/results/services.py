"""结果应用's work: the policy in force and saving a new one; the grade each evaluation is judged by and the
next-year budget the policy suggests for it; finance's decision; and the 整改事项, from opening to closing (销号),
with the weekly reminder of overdue ones. Every write is one transaction; a refused step raises
:class:`ResultsError` with a Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from ...core.checks import CATALOGUE
from ...core.locations import location_label
from ...core.results import Policy, Suggestion, suggest
from ...core.sampling import NO_DEPARTMENT
from ...io.catalogue import load_result_policy
from ...io.errors import InputError
from ..evaluations.models import EvaluationRecord, StoredFinding
from ..evaluations.unscored import UNSCORED, record_unscored
from ..organisations.models import Organisation, person_name
from ..review.models import Evidence, ReviewProblem
from ..tasks.models import Notice
from ..tasks.reminders import recipients
from .models import BudgetDecision, Rectification, ResultPolicy

State = Rectification.State

#: the grade column of an evaluation with nothing scored
UNSCORED_LABEL = "未评分"
#: where the grade an evaluation is judged by comes from (``BudgetDecision.grade_source``)
FROM_REVIEW, FROM_COMPUTED = "复核", "计算"
#: how often an overdue 整改事项 is reminded
REMIND_EVERY = dt.timedelta(days=7)


class ResultsError(Exception):
    """A step that cannot be taken now; the message is Chinese and says why."""


# ------------------------------------------------------------------------------------------- the policy


@dataclass(frozen=True)
class PolicyInForce:
    """The policy a 财政局's suggestions follow: its latest saved one, else the shipped default."""

    finance: Organisation
    policy: Policy
    text: str
    stored: ResultPolicy | None
    #: set when the latest saved text no longer reads (a later version of the rules refuses it): the default applies
    problem: str = ""

    @property
    def is_default(self) -> bool:
        return self.stored is None or bool(self.problem)

    @property
    def label(self) -> str:
        """「默认政策」 or 「张三于 2023-05-01 10:00 保存」."""
        if self.is_default or self.stored is None:
            return "系统默认政策"
        return f"{self.stored.saved_by_name}于 {timezone.localtime(self.stored.saved_at):%Y-%m-%d %H:%M} 保存"


def default_policy_text() -> str:
    from ...io.catalogue import DEFAULT_RESULT_POLICY

    return DEFAULT_RESULT_POLICY.read_text(encoding="utf-8")


def policy_in_force(finance: Organisation) -> PolicyInForce:
    stored = ResultPolicy.objects.filter(finance=finance).first()  # ordered newest first
    if stored is not None:
        try:
            return PolicyInForce(finance, load_result_policy(stored.text), stored.text, stored)
        except InputError as exc:
            problem = f"本财政局最近保存的政策已无法读取（{exc}），暂按默认政策计算，请重新保存"
            return PolicyInForce(finance, load_result_policy(), default_policy_text(), stored, problem)
    return PolicyInForce(finance, load_result_policy(), default_policy_text(), None)


def save_policy(finance: Organisation, text: str, note: str, user: AbstractBaseUser) -> ResultPolicy:
    """Check ``text`` through the core and store it as the 财政局's policy; :class:`InputError` (Chinese) when the
    policy is not valid, and then nothing is saved."""
    load_result_policy(text)
    return ResultPolicy.objects.create(
        finance=finance, text=text, note=note, saved_by=user, saved_by_name=person_name(user)
    )


# ------------------------------------------------------------------------------------------- suggestions

#: the grade an evaluation is judged by, as a query expression: the 复核等级 when finance reviewed it, else the
#: computed grade, and 未评分 when there was nothing to compute
GRADE_USED = Case(
    When(~Q(review_grade=""), then=F("review_grade")),
    When(UNSCORED, then=Value(UNSCORED_LABEL)),
    default=F("computed_grade"),
    output_field=CharField(),
)

#: the columns a line of the budget list is made of
_LINE_COLUMNS = (
    "pk", "project_name", "unit__name", "department__name", "department__code", "finance_id", "budget_wan",
    "review_grade", "review_score", "computed_grade", "computed_score", "arrival_rate", "execution_rate",
)  # fmt: skip


@dataclass(frozen=True)
class BudgetLine:
    """One evaluation of the next-year budget list: the grade used and its source, the policy's suggestion, and the
    decision where one was made."""

    pk: int
    project_name: str
    unit_name: str
    department_name: str
    budget_wan: Decimal | None
    grade: str  # 优/良/中/差, or 未评分
    grade_source: str  # 复核 / 计算 / "" (未评分)
    score: Decimal | None
    suggestion: Suggestion
    decision: BudgetDecision | None

    @property
    def grade_label(self) -> str:
        return f"{self.grade}（{self.grade_source}等级）" if self.grade_source else self.grade

    @property
    def overridden(self) -> bool:
        return self.decision is not None and self.decision.decided_wan != self.suggestion.suggested_wan


def judged_by(
    review_grade: str, review_score: Decimal | None, computed_grade: str, computed_score: Decimal | None, unscored: bool
) -> tuple[str, str, Decimal | None]:
    """(grade, its source, the score) an evaluation is judged by: the 复核 when there was one."""
    if review_grade:
        return review_grade, FROM_REVIEW, review_score
    if unscored or not computed_grade:
        return UNSCORED_LABEL, "", None
    return computed_grade, FROM_COMPUTED, computed_score


def budget_lines(records: QuerySet[EvaluationRecord] | Iterable[int], policies: dict[int, Policy]) -> list[BudgetLine]:
    """The lines of ``records`` (a page of them), each judged by its 财政局's policy in ``policies``."""
    rows = list(
        EvaluationRecord.objects.filter(pk__in=list(records) if not isinstance(records, QuerySet) else records)
        .order_by("project_name", "pk")
        .values_list(*_LINE_COLUMNS)
    )
    decisions = BudgetDecision.objects.in_bulk([r[0] for r in rows], field_name="record_id")
    out = []
    for pk, name, unit, dept, code, finance, budget, r_grade, r_score, c_grade, c_score, arrival, execution in rows:
        columns = SimpleNamespace(computed_score=c_score, arrival_rate=arrival, execution_rate=execution)
        grade, source, score = judged_by(r_grade, r_score, c_grade, c_score, record_unscored(columns))
        suggestion = suggest(
            policies[finance],
            budget_wan=budget,
            grade=grade if source else None,
            score=score,
            department=dept,
            department_code=code,
        )
        out.append(
            BudgetLine(pk, name, unit, dept or NO_DEPARTMENT, budget, grade, source, score, suggestion,
                       decisions.get(pk))
        )  # fmt: skip
    return out


def line_of(record: EvaluationRecord) -> BudgetLine:
    """The budget line of one evaluation, under its 财政局's policy in force."""
    assert record.finance is not None
    return budget_lines([record.pk], {record.finance_id: policy_in_force(record.finance).policy})[0]


def decide(record: EvaluationRecord, amount: Decimal, reason: str, user: AbstractBaseUser) -> BudgetDecision:
    """Record finance's next-year budget for ``record``: ``amount`` 万元, with ``reason`` (required by the form when it
    differs from the suggestion), and what the policy suggested at that moment."""
    line = line_of(record)
    with transaction.atomic():
        decision, _ = BudgetDecision.objects.update_or_create(
            record=record,
            defaults={
                "grade": line.grade if line.grade_source else "",
                "grade_source": line.grade_source,
                "action": line.suggestion.action,
                "suggested_wan": line.suggestion.suggested_wan,
                "decided_wan": amount,
                "reason": reason.strip(),
                "decided_by": user,
                "decided_by_name": person_name(user),
            },
        )
    return decision


# ------------------------------------------------------------------------------------------- 整改事项


def _finding_requirement(code: str, location: str) -> str:
    check = CATALOGUE.get(code)
    what = f"（检查 {code}{'：' + check.title if check else ''}）"
    where = f"自评中“{location_label(location)}”处" if location else "自评中"
    return f"核实并更正{where}的这一问题{what}，在整改情况中说明更正的内容；确属实际情况的，写明原因并附佐证材料"


def _wanted(record: EvaluationRecord) -> list[Rectification]:
    """The 整改事项 the record's error findings and 复核 problems call for, one per source (findings of one check at
    one place are one item, their messages joined)."""
    findings: dict[str, list[str]] = defaultdict(list)
    places: dict[str, tuple[str, str]] = {}
    for code, location, message in (
        StoredFinding.objects.filter(record=record, severity="error").order_by("pk").values_list("code", "location", "message")
    ):  # fmt: skip
        ref = f"{code}@{location}"
        findings[ref].append(message)
        places[ref] = (code, location)
    items = [
        Rectification(source=Rectification.Source.FINDING, source_ref=ref, problem="；".join(messages),
                      requirement=_finding_requirement(*places[ref]))
        for ref, messages in findings.items()
    ]  # fmt: skip
    for problem in ReviewProblem.objects.filter(record=record).order_by("pk"):
        items.append(
            Rectification(source=Rectification.Source.REVIEW, source_ref=f"problem:{problem.pk}",
                          problem=problem.problem, requirement=problem.requirement)
        )  # fmt: skip
    return items


def open_rectifications(
    record: EvaluationRecord, user: AbstractBaseUser | None, due_date: dt.date, *, notify: bool = True
) -> list[Rectification]:
    """Open a 整改事项 for each error finding (``code@location``) and each 复核 problem (``problem:<pk>``) of
    ``record`` not opened before, owned by its unit and due on ``due_date``; tell the unit's people (unless
    ``notify`` is False: the caller tells them itself). Safe to call again (after the 复核 adds problems, or twice at
    once): what is open already is not opened twice. The items created, in order."""
    existing = set(Rectification.objects.filter(record=record).values_list("source", "source_ref"))
    created: list[Rectification] = []
    name = person_name(user)
    with transaction.atomic():
        for item in _wanted(record):
            if (item.source, item.source_ref) in existing:
                continue
            item.record = record
            item.owner_id = record.unit_id
            item.department_id = record.department_id
            item.finance_id = record.finance_id
            item.year = record.year
            item.project_name = record.project_name
            item.due_date = due_date
            item.created_by_name = name
            try:
                with transaction.atomic():  # another request opening the same one wins; this one moves on
                    item.save()
            except IntegrityError:
                continue
            created.append(item)
        if created and notify:
            _notify(
                recipients(record.unit),
                f"【整改事项】{record.unit.name}“{record.project_name}”新增 {len(created)} 项整改事项，"
                f"整改期限 {due_date:%Y年%m月%d日}，请按期整改并报送整改情况。",
                f"{reverse('results:rectifications')}?year={record.year}",
            )
    return created


def report(item: Rectification, text: str, evidence: Evidence | None, user: AbstractBaseUser) -> Rectification:
    """The unit reports what it did (整改情况), optionally with one of the evaluation's evidence files: 已报整改情况."""
    with transaction.atomic():
        item = Rectification.objects.select_for_update().get(pk=item.pk)
        if item.state == State.CLOSED:
            raise ResultsError("该整改事项已销号，不能再报送整改情况")
        if evidence is not None and evidence.record_id != item.record_id:
            raise ResultsError("佐证材料须是本评价的材料")
        item.report = text.strip()
        item.evidence = evidence
        item.state = State.REPORTED
        item.reported_at = timezone.now()
        item.save()
    return item


def close(item: Rectification, user: AbstractBaseUser) -> Rectification:
    """销号: the 主管部门 or finance accepts the unit's report."""
    with transaction.atomic():
        item = Rectification.objects.select_for_update().get(pk=item.pk)
        if item.state != State.REPORTED:
            raise ResultsError(
                "该整改事项已销号" if item.state == State.CLOSED else "责任单位尚未报送整改情况，不能销号"
            )
        item.state = State.CLOSED
        item.closed_by_name = person_name(user)
        item.closed_at = timezone.now()
        item.save()
    _notify(
        recipients(item.owner), f"【整改事项】“{item.project_name}”的整改事项已销号：{_short(item.problem)}", _url(item)
    )
    return item


def send_back(item: Rectification, comment: str, user: AbstractBaseUser) -> Rectification:
    """The report is not enough: back to 待整改 with the reason, and the unit is told."""
    with transaction.atomic():
        item = Rectification.objects.select_for_update().get(pk=item.pk)
        if item.state != State.REPORTED:
            raise ResultsError("只有已报整改情况、尚未销号的事项可以退回")
        item.state = State.OPEN
        item.return_comment = comment.strip()
        item.returned_by_name = person_name(user)
        item.returned_at = timezone.now()
        item.save()
    _notify(
        recipients(item.owner),
        f"【整改事项】“{item.project_name}”的整改情况被退回，请重新整改：{item.return_comment}",
        _url(item),
    )
    return item


def overdue_days(item: Rectification, today: dt.date) -> int:
    """Days past the due date of an item not closed; 0 when it is not overdue."""
    if item.state == State.CLOSED or item.due_date >= today:
        return 0
    return (today - item.due_date).days


def remind_overdue(today: dt.date) -> int:
    """The daily run: remind the unit's people of each overdue item still 待整改, once a week at most
    (``reminded_on``); how many items were reminded. Safe to run twice a day or on two machines: an item is claimed
    by setting its ``reminded_on`` before anything is sent."""
    again = Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - REMIND_EVERY)
    due = Rectification.objects.filter(state=State.OPEN, due_date__lt=today, record__deleted_at__isnull=True)
    people: dict[int, list[AbstractBaseUser]] = {}
    reminded = 0
    for item in due.filter(again).select_related("owner").order_by("due_date", "pk"):
        # the date a reminder was sent is bookkeeping, not a change of the item: not written to the change log
        if not Rectification.objects.filter(pk=item.pk).filter(again).update(reminded_on=today):
            continue  # another run reminded it meanwhile
        if item.owner_id not in people:
            people[item.owner_id] = recipients(item.owner)
        _notify(
            people[item.owner_id],
            f"【整改事项】{item.owner.name}“{item.project_name}”的整改事项已逾期 {(today - item.due_date).days} 天"
            f"（整改期限 {item.due_date:%Y年%m月%d日}）：{_short(item.problem)}。请尽快整改并报送整改情况。",
            _url(item),
        )
        reminded += 1
    return reminded


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def _url(item: Rectification) -> str:
    return reverse("results:rectification", args=[item.pk])


def _notify(people: Sequence[AbstractBaseUser], text: str, url: str) -> None:
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in people)
