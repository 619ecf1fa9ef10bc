"""Benchmark: merging returned forms, against the reading floor and the loop a Python user would write.

Cases (each merge uses every core, as `xltools merge` does on an office PC):
- distinct: a master of the six plans in the four documents of tests/data (206 units), forms for every unit and
  quarter, filled by the demo's simulator; half of the units send a corrected version a few days later, a third another one;
- copies: the same forms copied until the count is reached (most end as "superseded").

Printed per case: the merge (`workflow.merge`, what `xltools merge` runs, each time in a fresh process with
its modules imported, as a clerk runs one merge per command) and the split it times (load the master, read
and place, consolidate and judge, write the tracker while the worker processes write the reports), the floor
(python-calamine reading every sheet of the same files, all cores and one core), the pandas loop (`pandas.read_excel(sheet_name=None, engine="calamine")`), the
ratios the goals are stated in, and the peak memory summed over all processes (sampled from /proc).

Run: make bench   (or .venv/bin/python bench/merge.py [COUNT …] [--runs N])
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from merge_once import pss  # bench/ is the script's folder

from xltools.demo.simulate import simulate
from xltools.forms.model import unit_forms
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master
from xltools.workflow import build_master
from xltools.writers.distribution import LIST_NAME, generate
from xltools.writers.master_xlsx import write_master

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "tests" / "data").glob("seed_00*.txt"))  # six plans in four documents
TODAY = dt.date(2026, 1, 31)
CORES = os.cpu_count() or 1


class PeakMemory:
    """The largest sum of memory (PSS) of a process (this one by default) and all its descendants, sampled
    every 20 ms."""

    def __init__(self, pid: int | None = None):
        self.pid = pid or os.getpid()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(pss(pid) for pid in _tree(self.pid)))
            self._stop.wait(0.02)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def prepare(folder: Path) -> tuple[Path, list[Path]]:
    """The master of every plan and the distinct returns of all units for the four quarters."""
    master, _ = build_master([str(p) for p in PLANS], None)
    book = write_master(master, folder / "督办台账.xlsx")
    loaded = load_master(book)
    returns = folder / "回收"
    for quarter in range(1, 5):
        made = generate(unit_forms(loaded, quarter, (3,)), folder / f"分发{quarter}")
        forms = [(read_identity(g.path).unit, g.path) for g in made if g.path.name != LIST_NAME]
        deadline = dt.datetime(2025 + quarter // 4, quarter * 3 % 12 + 1, 20, 18)
        simulate(forms, returns / f"{quarter}季度", deadline, seed=quarter)
        simulate(forms[::2], returns / f"{quarter}季度更正", deadline + dt.timedelta(days=3), seed=10 + quarter)
        simulate(forms[1::3], returns / f"{quarter}季度再更正", deadline + dt.timedelta(days=5), seed=20 + quarter)
    return book, sorted(p for p in returns.rglob("*") if p.suffix == ".xlsx")


def _read_all(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    try:  # the simulated returns include a Word file named .xlsx, as units send them
        book = CalamineWorkbook.from_path(str(path))
        return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    except Exception:
        return 0


def floor(files: list[Path], workers: int) -> float:
    start = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_read_all, files, chunksize=16))
    else:
        for path in files:
            _read_all(path)
    return time.perf_counter() - start


def pandas_loop(files: list[Path]) -> float:
    import pandas as pd

    start = time.perf_counter()
    for path in files:
        try:  # what a five-minute script does with a file it cannot read: skip it
            pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
        except Exception:
            continue
    return time.perf_counter() - start


def merge_split(book: Path, folder: Path, out: Path, start_method: str = "fork"
                ) -> tuple[dict[str, float], int, int, tuple[int, int, int]]:
    """A merge in a fresh process (a clerk runs one merge per command: first-call costs count): the split it
    times, the peak memory of its processes, its memory before merging and the tracker's counts."""
    if out.exists():
        out.unlink()
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("merge_once.py")), str(book), str(folder),
                              str(out), TODAY.isoformat(), start_method],
                             stdout=subprocess.PIPE, text=True)
    with PeakMemory(child.pid) as memory:
        printed, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"the merge failed (exit code {child.returncode})")
    result = json.loads(printed.splitlines()[-1])
    split = dict(result["split"])
    split["其他"] = result["total"] - sum(split.values())  # what the steps do not time: the worker processes ending
    return split, memory.peak, result["idle"], tuple(result["counts"])


def run_case(name: str, book: Path, files: list[Path], folder: Path, runs: int) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(files):
        shutil.copy(path, folder / f"{i:05d}_{path.name}")
    copies = sorted(folder.glob("*.xlsx"))
    results = [merge_split(book, folder, folder.parent / f"汇总台账_{name}.xlsx") for _ in range(runs)]
    split = {k: statistics.median(r[0][k] for r in results) for k in results[0][0]}
    total = sum(split.values())
    peak, idle = statistics.median(r[1] for r in results), statistics.median(r[2] for r in results)
    used, superseded, issues = results[0][3]
    spawned = statistics.median(sum(merge_split(book, folder, folder.parent / f"汇总台账_{name}.xlsx", "spawn")[0].values())
                                for _ in range(runs))
    all_cores, one_core = floor(copies, CORES), floor(copies, 1)
    loop = pandas_loop(copies)
    print(f"\n[{name}] {len(copies)} returned forms: {used} used, {superseded} superseded, {issues} issues "
          f"(median of {runs})")
    print(f"  merge {total:.2f} s = " + " + ".join(f"{k} {v:.2f}" for k, v in split.items()))
    print(f"  the same with worker processes spawned as on Windows (each imports its modules): {spawned:.2f} s")
    print(f"  floor: calamine reading every sheet {all_cores:.2f} s on {CORES} cores, {one_core:.2f} s on one")
    print(f"  pandas loop (read_excel, calamine, every sheet) {loop:.2f} s")
    print(f"  merge / floor = {total / all_cores:.2f} (goal ≤ 1.5); pandas loop / merge = {loop / total:.2f} "
          f"(goal ≥ 3)")
    print(f"  peak memory over all processes {peak / 2**20:.0f} MB (the process before merging {idle / 2**20:.0f} MB, "
          f"so the merge added {(peak - idle) / 2**20:.0f} MB)")
    return {"name": name, "count": len(copies), "merge": total, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000])
    parser.add_argument("--runs", type=int, default=1, help="merges per case; the median is printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        book, distinct = prepare(root)
        print(f"prepared {len(distinct)} distinct returns of the plans in {len(PLANS)} documents in {time.perf_counter() - start:.0f} s")
        growth = []
        for count in args.counts:
            if count <= len(distinct):
                growth.append(run_case(f"distinct {count}", book, distinct[:count], root / f"d{count}", args.runs))
            copies = [distinct[i % 100] for i in range(count)]  # a hundred returns copied over and over
            growth.append(run_case(f"copies {count}", book, copies, root / f"c{count}", args.runs))
        print("\n| 情形 | 回收表份数 | 合并用时 | 峰值内存（所有进程） |\n|---|---|---|---|")
        for result in growth:
            print(f"| {result['name']} | {result['count']} | {result['merge']:.2f} s | {result['peak'] / 2**20:.0f} MB |")


if __name__ == "__main__":
    main()
