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

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xltools.errors import BadFile, WouldLoseContent
from xltools.master.content import (
    HEADER_ROW,
    STATS,
    Master,
    Table,
    derived_tables,
    master_tables,
    unit_sheet_unit,
)
from xltools.master.read import master_from_rows
from xltools.vocab import KEY, PLAN
from xltools.writers.files import write_atomic
from xltools.writers.xlsx_tables import add_columns, extra_columns, write_table


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
    folder = path.parent / "备份"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
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
        raise BadFile(f"{Path(path).name} 不是有效的 .xlsx 文件（可能已损坏，或是 .xls/.et 格式）。") from exc
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


UNIT_KEYS = (PLAN, KEY)


def replace_sheets(wb: Workbook, tables: list[Table], ours, ensure: dict[str, tuple[str, ...]] | None = None,
                   keys: tuple[str, ...] = UNIT_KEYS) -> None:
    """Replace the sheets `ours(ws)` recognises by `tables`, where the first of them stood.

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
    position = first_index if first_index is not None else len(wb.worksheets)
    for offset, table in enumerate(tables):
        ws = wb.create_sheet(table.name, position + offset)
        write_table(ws, table)
        names, values = kept.get(table.key or table.name, ([], {}))
        names = names + [e for e in ensure.get(table.name, ()) if e not in names]
        if set(keys) <= set(table.header):
            add_columns(ws, table, names, values, keys)


def _unit_or_stats(master: Master):
    def ours(ws: Worksheet) -> str | None:
        if ws.title == STATS:
            return STATS
        unit = unit_sheet_unit([list(r) for r in ws.iter_rows(max_row=HEADER_ROW, values_only=True)])
        return (master.directory.canonical(unit) or unit) if unit else None

    return ours


def refresh_workbook(wb: Workbook, master: Master) -> list[Table]:
    """Replace 分工统计 and the unit sheets of an open workbook, keeping staff columns."""
    tables = derived_tables(master)
    replace_sheets(wb, tables, _unit_or_stats(master))
    return tables


def refresh_file(path: str | Path) -> tuple[Master, Path]:
    """Rebuild 分工统计 and the unit sheets from the plan sheets and 单位名录 as staff left them.

    Raises BadMaster (nothing written) when an edit cannot be understood.
    Returns the master and the backup made before writing.
    """
    path = Path(path)
    check_rewritable(path)
    wb = load_workbook(path)  # read once: the master is parsed from the same workbook that is rewritten
    master = master_from_rows({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets})
    refresh_workbook(wb, master)
    saved = backup(path)
    write_atomic(path, wb.save)
    return master, saved
