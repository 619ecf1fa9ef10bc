"""openpyxl back end: renders `SheetLayout`s into a workbook that is being updated (a user's file).

Named styles (标题, 表头, 正文 …) are registered once per workbook, so staff can
reuse them; status colours are conditional formats, so they follow edits.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xltools.master.content import Formula, Table, rows_extra_columns
from xltools.merge.dashboard import Dashboard
from xltools.status.scale import COLORS as STATUS_COLORS
from xltools.writers.layout import ChartSpec, SheetLayout, dashboard_layout, table_layout
from xltools.writers.look import BODY_FONT, BORDER_COLOR, DATE_FORMAT, FOOTER, MARGINS, PERCENT_FORMAT, STYLES

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


def put(ws: Worksheet, row: int, column: int, value):
    """Write a value; text is always text, even when it starts with "=" (never a formula); a Formula is one."""
    if isinstance(value, Formula):
        return ws.cell(row=row, column=column, value=value.text)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def render(ws: Worksheet, layout: SheetLayout) -> None:
    """Fill an empty worksheet from its layout, print set-up included."""
    register_styles(ws.parent)
    for r, row in enumerate(layout.rows, start=1):
        for c, value in enumerate(row.values, start=1):
            cell = put(ws, r, c, value)
            cell.style = row.style
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif c - 1 in row.percent:
                cell.number_format = PERCENT_FORMAT
    for r, height in layout.heights.items():
        ws.row_dimensions[r + 1].height = height
    for c, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for c, first, last in layout.status_columns:
        column = get_column_letter(c + 1)
        for status, color in STATUS_COLORS.items():
            ws.conditional_formatting.add(
                f"{column}{first + 1}:{column}{last + 1}",
                CellIsRule(operator="equal", formula=[f'"{status}"'], fill=PatternFill("solid", bgColor=color)))
    if layout.freeze_row is not None:
        ws.freeze_panes = ws.cell(row=layout.freeze_row + 1, column=1)
    if layout.filter:
        header, last, last_column = layout.filter
        ws.auto_filter.ref = f"A{header + 1}:{get_column_letter(last_column + 1)}{last + 1}"
    for spec in layout.charts:
        ws.add_chart(_chart(ws, spec), f"{get_column_letter(spec.anchor[1] + 1)}{spec.anchor[0] + 1}")
    page_setup(ws, f"{layout.title_row + 1}:{layout.title_row + 1}" if layout.title_row is not None else None)


def _chart(ws: Worksheet, spec: ChartSpec):
    if spec.kind == "pie":
        chart = PieChart()
        chart.add_data(Reference(ws, min_col=spec.series[0] + 1, max_col=spec.series[-1] + 1, min_row=spec.first_row + 1),
                       from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=spec.series[0] + 1, max_col=spec.series[-1] + 1,
                                       min_row=spec.header_row + 1))
        chart.dataLabels = DataLabelList(showPercent=True, showVal=True)
    else:
        chart = BarChart()
        chart.type = "bar"
        if len(spec.series) > 1:
            chart.grouping, chart.overlap = "stacked", 100
        for column in spec.series:
            chart.add_data(Reference(ws, min_col=column + 1, min_row=spec.header_row + 1, max_row=spec.last_row + 1),
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=spec.categories + 1, min_row=spec.first_row + 1,
                                       max_row=spec.last_row + 1))
    chart.title = spec.title
    chart.width, chart.height = 15, 8.5
    return chart


def write_table(ws: Worksheet, table: Table, extra: list[str] | None = None, values: dict | None = None) -> None:
    """Fill an empty worksheet with a table (and staff columns put back on their rows)."""
    render(ws, table_layout(table, extra, values))


def replace_dashboard(wb, dash: Dashboard) -> None:
    """总览 as the first sheet, replacing the previous one."""
    if dash.name in wb.sheetnames:
        del wb[dash.name]
    render(wb.create_sheet(dash.name, 0), dashboard_layout(dash, STATUS_COLORS))


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
