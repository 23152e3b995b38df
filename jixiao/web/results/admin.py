"""The admin, for 系统管理员: 结果应用's rows are viewed here and changed through the application (the policy page
checks a policy before saving it, the 整改 steps go in their order), so every field is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import BudgetDecision, Rectification, ResultPolicy


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ResultPolicy)
class ResultPolicyAdmin(ReadOnlyAdmin):
    list_display = ("finance", "saved_at", "saved_by_name", "note")
    list_filter = ("finance",)


@admin.register(BudgetDecision)
class BudgetDecisionAdmin(ReadOnlyAdmin):
    list_display = ("record", "grade", "grade_source", "action", "suggested_wan", "decided_wan", "decided_by_name")
    search_fields = ("record__project_name",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "owner", "year", "source", "state", "due_date", "closed_at")
    list_filter = ("year", "state", "source")
    search_fields = ("project_name", "problem")
