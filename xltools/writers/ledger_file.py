"""A workbook file as the jobs see it: its sheets as rows (read by the caller), replaceable tables, saved once.

The jobs (xltools.workflow) read every sheet first, compute, then replace the
sheets the tool makes; this is the file side of that, the Excel side is
`ledger_excel.ExcelLedger`. Saving renders the new sheets with XlsxWriter and
splices them into the file (`xlsx_package`), so everything else in it — macros
and buttons, charts, text boxes, comments, the clerk's own sheets — is kept
byte for byte. What a clerk added on a sheet about to be replaced is listed
and nothing is written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from xltools.errors import BadFile, WouldLoseContent
from xltools.master.content import Table, rows_extra_columns
from xltools.merge.dashboard import Dashboard
from xltools.status.scale import COLORS as STATUS_COLORS
from xltools.vocab import ROW_KEYS
from xltools.writers.files import write_atomic
from xltools.writers.layout import SheetLayout, dashboard_layout, table_layout
from xltools.writers.master_xlsx import backup
from xltools.writers.xlsx_fast import workbook_bytes
from xltools.writers.xlsx_package import Package, losses, splice

Ours = Callable[[str, list[list]], str | None]


class FileLedger:
    """An .xlsx (or .xlsm) on disk; `save` backs the original up to 备份/ and writes atomically."""

    def __init__(self, path: str | Path, rows: dict[str, list[list]]):
        """`rows`: the file's sheets as read (readers.master.sheet_rows), in tab order."""
        self.path = Path(path)
        if not zipfile.is_zipfile(self.path):
            raise BadFile(f"{self.path.name} 不是 .xlsx/.xlsm 文件（可能已损坏，或是 .xls/.et 格式）。"
                          "请在 Excel 或 WPS 中另存为 .xlsx 后再试。")
        self.name = self.path.name
        self.folder = self.path.parent
        self._rows = rows
        self._order = list(self._rows)
        self._layouts: dict[str, SheetLayout] = {}
        self._replaced: list[str] = []
        self._drawn: frozenset[str] = frozenset()  # sheets whose charts are the tool's (the dashboard)

    def sheets(self) -> dict[str, list[list]]:
        return self._rows

    def replace(self, tables: list[Table], ours: Ours, after: str | None = None,
                ensure: dict[str, tuple[str, ...]] | None = None, keys: tuple[str, ...] = ROW_KEYS) -> None:
        """Put `tables` where the sheets `ours` recognises stood (or after `after`, or at the end),
        with the columns staff added to them back on their rows (matched by `keys`); `ensure`
        names, per sheet, staff columns it always has."""
        ensure = ensure or {}
        identities = {name: ours(name, self._rows.get(name, [])) for name in self._order}
        mine = [name for name, identity in identities.items() if identity is not None]
        kept_rows = {identities[name]: self._rows.get(name, []) for name in mine}
        if mine:
            position = self._order.index(mine[0])
        else:
            position = self._order.index(after) + 1 if after in self._order else len(self._order)
        self._replaced += [n for n in mine if n in self._rows and n not in self._replaced]
        for name in mine:
            self._layouts.pop(name, None)
        others = [n for n in self._order if n not in mine]
        position -= sum(1 for n in self._order[:position] if n in mine)
        new = []
        for table in tables:
            staff, values = rows_extra_columns(kept_rows.get(table.key or table.name, []), table.header, keys)
            staff += [e for e in ensure.get(table.name, ()) if e not in staff]
            if not set(keys) <= set(table.header):
                staff, values = [], {}
            name = _free_name(table.name, others + new)
            self._layouts[name] = table_layout(_renamed(table, name), staff, values, keys)
            new.append(name)
        self._order = others[:position] + new + others[position:]

    def put_dashboard(self, dashboard: Dashboard) -> None:
        """总览 as the first sheet, replacing the previous one."""
        if dashboard.name in self._order:
            self._order.remove(dashboard.name)
            if dashboard.name in self._rows and dashboard.name not in self._replaced:
                self._replaced.append(dashboard.name)
        self._order.insert(0, dashboard.name)
        self._drawn = frozenset({dashboard.name})
        self._layouts[dashboard.name] = dashboard_layout(dashboard, STATUS_COLORS)

    def save(self) -> Path:
        """Write the workbook in place; returns where the original was backed up."""
        original = self.path.read_bytes()
        generated = workbook_bytes([self._layouts[n] for n in self._order if n in self._layouts])
        try:
            lost = losses(Package.read(original), self._replaced, Package.read(generated), self._drawn)
        except (zipfile.BadZipFile, KeyError, StopIteration, ValueError) as exc:
            raise BadFile(f"{self.name} 的文件结构无法识别（可能已损坏），没有修改。"
                          "请在 Excel 或 WPS 中打开后另存为 .xlsx，再试。") from exc
        if lost:
            raise WouldLoseContent(lost_message(self.name, lost))
        data = splice(original, generated, self._order)
        saved = backup(self.path)
        write_atomic(self.path, lambda tmp: tmp.write_bytes(data))
        return saved


def lost_message(file: str, lost: dict[str, dict[str, int]]) -> str:
    where = "；".join(f"工作表“{sheet}”上的" + "、".join(f"{label}{n}处" for label, n in found.items())
                     for sheet, found in lost.items())
    return (f"{file} 没有修改：{where}，是在工具生成的工作表上添加的，更新时这些工作表会整张重新生成，"
            "这些内容会丢失。请把它们移到自己新建的工作表（工具不会改动），或在本工具生成的表格右侧新增的列中"
            "填写（新增列会保留），然后再试。")


def _free_name(name: str, taken: list[str]) -> str:
    """`name`, or `name1`, `name2` … when a sheet staff made already has it (as Excel would)."""
    lower = {t.lower() for t in taken}
    if name.lower() not in lower:
        return name
    n = 1
    while f"{name[:30]}{n}".lower() in lower:
        n += 1
    return f"{name[:30]}{n}"


def _renamed(table: Table, name: str) -> Table:
    return table if table.name == name else replace(table, name=name)
