"""Excel add-in (xlwings): the buttons of the master workbook, and worksheet functions.

Every button runs the same job as the command line (xltools.workflow) on the
workbook that called it (`xw.Book.caller()`, wrapped as an `ExcelLedger`: every
sheet read first, whole tables written back, a few calls per sheet, with screen
updating off). Success or a clear Chinese message goes to the 运行结果 cell of
the 控制台 sheet (or a message box) — never a Python traceback.

VBA (xltools/data/vba/xltools.bas) calls: RunPython "import xltools.excel as x; x.refresh_units()".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

import xlwings as xw

from xltools import workflow
from xltools.errors import NoExcel, describe
from xltools.master.content import HEADER_ROW, Master
from xltools.master.read import text
from xltools.readers.master import load_master, sheet_rows
from xltools.vocab import (
    CONSOLE,
    CURRENT_STATUS,
    PROGRESS,
    RESULT_LABEL,
    SUMMARY,
    TRACKER_FILE,
    quarter_column,
)
from xltools.writers.ledger_excel import ExcelLedger, values_of


def caller() -> xw.Book:
    try:
        return xw.Book.caller()
    except Exception as exc:  # xlwings raises different errors per platform
        raise NoExcel(
            "没有连接到 Excel：按钮只能在 Microsoft Excel 中使用（WPS 表格不支持 xlwings）。"
            "WPS 用户请双击台账旁边的启动文件（如“刷新分工.cmd”），或用命令行 xltools refresh / templates / merge。"
        ) from exc


def report(book: xw.Book, message: str) -> None:
    """Show the result in the 运行结果 cell of 控制台, or in a message box."""
    if CONSOLE in [s.name for s in book.sheets]:
        rows = values_of(book.sheets[CONSOLE])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if text(value) == RESULT_LABEL:
                    book.sheets[CONSOLE].range((r, c + 1)).value = message
                    return
    book.app.alert(message, title="督办台账")


def button(job: Callable[[ExcelLedger], object]) -> Callable[[xw.Book | None], str]:
    """A button's entry point: the job run on the calling workbook, its result or error shown there."""

    @wraps(job)
    def run(book: xw.Book | None = None) -> str:
        try:
            book = book or caller()
        except NoExcel as exc:
            # Under RunPython only stderr and a non-zero exit reach the user (xlwings shows them).
            message, code = describe(exc)
            print(message, file=sys.stderr)
            raise SystemExit(code) from exc
        try:
            message = job(ExcelLedger(book)).message
        except Exception as exc:  # the user sees a message, never a traceback
            message, _ = describe(exc, limit=15)
        report(book, message)
        return message

    return run


# -- the buttons: the same jobs as the command line ---------------------------------------------

import_plan = button(workflow.import_into)  # 导入方案: the files named in 设置
refresh_units = button(workflow.refresh)  # 刷新分工
make_forms = button(workflow.forms_from)  # 生成附表: into the 分发 folder beside the workbook
merge_returns = button(workflow.merge_into)  # 合并回收表: the 回收 folder → tracker sheets in this workbook
refresh_status = button(workflow.status_of_ledger)  # 刷新状态: today's date and the rules in 设置


# -- worksheet functions (Windows) -----------------------------------------------------------

@lru_cache(maxsize=4)
def _master_at(path: str, modified: float) -> Master:
    return load_master(path)


def _master_of(path: str) -> Master:
    return _master_at(path, os.path.getmtime(path))


def lead_count(path: str, unit: str) -> int:
    master = _master_of(path)
    name = master.directory.canonical(unit) or unit
    return sum(1 for p in master.plans for t in p.tasks if name in t.lead)


def task_units(path: str, plan_sheet: str, key: str) -> str:
    master = _master_of(path)
    plan = next((p for p in master.plans if master.sheet_of(p) == plan_sheet), None)
    if plan is None:
        return f"台账中没有方案表“{plan_sheet}”（看“设置”表中的方案工作表名）"
    task = next((t for t in plan.tasks if t.key == key), None)
    if task is None:
        return f"“{plan_sheet}”中没有编号 {key}"
    return f"牵头：{'、'.join(task.lead) or '无'}；责任：{'、'.join(task.units) or '无'}"


@lru_cache(maxsize=4)
def _summary_at(path: str, modified: float) -> dict[tuple[str, str], dict[str, str]]:
    rows = sheet_rows(path).get(SUMMARY) or []
    if len(rows) <= HEADER_ROW:
        return {}
    header = [text(v) for v in rows[HEADER_ROW - 1]]
    return {(text(row[0]), text(row[1])): {name: text(value) for name, value in zip(header, row, strict=False)}
            for row in rows[HEADER_ROW:]}


def _summary_row(path: str, plan_sheet: str, key: str) -> dict[str, str] | None:
    """A task's row of 汇总, from the workbook itself or the 汇总台账 beside it (as saved; read once per save)."""
    for candidate in (Path(path), Path(path).parent / TRACKER_FILE):
        if candidate.exists():
            row = _summary_at(str(candidate), candidate.stat().st_mtime).get((plan_sheet, key))
            if row is not None:
                return row
    return None


def task_status(path: str, plan_sheet: str, key: str) -> str:
    """The current status of a task (已完成/序时推进/滞后/未报送), or 未合并."""
    row = _summary_row(path, plan_sheet, key)
    return row[CURRENT_STATUS] if row else "未合并"


def task_progress(path: str, plan_sheet: str, key: str) -> str:
    """What the lead reported for the task in the latest quarter that has a report."""
    row = _summary_row(path, plan_sheet, key) or {}
    reports = [value for name, value in row.items() if name.endswith(PROGRESS) and name in {quarter_column(q, PROGRESS) for q in range(1, 5)} and value]
    return reports[-1] if reports else ""


@xw.func
def XLT_LEAD_COUNT(unit, caller):  # noqa: N802 - worksheet functions are named as Excel users expect
    """本单位牵头的任务数（读取已保存的台账）。"""
    return lead_count(caller.sheet.book.fullname, str(unit))


@xw.func
def XLT_TASK_UNITS(plan_sheet, key, caller):  # noqa: N802
    """某项任务的牵头单位和责任单位。"""
    return task_units(caller.sheet.book.fullname, str(plan_sheet), text(key))


@xw.func
def XLT_TASK_STATUS(plan_sheet, key, caller):  # noqa: N802
    """某项任务的当前状态（已完成/序时推进/滞后/未报送）。"""
    return task_status(caller.sheet.book.fullname, str(plan_sheet), text(key))


@xw.func
def XLT_TASK_PROGRESS(plan_sheet, key, caller):  # noqa: N802
    """某项任务最近一个季度牵头单位报送的完成情况。"""
    return task_progress(caller.sheet.book.fullname, str(plan_sheet), text(key))
