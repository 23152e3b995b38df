from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jixiao.web.intake"
    label = "intake"
    verbose_name = "批量接收文件"
