"""A workbook file as the jobs see it: its sheets as rows, replaceable tables, saved once.

The jobs (xltools.workflow) read every sheet first, compute, then replace the
sheets the tool makes; this is the file side of that (openpyxl, loaded once),
the Excel side is `ledger_excel.ExcelLedger`. A workbook holding what openpyxl
cannot carry through a rewrite is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from xltools.errors import BadFile
from xltools.master.content import Table
from xltools.merge.dashboard import Dashboard
from xltools.writers.files import write_atomic
from xltools.writers.master_xlsx import backup, check_rewritable, replace_sheets
from xltools.writers.xlsx_tables import replace_dashboard

Ours = Callable[[str, list[list]], str | None]


class FileLedger:
    """An .xlsx (or .xlsm) on disk; `save` backs the original up to 备份/ and writes atomically."""

    def __init__(self, path: str | Path, own_charts: int = 0):
        self.path = Path(path)
        if not self.path.exists():
            raise BadFile(f"找不到台账文件：{self.path}")
        check_rewritable(self.path, own_charts)
        try:
            self.wb = load_workbook(self.path, keep_vba=self.path.suffix.lower() == ".xlsm")
        except Exception as exc:  # openpyxl raises many kinds on a broken package
            raise BadFile(f"{self.path.name} 无法打开（文件损坏、加密，或不是 Excel 文件）。") from exc
        self.name = self.path.name
        self.folder = self.path.parent
        self._rows = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in self.wb.worksheets}

    def sheets(self) -> dict[str, list[list]]:
        return self._rows

    def replace(self, tables: list[Table], ours: Ours, after: str | None = None,
                ensure: dict[str, tuple[str, ...]] | None = None) -> None:
        """Put `tables` where the sheets `ours` recognises stood (or after `after`), keeping staff columns."""
        rows = self._rows
        replace_sheets(self.wb, tables, lambda ws: ours(ws.title, rows.get(ws.title, [])), ensure=ensure,
                       after=after)

    def put_dashboard(self, dashboard: Dashboard) -> None:
        replace_dashboard(self.wb, dashboard)

    def save(self) -> Path:
        """Write the workbook in place; returns where the original was backed up."""
        saved = backup(self.path)
        write_atomic(self.path, self.wb.save)
        return saved
