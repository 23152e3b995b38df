from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "jixiao.web.sampling"
    label = "sampling"
    verbose_name = "抽查复核"
