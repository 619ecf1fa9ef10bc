"""Benchmark: merge 1,000 returned forms (goal: under 10 s on 2 cores, ≥10× faster than pandas.read_excel).

Also prints the floor: the time python-calamine needs just to read the same files.
Run: make bench   (or .venv/bin/python bench/merge.py [files])
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from xltools.demo.simulate import simulate
from xltools.forms.model import unit_forms
from xltools.readers.forms import read_identity
from xltools.readers.master import load_master
from xltools.workflow import SAMPLE, build_master, merge
from xltools.writers.distribution import LIST_NAME, generate
from xltools.writers.master_xlsx import write_master


def prepare(folder: Path, count: int) -> Path:
    sample = folder / SAMPLE
    sample.write_bytes(resources.files("xltools").joinpath(f"data/{SAMPLE}").read_bytes())
    master, _ = build_master([str(sample)], None)
    book = write_master(master, folder / "督办台账.xlsx")
    generate(unit_forms(load_master(book), 1), folder / "分发")
    forms = [(read_identity(p).unit, p) for p in sorted((folder / "分发").glob("*.xlsx")) if p.name != LIST_NAME]
    filled = [s.path for s in simulate(forms, folder / "填好", dt.datetime(2025, 4, 20, 18))
              if s.path and s.path.suffix == ".xlsx"]
    returns = folder / "回收"
    returns.mkdir()
    for i in range(count):
        source = filled[i % len(filled)]
        shutil.copy(source, returns / f"{i:04d}_{source.name}")
    return book


def main(count: int = 1000) -> None:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = prepare(folder, count)
        files = sorted((folder / "回收").glob("*.xlsx"))
        start = time.perf_counter()
        for path in files:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
            for name in workbook.sheet_names:
                workbook.get_sheet_by_name(name).to_python()
        floor = time.perf_counter() - start
        start = time.perf_counter()
        result = merge(book, [str(folder / "回收")], None, folder / "汇总台账.xlsx", today=dt.date(2025, 5, 1),
                       workers=os.cpu_count() or 1)
        total = time.perf_counter() - start
        sample = files[:50]
        start = time.perf_counter()
        for path in sample:
            pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        pandas_all = (time.perf_counter() - start) / len(sample) * len(files)
        start = time.perf_counter()
        for path in sample:
            pd.read_excel(path, engine="openpyxl")
        pandas = (time.perf_counter() - start) / len(sample) * len(files)
        print(f"merge: {len(files)} returned forms, {len(result.tracker.used)} used, "
              f"{len(result.tracker.superseded)} superseded, {len(result.tracker.issues)} issues")
        print(f"merge: total {total:.2f} s ({1000 * total / len(files):.1f} ms per file) — goal < 10 s")
        print(f"merge: reading alone with python-calamine {floor:.2f} s (the floor)")
        print(f"merge: pandas.read_excel, first sheet only ≈ {pandas:.1f} s, every sheet ≈ {pandas_all:.1f} s "
              f"(measured on {len(sample)} files) → merge is {pandas / total:.1f}× / {pandas_all / total:.1f}× faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
