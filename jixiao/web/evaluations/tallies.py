"""The triggers of ``migration 0006_tallies`` (the counts behind the overview, the lists' totals and the task board)
stay in place after every ``migrate`` (``jixiao.web.kept_triggers``)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from ..kept_triggers import KeptCounts

KEPT = KeptCounts(
    migration="jixiao.web.evaluations.migrations.0006_tallies",
    table="evaluations_tally",
    prefix="evaluations_",
    triggers={
        "sqlite": (
            "evaluations_tally_update", "evaluations_tally_insert", "evaluations_tally_delete",
            "evaluations_findingtally_insert", "evaluations_findingtally_delete",
        ),
        "postgresql": (
            "evaluations_tally_truncate", "evaluations_findingtally_truncate", "evaluations_tally_record",
            "evaluations_tally_record_update", "evaluations_tally_finding_insert", "evaluations_tally_finding_delete",
        ),
    },
)  # fmt: skip


def restore_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate: rebuild the counts when 0006 is applied but a trigger of it is gone."""
    KEPT.restore(using)
