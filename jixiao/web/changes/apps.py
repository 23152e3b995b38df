from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "jixiao.web.changes"
    label = "changes"
    verbose_name = "变更记录"

    def ready(self) -> None:
        from . import signals

        signals.connect()
