"""xlwings back end: renders a `SheetLayout` into a sheet open in Excel, a few calls per sheet, never per cell.

Per sheet: one call for all values, then one group of formatting calls per run
of rows in one style and one call per run of columns of one width, so the
calls scale with sheets, not cells.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from xltools.master.content import Table
from xltools.writers.layout import SheetLayout, table_layout
from xltools.writers.look import STYLES

FORMULA_START = ("=", "+", "-", "@")


def cell(value):
    """A value as Excel must receive it: text that looks like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and len(value) > 1:
        return "'" + value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return value


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def layout_values(layout: SheetLayout) -> list[list]:
    """The whole sheet as one rectangular block of values."""
    width = max(layout.width, 1)
    return [[cell(v) for v in row.values] + [None] * (width - len(row.values)) for row in layout.rows]


def table_values(table: Table, extra: list[str] | None = None, values: dict | None = None) -> list[list]:
    return layout_values(table_layout(table, extra, values))


def render(sheet, layout: SheetLayout) -> None:
    block = layout_values(layout)
    sheet["A1"].value = block
    for first, last, width, style in layout.style_runs():
        spec = STYLES[style]
        target = sheet.range((first + 1, 1), (last + 1, max(width, 1)))
        target.font.name = spec["font"]
        target.font.size = spec["size"]
        if spec.get("bold"):
            target.font.bold = True
        if spec.get("fill"):
            target.color = _hex_to_rgb(spec["fill"])
        if spec["wrap"]:
            target.wrap_text = True
    start = 0
    for c in range(1, len(layout.widths) + 1):
        if c == len(layout.widths) or layout.widths[c] != layout.widths[start]:
            sheet.range((1, start + 1), (1, c)).column_width = layout.widths[start]
            start = c


def write_table(sheet, table: Table, extra: list[str] | None = None, values: dict | None = None) -> None:
    render(sheet, table_layout(table, extra, values))


@contextmanager
def quiet(app):
    """No screen updates, manual calculation and no events while writing; restored after."""
    manager = app.properties(screen_updating=False, calculation="manual", enable_events=False)
    try:
        manager.__enter__()
    except NotImplementedError:  # xlwings' remote engine can only switch screen updating
        manager = None
        app.screen_updating = False
    try:
        yield
    finally:
        if manager is not None:
            manager.__exit__(None, None, None)
        else:
            app.screen_updating = True
