"""The tool's jobs, from files to files: what the CLI and the Excel add-in both call."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from xltools.master.content import Master, new_master
from xltools.master.settings import settings_from_notice
from xltools.merge.consolidate import (
    STAFF_COLUMN,
    SUMMARY,
    SUMMARY_KEYS,
    TRACKER_SHEETS,
    Tracker,
    consolidate,
)
from xltools.merge.interpret import Interpreter
from xltools.merge.model import Issue, Submission
from xltools.model import ImportResult
from xltools.parse import parse_document
from xltools.readers.directory import load_directory
from xltools.readers.document import ReadError, read_document
from xltools.readers.master import load_master, sheet_rows
from xltools.readers.returns import Candidate, ReturnProblem, collect, read_book
from xltools.writers.files import write_atomic
from xltools.writers.master_xlsx import backup, check_rewritable, replace_sheets
from xltools.writers.xlsx_fast import write_tables
from xltools.writers.xlsx_tables import rows_extra_columns

TRACKER_NAME = "汇总台账.xlsx"
PARALLEL_FROM = 100  # files; below this, starting processes costs more than it saves


def import_files(paths: list[str], units: str | None) -> ImportResult:
    """Parse every file into one result; a file that cannot be read stops with its message."""
    directory = load_directory(units)
    combined = ImportResult()
    for path in paths:
        result = parse_document(read_document(path), directory)
        combined.plans.extend(result.plans)
        combined.warnings.extend(result.warnings)
        combined.notice.extend(result.notice)
    return combined


def build_master(paths: list[str], units: str | None) -> tuple[Master, ImportResult]:
    result = import_files(paths, units)
    if not result.plans:
        raise ReadError("文件中没有识别出任何分解方案（找不到带编号和单位的任务）。")
    settings = settings_from_notice(result.notice, [p.title for p in result.plans])
    return new_master(result.plans, load_directory(units), settings, result.warnings), result


@dataclass
class MergeResult:
    tracker: Tracker
    files: int
    out: Path | None = None
    backup: Path | None = None


_worker: Interpreter | None = None


def _start_worker(master: Master, quarter: int | None) -> None:
    global _worker
    _worker = Interpreter(master, quarter)


def _read_one(item: Candidate | ReturnProblem, interpreter: Interpreter | None = None):
    interpreter = interpreter or _worker
    if isinstance(item, ReturnProblem):
        return None, [Issue(item.name, "", 0, item.message)]
    book = read_book(item)
    if isinstance(book, ReturnProblem):
        return None, [Issue(book.name, "", 0, book.message)]
    return interpreter.interpret(book)


def read_returns(master: Master, returns: list[str], quarter: int | None,
                 workers: int = 1) -> tuple[list[Submission], list[Issue], int]:
    """Read and place every returned file; with `workers` > 1 files are read in parallel processes.

    The result is the same whatever the number of workers (files keep their order).
    """
    items = list(collect(returns))
    if workers > 1 and len(items) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(master, quarter)) as pool:
            results = list(pool.map(_read_one, items, chunksize=16))
    else:
        interpreter = Interpreter(master, quarter)
        results = [_read_one(item, interpreter) for item in items]
    submissions = [sub for sub, _ in results if sub is not None]
    issues = [issue for _, found in results for issue in found]
    return submissions, issues, len(items)


def merge(master_path: str | Path, returns: list[str], quarter: int | None = None, out: str | Path | None = None,
          today: dt.date | None = None, workers: int = 1) -> MergeResult:
    """Merge returned forms into the tracker; the returns are only read, never changed."""
    master_path = Path(master_path)
    master = load_master(master_path)
    submissions, issues, files = read_returns(master, returns, quarter, workers)
    tracker = consolidate(master, submissions, issues, quarter, today or dt.date.today())
    target = Path(out) if out else master_path.parent / TRACKER_NAME
    saved = write_tracker(tracker, target)
    return MergeResult(tracker, files, target, saved)


def write_tracker(tracker: Tracker, path: Path) -> Path | None:
    """Write or update the tracker; other sheets in the file and staff columns are kept.

    A file holding only the tracker's own sheets is rewritten from scratch
    (fast), carrying staff columns over; a file with anything else in it is
    updated sheet by sheet so nothing staff made is lost.
    """
    ensure = {SUMMARY: (STAFF_COLUMN,)}
    if not path.exists():
        write_tables(path, tracker.tables, {SUMMARY: ([STAFF_COLUMN], {})})
        return None
    check_rewritable(path)
    sheets = sheet_rows(path)
    saved = backup(path)
    if set(sheets) <= set(TRACKER_SHEETS):
        extras = {}
        for table in tracker.tables:
            names, values = rows_extra_columns(sheets.get(table.name, []), table.header, SUMMARY_KEYS)
            names += [e for e in ensure.get(table.name, ()) if e not in names]
            extras[table.name] = (names, values)
        write_tables(path, tracker.tables, extras)
        return saved
    wb = load_workbook(path)
    replace_sheets(wb, tracker.tables, lambda ws: ws.title if ws.title in TRACKER_SHEETS else None, ensure=ensure)
    write_atomic(path, wb.save)
    return saved
