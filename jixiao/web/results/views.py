"""The pages of 结果应用: finance's next-year budget list (with its workbook and the 汇总表), the policy, one
evaluation's suggestion and decision, and the 整改事项 list with each item's report, 销号 and sending back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import scratch
from ..organisations.access import access_for
from ..organisations.models import Organisation
from . import services
from .access import (
    budget_records,
    finances,
    get_rectification,
    may_close,
    may_report,
    require_finance,
    visible_rectifications,
)
from .forms import (
    BudgetFilterForm,
    DecisionForm,
    OpenRectificationsForm,
    PolicyForm,
    RectificationFilterForm,
    ReportForm,
    SendBackForm,
    plain,
)
from .models import Rectification, ResultPolicy
from .summary import summary_title, write_summary
from .xlsx import write_budget_xlsx

PAGE_SIZE = 50

# ------------------------------------------------------------------------------------------- the budget list


def _chosen(request: HttpRequest, allowed: QuerySet[Organisation]) -> tuple[BudgetFilterForm, Organisation, int]:
    """The filter form (bound, with the year filled in) and the 财政局 and year it chose."""
    data = request.GET.copy()
    finance = allowed.filter(pk=data.get("finance")).first() if data.get("finance", "").isdigit() else None
    finance = finance or allowed.order_by("name").first()
    assert finance is not None
    year_text = data.get("year", "")
    if not year_text.isdigit():
        latest = budget_records(allowed.filter(pk=finance.pk)).aggregate(y=Max("year"))["y"]
        data["year"] = str(latest or timezone.localdate().year - 1)
    data.setdefault("finance", str(finance.pk))
    form = BudgetFilterForm(data, finances=allowed)
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data.get("year") else int(data["year"])
    return form, finance, year


def _filtered(form: BudgetFilterForm, finance: Organisation, year: int) -> QuerySet[Any]:
    records = budget_records(Organisation.objects.filter(pk=finance.pk)).filter(year=year)
    if form.is_valid():
        if form.cleaned_data.get("department"):
            records = records.filter(department=form.cleaned_data["department"])
        if form.cleaned_data.get("grade"):
            records = records.annotate(grade_used=services.GRADE_USED).filter(grade_used=form.cleaned_data["grade"])
    return records.order_by("project_name", "pk")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    allowed = require_finance(request)
    form, finance, year = _chosen(request, allowed)
    in_force = services.policy_in_force(finance)
    paginator = Paginator(_filtered(form, finance, year).values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    lines = services.budget_lines(list(page), {finance.pk: in_force.policy})
    query = request.GET.copy()
    query.pop("page", None)
    query.update({"finance": str(finance.pk), "year": str(year)})
    return render(
        request,
        "results/index.html",
        {
            "form": form,
            "finance": finance,
            "year": year,
            "in_force": in_force,
            "page": page,
            "lines": lines,
            "query": query.urlencode(),
        },
    )


@login_required
def budget_xlsx(request: HttpRequest) -> FileResponse:
    allowed = require_finance(request)
    form, finance, year = _chosen(request, allowed)
    in_force = services.policy_in_force(finance)
    lines = services.budget_lines(_filtered(form, finance, year).values("pk"), {finance.pk: in_force.policy})
    return scratch.workbook_response(
        lambda path: write_budget_xlsx(finance, year, in_force, lines, path), f"{year}年度下年预算安排建议.xlsx"
    )


@login_required
def summary_xlsx(request: HttpRequest) -> FileResponse:
    allowed = require_finance(request)
    _, finance, year = _chosen(request, allowed)
    return scratch.workbook_response(
        lambda path: write_summary(finance, year, path), f"{summary_title(finance, year)}.xlsx"
    )


# ------------------------------------------------------------------------------------------- the policy


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    allowed = require_finance(request)
    wanted = request.POST.get("finance") or request.GET.get("finance") or ""
    finance = (allowed.filter(pk=wanted).first() if wanted.isdigit() else None) or allowed.order_by("name").first()
    assert finance is not None
    in_force = services.policy_in_force(finance)
    form = PolicyForm(request.POST or None, finances=allowed, initial={"finance": finance, "text": in_force.text})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["finance"]
        services.save_policy(chosen, form.cleaned_data["text"], form.cleaned_data["note"], request.user)
        messages.success(request, f"已保存{chosen.name}的结果应用政策，下年预算建议即按新政策计算。")
        return redirect(f"{reverse('results:policy')}?finance={chosen.pk}")
    history = ResultPolicy.objects.filter(finance=finance)[:10]
    return render(
        request,
        "results/policy.html",
        {
            "form": form,
            "finance": finance,
            "finances": allowed.order_by("name"),
            "in_force": in_force,
            "grades": _policy_table(in_force),
            "history": history,
        },
    )


def _policy_table(in_force: services.PolicyInForce) -> list[tuple[str, list[Any]]]:
    policy = in_force.policy
    return [(grade, policy.rules_of(grade)) for grade in ("优", "良", "中", "差")]


# ------------------------------------------------------------------------------------------- one evaluation


def _budget_record(request: HttpRequest, pk: int) -> Any:
    """An evaluation of one of the person's 财政局s; 404 for anyone else's (as a draw of 抽查复核)."""
    record = (
        budget_records(finances(access_for(request.user)))
        .select_related("unit", "department", "finance")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("评价不存在或无权查看")
    return record


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    record = _budget_record(request, pk)
    line = services.line_of(record)
    initial = {}
    if line.decision is not None:
        initial = {"decided_wan": plain(line.decision.decided_wan), "reason": line.decision.reason}
    form = DecisionForm(request.POST or None, suggested=line.suggestion.suggested_wan, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.decide(record, form.cleaned_data["decided_wan"], form.cleaned_data["reason"], request.user)
        messages.success(request, f"已保存“{record.project_name}”的下年预算安排。")
        return redirect("results:decision", pk=record.pk)
    return _decision_page(request, record, line, form, OpenRectificationsForm(today=timezone.localdate()))


def _decision_page(
    request: HttpRequest, record: Any, line: services.BudgetLine, form: DecisionForm, open_form: OpenRectificationsForm
) -> HttpResponse:
    today = timezone.localdate()
    items = [(item, services.overdue_days(item, today)) for item in record.rectifications.all()]
    return render(
        request,
        "results/decision.html",
        {
            "record": record,
            "line": line,
            "form": form,
            "open_form": open_form,
            "items": items,
            "in_force": services.policy_in_force(record.finance),
        },
    )


@login_required
@require_POST
def open_items(request: HttpRequest, pk: int) -> HttpResponse:
    record = _budget_record(request, pk)
    form = OpenRectificationsForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        line = services.line_of(record)
        return _decision_page(request, record, line, DecisionForm(suggested=line.suggestion.suggested_wan), form)
    created = services.open_rectifications(record, request.user, form.cleaned_data["due_date"])
    if created:
        messages.success(request, f"已生成 {len(created)} 项整改事项，并已通知{record.unit.name}。")
    else:
        messages.info(request, "没有新的整改事项：错误级检查发现和复核发现的问题都已生成过（或没有）。")
    return redirect("results:decision", pk=record.pk)


# ------------------------------------------------------------------------------------------- 整改事项


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    today = timezone.localdate()
    form = RectificationFilterForm(request.GET or None)
    items = visible_rectifications(access)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("year"):
            items = items.filter(year=data["year"])
        if data.get("state"):
            items = items.filter(state=data["state"])
        if data.get("overdue"):
            items = items.filter(~Q(state=Rectification.State.CLOSED), due_date__lt=today)
    paginator = Paginator(items.select_related("owner").order_by("due_date", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(item, services.overdue_days(item, today)) for item in page]
    return render(request, "results/rectifications.html", {"form": form, "page": page, "rows": rows})


def _rectification_page(
    request: HttpRequest,
    item: Rectification,
    report_form: ReportForm | None = None,
    back_form: SendBackForm | None = None,
) -> HttpResponse:
    access = access_for(request.user)
    reporter, closer = may_report(access, item), may_close(access, item)
    open_to_report = reporter and item.state != Rectification.State.CLOSED
    initial = {"report": item.report, "evidence": item.evidence_id}
    return render(
        request,
        "results/rectification.html",
        {
            "item": item,
            "overdue": services.overdue_days(item, timezone.localdate()),
            "report_form": report_form or (ReportForm(item=item, initial=initial) if open_to_report else None),
            "may_close": closer and item.state == Rectification.State.REPORTED,
            "back_form": back_form or SendBackForm(),
            "may_decide": closer and finances(access).filter(pk=item.finance_id).exists(),
        },
    )


@login_required
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    return _rectification_page(request, get_rectification(request, pk))


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_rectification(request, pk, "report")
    form = ReportForm(request.POST, item=item)
    if not form.is_valid():
        return _rectification_page(request, item, report_form=form)
    return _step(request, item, lambda: services.report(item, form.cleaned_data["report"],
                                                          form.cleaned_data["evidence"], request.user),
                 "已报送整改情况，等待主管部门或财政部门销号。")  # fmt: skip


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_rectification(request, pk, "close")
    return _step(request, item, lambda: services.close(item, request.user), "已销号。")


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_rectification(request, pk, "close")
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _rectification_page(request, item, back_form=form)
    return _step(
        request, item, lambda: services.send_back(item, form.cleaned_data["comment"], request.user),
        "已退回责任单位重新整改，并已通知该单位。",
    )  # fmt: skip


def _step(request: HttpRequest, item: Rectification, take: Any, done: str) -> HttpResponse:
    try:
        take()
    except services.ResultsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("results:rectification", pk=item.pk)
