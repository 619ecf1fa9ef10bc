"""The engine-neutral layout of a sheet: every cell with its style, sizes, panes, filter, colours, print set-up.

The pattern of pandas' Excel writer: one layout step (here), then thin back
ends that only translate it — XlsxWriter for files the tool creates
(`xlsx_fast`), openpyxl where a user's workbook is updated (`xlsx_tables`),
xlwings inside Excel (`xlwings_tables`). A sheet therefore looks the same
whichever program wrote it, and the look is decided once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xltools.master.content import HEADER_ROW, SUBHEADERS, Table, key_text
from xltools.merge.dashboard import Dashboard
from xltools.vocab import ROW_KEYS, STATUS
from xltools.writers.look import (
    STAFF_WIDTH,
    STYLE_BODY,
    STYLE_HEADER,
    STYLE_INFO,
    STYLE_PLAIN,
    STYLE_TITLE,
    TITLE_HEIGHT,
    row_height,
)

DEFAULT_WIDTH = 12
RATE = "率"  # a dashboard column ending so is a rate, shown as a percentage
CJK_WIDTH = 1.9  # column width units a Chinese character takes at 11 pt
LABEL_WIDTH_MIN, LABEL_WIDTH_MAX = 20, 64


@dataclass(slots=True)
class Row:
    """One row of a sheet: its values, all in one style (`percent`: columns shown as percentages)."""

    style: str  # one of look.STYLES
    values: list
    percent: tuple[int, ...] = ()


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
    percent: bool = False  # the series are rates: the value axis runs from 0 to 100 %


@dataclass
class SheetLayout:
    name: str
    rows: list[Row]  # 0-based
    widths: list[float]
    heights: dict[int, float] = field(default_factory=dict)
    freeze_row: int | None = None  # first row below the frozen panes
    filter: tuple[int, int, int] | None = None  # (header row, last row, last column)
    status_columns: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first row, last row)
    title_row: int | None = None  # repeated on every printed page
    charts: list[ChartSpec] = field(default_factory=list)
    choices: list[tuple[int, int, int, tuple[str, ...]]] = field(default_factory=list)  # drop-down lists
    folded: list[int] = field(default_factory=list)  # columns grouped and closed (not shown, not printed)

    @property
    def width(self) -> int:
        return max((len(r.values) for r in self.rows), default=0)

    def style_runs(self) -> list[tuple[int, int, int, str]]:
        """(first row, last row, columns, style): consecutive rows of one style, for writers that style ranges."""
        runs: list[tuple[int, int, int, str]] = []
        for r, row in enumerate(self.rows):
            width = len(row.values)
            if not width:
                continue
            if runs and runs[-1][3] == row.style and runs[-1][1] == r - 1 and runs[-1][2] == width:
                runs[-1] = (runs[-1][0], r, width, row.style)
            else:
                runs.append((r, r, width, row.style))
        return runs


def table_layout(table: Table, extra: list[str] | None = None, values: dict | None = None,
                 keys: tuple[str, ...] = ROW_KEYS) -> SheetLayout:
    """A tool table (title, information, header, rows), with staff columns `extra` put back on their rows."""
    if table.kind == "readme":
        return readme_layout(table)
    extra, values = extra or [], values or {}
    header = table.header + extra
    at = [table.header.index(k) for k in keys if k in table.header] if extra else []
    widths = [table.widths.get(name, STAFF_WIDTH if name in extra else DEFAULT_WIDTH) for name in header]
    folded = [c for c, name in enumerate(header) if name in table.folded]
    lead = [None] * next((c for c in range(len(header)) if c not in folded), 0)  # title and info: first shown column
    rows = [Row(STYLE_TITLE, lead + [table.title]), Row(STYLE_INFO, lead + [table.info]), Row(STYLE_HEADER, list(header))]
    shown = [w if c not in folded else 0 for c, w in enumerate(widths)]  # a closed column sets no height
    heights = {0: TITLE_HEIGHT, HEADER_ROW - 1: row_height([n if w else None for n, w in zip(header, shown, strict=True)],
                                                           widths)}
    for r, row in enumerate(table.rows, start=HEADER_ROW):
        style = STYLE_HEADER if row and row[0] in SUBHEADERS else STYLE_BODY
        found = values.get(tuple(key_text(row[i]) for i in at), []) if at else []
        cells = list(row) + [None] * (len(table.header) - len(row))
        cells += [found[j] if j < len(found) else None for j in range(len(extra))]
        rows.append(Row(style, cells))
        heights[r] = row_height([v if c < len(shown) and shown[c] else None for c, v in enumerate(row)], widths)
    last = HEADER_ROW - 1 + max(len(table.rows), 1)
    layout = SheetLayout(table.name, rows, widths, heights, title_row=HEADER_ROW - 1, folded=folded)
    if table.rows:
        layout.status_columns = [(c, HEADER_ROW, last) for c, name in enumerate(header) if name.endswith(STATUS)]
        layout.choices = [(c, HEADER_ROW, last, table.choices[name]) for c, name in enumerate(header)
                          if name in table.choices]
    if table.kind != "settings":
        layout.freeze_row = HEADER_ROW
        if table.filtered:
            layout.filter = (HEADER_ROW - 1, last, len(header) - 1)
    return layout


def readme_layout(table: Table) -> SheetLayout:
    """Readme rows are [style, cells…]."""
    rows = [Row(style, cells) for style, *cells in table.rows]
    heights = {r: TITLE_HEIGHT if style == STYLE_TITLE else 18 for r, (style, *_) in enumerate(table.rows)}
    return SheetLayout(table.name, rows, [table.widths.get("A", 18), table.widths.get("B", 90)], heights)


def dashboard_layout(dash: Dashboard, status_colors: dict[str, str]) -> SheetLayout:
    """总览: blocks of counts one under another, native charts to their right."""
    rows = [Row(STYLE_TITLE, [dash.title]), Row(STYLE_INFO, [dash.info]), Row(STYLE_PLAIN, [])]
    placed = []  # (header row, first data row, last data row) per block
    for block in dash.blocks:
        top = len(rows)
        rates = tuple(c for c, name in enumerate(block.header) if name.endswith(RATE))
        rows.append(Row(STYLE_TITLE, [block.title]))
        rows.append(Row(STYLE_HEADER, list(block.header)))
        rows += [Row(STYLE_BODY, list(values), rates) for values in block.rows]
        placed.append((top + 1, top + 2, top + 1 + len(block.rows)))
        rows += [Row(STYLE_PLAIN, []), Row(STYLE_PLAIN, [])]
    width = max((len(b.header) for b in dash.blocks), default=1)
    longest = max((len(str(r[0])) for b in dash.blocks for r in b.rows), default=0)
    first = min(LABEL_WIDTH_MAX, max(LABEL_WIDTH_MIN, longest * CJK_WIDTH))  # names not cut
    layout = SheetLayout(dash.name, rows, [first] + [10] * (width - 1), {0: TITLE_HEIGHT})
    for i, spec in enumerate(dash.charts):
        header, first, last = placed[spec.block]
        if spec.rows:
            last = min(last, first + spec.rows - 1)
        labels = dash.blocks[spec.block].header
        layout.charts.append(ChartSpec(
            spec.kind, spec.title, header, first, last, list(spec.series), spec.categories,
            {c: status_colors[labels[c]] for c in spec.series if labels[c] in status_colors}, (3 + i * 17, width + 1),
            all(labels[c].endswith(RATE) for c in spec.series)))
    return layout
