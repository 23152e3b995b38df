from django.urls import path

from . import views

app_name = "department"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/save/", views.record_save, name="save"),
    path("<int:pk>/import/", views.record_import, name="import"),
    path("<int:pk>/action/<slug:action>/", views.record_step, name="action"),
    path("<int:pk>/report.docx", views.download_docx, name="docx"),
    path("<int:pk>/report.pdf", views.download_pdf, name="pdf"),
    path("<int:pk>/table.xlsx", views.download_xlsx, name="xlsx"),
]
