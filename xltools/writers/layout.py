"""The engine-neutral layout of a sheet: every cell with its style, sizes, panes, filter, colours, print set-up.

The pattern of pandas' Excel writer: one layout step (here), then thin back
ends that only translate it — XlsxWriter for files the tool creates
(`xlsx_fast`), openpyxl where a user's workbook is updated (`xlsx_tables`),
xlwings inside Excel (`xlwings_tables`). A sheet therefore looks the same
whichever program wrote it, and the look is decided once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xltools.master.content import HEADER_ROW, SUBHEADERS, Table, key_text
from xltools.merge.dashboard import Dashboard
from xltools.vocab import ROW_KEYS, STATUS
from xltools.writers.look import (
    STAFF_WIDTH,
    STYLE_BODY,
    STYLE_HEADER,
    STYLE_INFO,
    STYLE_TITLE,
    TITLE_HEIGHT,
    row_height,
)

DEFAULT_WIDTH = 12
RATE = "率"  # a dashboard column ending so is a rate, shown as a percentage


@dataclass
class Cell:
    value: object
    style: str  # one of look.STYLES
    percent: bool = False

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, dt.date)


@dataclass
class ChartSpec:
    """A native chart: its kind and where its data lies on the sheet (0-based rows and columns)."""

    kind: str  # "pie" or "bar"
    title: str
    header_row: int
    first_row: int
    last_row: int
    series: list[int]  # data columns
    categories: int  # the column of category names (bar charts)
    colors: dict[int, str] = field(default_factory=dict)  # series column → fill colour
    anchor: tuple[int, int] = (0, 0)  # top-left cell


@dataclass
class SheetLayout:
    name: str
    rows: list[list[Cell | None]]  # 0-based; None: nothing in that cell
    widths: list[float]
    heights: dict[int, float] = field(default_factory=dict)
    freeze_row: int | None = None  # first row below the frozen panes
    filter: tuple[int, int, int] | None = None  # (header row, last row, last column)
    status_columns: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first row, last row)
    title_row: int | None = None  # repeated on every printed page
    charts: list[ChartSpec] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def style_runs(self) -> list[tuple[int, int, int, str]]:
        """(first row, last row, columns, style): consecutive rows of one style, for writers that style ranges."""
        runs: list[tuple[int, int, int, str]] = []
        for r, row in enumerate(self.rows):
            styles = {c.style for c in row if c is not None}
            if len(styles) != 1:
                continue
            style = styles.pop()
            if runs and runs[-1][3] == style and runs[-1][1] == r - 1 and runs[-1][2] == len(row):
                runs[-1] = (runs[-1][0], r, len(row), style)
            else:
                runs.append((r, r, len(row), style))
        return runs


def table_layout(table: Table, extra: list[str] | None = None, values: dict | None = None,
                 keys: tuple[str, ...] = ROW_KEYS) -> SheetLayout:
    """A tool table (title, information, header, rows), with staff columns `extra` put back on their rows."""
    if table.kind == "readme":
        return readme_layout(table)
    extra, values = extra or [], values or {}
    header = table.header + extra
    at = [table.header.index(k) for k in keys if k in table.header] if extra else []
    rows: list[list[Cell | None]] = [[Cell(table.title, STYLE_TITLE)], [Cell(table.info, STYLE_INFO)],
                                     [Cell(name, STYLE_HEADER) for name in header]]
    widths = [table.widths.get(name, STAFF_WIDTH if name in extra else DEFAULT_WIDTH) for name in header]
    heights = {0: TITLE_HEIGHT}
    for r, row in enumerate(table.rows, start=HEADER_ROW):
        style = STYLE_HEADER if row and row[0] in SUBHEADERS else STYLE_BODY
        found = values.get(tuple(key_text(row[i]) for i in at), []) if at else []
        cells = list(row) + [None] * (len(table.header) - len(row))
        cells += [found[j] if j < len(found) else None for j in range(len(extra))]
        rows.append([Cell(v, style) for v in cells])
        heights[r] = row_height(row, widths)
    last = HEADER_ROW - 1 + max(len(table.rows), 1)
    layout = SheetLayout(table.name, rows, widths, heights, title_row=HEADER_ROW - 1)
    if table.rows:
        layout.status_columns = [(c, HEADER_ROW, last) for c, name in enumerate(header) if name.endswith(STATUS)]
    if table.kind != "settings":
        layout.freeze_row = HEADER_ROW
        layout.filter = (HEADER_ROW - 1, last, len(header) - 1)
    return layout


def readme_layout(table: Table) -> SheetLayout:
    """Readme rows are [style, cells…]."""
    rows = [[Cell(v, style) for v in cells] for style, *cells in table.rows]
    heights = {r: TITLE_HEIGHT if style == STYLE_TITLE else 18 for r, (style, *_) in enumerate(table.rows)}
    return SheetLayout(table.name, rows, [table.widths.get("A", 18), table.widths.get("B", 90)], heights)


def dashboard_layout(dash: Dashboard, status_colors: dict[str, str]) -> SheetLayout:
    """总览: blocks of counts one under another, native charts to their right."""
    rows: list[list[Cell | None]] = [[Cell(dash.title, STYLE_TITLE)], [Cell(dash.info, STYLE_INFO)], []]
    placed = []  # (header row, first data row, last data row) per block
    for block in dash.blocks:
        top = len(rows)
        rows.append([Cell(block.title, STYLE_TITLE)])
        rows.append([Cell(h, STYLE_HEADER) for h in block.header])
        for values in block.rows:
            rows.append([Cell(v, STYLE_BODY, block.header[c].endswith(RATE)) for c, v in enumerate(values)])
        placed.append((top + 1, top + 2, top + 1 + len(block.rows)))
        rows += [[], []]
    width = max((len(b.header) for b in dash.blocks), default=1)
    layout = SheetLayout(dash.name, rows, [34] + [10] * (width - 1), {0: TITLE_HEIGHT})
    for i, spec in enumerate(dash.charts):
        header, first, last = placed[spec.block]
        if spec.rows:
            last = min(last, first + spec.rows - 1)
        labels = dash.blocks[spec.block].header
        layout.charts.append(ChartSpec(
            spec.kind, spec.title, header, first, last, list(spec.series), spec.categories,
            {c: status_colors[labels[c]] for c in spec.series if labels[c] in status_colors}, (3 + i * 17, 9)))
    return layout
