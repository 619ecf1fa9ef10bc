"""Fill an office's own blank form per unit, keeping its formatting.

The form is an .xlsx with placeholders: {{单位}}, {{年度}}, {{季度}} anywhere,
and one row holding {{序号}} / {{责任事项}} (also {{角色}}, {{牵头单位}},
{{责任单位}}, {{完成时限}}) that is repeated once per task. A sheet whose text
mentions 完成情况 lists the tasks the unit reports on; other sheets list all
of its tasks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from xltools.errors import BadFile
from xltools.forms.identity import TASKS_HEADER, identity_rows
from xltools.forms.model import QUARTER_WORDS, FormTask, UnitForms
from xltools.vocab import (
    DEADLINE,
    ID_HEADER,
    LEAD,
    META_SHEET,
    PROGRESS,
    QUARTER,
    SERIAL,
    TASK,
    UNIT,
    UNITS,
    YEAR,
)
from xltools.writers.files import write_atomic
from xltools.writers.xlsx_tables import put

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
ROW_FIELDS = {SERIAL, TASK, "角色", LEAD, UNITS, DEADLINE}


def check_template(path: Path) -> None:
    try:
        wb = load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds on a bad package
        raise BadFile(f"自制附表 {path.name} 无法打开（需要 .xlsx 格式）。") from exc
    if not any(_template_row(ws) for ws in wb.worksheets):
        raise BadFile(f"自制附表 {path.name} 中没有找到写有 {{{{序号}}}} 或 {{{{责任事项}}}} 的行，不知道任务写在哪里。")


def _template_row(ws: Worksheet) -> int | None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and any(f in PLACEHOLDER.findall(cell.value) for f in (SERIAL, TASK)):
                return cell.row
    return None


def _fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def _is_report_sheet(ws: Worksheet) -> bool:
    return any(isinstance(c.value, str) and PROGRESS in c.value for row in ws.iter_rows() for c in row)


def _insert_copies(ws: Worksheet, at: int, copies: int) -> None:
    """Insert `copies` rows below row `at`, shaped like it; merged cells below move down."""
    if copies <= 0:
        return
    moved = [CellRange(str(m)) for m in ws.merged_cells.ranges if m.min_row > at]
    for m in moved:
        ws.merged_cells.remove(m)
    ws.insert_rows(at + 1, copies)
    for m in moved:
        m.shift(row_shift=copies)
        ws.merged_cells.add(m)
    height = ws.row_dimensions[at].height
    row_merges = [m for m in ws.merged_cells.ranges if m.min_row == at == m.max_row]
    for r in range(at + 1, at + 1 + copies):
        for cell in ws[at]:
            target = ws.cell(row=r, column=cell.column)
            target._style = copy.copy(cell._style)
        if height:
            ws.row_dimensions[r].height = height
        for m in row_merges:
            ws.merge_cells(start_row=r, end_row=r, start_column=m.min_col, end_column=m.max_col)


def fill_sheet(ws: Worksheet, tasks: list[FormTask], values: dict[str, str]) -> list[tuple[int, FormTask]]:
    at = _template_row(ws)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and PLACEHOLDER.search(cell.value) and cell.row != at:
                cell.value = _fill(cell.value, values)
    if at is None:
        return []
    template = [(c.column, c.value) for c in ws[at]]
    _insert_copies(ws, at, len(tasks) - 1)
    id_col = ws.max_column + 1
    put(ws, at - 1 if at > 1 else at, id_col, ID_HEADER)
    ws.column_dimensions[get_column_letter(id_col)].hidden = True
    placed = []
    for i, task in enumerate(tasks):
        r = at + i
        row_values = {**values, SERIAL: task.key, TASK: task.text, "角色": task.role}
        for column, value in template:
            put(ws, r, column, _fill(value, row_values) if isinstance(value, str) else value)
        put(ws, r, id_col, task.identity)
        placed.append((r, task))
    if not tasks:
        for column, _ in template:
            ws.cell(row=at, column=column).value = None
    return placed


def write_custom_forms(template: Path, forms: UnitForms, path: Path) -> Path:
    wb = load_workbook(template)
    values = {UNIT: forms.unit, YEAR: str(forms.year), QUARTER: QUARTER_WORDS[forms.quarter]}
    meta = []
    for ws in wb.worksheets:
        blocks = forms.report_tasks if _is_report_sheet(ws) else forms.plan_tasks
        tasks = [t for b in blocks for t in b.tasks]
        for r, task in fill_sheet(ws, tasks, values):
            meta.append([ws.title, r, task.identity, task.key, task.text])
    sheet = wb.create_sheet(META_SHEET)
    identity = identity_rows(forms)
    for row in [[label, value] for label, _, value in identity] + [list(TASKS_HEADER), *meta]:
        sheet.append(row)
    sheet.sheet_state = "hidden"
    for _, prop, value in identity:
        wb.custom_doc_props.append(StringProperty(name=prop, value=str(value)))
    return write_atomic(path, wb.save)
