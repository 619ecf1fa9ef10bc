"""Benchmark: the plan-side jobs for the 2025 plan (340 tasks) and a synthetic plan ten times its size.

The synthetic plan repeats the 2025 plan's part 二 (its 290 tasks of 十一个方面重点工作) under
new part numbers, so every task keeps a real clause and real units. Printed per plan: import
(parse), master build, 刷新分工 on the file, forms of every unit (what goes on them, then writing the
workbooks); goals: build ≤ 1.0 s and forms ≤ 1.0 s for the 2025 plan, printed with the figures.

Run: make bench   (or .venv/bin/python bench/plan.py [--runs N])
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from xltools.forms.model import unit_forms
from xltools.readers.master import load_master
from xltools.workflow import build_master, refresh_file
from xltools.writers.distribution import generate
from xltools.writers.master_xlsx import write_master

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seed_001.txt"
NUMERALS = "一二三四五六七八九十"
PART = re.compile(r"^([一二三四五六七八九十]+)、")


def numeral(n: int) -> str:
    """1..99 in Chinese numerals, as part headings write them (十一, 二十三)."""
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def synthetic(times: int) -> str:
    """The 2025 plan with its part 二 repeated `times` times, parts renumbered in order."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if PART.match(line) and i > 20]
    second, third = starts[1], starts[2]
    head, part, tail = lines[:second], lines[second:third], lines[third:]
    parts = [part] * times
    out, number = list(head), 2
    for block in [*parts, *[tail[a - third:b - third] for a, b in zip(starts[2:], [*starts[3:], len(lines)],
                                                                       strict=True)]]:
        out.append(PART.sub(f"{numeral(number)}、", block[0], count=1))
        out += block[1:]
        number += 1
    return "\n".join(out) + "\n"


def timed(step, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median is printed")
    args = parser.parse_args()
    print("| 方案 | 任务数 | 单位数 | 导入 | 生成台账 | 刷新分工 | 生成附表 |\n|---|---|---|---|---|---|---|")
    split, goals = [], ""  # where the forms' time goes, per plan; the 2025 plan's figures against the goals
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, times in (("2025年方案", 1), ("十倍方案（合成）", 11)):
            document = folder / f"{label}.txt"
            document.write_text(synthetic(times), encoding="utf-8")
            parse, (master, _) = timed(lambda d=document: build_master([str(d)], None), args.runs)
            book = folder / f"{label}.xlsx"
            build, _ = timed(lambda m=master, b=book: write_master(m, b), args.runs)
            refresh, _ = timed(lambda b=book: refresh_file(b), args.runs)
            loaded = load_master(book)
            model, all_forms = timed(lambda m=loaded: unit_forms(m, 1), args.runs)
            write, made = timed(lambda f=all_forms: generate(f, Path(tempfile.mkdtemp(dir=folder))), args.runs)
            tasks = sum(len(p.tasks) for p in master.plans)
            print(f"| {label} | {tasks} | {len(made)} | {parse:.2f} s | {build:.2f} s | {refresh:.2f} s | "
                  f"{model + write:.2f} s |")
            split.append(f"{label}: 生成附表 {model + write:.2f} s = 附表内容 {model:.2f} s + 写文件 {write:.2f} s")
            if times == 1:  # the 2025 plan as it is
                goals = f"goals for {label}: 生成台账 {build:.2f} s (goal ≤ 1.0 s), 生成附表 {model + write:.2f} s (goal ≤ 1.0 s)"
    print("", *split, goals, sep="\n")


if __name__ == "__main__":
    main()
