from django.contrib import admin

from .models import IntakeBatch, IntakeFile


class IntakeFileInline(admin.TabularInline):
    model = IntakeFile
    fields = ("position", "name", "outcome", "reason", "record")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(IntakeBatch)
class IntakeBatchAdmin(admin.ModelAdmin):
    list_display = ("name", "task", "uploaded_by_name", "created_at")
    list_filter = ("task__year",)
    readonly_fields = ("task", "name", "uploaded_by", "uploaded_by_name", "created_at")
    inlines = [IntakeFileInline]
