"""The change records, for 系统管理员: to read only; nobody adds, edits or deletes them."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "source", "action", "content_type", "object_repr", "request_id")
    list_filter = ("source", "action", "content_type", "time")
    search_fields = ("object_repr", "user_name", "=request_id")
    date_hierarchy = "time"
    readonly_fields = [f.name for f in ObjectChange._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ObjectChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ObjectChange | None = None) -> bool:
        return False
