"""Public disclosure (绩效信息公开): published evaluations for everyone, without login, and open data.

Only records in the 已公开 status are ever read here; every view starts from :func:`published`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from ...core.score_table import score_table
from ...core.values import quantize
from ..evaluations import files, services
from ..evaluations.choices import Status
from ..evaluations.filters import cache_key, cached
from ..evaluations.models import EvaluationRecord
from ..organisations.access import Access

PAGE_SIZE = 50


@dataclass(frozen=True)
class OpenDataField:
    """One column of the open data: its English key (JSON), Chinese header (CSV), unit and meaning."""

    key: str
    header: str
    unit: str
    meaning: str


#: the open-data columns, in order. The CSV, opened by people in Excel, has the Chinese headers; the JSON, read by
#: programs, keeps the English keys. docs/open-data.md and the public list page's 数据字典 show this table.
OPEN_DATA = (
    OpenDataField("year", "评价年度", "年", "被评价的预算年度（如 2022 年度的自评在 2023 年报送）"),
    OpenDataField("project", "项目名称", "", "项目支出的名称"),
    OpenDataField("unit", "预算单位", "", "实施项目并开展自评的预算单位"),
    OpenDataField("department", "主管部门", "", "预算单位的主管部门"),
    OpenDataField("budget_wan", "全年预算数（万元）", "万元", "项目全年预算数，两位小数"),
    OpenDataField("arrival_rate_pct", "资金到位率（%）", "%", "实际到位资金 ÷ 全年预算数 × 100，两位小数"),
    OpenDataField(
        "execution_rate_pct", "预算执行率（%）", "%", "全年执行数 ÷ 全年预算数（或到位数，依评分规则）× 100，两位小数"
    ),
    OpenDataField("self_score", "单位自评得分（分）", "分", "预算单位在自评表中所述的自评总分"),
    OpenDataField(
        "computed_score",
        "计算得分（分）",
        "分",
        "系统按评分规则由年度指标值和实际完成值重新计算的总分（无法计算的指标采用单位自评分）",
    ),
    OpenDataField("review_score", "财政复核得分（分）", "分", "财政部门复核确定的得分；未复核的为空"),
    OpenDataField("grade", "评价等级", "", "财政复核等级（优、良、中、差）；未复核的为计算等级"),
    OpenDataField("published_at", "公开时间", "", "公开的日期和时间（北京时间，ISO 8601 格式）"),
)
OPEN_DATA_FIELDS = tuple(f.key for f in OPEN_DATA)
#: the downloaded file's name
OPEN_DATA_NAME = "项目支出绩效自评公开数据"
_DECIMAL_FIELDS = frozenset(f.key for f in OPEN_DATA if f.unit in ("万元", "%", "分"))
_TEXT_FIELDS = ("project", "unit", "department", "grade")


def published() -> QuerySet[EvaluationRecord]:
    """The only records the public may see."""
    return EvaluationRecord.objects.filter(status=Status.PUBLISHED).select_related("unit", "unit__parent")


def _years(records: QuerySet[EvaluationRecord]) -> list[int]:
    return list(records.order_by("-year").values_list("year", flat=True).distinct())


def _get_published(pk: int) -> EvaluationRecord:
    try:
        return published().get(pk=pk)
    except EvaluationRecord.DoesNotExist:
        raise Http404("该评价不存在或尚未公开") from None


class PublicFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    q = forms.CharField(label="项目或单位名称", required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y} 年度") for y in years)]  # type: ignore[attr-defined]


def _filtered(records: QuerySet[EvaluationRecord], form: PublicFilterForm) -> QuerySet[EvaluationRecord]:
    if not form.is_valid():
        return records
    if form.cleaned_data.get("year"):
        records = records.filter(year=form.cleaned_data["year"])
    text = (form.cleaned_data.get("q") or "").strip()
    if text:
        records = records.filter(Q(project_name__icontains=text) | Q(unit__name__icontains=text))
    return records


def public_list(request: HttpRequest) -> HttpResponse:
    records = published().defer("document")
    everyone = Access()
    years = cached(request, everyone, "public-years", lambda: list(_years(records)))
    form = PublicFilterForm(request.GET, years=years)
    records = _filtered(records, form)
    paginator = Paginator(records.order_by("-year", "project_name", "pk"), PAGE_SIZE)
    paginator.count = cached(request, everyone, "public-count", records.count)  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    fragment = cache_key(request, everyone, "public-table", with_page=True)
    return render(
        request,
        "disclosure/list.html",
        {"form": form, "page": page, "total": page.paginator.count, "fragment": fragment, "open_data": OPEN_DATA},
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get_published(pk)
    result = services.result_of(record)
    return render(
        request,
        "disclosure/detail.html",
        {
            "record": record,
            "result": result,
            "evaluation": result.evaluation,
            "table": score_table(result),
            "pdf_label": files.DOWNLOADS["report-pdf"][0],
        },
    )


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from ...io.report.pdf import PdfError

    record = _get_published(pk)
    try:
        path, filename = files.build(record, "report-pdf")
    except PdfError as exc:
        return HttpResponse(f"暂时无法生成 PDF 报告：{exc}", status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


# ---------------------------------------------------------------------------------------------- open data


def _two_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else quantize(value)


def _open_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """One dict per published evaluation, in OPEN_DATA_FIELDS order; read in chunks, never all at once."""
    records = published()
    year = request.GET.get("year", "")
    if year.isdigit():
        records = records.filter(year=int(year))
    rows = records.order_by("-year", "project_name", "pk").values_list(
        "year",
        "project_name",
        "unit__name",
        "unit__parent__name",
        "budget_wan",
        "arrival_rate",
        "execution_rate",
        "claimed_score",
        "computed_score",
        "review_score",
        "review_grade",
        "computed_grade",
        "published_at",
    )
    for (
        year_,
        project,
        unit,
        department,
        budget,
        arrival,
        execution,
        claimed,
        computed,
        review,
        review_grade,
        computed_grade,
        published_at,
    ) in rows.iterator(chunk_size=2000):
        yield {
            "year": year_,
            "project": project,
            "unit": unit,
            "department": department or "",
            "budget_wan": _two_places(budget),
            "arrival_rate_pct": _two_places(arrival),
            "execution_rate_pct": _two_places(execution),
            "self_score": _two_places(claimed),
            "computed_score": _two_places(computed),
            "review_score": _two_places(review),
            "grade": review_grade or computed_grade or "",
            "published_at": timezone.localtime(published_at).isoformat(timespec="seconds") if published_at else "",
        }


def _csv_cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    # a name starting with = + - @ would run as a formula in a spreadsheet: keep it text
    if key in _TEXT_FIELDS and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(f.header for f in OPEN_DATA)
        yield "\ufeff" + buffer.getvalue()  # the BOM tells Excel the file is UTF-8
        for row in _open_rows(request):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([_csv_cell(k, row[k]) for k in OPEN_DATA_FIELDS])
            yield buffer.getvalue()

    response = StreamingHttpResponse((line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{OPEN_DATA_NAME}.csv")
    return response


def _json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return f"{value:f}"  # already two places: a JSON number such as 98.00
    return json.dumps(value, ensure_ascii=False)


def open_data_json(request: HttpRequest) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield "["
        first = True
        for row in _open_rows(request):
            body = ", ".join(f'"{k}": {_json_value(row[k])}' for k in OPEN_DATA_FIELDS)
            yield ("\n  {" if first else ",\n  {") + body + "}"
            first = False
        yield "\n]\n" if not first else "]\n"

    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks()), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(False, f"{OPEN_DATA_NAME}.json")
    return response
