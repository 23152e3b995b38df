from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "owner", "state", "project_count", "unit_deadline", "department_deadline")
    list_filter = ("year", "state")
    search_fields = ("name",)
    # how far opening got is the worker's to say, not an administrator's
    readonly_fields = ("created_by", "created_at", "source_name", "state", "failure", "project_count")
