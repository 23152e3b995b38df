"""The permission matrix for object views (see ``test_permissions.py`` for how the matrix is built): people of
every working role placed in *another branch* of the tree than the record are refused (403/404) on GET and POST,
in every status, for every value of the other URL parts (``pairs``), and nothing changes in the database."""

from __future__ import annotations

import pytest

from jixiao.web.evaluations.models import EvaluationRecord
from tests.web.conftest import WORKING_ROLES, World, client_for
from tests.web.test_permissions import OBJECT_ROUTES, OUTSIDERS, POST_DATA, pairs, refused_get, snapshot


@pytest.mark.parametrize("role", WORKING_ROLES)
def test_object_views_refuse_other_branches(role: str, world: World, every_status: dict[str, EvaluationRecord]) -> None:
    unit = world.org("A1")
    before = snapshot(unit.pk)
    for route in OBJECT_ROUTES:
        for place in OUTSIDERS[role]:
            client = client_for(world.user(role, place))
            for status, record, url in pairs(route, every_status):
                response = client.get(url)
                assert refused_get(response), f"GET {url} ({status}) as {role}@{place}: {response.status_code}"
                assert record.project_name not in response.content.decode(errors="replace")
                response = client.post(url, {**POST_DATA, "revision": str(record.revision)})
                assert response.status_code in (403, 404), (
                    f"POST {url} ({status}) as {role}@{place}: {response.status_code}"
                )
            # compared once per route and place: a refused POST changes nothing, so the state stays ``before``
            assert snapshot(unit.pk) == before, f"POSTs to {route} as {role}@{place} changed a record"
