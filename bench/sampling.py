"""抽查复核 draw at province scale (issue 11): on the data ``bench.scale`` loads (PostgreSQL 500,000 evaluations over
five years, SQLite 100,000), draw a 10% sample of each of the two latest years for the 财政局 and time it, from reading
the candidates to the stored list. Run ``python -m bench.scale`` first with BENCH_SCALE_DIR (and, for PostgreSQL,
DATABASE_URL) set; then ``BENCH_SCALE_DIR=… python -m bench.sampling`` with the same settings.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

from .web import setup_django


def main() -> None:
    folder = os.environ.get("BENCH_SCALE_DIR")
    if not folder:
        raise SystemExit("请先用 BENCH_SCALE_DIR 运行 python -m bench.scale 载入数据，再以同样的设置运行本基准")
    setup_django(Path(folder))
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jixiao.io.catalogue import load_sampling_weights
    from jixiao.web.organisations.models import Organisation
    from jixiao.web.sampling import services

    from .scale import FINANCE_NAME

    finance = Organisation.objects.get(name=FINANCE_NAME)
    user = get_user_model().objects.get(username="scale-finance")
    latest = services.EvaluationRecord.objects.filter(finance=finance).order_by("-year").values_list("year", flat=True)
    years = sorted(set(latest[:1]) | {latest[0] - 1}, reverse=True)
    plan = {"size_pct": Decimal(10), "minimum_per_department": 3, "random_share_pct": Decimal(20), "seed": 20261206}
    for year in years:
        t0 = time.perf_counter()
        pool = services.candidates(finance, year)
        read = time.perf_counter() - t0
        t0 = time.perf_counter()
        stored = services.draw_sample(finance, year, plan, user, load_sampling_weights())
        whole = time.perf_counter() - t0
        print(
            f"[{connection.vendor}] {year} 年度：候选 {len(pool)} 个，抽取 {stored.drawn} 个；读取候选 {read:.2f} s，"
            f"读取 + 抽取 + 保存共 {whole:.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
