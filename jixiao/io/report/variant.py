"""The two versions of the report: the unit's official report and the internal review version."""

from __future__ import annotations

from enum import StrEnum


class ReportVariant(StrEnum):
    """Which version of the report to write.

    The official report is what the unit submits and publishes: Chinese names only, no data-entry notes, no
    check findings, empty parts written as 「无」. The review version is the same text plus what a reviewer
    needs and the public must not see: the findings with the unit's explanations, the 录入说明, and
    「（未填写）」 wherever something is missing.
    """

    OFFICIAL = "official"
    REVIEW = "review"


#: the mark on every page and in the title block of the review version
REVIEW_MARK = "审核版（内部使用，不对外公开）"
