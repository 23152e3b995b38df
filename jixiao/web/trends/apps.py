from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrendsConfig(AppConfig):
    name = "jixiao.web.trends"
    label = "trends"
    verbose_name = "历年对比"

    def ready(self) -> None:
        from .tallies import restore_triggers

        # after every migrate: a later migration that rebuilt a table on SQLite took its triggers with it
        post_migrate.connect(restore_triggers, sender=self, dispatch_uid="trends.restore_triggers")
