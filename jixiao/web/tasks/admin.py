from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "owner", "unit_deadline", "department_deadline", "finance_deadline")
    list_filter = ("year",)
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at", "source_name")
