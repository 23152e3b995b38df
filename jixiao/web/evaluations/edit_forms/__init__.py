"""One editor per part of the evaluation document; the view looks them up by the part's slug."""

from __future__ import annotations

from .base import EditRefused, Outcome, PartEditor, RevisionForm, model_problems
from .claims import ClaimsEditor
from .funds import FundsEditor
from .goals import GoalsEditor
from .indicators import IndicatorsEditor
from .narrative import NarrativeEditor
from .organisation import OrganisationEditor
from .outputs import OutputsEditor
from .project import ProjectEditor
from .surveys import SurveysEditor

EDITORS: dict[str, type[PartEditor]] = {
    editor.slug: editor
    for editor in (
        ProjectEditor,
        FundsEditor,
        GoalsEditor,
        IndicatorsEditor,
        OutputsEditor,
        SurveysEditor,
        OrganisationEditor,
        NarrativeEditor,
        ClaimsEditor,
    )
}

__all__ = ["EDITORS", "EditRefused", "Outcome", "PartEditor", "RevisionForm", "model_problems"]
