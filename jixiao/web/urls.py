"""URL configuration. Every view is listed in tests/web/test_permissions.py's matrix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "项目支出绩效自评系统 · 系统管理"
admin.site.site_title = "项目支出绩效自评系统"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", include("jixiao.web.disclosure.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="jixiao/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("evaluations/", include("jixiao.web.evaluations.urls")),
    path("tasks/", include("jixiao.web.tasks.urls")),
    path("intake/", include("jixiao.web.intake.urls")),
    path("changes/", include("jixiao.web.changes.urls")),
    path("sampling/", include("jixiao.web.sampling.urls")),
    path("review/", include("jixiao.web.review.urls")),
    path("results/", include("jixiao.web.results.urls")),
    path("trends/", include("jixiao.web.trends.urls")),
    path("targets/", include("jixiao.web.targets.urls")),
    path("monitoring/", include("jixiao.web.monitoring.urls")),
    path("department/", include("jixiao.web.department.urls")),
    path("admin/", admin.site.urls),
]
