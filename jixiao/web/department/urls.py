from django.urls import URLPattern

app_name = "department"

urlpatterns: list[URLPattern] = []
