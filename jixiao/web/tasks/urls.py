from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_new, name="new"),
    path("template.xlsx", views.list_template, name="template"),
    path("todo/", views.todo, name="todo"),
    path("<int:pk>/", views.task_board, name="board"),
    path("<int:pk>/board.xlsx", views.task_board_xlsx, name="board-xlsx"),
    path("<int:pk>/remind/", views.task_remind, name="remind"),
    path("<int:pk>/extend/", views.task_extend, name="extend"),
    path("<int:pk>/reopen/", views.task_reopen, name="reopen"),
    path("notices/", views.notice_list, name="notices"),
]
