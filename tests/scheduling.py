"""How ``make test`` deals tests out to its two pytest-xdist workers.

A module whose tests share expensive set-up (a module-scoped fixture: LibreOffice conversions, OCR, generated
files) stays on one worker, so that set-up runs once. The web tests (``SPREAD``) use only function-scoped
fixtures, since each test's database is rolled back after it, so they are dealt out one by one and fill the gaps
until both workers finish together. Work units go out in collection order, which ``tests/conftest.py`` makes
longest-first.

pytest-xdist's own ``loadgroup`` marks would say the same, but under pytest 9 they no longer reach its scheduler
(node ids became structured, and the ``@group`` suffix xdist writes is lost), so ``--dist loadgroup`` gets this
scheduler instead (``pytest_xdist_make_scheduler`` in ``tests/conftest.py``).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

#: folders whose tests may run on any worker, one by one (checked: none of their tests uses a module-scoped fixture)
SPREAD = ("tests/web/",)


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


class ModuleOrTestScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        module = module_of(nodeid)
        return nodeid if module.startswith(SPREAD) else module
