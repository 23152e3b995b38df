from django.apps import AppConfig


class DepartmentConfig(AppConfig):
    name = "jixiao.web.department"
    label = "department"
    verbose_name = "部门整体自评"
