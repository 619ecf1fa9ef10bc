"""Write `Table`s into an open workbook through xlwings: a few Excel calls per sheet, never per cell.

Per sheet: one call for all values, then a fixed number of formatting calls
(title, header, body, column widths), so the calls scale with sheets, not cells.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from xltools.master.content import HEADER_ROW, Table
from xltools.vocab import KEY, PLAN
from xltools.writers.look import BODY_FONT, HEAD_FONT, HEADER_FILL

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


def table_values(table: Table, extra: list[str] | None = None, values: dict | None = None,
                 keys: tuple[str, ...] = (PLAN, KEY)) -> list[list]:
    """The whole sheet as one block of rows: title, information, header, data (+ staff columns)."""
    extra, values = extra or [], values or {}
    header = table.header + extra
    at = [table.header.index(k) for k in keys if k in table.header] if extra else []
    rows = [[table.title], [table.info], header]
    for row in table.rows:
        found = values.get(tuple(str(row[i]) for i in at), []) if at else []
        rows.append(list(row) + [found[j] if j < len(found) else None for j in range(len(extra))])
    width = max((len(r) for r in rows), default=1)
    return [[cell(v) for v in r] + [None] * (width - len(r)) for r in rows]


def write_table(sheet, table: Table, extra: list[str] | None = None, values: dict | None = None) -> None:
    block = table_values(table, extra, values)
    ncols = len(block[0])
    sheet["A1"].value = block
    title = sheet["A1"]
    title.font.name, title.font.size, title.font.bold = HEAD_FONT, 16, True
    header = sheet.range((HEADER_ROW, 1), (HEADER_ROW, ncols))
    header.font.bold = True
    header.font.name = HEAD_FONT
    header.color = _hex_to_rgb(HEADER_FILL)
    if len(block) > HEADER_ROW:
        body = sheet.range((HEADER_ROW + 1, 1), (len(block), ncols))
        body.font.name = BODY_FONT
        body.wrap_text = True
    for i, name in enumerate(block[HEADER_ROW - 1], start=1):
        sheet.range((1, i)).column_width = table.widths.get(name, 24 if extra and name in extra else 12)


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
