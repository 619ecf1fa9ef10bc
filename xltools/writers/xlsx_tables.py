"""Write `Table`s as office-looking sheets with openpyxl.

Bold 黑体 header, 仿宋 body, frozen header, autofilter, wrapped text, A4
landscape fitted to the page width with the header repeated and page numbers.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xltools.master.content import HEADER_ROW, SUBHEADERS, Table, key_text, rows_extra_columns
from xltools.merge.status import COLORS as STATUS_COLORS
from xltools.vocab import STATUS
from xltools.writers.look import (
    BODY_FONT,
    BORDER_COLOR,
    DATE_FORMAT,
    FOOTER,
    MARGINS,
    STYLES,
    TITLE_HEIGHT,
    row_height,
)

THIN = Side(style="thin", color=BORDER_COLOR)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _named(name: str, spec: dict) -> NamedStyle:
    return NamedStyle(
        name,
        font=Font(name=spec["font"], size=spec["size"], bold=spec.get("bold", False), color=spec.get("color")),
        alignment=Alignment(horizontal=spec.get("align"), vertical=spec["valign"], wrap_text=spec["wrap"]),
        border=BORDER if spec.get("border") else Border(),
        fill=PatternFill("solid", fgColor=spec["fill"]) if spec.get("fill") else PatternFill(),
    )


NAMED = {name: _named(name, spec) for name, spec in STYLES.items()}


def register_styles(wb) -> None:
    """Named styles once per workbook (fast to apply, and staff can reuse them)."""
    existing = set(wb.named_styles)
    for name, style in NAMED.items():
        if name not in existing:
            wb.add_named_style(style)


def write_table(ws: Worksheet, table: Table) -> None:
    """Fill an empty worksheet with a table and its print set-up."""
    if table.kind == "readme":
        _write_readme(ws, table)
        return
    ws.append([table.title])
    ws.append([table.info])
    ws.append(table.header)
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
    register_styles(ws.parent)
    ws["A1"].style = "标题"
    ws["A2"].style = "说明文字"
    ncols = len(table.header)
    _style_range(ws, HEADER_ROW, HEADER_ROW, ncols, "表头")
    last = ws.max_row
    if last > HEADER_ROW:
        _style_range(ws, HEADER_ROW + 1, last, ncols, "正文")
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        if row and row[0] in SUBHEADERS:
            _style_range(ws, r, r, ncols, "表头")
    for i, name in enumerate(table.header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = table.widths.get(name, 12)
    ws.row_dimensions[1].height = TITLE_HEIGHT
    fit_row_heights(ws, table, HEADER_ROW + 1)
    for i, name in enumerate(table.header, start=1):
        if name.endswith(STATUS) and last > HEADER_ROW:
            color_statuses(ws, get_column_letter(i), HEADER_ROW + 1, last)
    if table.kind != "settings":
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{max(last, HEADER_ROW + 1)}"
    page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _write_readme(ws: Worksheet, table: Table) -> None:
    """Readme rows are [style, cells…] with style one of the named styles."""
    register_styles(ws.parent)
    for r, (style, *cells) in enumerate(table.rows, start=1):
        for c, value in enumerate(cells, start=1):
            put(ws, r, c, value).style = style
        ws.row_dimensions[r].height = TITLE_HEIGHT if style == "标题" else 18
    ws.column_dimensions["A"].width = table.widths.get("A", 18)
    ws.column_dimensions["B"].width = table.widths.get("B", 90)
    page_setup(ws, title_rows=None)


def fit_row_heights(ws: Worksheet, table: Table, first_row: int) -> None:
    """Row heights set from the text, so every program shows whole cells (none autofits on open)."""
    widths = [table.widths.get(name, 12) for name in table.header]
    for r, row in enumerate(table.rows, start=first_row):
        ws.row_dimensions[r].height = row_height(row, widths)


def put(ws: Worksheet, row: int, column: int, value):
    """Write a value; text is always text, even when it starts with "=" (never a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _style_range(ws: Worksheet, first: int, last: int, ncols: int, style: str) -> None:
    for row in ws.iter_rows(min_row=first, max_row=last, min_col=1, max_col=ncols):
        for cell in row:
            number_format = cell.number_format
            cell.style = style
            if number_format != "General":  # a date keeps its format under the named style
                cell.number_format = number_format


def page_setup(ws: Worksheet, title_rows: str | None) -> None:
    """A4 landscape, all columns on one page width, header repeated, page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = BODY_FONT


def extra_columns(ws: Worksheet, tool_columns: list[str], keys: tuple[str, ...]) -> tuple[list[str], dict]:
    """Columns staff added to a tool-made sheet, with their values by the row's key columns."""
    return rows_extra_columns(list(ws.iter_rows(values_only=True)), tool_columns, keys)


def add_columns(ws: Worksheet, table: Table, names: list[str], values: dict, keys: tuple[str, ...]) -> None:
    """Append staff columns to a freshly written table and put their values back on the same rows."""
    if not names:
        return
    at = [table.header.index(k) for k in keys]
    start = len(table.header) + 1
    for j, name in enumerate(names):
        put(ws, HEADER_ROW, start + j, name).style = "表头"
        ws.column_dimensions[get_column_letter(start + j)].width = 24
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        found = values.get(tuple(key_text(row[i]) for i in at), [])
        for j in range(len(names)):
            put(ws, r, start + j, found[j] if j < len(found) else None).style = "正文"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(start + len(names) - 1)}{max(ws.max_row, HEADER_ROW + 1)}"


def color_statuses(ws: Worksheet, column: str, first_row: int, last_row: int) -> None:
    """Red / yellow / green fills by status value (conditional formats, so they follow edits)."""
    for status, color in STATUS_COLORS.items():
        ws.conditional_formatting.add(
            f"{column}{first_row}:{column}{last_row}",
            CellIsRule(operator="equal", formula=[f'"{status}"'], fill=PatternFill("solid", bgColor=color)))
