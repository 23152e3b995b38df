from django.contrib import admin

from .models import Evidence, IndicatorReview, ReviewMessage, ReviewProblem


@admin.register(IndicatorReview)
class IndicatorReviewAdmin(admin.ModelAdmin):
    list_display = ("record", "key", "score", "reviewer_name", "updated_at")
    search_fields = ("record__project_name", "key")
    raw_id_fields = ("record",)


@admin.register(ReviewMessage)
class ReviewMessageAdmin(admin.ModelAdmin):
    list_display = ("record", "kind", "side", "author_name", "created_at")
    list_filter = ("kind", "side")
    raw_id_fields = ("record", "reply_to")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("record", "file_name", "kind", "size", "uploaded_by_name", "uploaded_at")
    search_fields = ("file_name", "sha256")
    raw_id_fields = ("record", "message")


@admin.register(ReviewProblem)
class ReviewProblemAdmin(admin.ModelAdmin):
    list_display = ("record", "problem", "created_by_name", "created_at")
    raw_id_fields = ("record",)
