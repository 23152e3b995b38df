from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.declaration_new, name="new"),
    path("template.xlsx", views.declaration_template, name="template"),
    path("<int:pk>/", views.declaration_detail, name="detail"),
    path("<int:pk>/edit/", views.declaration_edit, name="edit"),
    path("<int:pk>/submit/", views.declaration_submit, name="submit"),
    path("<int:pk>/department-review/", views.department_review, name="department-review"),
    path("<int:pk>/finance-review/", views.finance_review, name="finance-review"),
    path("<int:pk>/adjust/", views.declaration_adjust, name="adjust"),
    path("<int:pk>/start-evaluation/", views.start_evaluation, name="start-evaluation"),
    path("<int:pk>/declaration.xlsx", views.declaration_xlsx, name="xlsx"),
]
