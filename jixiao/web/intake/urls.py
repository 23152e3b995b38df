from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("task/<int:task>/", views.intake_new, name="new"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("<int:pk>/submit/", views.batch_submit, name="submit"),
    path("<int:pk>/retry/", views.batch_retry, name="retry"),
    path("file/<int:pk>/", views.file_original, name="original"),
]
