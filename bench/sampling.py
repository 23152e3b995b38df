"""抽查复核 draw at province scale (issue 11): on the data ``bench.scale`` loads (PostgreSQL 500,000 evaluations over
five years, SQLite 100,000), draw a 10% sample of each of the two latest years for the 财政局 and time it, from reading
the candidates to the stored list. Run ``python -m bench.scale`` first with BENCH_SCALE_DIR (and, for PostgreSQL,
DATABASE_URL) set; then ``BENCH_SCALE_DIR=… python -m bench.sampling`` with the same settings.

BENCH_SAMPLING_RUNS (1) draws each year that many times. Each draw is timed whole (``draw_sample``: read, score and
draw, store), and within that same call its parts: the earlier years' 复核 summed per unit, the candidates read (that
sum included), the draw itself (``jixiao.core.sampling.draw``) and storing the list; the rest (the draw's own row,
the commit) is the whole less those. The CPU time of this process is printed beside the wall time: on a machine busy
with other work the wall time grows much more than this process's CPU time. Every draw uses the same seed, so its
list should be the one the last draw of that year with that plan stored (by this version of the code or an earlier
one): the benchmark says whether it is (a list that differs is expected only when the data, the weights or the way of
drawing changed in between).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from .web import setup_django

PLAN = {"size_pct": Decimal(10), "minimum_per_department": 3, "random_share_pct": Decimal(20), "seed": 20261206}


def _steal() -> float:
    """CPU seconds the host has taken from this machine so far (a noisy neighbour: the timings of such a run are not
    this code's alone); the load of other processes on this machine shows as wall time well above this process's
    CPU time."""
    with open("/proc/stat") as stat:
        return int(stat.readline().split()[8]) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    folder = os.environ.get("BENCH_SCALE_DIR")
    if not folder:
        raise SystemExit("请先用 BENCH_SCALE_DIR 运行 python -m bench.scale 载入数据，再以同样的设置运行本基准")
    runs = int(os.environ.get("BENCH_SAMPLING_RUNS", "1"))
    setup_django(Path(folder))
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jixiao.io.catalogue import load_sampling_weights
    from jixiao.web.organisations.models import Organisation
    from jixiao.web.sampling import services
    from jixiao.web.sampling.models import SampleDraw, SampleItem

    from .scale import FINANCE_NAME

    finance = Organisation.objects.get(name=FINANCE_NAME)
    user = get_user_model().objects.get(username="scale-finance")
    weights = load_sampling_weights()
    latest = services.EvaluationRecord.objects.filter(finance=finance).order_by("-year").values_list("year", flat=True)
    years = sorted(set(latest[:1]) | {latest[0] - 1}, reverse=True)
    wholes: dict[int, list[float]] = {year: [] for year in years}

    def listed(stored: SampleDraw) -> list[tuple[object, ...]]:
        items = SampleItem.objects.filter(draw=stored).order_by("position")
        return list(items.values_list("record_id", "part", "rank", "risk_score", "why", "budget_wan"))

    # the parts, timed where draw_sample calls them
    parts: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t0

        return call

    for name in ("earlier_reviews", "candidates", "draw", "_store_items"):
        setattr(services, name, timed(name, getattr(services, name)))

    for run in range(1, runs + 1):
        for year in years:
            same_plan = SampleDraw.objects.filter(finance=finance, year=year, seed=PLAN["seed"]).filter(
                size_pct=PLAN["size_pct"],
                minimum_per_department=PLAN["minimum_per_department"],
                random_share_pct=PLAN["random_share_pct"],
            )
            earlier_draw = same_plan.order_by("-pk").first()
            parts.clear()
            t0, cpu0, steal0 = time.perf_counter(), time.process_time(), _steal()
            stored = services.draw_sample(finance, year, dict(PLAN), user, weights)
            whole, cpu, steal = time.perf_counter() - t0, time.process_time() - cpu0, _steal() - steal0
            wholes[year].append(whole)
            if earlier_draw is None:
                same = "（此前没有同样条件的抽取可比）"
            elif listed(stored) == listed(earlier_draw):
                same = f"；名单与上一次同样条件的抽取（编号 {earlier_draw.pk}）相同"
            else:
                same = f"；名单与上一次同样条件的抽取（编号 {earlier_draw.pk}）不同！"
            rest = whole - parts["candidates"] - parts["draw"] - parts["_store_items"]
            print(
                f"[{connection.vendor}] 第 {run} 次 {year} 年度：候选 {stored.candidates} 个，抽取 {stored.drawn} 个；"
                f"读取候选 {parts['candidates']:.2f} s（其中往年复核汇总 {parts['earlier_reviews']:.2f} s），"
                f"抽取 {parts['draw']:.2f} s，保存名单 {parts['_store_items']:.2f} s，其余 {rest:.2f} s；"
                f"共 {whole:.2f} s（本进程 CPU {cpu:.2f} s，宿主机占去 {steal:.2f} s）{same}",
                flush=True,
            )
    if runs > 1:
        for year, times in wholes.items():
            print(
                f"[{connection.vendor}] {year} 年度 {runs} 次：共计中位数 {statistics.median(times):.2f} s，"
                f"最短 {min(times):.2f} s，最长 {max(times):.2f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
