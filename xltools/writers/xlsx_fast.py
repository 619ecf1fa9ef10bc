"""Write whole workbooks of `Table`s with XlsxWriter: the fast path for files made from scratch.

Same look as the openpyxl writer (both read `look.py`), about ten times faster.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from xltools.master.content import HEADER_ROW, SUBHEADERS, Table
from xltools.merge.status import COLORS as STATUS_COLORS
from xltools.vocab import KEY, PLAN, STATUS
from xltools.writers.files import write_atomic
from xltools.writers.look import (
    BORDER_COLOR,
    DATE_FORMAT,
    FOOTER,
    MARGINS,
    STYLES,
    TITLE_HEIGHT,
    row_height,
)


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


def _formats(wb) -> dict[str, object]:
    formats = {}
    for name, spec in STYLES.items():
        formats[name] = wb.add_format(_props(spec))
        formats[name + "日期"] = wb.add_format({**_props(spec), "num_format": DATE_FORMAT})
    for status, color in STATUS_COLORS.items():
        formats[f"状态:{status}"] = wb.add_format({"bg_color": "#" + color})
    return formats


def _write(ws, formats, table: Table, extra: list[str], values: dict, keys: tuple[str, ...]) -> None:
    header = table.header + extra
    ws.write_string(0, 0, table.title, formats["标题"])
    ws.write_string(1, 0, table.info, formats["说明文字"])
    ws.set_row(0, TITLE_HEIGHT)
    top = HEADER_ROW - 1
    for c, name in enumerate(header):
        ws.write_string(top, c, name, formats["表头"])
    widths = [table.widths.get(name, 12) for name in table.header]
    at = [table.header.index(k) for k in keys if k in table.header] if extra else []
    for r, row in enumerate(table.rows, start=top + 1):
        style = "表头" if row and row[0] in SUBHEADERS else "正文"
        found = values.get(tuple(str(row[i]) for i in at), []) if at else []
        cells = list(row) + [found[j] if j < len(found) else None for j in range(len(extra))]
        for c, value in enumerate(cells):
            if value is None or value == "":
                ws.write_blank(r, c, None, formats[style])
            elif isinstance(value, str):
                ws.write_string(r, c, value, formats[style])  # text stays text, never a formula
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, formats[style + "日期"])
            else:
                ws.write(r, c, value, formats[style])
        ws.set_row(r, row_height(row, widths))
    for c, name in enumerate(header):
        ws.set_column(c, c, table.widths.get(name, 24 if name in extra else 12))
    last = top + max(len(table.rows), 1)
    for c, name in enumerate(header):
        if name.endswith(STATUS) and table.rows:
            for status in STATUS_COLORS:
                ws.conditional_format(top + 1, c, last, c, {
                    "type": "cell", "criteria": "==", "value": f'"{status}"',
                    "format": formats[f"状态:{status}"]})
    if table.kind != "settings":
        ws.freeze_panes(top + 1, 0)
        ws.autofilter(top, 0, last, len(header) - 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer("&C" + FOOTER)


def write_tables(path: Path, tables: list[Table], extras: dict[str, tuple[list[str], dict]] | None = None,
                 keys: tuple[str, ...] = (PLAN, KEY), dashboard=None) -> Path:
    """A new workbook of tables (and a dashboard first); `extras` adds staff columns per sheet."""
    extras = extras or {}

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        formats = _formats(wb)
        if dashboard is not None:
            write_dashboard(wb, formats, dashboard)
        for table in tables:
            names, values = extras.get(table.name, ([], {}))
            _write(wb.add_worksheet(table.name), formats, table, names, values, keys)
        wb.close()

    return write_atomic(path, write)


def write_dashboard(wb, formats, dash) -> None:
    """The 总览 sheet: blocks of counts one under another, native charts to their right."""
    ws = wb.add_worksheet(dash.name)
    ws.write_string(0, 0, dash.title, formats["标题"])
    ws.write_string(1, 0, dash.info, formats["说明文字"])
    ws.set_row(0, TITLE_HEIGHT)
    percent = wb.add_format({**_props(STYLES["正文"]), "num_format": "0.0%"})
    placed = []  # (header row, first data row, last data row) per block
    row = 3
    for block in dash.blocks:
        ws.write_string(row, 0, block.title, formats["标题"])
        ws.write_row(row + 1, 0, block.header, formats["表头"])
        for r, values in enumerate(block.rows, start=row + 2):
            for c, value in enumerate(values):
                rate = block.header[c].endswith("率")
                ws.write(r, c, value, percent if rate else formats["正文"])
        placed.append((row + 1, row + 2, row + 1 + len(block.rows)))
        row += len(block.rows) + 4
    ws.set_column(0, 0, 34)
    ws.set_column(1, 7, 10)
    name = dash.name
    for i, spec in enumerate(dash.charts):
        header, first, last = placed[spec.block]
        if spec.rows:
            last = min(last, first + spec.rows - 1)
        chart = wb.add_chart({"type": "pie"} if spec.kind == "pie" else {"type": "bar", "subtype": "stacked"}
                             if len(spec.series) > 1 else {"type": "bar"})
        if spec.kind == "pie":
            chart.add_series({"name": spec.title, "categories": [name, header, spec.series[0], header, spec.series[-1]],
                              "values": [name, first, spec.series[0], first, spec.series[-1]],
                              "data_labels": {"value": True, "percentage": True},
                              "points": [{"fill": {"color": "#" + STATUS_COLORS[dash.blocks[spec.block].header[c]]}}
                                         for c in spec.series if dash.blocks[spec.block].header[c] in STATUS_COLORS]})
        else:
            for column in spec.series:
                label = dash.blocks[spec.block].header[column]
                series = {"name": [name, header, column], "categories": [name, first, spec.categories, last,
                                                                          spec.categories],
                          "values": [name, first, column, last, column]}
                if label in STATUS_COLORS:
                    series["fill"] = {"color": "#" + STATUS_COLORS[label]}
                chart.add_series(series)
        chart.set_title({"name": spec.title})
        chart.set_size({"width": 560, "height": 320})
        ws.insert_chart(3 + i * 17, 9, chart)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C" + FOOTER)
