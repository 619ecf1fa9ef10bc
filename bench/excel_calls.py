"""Benchmark: Excel calls per button on the 2025 plan (xlwings' remote engine records them).

The count must follow the number of sheets written, not the number of cells.
Run: make bench   (the licence key below is for this benchmark only; the product needs none)
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402

import xltools.excel as excel  # noqa: E402
from xltools.cli import main as cli  # noqa: E402
from xltools.readers.master import sheet_rows  # noqa: E402
from xltools.writers.xlwings_tables import SCRATCH  # noqa: E402


def book_from(path: Path) -> xw.Book:
    def plain(v):
        return None if v == "" else v.isoformat()[:10] if isinstance(v, dt.date | dt.datetime) else v

    sheets = {"控制台": [["督办台账控制台", None], ["运行结果", None]], **sheet_rows(path)}
    return xw.Book(json={"client": "VBA", "version": xw.__version__,
                         "book": {"name": path.name, "active_sheet_index": 0},
                         "names": [], "sheets": [{"name": n, "values": [[plain(v) for v in r] for r in rows] or [[None]],
                                                  "pictures": [], "tables": []} for n, rows in sheets.items()]})


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cli(["demo", "--out", str(folder / "demo")])
        os.chdir(folder / "demo")
        master = folder / "demo" / "督办台账.xlsx"
        for name, button in [("刷新分工", excel.refresh_units), ("生成附表", excel.make_forms),
                             ("合并回收表", excel.merge_returns), ("刷新状态", excel.refresh_status)]:
            book = book_from(master)
            button(book)
            done = book.json()["actions"]
            actions = Counter(a["func"] for a in done)
            scratch = sum(1 for a in done if a["func"] == "addSheet" and a["args"][1].startswith(SCRATCH))
            sheets = actions["addSheet"] + actions["copySheet"] - scratch
            total = sum(actions.values())
            per = f"{total / sheets:.1f} per sheet written" if sheets else "no sheet written"
            goal = " — goal < 1000" if name == "刷新分工" else ""
            print(f"excel calls: {name}: {total} calls{goal}, {sheets} sheets written ({per}; "
                  f"{actions['copySheet']} of them copies of a formatted sheet); "
                  f"cells written in blocks: {actions['setValues']} value calls")


if __name__ == "__main__":
    main()
