"""XlsxWriter back end: renders `SheetLayout`s into a new workbook (the fast path for files made from scratch)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from xltools.master.content import Formula, Table
from xltools.merge.dashboard import Dashboard
from xltools.status.scale import COLORS as STATUS_COLORS
from xltools.vocab import ROW_KEYS
from xltools.writers.files import no_cycle_collection, write_atomic
from xltools.writers.layout import SheetLayout, dashboard_layout, table_layout
from xltools.writers.look import BORDER_COLOR, DATE_FORMAT, FOOTER, MARGINS, PERCENT_FORMAT, STYLES

A4 = 9
CHOOSE = "请从下拉列表中选择状态。"
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
           "in_memory": True}  # no temporary file per part


def _props(spec: dict) -> dict:
    props = {"font_name": spec["font"], "font_size": spec["size"], "bold": spec.get("bold", False),
             "valign": {"center": "vcenter"}.get(spec["valign"], spec["valign"]), "text_wrap": spec["wrap"]}
    if spec.get("align"):
        props["align"] = spec["align"]
    if spec.get("color"):
        props["font_color"] = "#" + spec["color"]
    if spec.get("border"):
        props.update(border=1, border_color="#" + BORDER_COLOR)
    if spec.get("fill"):
        props["bg_color"] = "#" + spec["fill"]
    return props


class Formats:
    """One XlsxWriter format per (style, number format), made once per workbook."""

    def __init__(self, wb):
        self.wb = wb
        self._made: dict[tuple[str, str], object] = {}
        self.status = {s: wb.add_format({"bg_color": "#" + color}) for s, color in STATUS_COLORS.items()}

    def get(self, style: str, number_format: str = ""):
        key = (style, number_format)
        if key not in self._made:
            props = _props(STYLES[style])
            if number_format:
                props["num_format"] = number_format
            self._made[key] = self.wb.add_format(props)
        return self._made[key]


def render(wb, formats: Formats, layout: SheetLayout) -> None:
    ws = wb.add_worksheet(layout.name)
    write_string, write_blank = ws.write_string, ws.write_blank  # the common cases first: this runs per cell
    for r, row in enumerate(layout.rows):
        fmt = formats.get(row.style)
        for c, value in enumerate(row.values):
            if value.__class__ is str and value:
                write_string(r, c, value, fmt)  # text stays text, never a formula
            elif value is None or value == "":
                write_blank(r, c, None, fmt)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, formats.get(row.style, DATE_FORMAT))
            elif value.__class__ is Formula:
                ws.write_formula(r, c, value.text, fmt, value.value)
            else:
                ws.write(r, c, value, formats.get(row.style, PERCENT_FORMAT) if c in row.percent else fmt)
    for r, height in layout.heights.items():
        ws.set_row(r, height)
    for c, width in enumerate(layout.widths):
        if c in layout.folded:  # grouped and closed: the "+" above the sheet opens them
            ws.set_column(c, c, width, None, {"level": 1, "hidden": True})
        else:
            ws.set_column(c, c, width, None, {"collapsed": c - 1 in layout.folded})
    for c, first, last in layout.status_columns:
        for status, fmt in formats.status.items():
            ws.conditional_format(first, c, last, c, {"type": "cell", "criteria": "==", "value": f'"{status}"',
                                                      "format": fmt})
    for c, first, last, options in layout.choices:
        ws.data_validation(first, c, last, c, {"validate": "list", "source": list(options), "error_type": "warning",
                                               "error_message": CHOOSE})
    if layout.freeze_row is not None:
        ws.freeze_panes(layout.freeze_row, 0)
    if layout.filter:
        header, last, last_column = layout.filter
        ws.autofilter(header, 0, last, last_column)
    for spec in layout.charts:
        _chart(wb, ws, layout.name, spec)
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if layout.title_row is not None:
        ws.repeat_rows(layout.title_row)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer("&C" + FOOTER)


def _chart(wb, ws, sheet: str, spec) -> None:
    if spec.kind == "pie":
        chart = wb.add_chart({"type": "pie"})
        chart.add_series({"name": spec.title,
                          "categories": [sheet, spec.header_row, spec.series[0], spec.header_row, spec.series[-1]],
                          "values": [sheet, spec.first_row, spec.series[0], spec.first_row, spec.series[-1]],
                          "data_labels": {"value": True, "percentage": True},
                          "points": [{"fill": {"color": "#" + spec.colors[c]}} for c in spec.series
                                     if c in spec.colors]})
    else:
        chart = wb.add_chart({"type": "bar", "subtype": "stacked"} if len(spec.series) > 1 else {"type": "bar"})
        for column in spec.series:
            series = {"name": [sheet, spec.header_row, column],
                      "categories": [sheet, spec.first_row, spec.categories, spec.last_row, spec.categories],
                      "values": [sheet, spec.first_row, column, spec.last_row, column]}
            if column in spec.colors:
                series["fill"] = {"color": "#" + spec.colors[column]}
            chart.add_series(series)
    if spec.percent:
        chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})  # a bar chart's value axis is its x axis
    chart.set_title({"name": spec.title})
    chart.set_size({"width": 560, "height": 320})
    ws.insert_chart(*spec.anchor, chart)


def layouts_of(tables: list[Table], extras: dict[str, tuple[list[str], dict]] | None = None,
               keys: tuple[str, ...] = ROW_KEYS, dashboard: Dashboard | None = None) -> list[SheetLayout]:
    """The layouts of a dashboard (first) and tables; `extras` adds staff columns per sheet."""
    extras = extras or {}
    layouts = [dashboard_layout(dashboard, STATUS_COLORS)] if dashboard is not None else []
    return layouts + [table_layout(t, *extras.get(t.name, ([], {})), keys) for t in tables]


def workbook_bytes(layouts: list[SheetLayout]) -> bytes:
    """A workbook of these sheets, in memory (to be spliced into a user's file)."""
    out = io.BytesIO()
    _write(xlsxwriter.Workbook(out, OPTIONS), layouts)
    return out.getvalue()


def write_tables(path: Path, tables: list[Table], extras: dict[str, tuple[list[str], dict]] | None = None,
                 keys: tuple[str, ...] = ROW_KEYS, dashboard: Dashboard | None = None) -> Path:
    """A new workbook of tables (and a dashboard first); `extras` adds staff columns per sheet."""
    layouts = layouts_of(tables, extras, keys, dashboard)
    return write_atomic(path, lambda tmp: _write(xlsxwriter.Workbook(str(tmp), OPTIONS), layouts))


def _write(wb, layouts: list[SheetLayout]) -> None:
    with no_cycle_collection():
        formats = Formats(wb)
        for layout in layouts:
            render(wb, formats, layout)
        wb.close()
