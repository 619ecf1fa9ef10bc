"""The workbook open in Excel as the jobs see it (xlwings): the same four operations as `FileLedger`.

Every sheet is read with one call before anything is written; tables are
written whole (a few calls per sheet) with screen updating and calculation off.
Excel keeps everything else in the workbook (macros, buttons, charts, comments).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xltools.master.content import Table, rows_extra_columns
from xltools.merge.dashboard import Dashboard
from xltools.status.scale import COLORS as STATUS_COLORS
from xltools.vocab import CONSOLE, ROW_KEYS, XLWINGS_CONF_SHEETS
from xltools.writers.layout import dashboard_layout, table_layout
from xltools.writers.xlwings_tables import quiet, render, write_sheets

Ours = Callable[[str, list[list]], str | None]
NOT_READ = {CONSOLE, *XLWINGS_CONF_SHEETS}


def values_of(sheet) -> list[list]:
    """A sheet's values from A1 (Excel's used range starts at the first non-empty cell, not at A1)."""
    used = sheet.used_range
    last = used.last_cell
    value = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return value or [[]]


class ExcelLedger:
    def __init__(self, book):
        self.book = book
        full = Path(book.fullname)
        self.name = full.name
        self.folder = full.parent if full.is_absolute() else Path.cwd()
        self._rows: dict[str, list[list]] | None = None

    def sheets(self) -> dict[str, list[list]]:
        if self._rows is None:
            self._rows = {s.name: values_of(s) for s in self.book.sheets if s.name not in NOT_READ}
        return self._rows

    def _names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def replace(self, tables: list[Table], ours: Ours, after: str | None = None,
                ensure: dict[str, tuple[str, ...]] | None = None) -> None:
        """Delete the sheets `ours` recognises and write `tables` in their place, keeping staff columns."""
        ensure = ensure or {}
        before = self.sheets()
        kept: dict[str, tuple[list[str], dict]] = {}
        names = self._names()
        first = None
        with quiet(self.book.app):
            for name, rows in before.items():
                identity = ours(name, rows)
                if identity is None:
                    continue
                table = next((t for t in tables if (t.key or t.name) == identity), None)
                if table is not None:
                    kept[identity] = rows_extra_columns(rows, table.header, ROW_KEYS)
                if first is None:
                    first = names.index(name)
                self.book.sheets[name].delete()
            names = self._names()
            if first is not None and first > 0:
                previous = self.book.sheets[min(first, len(names)) - 1]
            elif after in names:
                previous = self.book.sheets[after]
            else:
                previous = self.book.sheets[-1]
            layouts = []
            for table in tables:
                extra, values = kept.get(table.key or table.name, ([], {}))
                extra = extra + [e for e in ensure.get(table.name, ()) if e not in extra]
                layouts.append(table_layout(table, extra, values))
            write_sheets(self.book, layouts, previous)
        self._rows = None

    def put_dashboard(self, dash: Dashboard) -> None:
        """总览 as the first sheet: the same layout as in files (values and styles; charts only in files)."""
        with quiet(self.book.app):
            if dash.name in self._names():
                self.book.sheets[dash.name].delete()
            render(self.book.sheets.add(dash.name, before=self.book.sheets[0]), dashboard_layout(dash, STATUS_COLORS))

    def save(self) -> None:
        """Nothing to do: the clerk saves the workbook in Excel (and can still undo by closing without saving)."""
        return None
