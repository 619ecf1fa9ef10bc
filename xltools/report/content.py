"""What the quarterly report says, read from the master and the tracker's sheets.

汇总 gives each task's status (as staff corrected it) and its lead units' words,
报送情况 who sent the quarter's form on time. From them: counts per part, a few
highlights per part (completed tasks first, then the clearest progress), the 滞后
tasks with the units whose own words lag, and the full table. Words that are not
a report (a formula, symbols only, 无, the task copied) are never shown as
progress. writers/report_docx.py lays this out as a 公文.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from xltools.forms.model import QUARTER_WORDS, report_name
from xltools.master.content import Master, Table, compress_units
from xltools.model import Task, Work
from xltools.status.judge import judge
from xltools.status.phrases import is_report
from xltools.status.scale import coarse, lagging_quarters
from xltools.status.schedule import deadline_of
from xltools.status.words import Rules
from xltools.vocab import (
    AHEAD,
    BASIS,
    BEHIND,
    CURRENT_STATUS,
    DONE,
    FORM_NAMES,
    KEY,
    LATE,
    MISSING,
    NOT_REPORTED,
    ON_TRACK,
    PLAN,
    PROGRESS,
    REPORTED_BY,
    REPORTING,
    STATUS,
    STATUSES,
    SUBMITTED,
    SUMMARY,
    UNIT,
    quarter_column,
)

HIGHLIGHTS = 3  # items per part in 主要进展
HEADLINE = 60  # characters of a task's text in the body; the 附件 shows it whole
_MARK = re.compile(r"^【([^】\n]{1,60})】", re.M)  # 汇总 writes several units' words as "【单位】…" lines
_FIGURE = re.compile(r"\d")
_PHONE = re.compile(r"(?<![\d-])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![\d-])")  # a mobile or office number


@dataclass(frozen=True)
class Said:
    """One lead unit's words on a task; `unit` is "" where the tracker does not say which lead."""

    unit: str
    text: str


def lines(said: list[Said]) -> list[str]:
    """Words as the report prints them: the text alone for one unit, "【单位】…" lines for several."""
    if len(said) == 1:
        return [said[0].text]
    return [f"【{s.unit}】{s.text}" if s.unit else s.text for s in said]


@dataclass
class Entry:
    """A task as the report shows it."""

    key: str
    task: str
    lead: str
    status: str  # as the tracker shows it, on either scale
    said: list[Said]  # the lead units' words that are a report
    unread: bool = False  # something was sent, but it is not a report (formula, 无 …)
    basis: str = ""
    lagging: list[Said] = field(default_factory=list)  # 滞后: the words that lag
    lagging_units: str = ""  # 滞后: the units whose words lag (the leads when no words tell)
    lagging_quarters: int = 0  # quarters in a row it has been 滞后, up to the report's

    @property
    def four(self) -> str:
        """The status on the four-colour scale."""
        return coarse(self.status)


def public_words(entry: Entry) -> str:
    """A task's progress as the 公开版 prints it: the lead units' words with telephone numbers left out,
    "—" where nothing that is a report came (internal notes such as 待核实 stay in the office)."""
    if not entry.said:
        return "—"
    return _PHONE.sub("（电话略）", "\n".join(lines(entry.said)))


PUBLIC = "进展情况（公开版）"  # what the document for publishing is called after the report's title


def overall(master: Master, report: Report) -> str:
    """"2025年市政府工作报告确定的目标任务共340项。截至一季度，已完成…": the report's first sentences."""
    return (f"{report.year}年{report_name(master.plans)}确定的目标任务共{len(report.entries)}项。"
            f"截至{QUARTER_WORDS[report.quarter]}，{rates(report.entries)}。")


def dated(day: dt.date) -> str:
    """"2025年4月30日", as a 公文 writes its date."""
    return f"{day.year}年{day.month}月{day.day}日"


def report_title(master: Master, quarter: int, what: str) -> str:
    """"2025年市政府工作报告目标任务一季度进展情况": the plans' name, the quarter, what the document is."""
    return f"{master.settings.year}年{report_name(master.plans)}目标任务{QUARTER_WORDS[quarter]}{what}"


def count(entries: list[Entry]) -> dict[str, int]:
    found = Counter(e.four for e in entries)
    return {s: found[s] for s in STATUSES}


def share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def rates(entries: list[Entry]) -> str:
    """"已完成12项、占3.5%，序时推进…": the tasks per status."""
    total, counts = len(entries), count(entries)
    return "，".join(f"{s}{counts[s]}项、占{share(counts[s], total)}" for s in STATUSES)


def headline(text: str, limit: int = HEADLINE) -> str:
    """A task's text cut to its first clauses, for the body of the report."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "，。；、")
    return text[: cut if cut > limit // 3 else limit] + "……"


def _clarity(entry: Entry) -> tuple:
    text = "".join(s.text for s in entry.said)
    return entry.four != DONE, entry.status != AHEAD, len(entry.said) > 1, not _FIGURE.search(text), -min(len(text), 120)


@dataclass
class Group:
    """One part of a plan (一、二、…) and its tasks, in the plan's order."""

    plan: str  # the plan's sheet where the report covers several plans (or the plan has no parts), else ""
    numeral: str
    title: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        """"二、十一个方面重点工作", after the plan's name when there are several."""
        part = f"{self.numeral}、{self.title}" if self.numeral else self.title
        return f"{self.plan} {part}".strip()

    @property
    def heading(self) -> str:
        """The part without its numeral (the report numbers its own sub-headings)."""
        return f"{self.plan} {self.title}".strip()

    def highlights(self, most: int = HIGHLIGHTS) -> list[Entry]:
        """Completed tasks first, then the clearest progress (one unit's words, with figures)."""
        reported = [e for e in self.entries if e.said and e.four in (DONE, ON_TRACK)]
        return sorted(reported, key=_clarity)[:most]


@dataclass
class Reporting:
    """The units that owe the quarter's 附表3: sent on time, late, not at all."""

    on_time: list[str]
    late: list[str]
    missing: list[str]

    @property
    def due(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.missing)


@dataclass
class Report:
    year: int
    quarter: int
    groups: list[Group]
    reporting: Reporting | None

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]

    def behind(self) -> list[Entry]:
        return [e for e in self.entries if e.four == BEHIND]

    def behind_again(self) -> list[Entry]:
        """滞后 for two quarters or more in a row."""
        return [e for e in self.behind() if e.lagging_quarters >= 2]


def _split(text: str, leads: list[str], reporters: list[str]) -> list[Said]:
    """The words in 汇总's cell, per lead unit."""
    text = text.strip()
    if not text:
        return []
    marks = [m for m in _MARK.finditer(text) if m[1] in leads]
    if not marks or marks[0].start() != 0:
        own = [u for u in reporters if u in leads]
        unit = own[0] if len(own) == 1 else leads[0] if len(leads) == 1 else ""
        return [Said(unit, text)]
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [Said(m[1], text[m.end():end].strip()) for m, end in zip(marks, ends, strict=True)]


def _lagging(said: list[Said], task: Task | Work, quarter: int, rules: Rules, year: int) -> list[Said]:
    """Of several leads' words, those the status rules judge 滞后 (all of them when none does alone)."""
    if len(said) > 1:
        deadline = deadline_of(task.deadline)
        late = [s for s in said if judge(s.text, task.text, quarter, rules, deadline, year).status == BEHIND]
        if late:
            return late
    return said


def _words(row: dict, work: Task | Work, quarter: int, rules: Rules) -> tuple[list[Said], bool]:
    """The lead units' words on a task or 分项 that are a report, and whether something else was sent."""
    sent = _split(str(row.get(quarter_column(quarter, PROGRESS)) or ""), work.lead,
                  str(row.get(REPORTED_BY) or "").split("、"))
    said = [s for s in sent if is_report(s.text, work.text, rules)]
    return said, len(said) < len(sent)


def _entry(master: Master, task: Task, row: dict, quarter: int, status_column: str, rules: Rules,
           items: list[tuple[Work, dict]]) -> Entry:
    """A task as the report shows it; a task with 分项 speaks with its 分项' words and lags where they do."""
    year = master.settings.year
    lagging: list[Said] = []
    units: list[str] = []
    if items:
        said, unread = [], False
        for work, item_row in items:
            words, other = _words(item_row, work, quarter, rules)
            said, unread = said + words, unread or other
            if coarse(str(item_row.get(status_column) or "")) == BEHIND:
                lagging += _lagging(words, work, quarter, rules, year)
                units += [s.unit for s in words if s.unit] or work.lead
    else:
        said, unread = _words(row, task, quarter, rules)
    entry = Entry(task.key, task.text, compress_units(task.lead, master.directory),
                  str(row.get(status_column) or NOT_REPORTED), said, unread=unread,
                  basis=str(row.get(quarter_column(quarter, BASIS)) or ""))
    if entry.four == BEHIND and not items:
        lagging = _lagging(said, task, quarter, rules, year)
        units = [s.unit for s in lagging if s.unit]
    if entry.four == BEHIND:  # a clerk may set 滞后 where no words lag: then all the words, all the leads
        entry.lagging = lagging or said
        entry.lagging_units = compress_units(list(dict.fromkeys(units or task.lead)), master.directory)
        words = [str(row.get(quarter_column(q, STATUS)) or "") for q in range(1, quarter)] + [entry.status]
        entry.lagging_quarters = lagging_quarters(words)
    return entry


def reporting(table: Table | None, quarter: int) -> Reporting | None:
    """From 报送情况: who sent the quarter's 附表3 (units that owe none, or not yet due, left out)."""
    column = quarter_column(quarter, FORM_NAMES[3])
    if table is None or column not in table.header or UNIT not in table.header:
        return None
    at, unit = table.header.index(column), table.header.index(UNIT)
    found: dict[str, list[str]] = {SUBMITTED: [], LATE: [], MISSING: []}
    for row in table.rows:
        if row[at] in found:
            found[row[at]].append(row[unit])
    return Reporting(found[SUBMITTED], found[LATE], found[MISSING])


def build_report(master: Master, tables: list[Table], quarter: int) -> Report:
    """The report on `quarter` from the tracker's sheets (`tables`: 汇总 and 报送情况 are read)."""
    sheets = {t.name: t for t in tables}
    summary = sheets[SUMMARY]
    rows = {(row[summary.header.index(PLAN)], row[summary.header.index(KEY)]): dict(zip(summary.header, row,
                                                                                        strict=False))
            for row in summary.rows}
    last = max((q for q in range(1, 5) if quarter_column(q, PROGRESS) in summary.header), default=quarter)
    status_column = CURRENT_STATUS if quarter >= last else quarter_column(quarter, STATUS)
    rules = master.settings.rules()
    several = len(master.plans) > 1
    groups: list[Group] = []
    for plan in master.plans:
        sheet = master.sheet_of(plan)
        titles = {p.numeral: p.title for p in plan.parts}
        for task in plan.tasks:
            group = Group(sheet if several or not task.part else "", task.part, titles.get(task.part, ""))
            if not groups or groups[-1].label != group.label:
                groups.append(group)
            items = [(w, rows.get((sheet, w.key), {})) for w in task.work()] if task.items else []
            groups[-1].entries.append(_entry(master, task, rows.get((sheet, task.key), {}), quarter,
                                             status_column, rules, items))
    return Report(master.settings.year, quarter, groups, reporting(sheets.get(REPORTING), quarter))
