from django.urls import path

from . import views

app_name = "sampling"

urlpatterns = [
    path("", views.draw_list, name="list"),
    path("<int:pk>/", views.draw_detail, name="detail"),
    path("<int:pk>/sample.xlsx", views.draw_xlsx, name="xlsx"),
]
