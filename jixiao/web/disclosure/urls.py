from django.urls import path

from ..department import views as department_views
from . import views

app_name = "public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("public/<int:pk>/", views.public_detail, name="detail"),
    path("public/<int:pk>/report.pdf", views.public_pdf, name="pdf"),
    path("open-data/evaluations.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/evaluations.json", views.open_data_json, name="open_data_json"),
    # 部门整体支出绩效自评 (jixiao/web/department)
    path("public/department/", department_views.public_list, name="department-list"),
    path("public/department/<int:pk>/", department_views.public_detail, name="department-detail"),
    path("public/department/<int:pk>/report.pdf", department_views.public_pdf, name="department-pdf"),
]
