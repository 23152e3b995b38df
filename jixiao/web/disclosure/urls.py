from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("public/<int:pk>/", views.public_detail, name="detail"),
    path("public/<int:pk>/report.pdf", views.public_pdf, name="pdf"),
    path("open-data/evaluations.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/evaluations.json", views.open_data_json, name="open_data_json"),
]
