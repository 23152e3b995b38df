"""The permission matrix for object views (see ``test_permissions.py`` for how the matrix is built): people of
every working role placed in *another branch* of the tree than the record are refused (403/404) on GET and POST,
in every status, for every value of the other URL parts, and nothing changes in the database."""

from __future__ import annotations

import pytest

from jixiao.web.evaluations.models import EvaluationRecord
from tests.web.conftest import WORKING_ROLES, World, client_for
from tests.web.test_permissions import OBJECT_ROUTES, OUTSIDERS, POST_DATA, Route, refused_get, snapshot, urls_of


@pytest.mark.parametrize("role", WORKING_ROLES)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_object_views_refuse_other_branches(
    route: Route, role: str, world: World, every_status: dict[str, EvaluationRecord]
) -> None:
    unit = world.org("A1")
    for place in OUTSIDERS[role]:
        client = client_for(world.user(role, place))
        for record in every_status.values():
            for url in urls_of(route, record.pk):
                response = client.get(url)
                assert refused_get(response), f"GET {url} as {role}@{place}: {response.status_code}"
                assert record.project_name not in response.content.decode(errors="replace")
                before = snapshot(unit.pk)
                response = client.post(url, {**POST_DATA, "revision": str(record.revision)})
                assert response.status_code in (403, 404), f"POST {url} as {role}@{place}: {response.status_code}"
                assert snapshot(unit.pk) == before, f"POST {url} as {role}@{place} changed the record"
