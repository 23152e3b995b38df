"""A self-evaluation that passes the submit gate: the shared base (``tests.conftest.BASE``) with every part the
gate requires filled in (``jixiao/data/submission/required.yaml``), and a way to bring a stored draft there."""

from __future__ import annotations

import copy
from typing import Any

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Organisation
from tests.conftest import BASE
from tests.web.conftest import evaluation_for

#: what BASE lacks for the gate: 项目背景, 实施情况, 自评结论 and the 预算执行率 row's own score (98% × 10)
COMPLETE: dict[str, Any] = {
    "project_extra": {
        "background": "为提升公民科学素质，市科协组织开展全民科普活动。",
        "implementation": "全年开展科普活动 110 场。",
    },
    "narrative": {**BASE["narrative"], "conclusion": "项目完成年度绩效目标，自评等级为优。"},
    "claims": {**BASE["claims"], "execution_score": 9.8},
}


def complete_evaluation(unit: Organisation, name: str, year: int = 2022, **changes: Any) -> Evaluation:
    """BASE renamed into ``unit``, complete for the gate, with top-level keys of ``changes`` replacing its own."""
    parts = {"narrative": copy.deepcopy(COMPLETE["narrative"]), "claims": copy.deepcopy(COMPLETE["claims"]), **changes}
    evaluation = evaluation_for(unit, name, year, **parts)
    return evaluation.model_copy(update={"project": evaluation.project.model_copy(update=COMPLETE["project_extra"])})


def make_complete(record: EvaluationRecord, user: Any, **changes: Any) -> EvaluationRecord:
    """Save the complete document over a draft, as its 填报人 would."""
    evaluation = complete_evaluation(record.unit, record.project_name, record.year, **changes)
    return services.save(record.pk, evaluation, user, record.revision)
