"""The admin, for 系统管理员: years and deadlines, and deleted evaluations brought back."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import EvaluationRecord, EvaluationVersion, ImportedSource, ReportingYear, Transition


@admin.register(ReportingYear)
class ReportingYearAdmin(admin.ModelAdmin):
    list_display = ("year", "deadline")


class VersionInline(admin.TabularInline):
    model = EvaluationVersion
    fields = ("number", "created_at", "author_name", "summary")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


class TransitionInline(admin.TabularInline):
    model = Transition
    fields = ("created_at", "action", "from_status", "to_status", "actor_name", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(EvaluationRecord)
class EvaluationRecordAdmin(admin.ModelAdmin):
    """Evaluations are changed through the application (versioned); here they are only viewed or undeleted."""

    list_display = ("project_name", "year", "unit", "status", "computed_score", "computed_grade", "deleted_at")
    list_filter = ("status", "year", "computed_grade", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("project_name", "unit__name")
    # the document itself is JSON with English keys: it is read and edited in the application, linked from here
    exclude = ("document",)
    readonly_fields = ["open_in_app", *(f.name for f in EvaluationRecord._meta.concrete_fields if f.name != "document")]
    inlines = [TransitionInline, VersionInline]
    actions = ["undelete"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvaluationRecord]:
        return EvaluationRecord.all_objects.select_related("unit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="自评内容")
    def open_in_app(self, obj: EvaluationRecord) -> str:
        if obj.deleted_at is not None:
            return "已删除（恢复后可在系统中查看）"
        return format_html('<a href="{}">在系统中查看</a>', reverse("evaluations:detail", args=[obj.pk]))

    @admin.action(description="恢复所选的已删除评价")
    def undelete(self, request: HttpRequest, queryset: QuerySet[EvaluationRecord]) -> None:
        """Through the service layer, so the restore is locked, logged and recorded like every other write."""
        ids = list(queryset.filter(deleted_at__isnull=False).values_list("pk", flat=True))
        restored = sum(services.undelete(pk, request.user) is not None for pk in ids)
        self.message_user(request, f"已恢复 {restored} 项评价。", messages.SUCCESS)


@admin.register(ImportedSource)
class ImportedSourceAdmin(admin.ModelAdmin):
    """The files evaluations were imported from: kept as evidence, so only viewed here."""

    list_display = ("file_name", "record", "mode", "risk", "imported_by_name", "imported_at")
    list_filter = ("mode",)
    search_fields = ("file_name", "sha256", "record__project_name", "record__unit__name")
    fields = (
        "record",
        "file_name",
        "format",
        "size",
        "sha256",
        "mode",
        "risk",
        "imported_by_name",
        "uploaded_at",
        "imported_at",
        "audit",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportedSource]:
        # uploads still awaiting confirmation are nobody's evidence yet
        return ImportedSource.objects.filter(record__isnull=False).select_related("record").defer("content")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
