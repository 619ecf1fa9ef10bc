"""One merge as `xltools merge` runs it, in a process of its own, for bench/merge.py.

Its modules are those of the CLI (a worker process spawned as on Windows imports them again), and
nothing is warmed up: first-call costs count. Prints the steps, the total time, the memory (PSS)
before merging and the tracker's counts as JSON.

Run: python bench/merge_once.py MASTER FOLDER OUT YYYY-MM-DD fork|spawn
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

from xltools import cli  # noqa: F401  (what `xltools merge` imports at the top: a spawned worker does so again)


def pss(pid: int) -> int:
    """A process's proportional set size: pages it shares with its forked workers count once in a sum over
    them, not once per process (summing VmRSS counted the parent's memory again for every worker)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:  # the process has ended
        pass
    return 0


def main() -> None:
    from xltools.workflow import merge  # as the CLI imports it: in main, not in a spawned worker

    book, folder, out, today, start_method = sys.argv[1:6]
    multiprocessing.set_start_method(start_method)
    idle = pss(os.getpid())
    start = time.perf_counter()
    merged = merge(book, [folder], out=out, today=dt.date.fromisoformat(today), workers=os.cpu_count() or 1)
    total = time.perf_counter() - start
    t = merged.tracker
    print(json.dumps({"split": merged.seconds, "total": total, "idle": idle,
                      "counts": [len(t.used), len(t.superseded), len(t.issues)]}))


if __name__ == "__main__":
    main()
