"""xlwings back end: renders a `SheetLayout` into a sheet open in Excel, a few calls per sheet, never per cell.

Per sheet: one call for all values, then one group of formatting calls per run
of rows in one style and one call per run of columns of one width, so the
calls scale with sheets, not cells.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from xltools.master.content import HEADER_ROW, Formula, Table
from xltools.vocab import STYLE_BODY
from xltools.writers.layout import SheetLayout, table_layout
from xltools.writers.look import STYLES

FORMULA_START = ("=", "+", "-", "@")


def cell(value):
    """A value as Excel must receive it: text that looks like a formula gets a leading apostrophe."""
    if isinstance(value, Formula):
        return value.text
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
    widths = [0 if c in layout.folded else w for c, w in enumerate(layout.widths)]  # width 0: hidden
    start = 0
    for c in range(1, len(widths) + 1):
        if c == len(widths) or widths[c] != widths[start]:
            sheet.range((1, start + 1), (1, c)).column_width = widths[start]
            start = c


SCRATCH = "xltools_template"  # a sheet that lives only while a group of sheets is written


def _look(layout: SheetLayout) -> tuple | None:
    """What sheets must share for one to be a copy of another with other values: column widths and
    the styles of the rows above the body, every body row in the body style."""
    head, body = layout.rows[:HEADER_ROW], layout.rows[HEADER_ROW:]
    if any(row.style != STYLE_BODY for row in body):
        return None
    return tuple(layout.widths), tuple((row.style, len(row.values)) for row in head)


def write_sheets(book, layouts: list[SheetLayout], after) -> None:
    """New sheets after the sheet `after`, in order. Sheets that look alike (the unit sheets) are
    copies of one formatted sheet — one copy and one block of values each — so the calls per sheet
    stay a handful however many there are."""
    groups: dict[tuple, list[SheetLayout]] = {}
    for layout in layouts:
        look = _look(layout)
        if look is not None:
            groups.setdefault(look, []).append(layout)
    templates = {}  # look → (the formatted sheet, its rows, its columns)
    for look, members in groups.items():
        if len(members) > 2:
            largest = max(members, key=lambda m: len(m.rows))
            sheet = book.sheets.add(f"{SCRATCH}{len(templates)}", after=book.sheets[-1])
            render(sheet, largest)
            templates[look] = (sheet, len(largest.rows), max(largest.width, 1))
    previous = after
    for layout in layouts:
        if _look(layout) not in templates:
            previous = book.sheets.add(layout.name, after=previous)
            render(previous, layout)
            continue
        template, rows, width = templates[_look(layout)]
        previous = template.copy(after=previous, name=layout.name)
        block = layout_values(layout)  # padded to the template's block, so none of its values stay
        previous["A1"].value = block + [[None] * width for _ in range(rows - len(block))]
    for template, _, _ in templates.values():
        template.delete()


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
