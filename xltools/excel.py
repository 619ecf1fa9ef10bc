"""Excel add-in (xlwings): the buttons of the master workbook, and worksheet functions.

Every button acts on the workbook that called it (`xw.Book.caller()`): it
reads every sheet it needs first, computes with the same functions as the
CLI, then writes whole tables back (a few calls per sheet) with screen
updating off. Success or a clear Chinese message goes to the 运行结果 cell of
the 控制台 sheet (or a message box) — never a Python traceback.

VBA (macros/xltools.bas) calls: RunPython "import xltools.excel as x; x.refresh_units()".
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

import xlwings as xw

from xltools.errors import BadArgument, BadFile, NoExcel, NothingFound, describe
from xltools.forms.model import QUARTER_WORDS, current_quarter, unit_forms
from xltools.master.content import (
    DIRECTORY,
    FIXED_SHEETS,
    HEADER_ROW,
    SETTINGS,
    STATS,
    Master,
    Table,
    derived_tables,
    master_tables,
    new_master,
    rows_extra_columns,
    unit_sheet_unit,
)
from xltools.master.read import master_from_rows, read_settings, text
from xltools.master.settings import settings_from_notice
from xltools.merge.consolidate import consolidate, overrides
from xltools.merge.dashboard import DASHBOARD
from xltools.readers.directory import directory_from_rows, load_directory
from xltools.readers.master import load_master, sheet_rows
from xltools.vocab import (
    CONSOLE,
    CURRENT_STATUS,
    PROGRESS,
    REMINDERS,
    REPORTING,
    RESULT_LABEL,
    STAFF_COLUMNS,
    SUMMARY,
    TRACKER_SHEETS,
    quarter_column,
)
from xltools.vocab import ROW_KEYS as SUMMARY_KEYS
from xltools.vocab import TRACKER_FILE as TRACKER_NAME
from xltools.workflow import import_files, read_returns, write_reports
from xltools.writers.distribution import LIST_NAME, generate
from xltools.writers.xlwings_tables import quiet, write_table

CONSOLE = CONSOLE
RESULT_LABEL = RESULT_LABEL
KEEP = {CONSOLE, "xlwings.conf", "_xlwings.conf"}


def caller() -> xw.Book:
    try:
        return xw.Book.caller()
    except Exception as exc:  # xlwings raises different errors per platform
        raise NoExcel(
            "没有连接到 Excel：按钮只能在 Microsoft Excel 中使用（WPS 表格不支持 xlwings）。"
            "WPS 用户请用命令行：xltools build / refresh / templates / merge。"
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


def button(job: Callable[[xw.Book], str]) -> Callable[[xw.Book | None], str]:
    """A button's entry point: the calling workbook, errors turned into messages."""

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
            message = job(book)
        except Exception as exc:  # the user sees a message, never a traceback
            message, _ = describe(exc, limit=15)
        report(book, message)
        return message

    return run


# -- reading the open workbook -------------------------------------------------------

def values_of(sheet) -> list[list]:
    value = sheet.used_range.options(ndim=2).value
    return value or [[]]


def sheets_values(book: xw.Book) -> dict[str, list[list]]:
    """Every sheet's values (one call per sheet), read before anything is written."""
    return {s.name: values_of(s) for s in book.sheets if s.name not in KEEP}


def folder(book: xw.Book) -> Path:
    full = Path(book.fullname)
    return full.parent if full.is_absolute() else Path.cwd()


# -- writing whole tables ----------------------------------------------------------------

def replace(book: xw.Book, before: dict[str, list[list]], tables: list[Table], ours: Callable[[str, list[list]], str | None],
            after: str | None = None, ensure: dict[str, tuple[str, ...]] | None = None) -> None:
    """Delete the sheets `ours` recognises and write `tables` in their place, keeping staff columns."""
    ensure = ensure or {}
    kept: dict[str, tuple[list[str], dict]] = {}
    for name, rows in before.items():
        identity = ours(name, rows)
        if identity is None:
            continue
        table = next((t for t in tables if (t.key or t.name) == identity), None)
        if table is not None:
            kept[identity] = rows_extra_columns(rows, table.header, SUMMARY_KEYS)
        if name in [s.name for s in book.sheets]:
            book.sheets[name].delete()
    previous = book.sheets[after] if after in [s.name for s in book.sheets] else book.sheets[-1]
    for table in tables:
        sheet = book.sheets.add(table.name, after=previous)
        names, values = kept.get(table.key or table.name, ([], {}))
        names = names + [e for e in ensure.get(table.name, ()) if e not in names]
        write_table(sheet, table, names, values)
        previous = sheet


# -- the buttons -----------------------------------------------------------------------

@button
def import_plan(book: xw.Book) -> str:
    """导入方案: the files named in 设置 → plan sheets, unit sheets, statistics."""
    before = sheets_values(book)
    old = read_settings(before[SETTINGS][HEADER_ROW:], []) if SETTINGS in before else None
    files = [f.strip() for f in (old.plan_files if old else "").split("、") if f.strip()]
    if not files:
        raise BadArgument("请先在“设置”表的“方案文件”一栏填写方案文件（如 2025年方案.docx，放在台账同一文件夹）。")
    paths = [str(folder(book) / f) for f in files]
    result = import_files(paths, None)
    if not result.plans:
        raise NothingFound("方案文件中没有识别出任何分解方案。")
    directory = directory_from_rows(before[DIRECTORY], "“单位名录”表") if DIRECTORY in before else load_directory()
    settings = settings_from_notice(result.notice, [p.title for p in result.plans])
    if old is not None:
        for attribute in ("office", "rule", "preset", "contact", "phone", "password", "outbox", "inbox",
                          "done_words", "behind_words", "negations", "plan_files"):
            setattr(settings, attribute, getattr(old, attribute))
    master = new_master(result.plans, directory, settings, result.warnings)
    tables = [t for t in master_tables(master) if t.name != DIRECTORY or DIRECTORY not in before]
    old_plans = {e.sheet for e in old.plans} if old else set()
    names = {t.name for t in tables}

    def ours(name: str, rows: list[list]) -> str | None:
        if name in names or name in old_plans or name in FIXED_SHEETS and name != DIRECTORY:
            return name
        return unit_sheet_unit(rows)

    with quiet(book.app):
        replace(book, before, tables, ours, after=CONSOLE)
    count = sum(len(p.tasks) for p in master.plans)
    return f"已导入 {len(master.plans)} 个方案、{count} 项任务，提示 {len(result.warnings)} 条（见“导入提示”表）。"


def _unit_or_stats(name: str, rows: list[list]) -> str | None:
    return STATS if name == STATS else unit_sheet_unit(rows)


@button
def refresh_units(book: xw.Book) -> str:
    """刷新分工: rebuild 分工统计 and the unit sheets from the plan sheets and 单位名录 as they are now."""
    before = sheets_values(book)
    master = master_from_rows(before)
    tables = derived_tables(master)
    last_plan = master.settings.plans[-1].sheet if master.settings.plans else None
    with quiet(book.app):
        replace(book, before, tables, _unit_or_stats, after=last_plan)
    return f"已刷新 {len(tables) - 1} 个单位的分工表和“分工统计”。"


@button
def make_forms(book: xw.Book) -> str:
    """生成附表: every unit's forms into the 分发 folder beside the workbook."""
    master = master_from_rows(sheets_values(book))
    quarter = current_quarter(master)
    out = folder(book) / master.settings.outbox
    done = generate(unit_forms(master, quarter), out)
    return f"已为 {len(done)} 个单位生成附表（{QUARTER_WORDS[quarter]}），在 {out}；分发清单：{LIST_NAME}"


def _merge(book: xw.Book, only: tuple[str, ...] | None) -> str:
    before = sheets_values(book)
    master = master_from_rows(before)
    inbox = folder(book) / master.settings.inbox
    if not inbox.exists():
        raise BadFile(f"回收文件夹 {inbox} 不存在。请把各单位交回的表放进这个文件夹（可在“设置”中改名）。")
    submissions, issues, files = read_returns(master, [str(inbox)], None)
    tracker = consolidate(master, submissions, issues, None, dt.date.today(), overrides(before.get(SUMMARY, [])))
    tables = [t for t in tracker.tables if only is None or t.name in only]
    with quiet(book.app):
        replace(book, before, tables, lambda name, rows: name if name in TRACKER_SHEETS else None,
                ensure={SUMMARY: STAFF_COLUMNS})
        _write_dashboard(book, tracker.dashboard)
    reports = write_reports(master, tracker, None, folder(book), None)
    return (f"读取 {files} 个文件，采用 {len(tracker.used)} 份，问题 {len(tracker.issues)} 条（见“问题清单”）。"
            f"进展报告：{'、'.join(r.name for r in reports)}")


def _write_dashboard(book: xw.Book, dash) -> None:
    """总览 as values: each block is one write."""
    if DASHBOARD in [s.name for s in book.sheets]:
        book.sheets[DASHBOARD].delete()
    sheet = book.sheets.add(DASHBOARD, before=book.sheets[0])
    sheet["A1"].value = [[dash.title], [dash.info]]
    row = 4
    for block in dash.blocks:
        width = len(block.header)
        sheet.range((row, 1)).value = [[block.title] + [None] * (width - 1), block.header, *block.rows]
        sheet.range((row + 1, 1), (row + 1, len(block.header))).font.bold = True
        row += len(block.rows) + 4
    sheet.range((1, 1)).column_width = 34


@button
def merge_returns(book: xw.Book) -> str:
    """合并回收表: the 回收 folder beside the workbook → tracker sheets in this workbook."""
    return _merge(book, None)


@button
def refresh_status(book: xw.Book) -> str:
    """刷新状态: statuses, 总览 and 报送情况 again, with today's date and the rules in 设置."""
    return _merge(book, (SUMMARY, REPORTING, REMINDERS))


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
    plan = next(p for p in master.plans if master.sheet_of(p) == plan_sheet)
    task = plan.task(key)
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
    for candidate in (Path(path), Path(path).parent / TRACKER_NAME):
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
