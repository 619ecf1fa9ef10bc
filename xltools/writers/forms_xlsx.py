"""Write a unit's forms as a workbook (XlsxWriter: fast, and a clean package for every program).

Each workbook carries its identity three ways, so the merge can place it
whatever program re-saved it: a hidden sheet "_来源" (unit, quarter, forms,
version and one row per task), custom document properties, and a hidden
column holding the task of every row. The visible title and 序号 are the
fallback.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from xltools.forms.identity import TASKS_HEADER, identity_rows
from xltools.forms.model import QUARTER_WORDS, PlanBlock, UnitForms
from xltools.vocab import (
    CITY_LEAD,
    COMPLETION_TIME,
    COMPLETION_TIMES,
    CONTENT,
    ID_HEADER,
    LEADER,
    META_SHEET,
    MOBILE,
    NAME,
    OFFICE,
    OFFICE_PHONE,
    POST,
    PROGRESS,
    ROLE,
    SERIAL,
    TASK,
    TASK_NUMBER,
)
from xltools.writers.files import no_cycle_collection, write_atomic
from xltools.writers.look import text_lines

BODY_FONT, HEAD_FONT = "仿宋", "黑体"
INPUT_FILL = "#FFF2CC"
WORK_ROWS = 4  # numbered rows of 具体工作内容 per task on 附表1
# 附表1's headers break where a clerk would ("本单位/角色", not "本单位角/色"); the merge reads them without the breaks
COLUMNS_1 = [(SERIAL, 9), (TASK, 42), (f"{ROLE[:3]}\n{ROLE[3:]}", 8), (CONTENT, 42),
             (f"{COMPLETION_TIME}\n（按季度）", 12), (LEADER, 12), (f"{OFFICE}\n（区直部门）", 14)]
COLUMNS_3_CITY = [(SERIAL, 9), (TASK, 46), (ROLE, 11), (PROGRESS, 70)]
COLUMNS_3_DISTRICT = [(TASK_NUMBER, 9), (TASK, 46), (ROLE, 11), (PROGRESS, 70)]
CITY_LEAD = CITY_LEAD
CONTACT_ROWS_CITY = [LEADER, "督办处室或者综合协调处室负责人", "督办人员（联络员）"]
CONTACT_ROWS_DISTRICT = ["分管领导", "办公室或者综合协调科室负责人", "经办人"]
CONTACT_COLUMNS = [("责任人", 30), (NAME, 12), (POST, 16), (OFFICE_PHONE, 16), (MOBILE, 16)]
# the rows' heights in points, for placing page breaks
DEFAULT_ROW, TITLE_ROW, SIGNATURE_ROW, HEADER_ROW, GROUP_ROW = 15, 32, 24, 36, 22
A4 = (595.3, 841.9)  # points
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches
SLACK = 0.97  # of a page's height: room for an office program's own rounding


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": BODY_FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
        box = {**base, "border": 1}
        self.label = wb.add_format({**base, "font_size": 10})
        self.title = wb.add_format({**base, "font_name": HEAD_FONT, "font_size": 16, "bold": True,
                                    "align": "center", "text_wrap": False})
        self.signature = wb.add_format({**base, "font_size": 12})
        self.header = wb.add_format({**box, "font_name": HEAD_FONT, "bold": True, "align": "center",
                                     "bg_color": "#D9E1F2"})
        self.locked = wb.add_format({**box, "valign": "top"})
        self.locked_center = wb.add_format({**box, "align": "center"})
        self.group = wb.add_format({**box, "font_name": HEAD_FONT, "bold": True, "bg_color": "#EDEDED"})
        self.input = wb.add_format({**box, "valign": "top", "locked": False, "bg_color": INPUT_FILL})
        self.input_text = wb.add_format({**box, "locked": False, "bg_color": INPUT_FILL, "num_format": "@"})
        self.note = wb.add_format({**base, "font_size": 10, "text_wrap": True, "valign": "top"})
        self.hidden = wb.add_format({"font_size": 8, "font_color": "#808080"})


def _page(ws, landscape: bool, repeat_to: int) -> None:
    """A4, one page wide, the header row on every page."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(repeat_to)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")


def _protect(ws, password: str) -> None:
    ws.protect(password, {"insert_rows": True, "format_rows": True, "format_columns": True,
                          "select_locked_cells": True, "select_unlocked_cells": True})


def _columns(ws, columns: list[tuple[str, float]], hidden_at: int) -> None:
    for i, (_, width) in enumerate(columns):
        ws.set_column(i, i, width)
    ws.set_column(hidden_at, hidden_at, 18, None, {"hidden": True})


def _heading(ws, f: _Formats, form_label: str, title: str, last_col: int, signature: bool, unit: str) -> int:
    """Rows 1-3: 附表N, the title, and the 单位/签字 line. Returns the header row index."""
    ws.write(0, 0, form_label, f.label)
    ws.merge_range(1, 0, 1, last_col, title, f.title)
    ws.set_row(1, TITLE_ROW)
    if signature:
        half = max(1, last_col // 2)
        ws.merge_range(2, 0, 2, half, f"单位：{unit}", f.signature)
        ws.merge_range(2, half + 1, 2, last_col, "主要负责人（签字）：", f.signature)
        ws.set_row(2, SIGNATURE_ROW)
        return 3
    return 2


def _header(ws, f: _Formats, name: str, title: str, columns: list[tuple[str, float]], unit: str) -> int:
    """Heading lines and the header row of a task form, with the hidden 任务标识 column."""
    header = _heading(ws, f, name, title, len(columns) - 1, True, unit)
    for c, (label, _) in enumerate(columns):
        ws.write(header, c, label, f.header)
    ws.write(header, len(columns), ID_HEADER, f.hidden)
    ws.set_row(header, HEADER_ROW)
    return header


def _task_rows(ws, f: _Formats, blocks: list[PlanBlock], start: int, last_col: int, height: int):
    """(first row, task) for every task, each plan's heading row written before its tasks."""
    row = start
    for block in blocks:
        if block.heading:
            _group_row(ws, f, row, block, last_col)
            row += 1
        for task in block.tasks:
            yield row, task
            row += height


def _group_row(ws, f: _Formats, row: int, block: PlanBlock, last_col: int) -> None:
    ws.merge_range(row, 0, row, last_col, block.heading, f.group)
    ws.set_row(row, GROUP_ROW)


def _text_height(text: str, width: float) -> float:
    """Room for the whole text; a tenth of the width is kept spare for office programs' own fonts."""
    return 15 * text_lines(text, width * 0.9) + 6


def _points(width: float) -> float:
    """A column's printed width: Excel's 7-pixel digits of the default font, plus 5 pixels of padding."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def print_scale(columns: list[tuple[str, float]], landscape: bool) -> int:
    """The scale (%) at which the columns fill the width of an A4 page, at most 100."""
    width = A4[1 if landscape else 0] - 72 * (MARGINS["left"] + MARGINS["right"])
    return min(100, int(100 * width / sum(_points(w) for _, w in columns)))


def page_breaks(blocks: list[tuple[int, float]], above: float, repeated: float, page: float) -> list[int]:
    """The rows to start a new page at, so that no block of rows is cut across pages.

    `blocks`: (first row, height) in order; `above`: the height of the rows before
    the first block (title, header); `repeated`: the header printed on every page;
    `page`: a page's printable height at the sheet's scale. A block taller than a
    page starts a page of its own (and is cut, as it must be).
    """
    breaks, used = [], above
    for first, height in blocks:
        if used + height > page and used > repeated:
            breaks.append(first)
            used = repeated
        used += height
    return breaks


def write_plan_form(wb, f: _Formats, forms: UnitForms, meta: list[list]) -> None:
    """附表1: a block of WORK_ROWS rows per task, page breaks between blocks, landscape."""
    name = forms.sheet_name(1)
    ws = wb.add_worksheet(name)
    last = len(COLUMNS_1) - 1
    hidden = len(COLUMNS_1)
    _columns(ws, COLUMNS_1, hidden)
    header = _header(ws, f, name, forms.title(1), COLUMNS_1, forms.unit)
    row = header + 1
    blocks: list[tuple[int, float]] = []  # (first row, height): a task, with its plan's heading row before it
    for first, task in _task_rows(ws, f, forms.plan_tasks, header + 1, last, WORK_ROWS):
        height = max(_text_height(task.text, COLUMNS_1[1][1]) / WORK_ROWS, 20)
        heading = first > row  # the plan's heading row was written just before
        blocks.append((row, WORK_ROWS * height + (GROUP_ROW if heading else 0)))
        for row in range(first, first + WORK_ROWS):
            ws.write_string(row, 3, f"{row - first + 1}.", f.input)
            ws.write_blank(row, 4, None, f.input)
            ws.write_blank(row, 5, None, f.input)
            ws.write_blank(row, 6, None, f.input)
            ws.write_string(row, hidden, task.identity, f.hidden)
            ws.set_row(row, height)
        row += 1
        ws.merge_range(first, 0, row - 1, 0, task.key, f.locked_center)
        ws.merge_range(first, 1, row - 1, 1, task.text, f.locked)
        ws.merge_range(first, 2, row - 1, 2, task.role, f.locked_center)
        meta.append([name, first + 1, task.identity, task.key, task.text])
    if row > header + 1:
        ws.data_validation(header + 1, 4, row - 1, 4, {
            "validate": "list", "source": list(COMPLETION_TIMES), "error_type": "warning",
            "input_title": COMPLETION_TIME, "input_message": "请选择按季度的完成时间",
            "error_message": "建议从列表中选择季度（第一季度至第四季度、全年）"})
    ws.freeze_panes(header + 1, 0)
    scale = print_scale(COLUMNS_1, landscape=True)
    page = (A4[0] - 72 * (MARGINS["top"] + MARGINS["bottom"])) * 100 / scale * SLACK
    ws.set_h_pagebreaks(page_breaks(blocks, DEFAULT_ROW + TITLE_ROW + SIGNATURE_ROW + HEADER_ROW, HEADER_ROW, page))
    _page(ws, landscape=True, repeat_to=header)
    _protect(ws, forms.password)


def write_contacts_form(wb, f: _Formats, forms: UnitForms) -> None:
    name = forms.sheet_name(2)
    ws = wb.add_worksheet(name)
    last = len(CONTACT_COLUMNS) - 1
    _columns(ws, CONTACT_COLUMNS, len(CONTACT_COLUMNS))
    header = _heading(ws, f, name, forms.title(2), last, False, forms.unit)
    for c, (label, _) in enumerate(CONTACT_COLUMNS):
        ws.write(header, c, label, f.header)
    roles = CONTACT_ROWS_DISTRICT if forms.district else CONTACT_ROWS_CITY
    for i, role in enumerate(roles, start=header + 1):
        ws.write(i, 0, role, f.locked)
        ws.write_blank(i, 1, None, f.input)
        ws.write_blank(i, 2, None, f.input)
        ws.write_blank(i, 3, None, f.input_text)
        ws.write_blank(i, 4, None, f.input_text)
        ws.set_row(i, 30)
    note_row = header + 1 + len(roles)
    contact = " ".join(x for x in (forms.contact, forms.phone) if x)
    note = f"备注：{forms.office}" + (f" 联系人：{contact}" if contact else "")
    ws.merge_range(note_row, 0, note_row, last, note, f.note)
    _page(ws, landscape=False, repeat_to=header)
    _protect(ws, forms.password)


def write_report_form(wb, f: _Formats, forms: UnitForms, meta: list[list]) -> None:
    name = forms.sheet_name(3)
    ws = wb.add_worksheet(name)
    columns = list(COLUMNS_3_DISTRICT if forms.district else COLUMNS_3_CITY)
    if forms.two_levels:
        columns.insert(2, (CITY_LEAD, 14))
    at = {label: i for i, (label, _) in enumerate(columns)}
    last, hidden, value = len(columns) - 1, len(columns), at[PROGRESS]
    _columns(ws, columns, hidden)
    header = _header(ws, f, name, forms.title(3), columns, forms.unit)
    row = header + 1
    for row, task in _task_rows(ws, f, forms.report_tasks, header + 1, last, 1):
        ws.write_string(row, 0, task.key, f.locked_center)
        ws.write_string(row, 1, task.text, f.locked)
        if forms.two_levels:
            ws.write_string(row, at[CITY_LEAD], task.city_lead, f.locked)
        ws.write_string(row, at[ROLE], task.role, f.locked_center)
        ws.write_blank(row, value, None, f.input)
        ws.write_string(row, hidden, task.identity, f.hidden)
        ws.set_row(row, max(_text_height(task.text, columns[1][1]), 60))
        meta.append([name, row + 1, task.identity, task.key, task.text])
        row += 1
    if row > header + 1:
        ws.data_validation(header + 1, value, row - 1, value, {
            "validate": "length", "criteria": "<=", "value": 1000, "error_type": "information",
            "input_title": PROGRESS, "input_message": f"请写明截至{QUARTER_WORDS[forms.quarter]}的完成情况和数据，500字以内为宜",
            "error_message": "内容较长，请确认是否需要精简"})
    levels = forms.report_name.split("《")[0] or ""
    note = (f"备注：为便于统计，责任事项序号请按{levels}《政府工作报告》目标任务责任分解方案确定的序号排序。")
    ws.merge_range(row, 0, row, last, note, f.note)
    ws.set_row(row, 30)
    ws.freeze_panes(header + 1, 0)
    _page(ws, landscape=False, repeat_to=header)
    _protect(ws, forms.password)


def write_forms(forms: UnitForms, path: Path) -> Path:
    """One unit's workbook, written atomically; built in memory (no temporary file per part)."""

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "in_memory": True})
        f = _Formats(wb)
        meta: list[list] = []
        if 1 in forms.forms:
            write_plan_form(wb, f, forms, meta)
        if 2 in forms.forms:
            write_contacts_form(wb, f, forms)
        if 3 in forms.forms:
            write_report_form(wb, f, forms, meta)
        ws = wb.add_worksheet(META_SHEET)
        identity = identity_rows(forms)
        rows = [[label, value] for label, _, value in identity] + [list(TASKS_HEADER), *meta]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
        ws.hide()
        wb.worksheets()[0].activate()
        for _, prop, value in identity:
            wb.set_custom_property(prop, str(value))
        wb.set_properties({"title": forms.file_name().removesuffix(".xlsx"), "author": forms.office,
                           "comments": "由 xltools 生成；请勿删除隐藏的“_来源”工作表"})
        wb.close()

    with no_cycle_collection():
        return write_atomic(path, write)
