from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.round_new, name="new"),
    path("board/", views.board, name="board"),
    path("round/<int:pk>/", views.round_detail, name="round"),
    path("round/<int:pk>/add-late/", views.round_add_late, name="add-late"),
    path("<int:pk>/", views.record_detail, name="record"),
    path("<int:pk>/return/", views.record_return, name="return"),
    path("<int:pk>/table.xlsx", views.table_xlsx, name="table"),
    path("<int:pk>/report.<slug:fmt>", views.report, name="report"),
]
