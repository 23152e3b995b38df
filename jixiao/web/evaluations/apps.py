from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    name = "jixiao.web.evaluations"
    label = "evaluations"
    verbose_name = "绩效自评"

    def ready(self) -> None:
        from .tallies import restore_triggers

        # after every migrate: a later migration that rebuilt a table on SQLite took its triggers with it
        post_migrate.connect(restore_triggers, sender=self, dispatch_uid="evaluations.restore_triggers")
