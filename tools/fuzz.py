"""The long fuzz of every reader (``make fuzz``): the cases of tests/fuzz, by the ten thousand.

    .venv/bin/python tools/fuzz.py                          # 20,000 cases over the five formats, seed 2026
    .venv/bin/python tools/fuzz.py --cases 2000 --formats .pdf,.xls
    .venv/bin/python tools/fuzz.py --case '.xls#94' --save out/fuzz   # one case again, its file kept
    .venv/bin/python tools/fuzz.py --markdown                # the figures as the table of docs/reliability.md

Each case (tests/fuzz/mutate.py: damaged bytes, damaged containers, hostile content in well-formed files) goes
through ``audit_file`` in a child process and is judged as the suite judges it (tests/fuzz/harness.py): nothing
escapes, any error is a Chinese sentence naming the file, a well-formed file is read, at most 5 s and 300 MB more
memory. The cases are shared evenly by the formats and, within each format, by ``--workers`` processes (one per
core). The suite runs the first cases of the same seed; this goes on from there.

Prints, per format, in Chinese: cases, errors reported (in Chinese), crashes, non-Chinese messages, other
problems, the longest time and the largest memory growth of one file, and the total time. Exits 1 on any crash,
non-Chinese message or other problem, including those of open findings (tests/fuzz/test_findings.py), unless
``--allow-known`` is given, which lets the cases of open findings pass (they are still counted and listed).
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.fuzz lives beside the package, not in it

from tests.fuzz import mutate, seeds  # noqa: E402
from tests.fuzz.harness import CRASHED, MAX_MEGABYTES, MAX_SECONDS, Outcome, known_open, run_cases  # noqa: E402

DEFAULT_CASES = 20_000
DEFAULT_SEED = 2026
#: problems of these kinds are non-Chinese messages
_NOT_CHINESE = ("提示不是中文", "提示未指明文件")


def is_crash(problem: str) -> bool:
    """Something escaped ``audit_file``, or the process died, or the case never returned."""
    return problem.startswith(("异常未被拦截", CRASHED.split("（")[0])) or "未返回" in problem


@dataclass
class Tally:
    """The figures of one format."""

    cases: int = 0
    errors: int = 0
    crashes: int = 0
    not_chinese: int = 0
    other: int = 0
    known: int = 0
    longest: float = 0.0
    longest_case: str = ""
    largest: float = 0.0
    largest_case: str = ""
    seconds: float = 0.0
    problems: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        self.seconds += outcome.seconds
        if outcome.error is not None:
            self.errors += 1
        if outcome.seconds > self.longest:
            self.longest, self.longest_case = outcome.seconds, outcome.name
        if outcome.megabytes > self.largest:
            self.largest, self.largest_case = outcome.megabytes, outcome.name
        if outcome.problem is None:
            return
        self.problems.append(outcome)
        if known_open(outcome):
            self.known += 1
        if is_crash(outcome.problem):
            self.crashes += 1
        elif outcome.problem.startswith(_NOT_CHINESE):
            self.not_chinese += 1
        else:
            self.other += 1


def _split(total: int, formats: list[str], workers: int) -> list[list[tuple[str, int, int]]]:
    """Each worker's share: for every format, a contiguous range of case numbers (start, end)."""
    shares: list[list[tuple[str, int, int]]] = [[] for _ in range(workers)]
    per_format = [total // len(formats) + (1 if i < total % len(formats) else 0) for i in range(len(formats))]
    for suffix, count in zip(formats, per_format, strict=True):
        for w in range(workers):
            start, end = count * w // workers, count * (w + 1) // workers
            if end > start:
                shares[w].append((suffix, start, end))
    return [share for share in shares if share]


def _work(share: list[tuple[str, int, int]], seed: int) -> None:
    """A worker: run its share, one JSON line per case on stdout."""

    def emit(outcome: Outcome) -> None:
        sys.stdout.write(json.dumps(asdict(outcome), ensure_ascii=False) + "\n")
        sys.stdout.flush()

    for suffix, start, end in share:
        run_cases([(suffix, seed, index) for index in range(start, end)], progress=emit)


def _run(args: argparse.Namespace, formats: list[str]) -> dict[str, Tally]:
    tallies = {suffix: Tally() for suffix in formats}
    shares = _split(args.cases, formats, args.workers)
    total = sum(end - start for share in shares for _, start, end in share)
    selector = selectors.DefaultSelector()
    workers = []
    for share in shares:
        command = [sys.executable, __file__, "--worker", json.dumps(share), "--seed", str(args.seed)]
        command += ["--long", str(args.long)]
        worker = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT)
        workers.append(worker)
        assert worker.stdout is not None
        selector.register(worker.stdout, selectors.EVENT_READ)
    done, open_streams, step = 0, len(workers), max(1, total // 20)
    while open_streams:
        for key, _ in selector.select():
            line = key.fileobj.readline()  # type: ignore[union-attr]
            if not line:
                selector.unregister(key.fileobj)
                open_streams -= 1
                continue
            outcome = Outcome(**json.loads(line))
            tallies[outcome.suffix].add(outcome)
            done += 1
            if done % step == 0 or done == total:
                print(f"  已完成 {done:,}/{total:,} 个用例", flush=True)
    codes = [worker.wait() for worker in workers]
    if any(codes):
        print(f"工作进程异常退出（退出码 {codes}），结果不完整", file=sys.stderr)
    return tallies


def _table(tallies: dict[str, Tally], wall: float, markdown: bool) -> list[str]:
    heads = (
        "格式",
        "用例",
        "报错（中文）",
        "崩溃",
        "非中文提示",
        "其他问题",
        "其中已知未修复",
        "单个最长用时",
        "单个最大内存增量",
        "用时合计",
    )
    rows = []
    for suffix, t in tallies.items():
        rows.append(
            (
                suffix,
                f"{t.cases:,}",
                f"{t.errors:,}",
                str(t.crashes),
                str(t.not_chinese),
                str(t.other),
                str(t.known),
                f"{t.longest:.2f} 秒",
                f"{t.largest:.0f} MB",
                f"{t.seconds:.0f} 秒",
            )
        )
    every = list(tallies.values())
    rows.append(
        (
            "合计",
            f"{sum(t.cases for t in every):,}",
            f"{sum(t.errors for t in every):,}",
            str(sum(t.crashes for t in every)),
            str(sum(t.not_chinese for t in every)),
            str(sum(t.other for t in every)),
            str(sum(t.known for t in every)),
            f"{max((t.longest for t in every), default=0):.2f} 秒",
            f"{max((t.largest for t in every), default=0):.0f} MB",
            f"{sum(t.seconds for t in every):.0f} 秒（墙钟 {wall:.0f} 秒）",
        )
    )
    if markdown:
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        return lines + ["| " + " | ".join(row) + " |" for row in rows]
    return ["  ".join(heads)] + ["  ".join(row) for row in rows]


def _problems(tallies: dict[str, Tally], seed: int, limit: int = 60) -> Iterable[str]:
    problems = [o for t in tallies.values() for o in t.problems]
    for outcome in problems[:limit]:
        known = known_open(outcome)
        label = f"【已知未修复 {known}】" if known else ""
        detail = f"（{outcome.detail}）" if outcome.detail else ""
        yield f"  {label}{outcome.name}：{outcome.problem}{detail}"
    if len(problems) > limit:
        yield f"  ……另有 {len(problems) - limit} 个"
    if problems:
        first = problems[0].name.split()[0]
        yield f"重现一个用例：.venv/bin/python tools/fuzz.py --seed {seed} --case '{first}' --save out/fuzz"


def _one_case(args: argparse.Namespace) -> int:
    suffix, _, index = args.case.partition("#")
    if suffix not in seeds.FORMATS or not index.isdigit():
        print(f"用例应写作“格式#序号”，如 .xls#94；格式为 {'、'.join(seeds.FORMATS)}", file=sys.stderr)
        return 2
    case = mutate.mutant(suffix, args.seed, int(index))
    if args.save:
        folder = Path(args.save)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"fuzz-{args.seed}-{index}{suffix}"
        kept.write_bytes(case.data)
        print(f"文件已保存：{kept}（{len(case.data):,} 字节）")
    (outcome,) = run_cases([(suffix, args.seed, int(index))])
    print(f"{outcome.name}：用时 {outcome.seconds:.2f} 秒，内存增加 {outcome.megabytes:.0f} MB")
    print(f"  报错：{outcome.error or '无（读取成功）'}")
    print(f"  结论：{outcome.problem or '通过'}" + (f"（{outcome.detail}）" if outcome.detail else ""))
    return 1 if outcome.problem else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="各读取器的模糊测试（fuzz）")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="用例总数，各格式平分（默认 20000）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认 2026，与测试套件相同）")
    parser.add_argument("--formats", default=",".join(seeds.FORMATS), help="逗号分隔的格式（默认全部五种）")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行进程数（默认每核一个）")
    parser.add_argument("--long", type=int, default=mutate.LONG, help=f"超长行的长度（默认 {mutate.LONG}）")
    parser.add_argument("--allow-known", action="store_true", help="已知未修复的问题不算失败")
    parser.add_argument("--markdown", action="store_true", help="结果表格用 Markdown 输出（docs/reliability.md）")
    parser.add_argument("--case", help="只重跑一个用例，如 .xls#94")
    parser.add_argument("--save", help="与 --case 一起：把该用例的文件保存到此文件夹")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    mutate.LONG = args.long
    if args.worker:
        _work([tuple(item) for item in json.loads(args.worker)], args.seed)
        return 0
    if args.case:
        return _one_case(args)
    formats = [f.strip() if f.strip().startswith(".") else f".{f.strip()}" for f in args.formats.split(",")]
    unknown = [f for f in formats if f not in seeds.FORMATS]
    if unknown or args.cases < 1 or args.workers < 1:
        print(f"参数有误：格式须为 {'、'.join(seeds.FORMATS)}，用例数和进程数须为正整数", file=sys.stderr)
        return 2
    print(
        f"模糊测试：{args.cases:,} 个用例（{'、'.join(formats)}），种子 {args.seed}，{args.workers} 个进程；"
        f"每个文件限 {MAX_SECONDS:.0f} 秒、内存增加 {MAX_MEGABYTES:.0f} MB",
        flush=True,
    )
    started = time.perf_counter()
    tallies = _run(args, formats)
    wall = time.perf_counter() - started
    print()
    print("\n".join(_table(tallies, wall, args.markdown)))
    lines = list(_problems(tallies, args.seed))
    if lines:
        print("\n未通过的用例：")
        print("\n".join(lines))
    problems = [o for t in tallies.values() for o in t.problems]
    failing = [o for o in problems if not (args.allow_known and known_open(o))]
    ran = sum(t.cases for t in tallies.values())
    if ran < args.cases:
        print(f"\n只完成 {ran:,}/{args.cases:,} 个用例", file=sys.stderr)
        return 1
    if failing:
        print(f"\n失败：{len(failing)} 个用例未通过")
        return 1
    print("\n通过：没有崩溃，所有提示都是中文" + ("（已知未修复的问题除外）" if problems else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
