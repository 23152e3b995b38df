from django.urls import path

from . import edit_views, import_views, overview, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_new, name="new"),
    path("upload/", views.evaluation_upload, name="upload"),
    path("import/", import_views.import_upload, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import-confirm"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("overview/", overview.overview, name="overview"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/edit/<slug:part>/", edit_views.edit_part, name="edit"),
    path("<int:pk>/action/<slug:action>/", views.evaluation_action, name="action"),
    path("<int:pk>/explain/", views.finding_explain, name="explain"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="restore"),
    path("<int:pk>/delete/", views.evaluation_delete, name="delete"),
    path("<int:pk>/download/<slug:kind>/", views.evaluation_download, name="download"),
    path("<int:pk>/source/", import_views.source_download, name="source"),
    path("<int:pk>/source/<int:source>/", import_views.source_download, name="source-file"),
]
