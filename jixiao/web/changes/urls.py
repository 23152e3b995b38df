from django.urls import path

from . import views

app_name = "changes"

urlpatterns = [
    path("<slug:model>/<int:pk>/", views.history, name="history"),
]
