from django.urls import path

from . import edit_views, overview, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_new, name="new"),
    path("upload/", views.evaluation_upload, name="upload"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("overview/", overview.overview, name="overview"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/edit/<slug:part>/", edit_views.edit_part, name="edit"),
    path("<int:pk>/action/<slug:action>/", views.evaluation_action, name="action"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="restore"),
    path("<int:pk>/delete/", views.evaluation_delete, name="delete"),
    path("<int:pk>/download/<slug:kind>/", views.evaluation_download, name="download"),
]
