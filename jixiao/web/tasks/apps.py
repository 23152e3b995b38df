from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "jixiao.web.tasks"
    label = "tasks"
    verbose_name = "自评任务"
