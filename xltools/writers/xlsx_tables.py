"""Write `Table`s as office-looking sheets with openpyxl.

Bold 黑体 header, 仿宋 body, frozen header, autofilter, wrapped text, A4
landscape fitted to the page width with the header repeated and page numbers.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xltools.master.content import HEADER_ROW, SUBHEADERS, Table

BODY_FONT = "仿宋"
HEAD_FONT = "黑体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
STYLES = {
    "标题": NamedStyle("标题", font=Font(name=HEAD_FONT, size=16, bold=True),
                     alignment=Alignment(horizontal="left", vertical="center")),
    "说明文字": NamedStyle("说明文字", font=Font(name=BODY_FONT, size=10, color="595959"),
                       alignment=Alignment(horizontal="left", vertical="center")),
    "表头": NamedStyle("表头", font=Font(name=HEAD_FONT, size=11, bold=True), alignment=CENTER, border=BORDER,
                     fill=HEADER_FILL),
    "正文": NamedStyle("正文", font=Font(name=BODY_FONT, size=11), alignment=WRAP_TOP, border=BORDER),
    "正文无框": NamedStyle("正文无框", font=Font(name=BODY_FONT, size=11), alignment=WRAP_TOP),
}


def register_styles(wb) -> None:
    """Named styles once per workbook (fast to apply, and staff can reuse them)."""
    existing = set(wb.named_styles)
    for name, style in STYLES.items():
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
    ws.row_dimensions[1].height = 28
    fit_row_heights(ws, table, HEADER_ROW + 1)
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
        ws.row_dimensions[r].height = 28 if style == "标题" else 18
    ws.column_dimensions["A"].width = table.widths.get("A", 18)
    ws.column_dimensions["B"].width = table.widths.get("B", 90)
    page_setup(ws, title_rows=None)


def text_lines(value, width: float) -> int:
    """How many lines wrapped text takes in a column (CJK characters count double)."""
    if value is None or value == "":
        return 1
    usable = max(width - 1, 4)
    lines = 0
    for part in str(value).split("\n"):
        units = sum(1.75 if ord(ch) > 0x2E80 else 1.0 for ch in part)
        lines += max(1, math.ceil(units / usable))
    return lines


def fit_row_heights(ws: Worksheet, table: Table, first_row: int) -> None:
    """Row heights set from the text, so every program shows whole cells (none autofits on open)."""
    widths = [table.widths.get(name, 12) for name in table.header]
    for r, row in enumerate(table.rows, start=first_row):
        lines = max((text_lines(v, w) for v, w in zip(row, widths, strict=False)), default=1)
        ws.row_dimensions[r].height = min(15 * lines + 3, 400)


def put(ws: Worksheet, row: int, column: int, value):
    """Write a value; text is always text, even when it starts with "=" (never a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
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
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
