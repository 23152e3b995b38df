from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "jixiao.web.trends"
    label = "trends"
    verbose_name = "历年对比"
