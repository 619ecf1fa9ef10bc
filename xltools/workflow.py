"""The tool's jobs, one per command: what the CLI, the Excel buttons and the launchers all call.

Each job takes plain arguments and returns a result dataclass whose `message`
is the Chinese summary every front end shows. Jobs that update the master
workbook take a `Ledger` — the workbook as rows of sheets plus "replace these
sheets" — so the same job runs on a file (`FileLedger`, spliced) and inside
Excel (`ExcelLedger`, xlwings): the front ends differ only in which one they
hand over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar

from xltools.cascade import CounterpartMap, Decision, cascade, decisions_table, learn_map
from xltools.errors import BadArgument, BadFile, FileInTheWay, NothingFound
from xltools.forms.model import current_quarter, unit_forms
from xltools.master.content import (
    HEADER_ROW,
    STATS,
    Front,
    Master,
    Table,
    derived_tables,
    master_tables,
    new_master,
    unit_sheet_unit,
)
from xltools.master.read import master_from_rows, read_settings
from xltools.master.settings import (
    PRESET_DISTRICT,
    REPORT_SETTINGS,
    SCORING_SETTINGS,
    STATUS_SETTINGS,
    settings_from_notice,
)
from xltools.merge.consolidate import Tracker, consolidate, overrides
from xltools.merge.dashboard import Dashboard
from xltools.model import ImportResult
from xltools.parse import parse_document
from xltools.readers.counterparts import load_map, map_csv, map_table
from xltools.readers.directory import load_directory
from xltools.readers.document import read_document
from xltools.readers.master import load_master, sheet_rows
from xltools.readers.returns import Candidate, ReturnProblem, collect
from xltools.report.content import build_report
from xltools.units import directory_from_rows
from xltools.vocab import (
    CONSOLE,
    DIRECTORY,
    FORM_TITLES,
    MASTER_SHEETS,
    PROGRESS,
    QUARTER_WORDS,
    QUARTERLY,
    REMINDERS,
    REPORTING,
    SCORING,
    SETTINGS,
    STAFF_COLUMNS,
    SUMMARY,
    TRACKER_FILE,
    TRACKER_SHEETS,
    quarter_column,
)
from xltools.workers import discard, put_in_place, read_returns, worker_pool, write_pending
from xltools.writers.distribution import LIST_NAME, Generated, generate
from xltools.writers.files import exclusive, write_text_atomic
from xltools.writers.ledger_file import FileLedger
from xltools.writers.master_xlsx import backup, write_master
from xltools.writers.plan_json import result_dict
from xltools.writers.public_html import write_public_html
from xltools.writers.report_docx import write_circular_docx, write_public_docx, write_report
from xltools.writers.xlsx_fast import write_tables

SAMPLE = "2025年市政府工作报告目标任务责任分解方案.txt"
Say = Callable[[str], None]


class Ledger(Protocol):
    """A master workbook as the jobs use it: FileLedger (a file) or ExcelLedger (open in Excel)."""

    name: str
    folder: Path

    def sheets(self) -> dict[str, list[list]]: ...

    def replace(self, tables: list[Table], ours: Callable[[str, list[list]], str | None], after: str | None = None,
                ensure: dict[str, tuple[str, ...]] | None = None) -> None: ...

    def put_dashboard(self, dashboard: Dashboard) -> None: ...

    def save(self) -> Path | None: ...


def _quiet(_: str) -> None:
    """The default progress display: none."""


def _count(master: Master) -> int:
    return sum(len(p.tasks) for p in master.plans)


# -- import ----------------------------------------------------------------------------------

def import_files(paths: list[str], units: str | None = None) -> ImportResult:
    """Parse every file into one result; a file that cannot be read stops with its message."""
    directory = load_directory(units)
    combined = ImportResult()
    for path in paths:
        result = parse_document(read_document(path), directory)
        combined.plans.extend(result.plans)
        combined.warnings.extend(result.warnings)
        combined.notice.extend(result.notice)
    return combined


def parse(paths: list[str], units: str | None = None, json_out: str | None = None) -> ImportResult:
    """`xltools parse`: the import result, optionally written as JSON (not to stdout: that is the CLI's)."""
    result = import_files(paths, units)
    if json_out and json_out != "-":
        write_text_atomic(json_out, plan_json(result))
    return result


def plan_json(result: ImportResult) -> str:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=2) + "\n"


def build_master(paths: list[str], units: str | None = None) -> tuple[Master, ImportResult]:
    result = import_files(paths, units)
    if not result.plans:
        raise NothingFound("文件中没有识别出任何分解方案（找不到带编号和单位的任务）。")
    settings = settings_from_notice(result.notice, [p.title for p in result.plans])
    return new_master(result.plans, load_directory(units), settings, result.warnings), result


def new_file(path: str | Path, force: bool, hint: str = "") -> Path:
    """A workbook to create: an existing one (holding someone's edits) only with `force`."""
    out = Path(path)
    if out.exists() and not force:
        raise FileInTheWay(f"{out} 已经存在，其中可能有你做过的修改，所以没有覆盖。{hint}"
                           "确实要重新生成，请加 --force（会先备份原文件）。")
    return out


def write_ledger(master: Master, path: Path, extra: list[Table] | None = None) -> Path:
    """A new master workbook: .xlsm with 控制台, the buttons and the VBA project, otherwise a plain .xlsx."""
    if path.suffix.lower() == ".xlsm":
        # only here: xlwings and pyOpenVBA take 0.2 s to import
        from xltools.writers.macro_workbook import write_macro_master

        return write_macro_master(master, path, extra)
    return write_master(master, path, extra)


@dataclass
class Built:
    out: Path
    master: Master
    warnings: int
    backup: Path | None = None

    @property
    def message(self) -> str:
        lines = [f"已生成 {self.out}：{len(self.master.plans)} 个方案、{_count(self.master)} 项任务。"]
        if self.backup:
            lines.append(f"原文件已备份到 {self.backup}")
        if self.warnings:
            lines.append(f"导入时有 {self.warnings} 条提示，已列在“导入提示”表中，请核对。")
        return "\n".join(lines)


def build(paths: list[str], out: str | Path, units: str | None = None, force: bool = False) -> Built:
    """`xltools build`: a new master workbook from plan documents."""
    target = new_file(out, force, "要按修改后的方案更新分工，请用 xltools refresh；")
    master, result = build_master(paths, units)
    saved = backup(target) if target.exists() else None
    write_ledger(master, target)
    return Built(target, master, len(result.warnings), saved)


@dataclass
class Imported:
    master: Master
    warnings: int

    @property
    def message(self) -> str:
        return (f"已导入 {len(self.master.plans)} 个方案、{_count(self.master)} 项任务，"
                f"提示 {self.warnings} 条（见“导入提示”表）。")


KEPT_SETTINGS = ("office", "rule", "plan_forms", "preset", "contact", "phone", "password", "outbox", "inbox",
                 "plan_files", *STATUS_SETTINGS, *SCORING_SETTINGS, *REPORT_SETTINGS)


def import_into(ledger: Ledger, files: list[str] | None = None) -> Imported:
    """导入方案: the plan files (default: those named in 设置) → plan sheets, unit sheets, statistics.

    The office's own settings and 单位名录 in the workbook are kept.
    """
    before = ledger.sheets()
    old = read_settings(before[SETTINGS][HEADER_ROW:], []) if SETTINGS in before else None
    named = [f.strip() for f in (old.plan_files if old else "").split("、") if f.strip()]
    files = files or [str(ledger.folder / f) for f in named]
    if not files:
        raise BadArgument("请先在“设置”表的“方案文件”一栏填写方案文件（如 2025年方案.docx，放在台账同一文件夹）。")
    result = import_files(files)
    if not result.plans:
        raise NothingFound("方案文件中没有识别出任何分解方案。")
    directory = directory_from_rows(before[DIRECTORY], f"“{DIRECTORY}”表") if DIRECTORY in before else load_directory()
    settings = settings_from_notice(result.notice, [p.title for p in result.plans])
    if old is not None:
        for attribute in KEPT_SETTINGS:
            setattr(settings, attribute, getattr(old, attribute))
    master = new_master(result.plans, directory, settings, result.warnings)
    front = Front(buttons=CONSOLE in before)  # the 控制台's buttons, or the launchers beside a plain workbook
    tables = [t for t in master_tables(master, front) if t.name != DIRECTORY or DIRECTORY not in before]
    old_plans = {e.sheet for e in old.plans} if old else set()
    names = {t.name for t in tables}

    def ours(name: str, rows: list[list]) -> str | None:
        if name in names or name in old_plans or name in MASTER_SHEETS and name != DIRECTORY:
            return name
        return unit_sheet_unit(rows)

    ledger.replace(tables, ours, after=CONSOLE)
    ledger.save()
    return Imported(master, len(result.warnings))


# -- refresh ---------------------------------------------------------------------------------

@dataclass
class Refreshed:
    units: int
    backup: Path | None = None

    @property
    def message(self) -> str:
        saved = f"原文件备份在 {self.backup}" if self.backup else ""
        return f"已刷新 {self.units} 个单位的分工表和“分工统计”。{saved}"


def refresh(ledger: Ledger) -> Refreshed:
    """刷新分工: 分工统计 and the unit sheets again, from the plan sheets and 单位名录 as staff left them.

    Raises BadMaster (nothing written) when an edit cannot be understood.
    """
    master = master_from_rows(ledger.sheets())
    tables = derived_tables(master)

    def ours(name: str, rows: list[list]) -> str | None:
        if name == STATS:
            return STATS
        unit = unit_sheet_unit(rows)
        return (master.directory.canonical(unit) or unit) if unit else None

    last_plan = master.settings.plans[-1].sheet if master.settings.plans else None
    ledger.replace(tables, ours, after=last_plan)
    return Refreshed(len(tables) - 1, ledger.save())


def refresh_file(path: str | Path) -> Refreshed:
    with exclusive(path):
        return refresh(FileLedger(path, sheet_rows(path)))


# -- forms -------------------------------------------------------------------------------------

@dataclass
class FormsMade:
    out: Path
    made: list[Generated]
    quarter: int

    @property
    def message(self) -> str:
        return (f"已为 {len(self.made)} 个单位生成附表（{QUARTER_WORDS[self.quarter]}），在 {self.out}；"
                f"分发清单：{self.out / LIST_NAME}")


def make_forms(master: Master, folder: Path, quarter: int | None = None, forms: tuple[int, ...] = (1, 2, 3),
               units: list[str] | None = None, out: str | Path | None = None, template: str | None = None,
               today: dt.date | None = None) -> FormsMade:
    """生成附表: every unit's forms (or `units`'), into `out` or the 分发 folder beside the master."""
    if units:
        unknown = [u for u in units if master.directory.canonical(u) is None]
        if unknown:
            raise BadArgument(f"单位名录中没有：{'、'.join(unknown)}。请检查单位名称（可用简称或别名）。")
    quarter = quarter or current_quarter(master, master.settings.today(today))
    target = Path(out) if out else folder / master.settings.outbox
    made = generate(unit_forms(master, quarter, forms, units), target, template=Path(template) if template else None)
    return FormsMade(target, made, quarter)


def forms_from(ledger: Ledger, today: dt.date | None = None) -> FormsMade:
    return make_forms(master_from_rows(ledger.sheets()), ledger.folder, today=today)


# -- merge -------------------------------------------------------------------------------------

LOAD_STEP, READ_STEP, CONSOLIDATE_STEP, WRITE_STEP = "载入台账", "读取并定位", "汇总并判定状态", "写汇总台账和报告"  # a merge's steps
T = TypeVar("T")


@dataclass
class Stopwatch:
    """Seconds spent in each step of a run, lap by lap."""

    laps: dict[str, float] = field(default_factory=dict)
    _start: float = field(default_factory=time.perf_counter)

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = now - self._start
        self._start = now


@dataclass
class Merged:
    tracker: Tracker
    files: int
    out: Path | None = None
    backup: Path | None = None
    reports: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step (READ_STEP …), for the benchmark

    @property
    def message(self) -> str:
        t = self.tracker
        lines = [f"读取 {self.files} 个文件，采用 {len(t.used)} 份，{len(t.superseded)} 份被较新的替代；"
                 f"问题 {len(t.issues)} 条（见“问题清单”）。"]
        if self.out:
            lines.append(f"已写入 {self.out}" + (f"（原文件备份在 {self.backup}）" if self.backup else ""))
        lines += [f"进展报告：{r}" for r in self.reports]
        return "\n".join(lines)


def returned(returns: list[str]) -> list[Candidate | ReturnProblem]:
    """The returned files under the given files and folders (none of them read yet)."""
    missing = [r for r in returns if not Path(r).exists()]
    if missing and len(missing) == len(returns):
        raise BadFile(f"找不到回收表：{'、'.join(missing)}。请指定各单位交回的文件或存放它们的文件夹。")
    return list(collect(returns))


def merge(master_path: str | Path, returns: list[str], quarter: int | None = None, out: str | Path | None = None,
          today: dt.date | None = None, workers: int = 1) -> Merged:
    """`xltools merge`: returned forms → the tracker file beside the master; the returns are only read."""
    master_path = Path(master_path)
    clock = Stopwatch()
    master = load_master(master_path)
    items = returned(returns)
    target = Path(out) if out else master_path.parent / TRACKER_FILE
    today = master.settings.today(today)
    target.parent.mkdir(parents=True, exist_ok=True)
    clock.lap(LOAD_STEP)
    with worker_pool(master, quarter, workers, len(items)) as pool:
        submissions, issues = read_returns(master, items, quarter, pool)
        clock.lap(READ_STEP)
        with exclusive(target):
            existing = sheet_rows(target) if target.exists() else {}
            tracker = consolidate(master, submissions, issues, quarter, today, overrides(existing.get(SUMMARY, [])))
            clock.lap(CONSOLIDATE_STEP)
            saved, reports = save_with_reports(lambda: write_tracker(tracker, target, existing), master, tracker,
                                               quarter, target.parent, today, pool)
    clock.lap(WRITE_STEP)
    return Merged(tracker, len(items), target, saved, reports, clock.laps)


STATUS_SHEETS = (SUMMARY, QUARTERLY, SCORING, REPORTING, REMINDERS)  # what 刷新状态 rewrites


def merge_into(ledger: Ledger, only: tuple[str, ...] | None = None, today: dt.date | None = None,
               workers: int = 1) -> Merged:
    """合并回收表 / 刷新状态: the 回收 folder beside the workbook → tracker sheets inside it (`only` these)."""
    clock = Stopwatch()
    before = ledger.sheets()
    master = master_from_rows(before)
    inbox = ledger.folder / master.settings.inbox
    if not inbox.exists():
        raise BadFile(f"回收文件夹 {inbox} 不存在。请把各单位交回的表放进这个文件夹（可在“设置”中改名）。")
    items = returned([str(inbox)])
    today = master.settings.today(today)
    clock.lap(LOAD_STEP)
    with worker_pool(master, None, workers, len(items)) as pool:
        submissions, issues = read_returns(master, items, None, pool)
        clock.lap(READ_STEP)
        tracker = consolidate(master, submissions, issues, None, today, overrides(before.get(SUMMARY, [])))
        clock.lap(CONSOLIDATE_STEP)
        tables = [t for t in tracker.tables if only is None or t.name in only]
        ledger.replace(tables, lambda name, rows: name if name in TRACKER_SHEETS else None,
                       ensure={SUMMARY: STAFF_COLUMNS})
        if tracker.dashboard is not None:
            ledger.put_dashboard(tracker.dashboard)
        saved, reports = save_with_reports(ledger.save, master, tracker, None, ledger.folder, today, pool)
    clock.lap(WRITE_STEP)
    return Merged(tracker, len(items), None, saved, reports, clock.laps)


def status_of_ledger(ledger: Ledger, today: dt.date | None = None, workers: int = 1) -> Merged:
    """刷新状态: statuses, 总览, 报送情况 and 催报名单 again, for `today` and the rules in 设置."""
    return merge_into(ledger, STATUS_SHEETS, today, workers)


REPORT_KINDS = ("季度进展报告（报领导）", "滞后任务清单（内部）", "公开版（Word）", "公开版（网页，可发布到政府网站）",
                "通报稿（设置“生成通报稿”为“是”时生成）")  # what write_reports writes, in its order


def write_reports(master: Master, tracker: Tracker, quarter: int | None, folder: Path,
                  today: dt.date | None) -> list[Path]:
    """The quarter's progress report, its internal list of 滞后 tasks, the 公开版 (.docx and .html) and, when
    设置 asks for it, a 通报 draft, beside the tracker."""
    return [write(path) for path, write in _report_files(master, tracker, quarter, folder, today)]


def save_with_reports(save: Callable[[], T], master: Master, tracker: Tracker, quarter: int | None, folder: Path,
                      today: dt.date | None, pool: ProcessPoolExecutor | None) -> tuple[T, list[Path]]:
    """`save` the tracker, then the reports. With a pool, the reports are written in its processes (the two
    long documents in one, the others in the other) under temporary names while this one saves, and put in
    place once the tracker is saved: a tracker that cannot be saved leaves every report as it was."""
    if pool is None:
        saved = save()
        return saved, write_reports(master, tracker, quarter, folder, today)
    files = _report_files(master, tracker, quarter, folder, today)
    writing = [pool.submit(write_pending, part) for part in (files[:2], files[2:])]
    try:
        saved = save()
        pending = [pair for part in writing for pair in part.result()]
    except BaseException:
        for part in writing:
            if part.exception() is None:
                discard(part.result())
        raise
    return saved, put_in_place(pending)


def _report_files(master: Master, tracker: Tracker, quarter: int | None, folder: Path,
                  today: dt.date | None) -> list[tuple[Path, Callable[[Path], Path]]]:
    """What write_reports writes, in the order of REPORT_KINDS: each file and how to write it to a path."""
    summary = tracker.tables[0]
    quarters = [q for q in range(1, 5) if quarter_column(q, PROGRESS) in summary.header]
    q = quarter or quarters[-1]
    stem = f"{master.settings.year}年{QUARTER_WORDS[q]}"
    report = build_report(master, tracker.tables, q)
    day = today or dt.date.today()
    files = [  # the report is built once: write_report needs no tables (none are sent to a worker)
        (f"{stem}任务进展情况.docx", partial(write_report, master, [], q, today=day, report=report)),
        (f"{stem}滞后任务清单（内部）.docx", partial(write_report, master, [], q, only_behind=True, today=day,
                                               report=report)),
        (f"{stem}任务进展情况（公开版）.docx", partial(write_public_docx, master, report, today=day)),
        (f"{stem}任务进展情况（公开版）.html", partial(write_public_html, master, report, today=day)),
    ]
    if master.settings.drafts_circular:
        files.append((f"{stem}推进情况通报（稿）.docx", partial(write_circular_docx, master, report, today=day)))
    return [(folder / name, write) for name, write in files]


def write_tracker(tracker: Tracker, path: Path, existing: dict[str, list[list]]) -> Path | None:
    """Write the tracker, or update it (`existing`: its sheets as read before): its sheets are
    replaced, everything else in the file and the columns staff added are kept."""
    ensure = {SUMMARY: STAFF_COLUMNS}
    if not path.exists():
        write_tables(path, tracker.tables, {SUMMARY: (list(STAFF_COLUMNS), {})}, dashboard=tracker.dashboard)
        return None
    ledger = FileLedger(path, existing)
    ledger.replace(tracker.tables, lambda name, rows: name if name in TRACKER_SHEETS else None, ensure=ensure)
    if tracker.dashboard is not None:
        ledger.put_dashboard(tracker.dashboard)
    return ledger.save()


# -- cascade -----------------------------------------------------------------------------------

@dataclass
class Cascaded:
    out: Path
    district: str
    decisions: list[Decision]

    @property
    def message(self) -> str:
        manual = sum(1 for d in self.decisions if d.manual)
        return (f"已生成 {self.out}：{len(self.decisions)} 项任务涉及{self.district}，"
                f"{len(self.decisions) - manual} 项已按对口单位表分工，{manual} 项需人工指定（见“对照表”）。")


def cascade_plan(plan_path: str, district: str, out: str | Path, map_path: str | None = None,
                 units: str | None = None, force: bool = False) -> Cascaded:
    """`xltools cascade`: the tasks of a higher plan that reach `district`, given to its counterpart units."""
    target = new_file(out, force)
    result = import_files([plan_path], units)
    if not result.plans:
        raise NothingFound("文件中没有识别出任何分解方案。")
    directory = load_directory(units)
    counterparts = load_map(map_path)
    plans, decisions = [], []
    for plan in result.plans:
        district_plan, found = cascade(plan, district, counterparts, directory)
        if district_plan.tasks:
            plans.append(district_plan)
            decisions += found
    if not plans:
        raise NothingFound(f"方案中没有涉及{district}的任务（直接点名或通过“各区人民政府”等分组）。")
    settings = settings_from_notice(result.notice, [p.title for p in plans])
    settings.office, settings.preset = f"{district.removesuffix('人民政府')}人民政府督查室", PRESET_DISTRICT
    master = new_master(plans, directory, settings, result.warnings)
    if target.exists():
        backup(target)
    write_ledger(master, target, [decisions_table(decisions, master.directory), map_table(counterparts)])
    return Cascaded(target, district, decisions)


@dataclass
class Learned:
    out: Path
    rows: int

    @property
    def message(self) -> str:
        return f"已写入 {self.out}：{self.rows} 条对口关系"


def learn_counterparts(notice: str, out: str | Path, units: str | None = None) -> Learned:
    """`xltools learn-map`: the counterpart map of a district notice that names both levels' leads."""
    result = import_files([notice], units)
    counterparts = CounterpartMap()
    for plan in result.plans:
        counterparts.rows += learn_map(plan).rows
    if not counterparts.rows:
        raise NothingFound("文件中没有同时写明“市级牵头单位”和“区级牵头单位”的任务，学不到对口关系。")
    write_text_atomic(out, map_csv(counterparts))
    return Learned(Path(out), len(counterparts.rows))


# -- demo --------------------------------------------------------------------------------------

@dataclass
class Demo:
    folder: Path
    master: Path
    merged: Merged
    opened: list[tuple[Path, str]]

    @property
    def message(self) -> str:
        return "\n".join(["完成。请打开：", *[f"  {path}  —— {what}" for path, what in self.opened]])


def demo(out: str | Path, say: Say = _quiet, workers: int | None = None) -> Demo:
    """The whole cycle on the bundled 2025 plan: import, master, forms, returns, merge, reports."""
    from xltools.demo.simulate import MANGLING, simulate  # openpyxl: only the demo fills forms as units would

    folder = Path(out)
    if folder.exists() and any(folder.iterdir()):
        folder = folder.with_name(f"{folder.name}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}")
        say(f"“{out}”已有内容，本次演示写到 {folder}")
    folder.mkdir(parents=True)
    sample = folder / SAMPLE
    sample.write_bytes(resources.files("xltools").joinpath(f"data/{SAMPLE}").read_bytes())
    say(f"[1/5] 导入方案：{sample.name}")
    master, result = build_master([str(sample)])
    write_text_atomic(folder / "方案.json", plan_json(result))
    say(f"      识别 {_count(master)} 项任务，提示 {len(result.warnings)} 条")
    book = write_master(master, folder / "督办台账.xlsx")
    say(f"[2/5] 生成督办台账：{book.name}")
    loaded = load_master(book)
    s = loaded.settings
    # two rounds, as in a real year: 附表1-2 in February, 附表3 after the first quarter
    first, second = FORM_TITLES[1], QUARTER_WORDS[1]
    rounds = [(first, (1, 2), s.plan_deadline or s.deadline(1)), (second, (3,), s.deadline(1))]
    made = {name: generate(unit_forms(loaded, 1, forms), folder / "分发" / name) for name, forms, _ in rounds}
    say(f"[3/5] 生成附表：附表1-2 {len(made[first])} 个单位，一季度附表3 {len(made[second])} 个单位，"
        f"在 分发/（各有{LIST_NAME}）")
    kinds: Counter = Counter()
    for seed, (name, _, deadline) in enumerate(rounds, start=2025):
        sims = simulate([(g.forms.unit, g.path) for g in made[name]], folder / "回收" / name,
                        dt.datetime.combine(deadline, dt.time(18)), seed=seed)
        kinds.update(x.scenario for x in sims)
    say(f"[4/5] 模拟各单位交回：共 {sum(kinds.values())} 份，其中按时 {kinds['on-time']}、逾期 {kinds['late']}、"
        f"未交 {kinds['missing']}、空表 {kinds['empty']}、改动过格式 {sum(kinds[m] for m in MANGLING)}")
    merged = merge(book, [str(folder / "回收")], 1, folder / TRACKER_FILE, today=s.deadline(1) + dt.timedelta(days=10),
                   workers=workers or os.cpu_count() or 1)
    say(f"[5/5] 合并回收表：采用 {len(merged.tracker.used)} 份，问题 {len(merged.tracker.issues)} 条")
    opened = [(book, "督办台账（方案表、单位表、分工统计）"), (folder / "分发", "发给各单位的附表"),
              (merged.out, "汇总台账（总览、汇总、季度对比、考核、报送情况、催报名单、问题清单）"),
              *zip(merged.reports, REPORT_KINDS, strict=False)]
    return Demo(folder, book, merged, opened)
