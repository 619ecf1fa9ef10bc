"""The tool's jobs, from files to files: what the CLI and the Excel add-in both call."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from xltools.errors import BadFile, NothingFound
from xltools.forms.model import QUARTER_WORDS
from xltools.master.content import Master, new_master, rows_extra_columns
from xltools.master.settings import settings_from_notice
from xltools.merge.consolidate import Tracker, consolidate, overrides
from xltools.merge.interpret import Interpreter
from xltools.merge.model import Issue, Submission
from xltools.model import ImportResult
from xltools.parse import parse_document
from xltools.readers.directory import load_directory
from xltools.readers.document import read_document
from xltools.readers.master import load_master, sheet_rows
from xltools.readers.returns import Candidate, ReturnProblem, collect, read_book
from xltools.vocab import PROGRESS, STAFF_COLUMNS, SUMMARY, TRACKER_FILE, TRACKER_SHEETS, quarter_column
from xltools.vocab import ROW_KEYS as SUMMARY_KEYS
from xltools.writers.dashboard_xlsx import replace_dashboard
from xltools.writers.files import write_atomic
from xltools.writers.master_xlsx import backup, check_rewritable, replace_sheets
from xltools.writers.report_docx import write_report
from xltools.writers.xlsx_fast import write_tables

TRACKER_NAME = TRACKER_FILE
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
        raise NothingFound("文件中没有识别出任何分解方案（找不到带编号和单位的任务）。")
    settings = settings_from_notice(result.notice, [p.title for p in result.plans])
    return new_master(result.plans, load_directory(units), settings, result.warnings), result


@dataclass
class MergeResult:
    tracker: Tracker
    files: int
    out: Path | None = None
    backup: Path | None = None
    reports: list[Path] = field(default_factory=list)


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
    missing = [r for r in returns if not Path(r).exists()]
    if missing and len(missing) == len(returns):
        raise BadFile(f"找不到回收表：{'、'.join(missing)}。请指定各单位交回的文件或存放它们的文件夹。")
    master = load_master(master_path)
    submissions, issues, files = read_returns(master, returns, quarter, workers)
    target = Path(out) if out else master_path.parent / TRACKER_NAME
    existing = sheet_rows(target) if target.exists() else {}
    tracker = consolidate(master, submissions, issues, quarter, today or dt.date.today(),
                          overrides(existing.get(SUMMARY, [])))
    saved = write_tracker(tracker, target, existing)
    reports = write_reports(master, tracker, quarter, target.parent, today)
    return MergeResult(tracker, files, target, saved, reports)


def write_reports(master: Master, tracker: Tracker, quarter: int | None, folder: Path,
                  today: dt.date | None) -> list[Path]:
    """The quarter's progress report and its internal list of 滞后 tasks, beside the tracker."""
    summary = tracker.tables[0]
    quarters = [q for q in range(1, 5) if quarter_column(q, PROGRESS) in summary.header]
    q = quarter or quarters[-1]
    stem = f"{master.settings.year}年{QUARTER_WORDS[q]}"
    return [write_report(master, summary, q, folder / f"{stem}任务进展情况.docx", today=today),
            write_report(master, summary, q, folder / f"{stem}滞后任务清单（内部）.docx", only_behind=True,
                         today=today)]


def write_tracker(tracker: Tracker, path: Path, existing: dict[str, list[list]]) -> Path | None:
    """Write or update the tracker (`existing`: its sheets as read before); other sheets and staff columns are kept.

    A file holding only the tracker's own sheets is rewritten from scratch
    (fast), carrying staff columns over; a file with anything else in it is
    updated sheet by sheet so nothing staff made is lost.
    """
    ensure = {SUMMARY: STAFF_COLUMNS}
    if not path.exists():
        write_tables(path, tracker.tables, {SUMMARY: (list(STAFF_COLUMNS), {})}, dashboard=tracker.dashboard)
        return None
    check_rewritable(path, len(tracker.dashboard.charts) if tracker.dashboard else 0)
    saved = backup(path)
    if set(existing) <= set(TRACKER_SHEETS):
        extras = {}
        for table in tracker.tables:
            names, values = rows_extra_columns(existing.get(table.name, []), table.header, SUMMARY_KEYS)
            names += [e for e in ensure.get(table.name, ()) if e not in names]
            extras[table.name] = (names, values)
        write_tables(path, tracker.tables, extras, dashboard=tracker.dashboard)
        return saved
    wb = load_workbook(path)
    replace_sheets(wb, tracker.tables, lambda ws: ws.title if ws.title in TRACKER_SHEETS else None, ensure=ensure)
    if tracker.dashboard is not None:
        replace_dashboard(wb, tracker.dashboard)
    write_atomic(path, wb.save)
    return saved
