"""One rounding rule on the pages too: on the unit's detail page and on the public page, each column's 合计 is
the sum of the figures printed above it, and 「比单位自评高/低 X 分」 is the difference of the printed totals,
for generated evaluations (see ``tests/generated.py``) published through the lifecycle."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from django.test import Client
from hypothesis import HealthCheck, given, settings
from lxml import html

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.organisations.models import Role
from tests.generated import evaluations
from tests.test_printed_totals import _comparisons_hold, _evaluate, _printed
from tests.web.conftest import PATHS, World, client_for

_NAMES = count(1)


def _columns_add_up(page: bytes) -> str:
    """Check the score table of a page; return its notes' text (where the comparison is)."""
    tree = html.fromstring(page)
    table = tree.get_element_by_id("scores")
    rows = table.xpath(".//tr[contains(@class, 'score-row')]")
    claimed = [row.xpath("./td")[4].text_content().strip() for row in rows]
    computed = [row.xpath("./td")[5].text_content().strip() for row in rows]
    # the 折算 row: its label spans the first five columns, the step itself is in the next cell
    rescaling = [r.xpath("./td")[1].text_content() for r in table.xpath(".//tr[contains(@class, 'rescaling')]")]
    claimed_total = tree.get_element_by_id("claimed-total").text_content().strip()
    computed_total = tree.get_element_by_id("computed-total").text_content().strip()
    if computed_total not in ("—", "未评分"):
        parts = [_printed(c) or Decimal(0) for c in computed] + [_printed(r) or Decimal(0) for r in rescaling]
        assert _printed(computed_total) == sum(parts, Decimal(0)), (computed, rescaling, computed_total)
    present = [c for c in claimed if c != "不适用"]
    if claimed_total == "不完整":
        assert any(_printed(c) is None for c in present)
    else:
        assert _printed(claimed_total) == sum((_printed(c) or Decimal(0) for c in present), Decimal(0))
    return " ".join(tree.xpath("//ul[contains(@class, 'score-notes')]")[0].itertext())


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(evaluation=evaluations())
def test_the_detail_page_and_the_public_page_add_up(world: World, evaluation: Evaluation) -> None:
    unit = world.org("A1")
    evaluation = evaluation.model_copy(
        update={"project": evaluation.project.model_copy(update={"name": f"生成的项目{next(_NAMES)}"})}
    )
    record = services.create(unit, evaluation, world.user(Role.FILLER, "A1"))
    for action in PATHS["published"]:
        score = Decimal(80) if action == "review" else None
        services.move(record.pk, action, world.actor(action, "A1"), "", score, gate=False)
    result = _evaluate(evaluation)
    detail = client_for(world.user(Role.FILLER, "A1")).get(f"/evaluations/{record.pk}/")
    public = Client().get(f"/public/{record.pk}/")
    for response in (detail, public):
        assert response.status_code == 200
        _comparisons_hold(_columns_add_up(response.content), result)
