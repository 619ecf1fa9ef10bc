"""Benchmark: generate the forms of every unit of the 2025 plan (goal: under 3 s on 2 cores).

Run: make bench   (or .venv/bin/python bench/forms.py)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from xltools.forms.model import unit_forms
from xltools.readers.master import load_master
from xltools.workflow import SAMPLE, build_master
from xltools.writers.distribution import generate
from xltools.writers.master_xlsx import write_master


def main(repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = folder / SAMPLE
        sample.write_bytes(resources.files("xltools").joinpath(f"data/{SAMPLE}").read_bytes())
        master, _ = build_master([str(sample)], None)
        book = write_master(master, folder / "督办台账.xlsx")
        runs = []
        for i in range(repeat):
            start = time.perf_counter()
            loaded = load_master(book)
            forms = unit_forms(loaded, 3)
            done = generate(forms, folder / f"分发{i}")
            runs.append(time.perf_counter() - start)
        size = sum(g.path.stat().st_size for g in done) / 1024
        print(f"forms: {len(done)} unit workbooks ({size:.0f} KiB) for {sum(len(p.tasks) for p in loaded.plans)} tasks")
        print(f"forms: total min {min(runs):.2f} s, median {statistics.median(runs):.2f} s "
              f"({1000 * min(runs) / len(done):.1f} ms per unit) — goal < 3 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
