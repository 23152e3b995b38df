"""Shared test helpers: where ../shared is, the markers every test gets from its fixtures, and evaluations
built from plain dicts and scored under shipped rule sets."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.core import EvaluationResult, evaluate
from jixiao.core.model import Evaluation
from jixiao.io.catalogue import install_reading_vocabulary, load_framework, load_rules
from tests.scheduling import SPREAD, module_of

ROOT = Path(__file__).resolve().parent.parent
install_reading_vocabulary()  # tests of jixiao.reading call it directly, without the io layer that installs it
#: seed reports, the public corpus and the JSON contracts live beside the repository, not in it; JIXIAO_SHARED
#: points elsewhere (bench/ and tools/ read the same variable). Tests that need it use ``requires_shared``.
SHARED = Path(os.environ.get("JIXIAO_SHARED") or ROOT.parent / "shared")
EXAMPLE = ROOT / "examples" / "zhanjiang-2022-kepu"

#: fixtures that reach the database: a test using any of them gets the ``db`` marker (the PostgreSQL pass runs those)
DB_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"})
DB_FIXTURES_INDIRECT = frozenset({"client", "admin_client", "admin_user", "django_user_model", "live_server"})


def requires_shared(*paths: str | Path) -> pytest.MarkDecorator:
    """Skip unless every one of ``paths`` (under ``SHARED``, e.g. ``SHARED / "contracts"`` or just ``"contracts"``)
    exists, so that a clone of this repository alone passes."""
    missing = [str(SHARED / path) for path in paths if not (SHARED / path).exists()]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"需要 ../shared（种子报告、语料或契约），未找到：{'、'.join(missing)}（可用环境变量 JIXIAO_SHARED 指定位置）",
    )


#: what runs first under pytest-xdist: the modules of the longest single tests, then those with LibreOffice and
#: OCR work, so that no worker is left alone with a long module at the end while the other waits
FIRST = ("browser", "office", "ocr", "slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the database with ``db``, whichever way it asks for it, and put the modules of
    the long tests first (``tests/scheduling.py`` deals them out in this order)."""
    rank: dict[str, int] = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & (DB_FIXTURES | DB_FIXTURES_INDIRECT) or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.db)
        module = module_of(item.nodeid)
        if module.startswith(SPREAD) and _shares_module_setup(item):
            raise pytest.UsageError(
                f"{item.nodeid} 用了模块级的 fixture，而 {module} 的测试会被逐个分给不同的进程"
                "（tests/scheduling.py 的 SPREAD）：请改用函数级 fixture，或把该目录移出 SPREAD"
            )
        mine = next((i for i, name in enumerate(FIRST) if item.get_closest_marker(name)), len(FIRST))
        rank[module] = min(rank.get(module, mine), mine)
    # whole modules move, so that a module's tests stay together and its module-scoped fixtures are made once
    items.sort(key=lambda item: rank[module_of(item.nodeid)])  # stable: otherwise the order stays


def _shares_module_setup(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(d.scope in ("module", "package") for defs in info.name2fixturedefs.values() for d in defs)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: unknown when it is not loaded (-p no:xdist)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``: whole modules where they share set-up, single tests elsewhere, in collection order."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.scheduling import ModuleOrTestScheduling

    config.option.loadscopereorder = False  # keep the longest-first order of the collection
    return ModuleOrTestScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Six settings differ under test. Cached page fragments (settings.CACHES) and stored files (MEDIA_ROOT:
    uploads being read or received, and generated reports kept under the record's id and revision) live in folders of the test session's
    own, one per xdist worker, so that runs in parallel or one after another, whose databases hand out the same
    ids, never see each other's files. Passwords are hashed with MD5: a real hash costs about 0.4 s by design,
    and tests that create users with passwords would spend most of their time on it."""
    from django.conf import settings
    from django.test import override_settings

    cache = tmp_path_factory.mktemp("django-cache")
    media = tmp_path_factory.mktemp("media")
    (media / "scratch").mkdir()
    with override_settings(
        CACHES={**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": str(cache)}},
        MEDIA_ROOT=media,
        FILE_UPLOAD_TEMP_DIR=media / "scratch",  # a large upload being received, as web/scratch.py's folders
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # background tasks run at once, in the test's own transaction (tests/web/test_background.py runs the real
        # database backend and its worker once)
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # immediate, that would be a LibreOffice conversion in every test that publishes; test_disclosure.py has one
        JIXIAO_RENDER_ON_PUBLISH=False,
    ):
        yield


#: a small, complete and consistent 附1-style evaluation (no findings): 100 万元 budgeted and arrived, 98 spent
BASE: dict[str, Any] = {
    "project": {"name": "科普专项经费", "year": 2022, "department": "湛江市科学技术协会", "unit": "湛江市科学技术协会"},
    "framework": "mof-selfeval",
    "funds": [
        {
            "source": "current",
            "initial_budget_wan": 100,
            "annual_budget_wan": 100,
            "arrivals": [{"amount_wan": 100, "date": "2022-06-30"}],
            "executed_wan": 98,
        }
    ],
    "goals": [{"kind": "overall", "expected": "开展科普活动，提升公民科学素质", "actual": "全年开展科普活动 110 场"}],
    "indicators": [
        {
            "name": "产出指标",
            "points": 50,
            "children": [
                {
                    "name": "数量指标",
                    "points": 50,
                    "children": [
                        {
                            "name": "科普活动场次",
                            "points": 30,
                            "target": "≥100场",
                            "actual": "110场",
                            "claimed_score": 30,
                        },
                        {
                            "name": "答题人数",
                            "points": 20,
                            "target": "≥5000人",
                            "actual": "5500人",
                            "claimed_score": 20,
                        },
                    ],
                }
            ],
        },
        {
            "name": "效益指标",
            "points": 30,
            "children": [
                {
                    "name": "社会效益指标",
                    "points": 30,
                    "children": [
                        {
                            "name": "公民科学素质",
                            "points": 30,
                            "target": "具备科学素质的公民比例提高1个百分点",
                            "actual": "达成年度指标",
                            "claimed_score": 30,
                        },
                    ],
                }
            ],
        },
        {
            "name": "满意度指标",
            "points": 10,
            "children": [
                {
                    "name": "服务对象满意度指标",
                    "points": 10,
                    "children": [
                        {
                            "name": "参与群众满意度",
                            "points": 10,
                            "target": "≥90%",
                            "actual": "95%",
                            "claimed_score": 10,
                            "survey": "s1",
                        },
                    ],
                }
            ],
        },
    ],
    "surveys": [{"id": "s1", "title": "参与群众满意度问卷", "respondents": 200, "satisfied": 190}],
    "narrative": {
        "problems": ["部分县区科普设施薄弱，活动覆盖不均衡"],
        "improvements": ["加大对基层科普阵地的投入，年内补齐薄弱县区"],
    },
    "claims": {"total_score": 99.8, "grade": "优"},
}


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def assign(data: Any, path: str, value: Any) -> None:
    """Set ``value`` at a field path such as ``indicators[0].children[1].target`` (the YAML check cases' ``set``);
    index len(list) appends."""
    keys: list[str | int] = [name if name else int(index) for name, index in _PATH_PART.findall(path)]
    for key in keys[:-1]:
        data = data[key]
    last = keys[-1]
    if isinstance(data, list) and last == len(data):
        data.append(copy.deepcopy(value))
    else:
        data[last] = copy.deepcopy(value)


def make(**changes: Any) -> Evaluation:
    """The base evaluation with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return Evaluation.model_validate(data)


def run(
    evaluation: Evaluation | dict[str, Any], rules: str = "mof-2020", framework: str | None = None
) -> EvaluationResult:
    if isinstance(evaluation, dict):
        evaluation = Evaluation.model_validate(evaluation)
    return evaluate(evaluation, load_rules(rules), load_framework(framework or evaluation.framework))


@pytest.fixture
def base_result() -> EvaluationResult:
    return run(make())
