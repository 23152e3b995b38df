"""The 复核 of one evaluation; ``pk`` is the evaluation's (every route is in the permission matrix as an object view)."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("<int:pk>/", views.workbench, name="workbench"),
    path("<int:pk>/sheet/", views.save_sheet, name="sheet"),
    path("<int:pk>/message/", views.post_message, name="message"),
    path("<int:pk>/evidence/", views.attach, name="attach"),
    path("<int:pk>/evidence/<int:evidence>/", views.evidence_download, name="evidence"),
    path("<int:pk>/problems/", views.add_problem, name="add_problem"),
    path("<int:pk>/problems/<int:problem>/delete/", views.remove_problem, name="remove_problem"),
    path("<int:pk>/finish/", views.finish, name="finish"),
    path("<int:pk>/opinion.<slug:fmt>", views.opinion_download, name="opinion"),
]
