"""Write a new master workbook, or refresh the derived sheets of an existing one.

A refresh keeps everything staff made: plan sheets and 单位名录 are not
rewritten, columns added to unit sheets are carried over, sheets of their own
stay. Before touching a file it is copied to 备份/, and a file holding what
openpyxl cannot keep (charts, pictures, macros) is refused.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xltools.master.content import (
    HEADER_ROW,
    STATS,
    UNIT_COLUMNS,
    Master,
    Table,
    derived_tables,
    master_tables,
)
from xltools.master.read import text
from xltools.readers.document import ReadError
from xltools.readers.master import load_master, rich_content
from xltools.writers.files import write_atomic
from xltools.writers.xlsx_tables import put, write_table


def write_master(master: Master, path: str | Path) -> Path:
    tables = master_tables(master)

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


def check_rewritable(path: Path) -> None:
    rich = rich_content(path)
    if rich:
        raise ReadError(
            f"{path.name} 中有{'、'.join(rich)}，用本工具改写会丢失这些内容，因此没有修改。"
            "请在 Excel 中用“刷新分工”按钮（通过 Excel 写入，不会丢失），或把这些内容移到另一个文件后再试。"
        )


def _is_unit_sheet(ws: Worksheet) -> bool:
    header = [text(c.value) for c in ws[HEADER_ROW]][: len(UNIT_COLUMNS)]
    return header == UNIT_COLUMNS and text(ws["A1"].value).endswith("承担任务清单")


def _staff_columns(ws: Worksheet) -> tuple[list[str], dict[tuple[str, str], list]]:
    """Columns staff added to a unit sheet, with their values by (方案, 编号)."""
    header = [text(c.value) for c in ws[HEADER_ROW]]
    extra = [i for i in range(len(UNIT_COLUMNS), len(header)) if header[i]]
    values = {}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row and any(row[i] not in (None, "") for i in extra if i < len(row)):
            values[(text(row[0]), text(row[1]))] = [row[i] if i < len(row) else None for i in extra]
    return [header[i] for i in extra], values


def refresh_workbook(wb: Workbook, master: Master) -> list[Table]:
    """Replace 分工统计 and the unit sheets of an open workbook, keeping staff columns."""
    kept: dict[str, tuple[list[str], dict]] = {}
    first_index = None
    for ws in list(wb.worksheets):
        if ws.title == STATS or _is_unit_sheet(ws):
            if _is_unit_sheet(ws):
                unit = text(ws["A1"].value).removesuffix("承担任务清单").strip()
                kept[master.directory.canonical(unit) or unit] = _staff_columns(ws)
            index = wb.worksheets.index(ws)
            first_index = index if first_index is None else min(first_index, index)
            wb.remove(ws)
    tables = derived_tables(master)
    position = first_index if first_index is not None else len(wb.worksheets)
    for offset, table in enumerate(tables):
        ws = wb.create_sheet(table.name, position + offset)
        write_table(ws, table)
        if table.key in kept and kept[table.key][0]:
            _restore(ws, table, *kept[table.key])
    return tables


def _restore(ws: Worksheet, table: Table, names: list[str], values: dict) -> None:
    start = len(UNIT_COLUMNS) + 1
    for j, name in enumerate(names):
        put(ws, HEADER_ROW, start + j, name).style = "表头"
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=start + j).column_letter].width = 20
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        found = values.get((text(row[0]), text(row[1])), [])
        for j in range(len(names)):
            put(ws, r, start + j, found[j] if j < len(found) else None).style = "正文"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{ws.cell(row=HEADER_ROW, column=start + len(names) - 1).column_letter}{ws.max_row}"


def refresh_file(path: str | Path) -> tuple[Master, Path]:
    """Rebuild 分工统计 and the unit sheets from the plan sheets and 单位名录 as staff left them.

    Raises MasterError (nothing written) when an edit cannot be understood.
    Returns the master and the backup made before writing.
    """
    path = Path(path)
    check_rewritable(path)
    master = load_master(path)
    wb = load_workbook(path)
    refresh_workbook(wb, master)
    saved = backup(path)
    write_atomic(path, wb.save)
    return master, saved
