"""The 总览 sheet written with openpyxl, for trackers kept inside files staff also use."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList

from xltools.merge.dashboard import Dashboard
from xltools.writers.look import TITLE_HEIGHT
from xltools.writers.xlsx_tables import page_setup, put, register_styles


def replace_dashboard(wb: Workbook, dash: Dashboard) -> None:
    if dash.name in wb.sheetnames:
        del wb[dash.name]
    ws = wb.create_sheet(dash.name, 0)
    register_styles(wb)
    put(ws, 1, 1, dash.title).style = "标题"
    put(ws, 2, 1, dash.info).style = "说明文字"
    ws.row_dimensions[1].height = TITLE_HEIGHT
    placed = []
    row = 4
    for block in dash.blocks:
        put(ws, row, 1, block.title).style = "标题"
        for c, name in enumerate(block.header, start=1):
            put(ws, row + 1, c, name).style = "表头"
        for r, values in enumerate(block.rows, start=row + 2):
            for c, value in enumerate(values, start=1):
                cell = put(ws, r, c, value)
                cell.style = "正文"
                if block.header[c - 1].endswith("率"):
                    cell.number_format = "0.0%"
        placed.append((row + 1, row + 2, row + 1 + len(block.rows)))
        row += len(block.rows) + 4
    ws.column_dimensions["A"].width = 34
    for i, spec in enumerate(dash.charts):
        header, first, last = placed[spec.block]
        if spec.rows:
            last = min(last, first + spec.rows - 1)
        if spec.kind == "pie":
            chart = PieChart()
            chart.add_data(Reference(ws, min_col=spec.series[0] + 1, max_col=spec.series[-1] + 1, min_row=first),
                           from_rows=True, titles_from_data=False)
            chart.set_categories(Reference(ws, min_col=spec.series[0] + 1, max_col=spec.series[-1] + 1,
                                           min_row=header))
            chart.dataLabels = DataLabelList(showPercent=True, showVal=True)
        else:
            chart = BarChart()
            chart.type = "bar"
            if len(spec.series) > 1:
                chart.grouping, chart.overlap = "stacked", 100
            for column in spec.series:
                chart.add_data(Reference(ws, min_col=column + 1, min_row=header, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=spec.categories + 1, min_row=first, max_row=last))
        chart.title = spec.title
        chart.width, chart.height = 15, 8.5
        ws.add_chart(chart, f"J{4 + i * 17}")
    page_setup(ws, title_rows=None)
