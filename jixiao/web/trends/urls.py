from django.urls import path

from . import views

app_name = "trends"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("execution/", views.execution, name="execution"),
    path("scores/", views.scores, name="scores"),
    path("gaps/", views.gaps, name="gaps"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("trends.xlsx", views.workbook, name="xlsx"),
]
