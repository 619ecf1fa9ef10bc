"""Write a new master workbook, and back a workbook up before it is updated.

Updating an existing master (refresh, merge into it) goes through
`ledger_file.FileLedger`, which keeps everything staff made.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from xltools.master.content import Master, Table, master_tables
from xltools.writers.xlsx_fast import write_tables


def write_master(master: Master, path: str | Path, extra: list[Table] | None = None) -> Path:
    """A new master; `extra` tables (e.g. the cascade's 对照表) are kept by later refreshes."""
    tables = master_tables(master)
    tables[3:3] = extra or []
    return write_tables(Path(path), tables)


def backup(path: Path) -> Path:
    """A copy of `path` in 备份/ beside it, named by the time; never overwrites an earlier backup."""
    folder = path.parent / "备份"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
    shutil.copy2(path, target)
    return target
