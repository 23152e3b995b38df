from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.index, name="index"),
    path("budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("summary.xlsx", views.summary_xlsx, name="summary"),
    path("policy/", views.policy, name="policy"),
    path("evaluations/<int:pk>/", views.decision, name="decision"),
    path("evaluations/<int:pk>/rectify/", views.open_items, name="open"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/report/", views.report, name="report"),
    path("rectifications/<int:pk>/close/", views.close, name="close"),
    path("rectifications/<int:pk>/send-back/", views.send_back, name="send_back"),
]
