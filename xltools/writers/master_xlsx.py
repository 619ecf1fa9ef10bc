"""Write a new master workbook, or refresh the derived sheets of an existing one.

A refresh keeps everything staff made: plan sheets and 单位名录 are not
rewritten, columns added to unit sheets are carried over, sheets of their own
stay. Before touching a file it is copied to 备份/, and a file holding what
openpyxl cannot keep (charts, pictures, macros) is refused.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook

from xltools.errors import BadFile, WouldLoseContent
from xltools.master.content import (
    Master,
    Table,
    master_tables,
)
from xltools.vocab import ROW_KEYS
from xltools.writers.files import write_atomic
from xltools.writers.xlsx_tables import extra_columns, write_table


def write_master(master: Master, path: str | Path, extra: list[Table] | None = None) -> Path:
    """A new master; `extra` tables (e.g. the cascade's 对照表) are kept by later refreshes."""
    tables = master_tables(master)
    tables[3:3] = extra or []

    def write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for table in tables:
            write_table(wb.create_sheet(table.name), table)
        wb.save(tmp)

    return write_atomic(path, write)


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


# Parts of an .xlsx that openpyxl cannot carry through a rewrite.
RICH_PARTS = {
    "xl/charts/": "图表",
    "xl/media/": "图片",
    "xl/vbaProject.bin": "宏",
    "xl/pivotTables/": "数据透视表",
    "xl/slicers/": "切片器",
    "xl/embeddings/": "嵌入对象",
    "xl/ctrlProps/": "表单控件",
}


def rich_content(path: str | Path, own_charts: int = 0) -> list[str]:
    """What a rewrite would lose (charts, pictures, macros …), beyond the `own_charts` the tool drew itself."""
    try:
        names = zipfile.ZipFile(path).namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadFile(f"{Path(path).name} 不是有效的 .xlsx 文件（可能已损坏，或是 .xls/.et 格式）。这里需要督办台账（由 xltools build 生成的 .xlsx 或 .xlsm）。") from exc
    charts = sum(1 for n in names if n.startswith("xl/charts/chart"))
    return [label for part, label in RICH_PARTS.items()
            if any(n.startswith(part) for n in names) and not (part == "xl/charts/" and charts <= own_charts)]


def check_rewritable(path: Path, own_charts: int = 0) -> None:
    rich = rich_content(path, own_charts)
    if rich:
        raise WouldLoseContent(
            f"{path.name} 中有{'、'.join(rich)}，用本工具改写会丢失这些内容，因此没有修改。"
            "请在 Excel 中用“刷新分工”按钮（通过 Excel 写入，不会丢失），或把这些内容移到另一个文件后再试。"
        )


def replace_sheets(wb: Workbook, tables: list[Table], ours, ensure: dict[str, tuple[str, ...]] | None = None,
                   keys: tuple[str, ...] = ROW_KEYS, after: str | None = None) -> None:
    """Replace the sheets `ours(ws)` recognises by `tables`, where the first of them stood
    (or after the sheet `after`, or at the end, when none stood).

    Columns staff added to a replaced sheet are put back on the same rows
    (matched by `keys`); `ensure` names, per sheet, staff columns it always has.
    """
    ensure = ensure or {}
    kept: dict[str, tuple[list[str], dict]] = {}
    first_index = None
    for ws in list(wb.worksheets):
        identity = ours(ws)
        if identity is None:
            continue
        table = next((t for t in tables if (t.key or t.name) == identity), None)
        if table is not None:
            kept[identity] = extra_columns(ws, table.header, keys)
        index = wb.worksheets.index(ws)
        first_index = index if first_index is None else min(first_index, index)
        wb.remove(ws)
    if first_index is not None:
        position = first_index
    else:
        position = wb.sheetnames.index(after) + 1 if after in wb.sheetnames else len(wb.worksheets)
    for offset, table in enumerate(tables):
        names, values = kept.get(table.key or table.name, ([], {}))
        names = names + [e for e in ensure.get(table.name, ()) if e not in names]
        ws = wb.create_sheet(table.name, position + offset)
        if names and set(keys) <= set(table.header):
            write_table(ws, table, names, values)
        else:
            write_table(ws, table)
