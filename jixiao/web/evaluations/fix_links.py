"""Where to fix what a finding or a gap points at: the edit page of its part, anchored to the row or field.

A location is a finding's (``funds[0].executed_wan``, ``narrative.conclusion``, ``指标:产出指标/数量指标/场次``);
:func:`jixiao.core.locations.location_part` gives its part, and the edit pages' own element ids give the anchor:
formset rows are ``<prefix>-row-<i>``, indicator rows ``node-<index path>``, single fields ``id_<part>-<field>``.
"""

from __future__ import annotations

from django.urls import reverse

from ...core.locations import indicator_names, location_part, location_steps
from ...core.model import Evaluation, Indicator
from .edit_forms import EDITORS

#: parts of the document edited on another part's page
EDITED_WITH = {"allocations": "funds"}
#: lists inside a part that its edit page shows as a table of rows (``project.basis``, ``organisation.leadership``)
NESTED_ROWS = frozenset({"basis", "leadership"})


def _index_path(indicators: list[Indicator], names: list[str]) -> str | None:
    """``0.1.2`` for the node reached by ``names`` from the roots (the indicator editor's row ids)."""
    index: list[str] = []
    nodes = indicators
    for name in names:
        position = next((i for i, node in enumerate(nodes) if node.name == name), None)
        if position is None:
            return None
        index.append(str(position))
        nodes = nodes[position].children
    return ".".join(index) or None


def _anchor(location: str, part: str, evaluation: Evaluation) -> str:
    names = indicator_names(location)
    if names is not None:
        path = _index_path(evaluation.indicators, names)
        return f"node-{path}" if path else "indicator-tree"
    if part == "indicators":
        return "indicator-tree"
    steps = location_steps(location)
    for name, index in steps:
        if index is not None:
            return f"{name}-row-{index}"
    if len(steps) == 1:
        return f"{steps[0][0]}-table"
    if len(steps) >= 2:
        field = steps[1][0]
        return f"{field}-table" if field in NESTED_ROWS else f"id_{part}-{field}"
    return ""


def fix_url(record_pk: int, location: str | None, evaluation: Evaluation) -> str | None:
    """The edit page (with anchor) where ``location`` is filled in; None when no edit page holds it."""
    part = location_part(location)
    if part is None or location is None:
        return None
    slug = EDITED_WITH.get(part, part)
    if slug not in EDITORS:
        return None
    url = reverse("evaluations:edit", args=[record_pk, slug])
    anchor = _anchor(location, slug, evaluation)
    return f"{url}#{anchor}" if anchor else url
