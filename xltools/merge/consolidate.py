"""From placed submissions to the tracker (汇总台账): pure, stateless, order-independent.

Rule for two files of one unit and form: the one saved last wins (ties: the
file name sorting last); the others are listed as superseded, never dropped
silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from xltools.forms.model import reports_on
from xltools.master.content import (
    Master,
    Table,
    assignments,
    compress_units,
    item_keys,
    rows_extra_columns,
    unit_order,
)
from xltools.merge.dashboard import Dashboard, dashboard
from xltools.merge.model import Issue, Submission
from xltools.merge.scoring import scoring_table
from xltools.merge.versions import RULE, Versions, choose, rank
from xltools.model import Task, Work
from xltools.status.judge import judge
from xltools.status.scale import change, roll_up
from xltools.status.schedule import deadline_of
from xltools.status.words import Rules
from xltools.text import CELL_LIMIT, cell_text
from xltools.vocab import (
    BASIS,
    CHANGE,
    COMPLETION_TIME,
    CONTACT,
    CONTACTS,
    CONTENT,
    CURRENT_STATUS,
    FILES,
    FORM_NAMES,
    FORMS,
    KEY,
    LATE,
    LEAD,
    LEADER,
    MISSING,
    MOBILE,
    NAME,
    NOT_DUE,
    NOT_NEEDED,
    NOT_REPORTED,
    OFFICE,
    OFFICE_PHONE,
    OTHER_REPORTS,
    OVERRIDE,
    PACE_STATUSES,
    PLAN,
    PLANS_HEADER,
    PLANS_SUMMARY,
    POST,
    PROBLEMS,
    PROGRESS,
    QUARTER,
    QUARTERLY,
    QUARTERS,
    REMINDERS,
    REPORTED_BY,
    REPORTING,
    ROW_KEYS,
    SCALE_PACE,
    SIGNED,
    SIGNED_COLUMN,
    STAFF_NOTE,
    STATUS,
    STATUSES,
    SUBMITTED,
    SUMMARY,
    TASK,
    UNIT,
    UNITS,
    TaskId,
    quarter_column,
)

CUT = "……（以下超出单元格长度，全文见各单位原文件）"
FUTURE = dt.timedelta(days=1)  # a save time later than this after today is a wrong clock, not a newer file


@dataclass
class Tracker:
    tables: list[Table]
    issues: list[Issue]
    dashboard: Dashboard | None = None
    used: list[Submission] = field(default_factory=list)
    superseded: list[tuple[Submission, Submission, str]] = field(default_factory=list)  # (old, new, form)


def overrides(summary_rows: list[list]) -> dict[tuple[str, str], str]:
    """Statuses staff set by hand in a tracker's 汇总 (人工判定状态), by (方案, 编号)."""
    names, values = rows_extra_columns(summary_rows, [], ROW_KEYS)
    if OVERRIDE not in names:
        return {}
    at = names.index(OVERRIDE)
    return {key: str(cells[at]).strip() for key, cells in values.items() if cells[at] not in (None, "")}


def quarters_shown(versions: Versions, quarter: int | None) -> list[int]:
    with_data = [q for (_, form, q) in versions.received if form == 3 and q]
    return list(range(1, max([quarter or 1, *with_data]) + 1))


def _stamp(when: dt.datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else ""


def _trusted_times(submissions: list[Submission], now: dt.datetime, issues: list[Issue]) -> list[Submission]:
    """A save time in the future (a wrong clock, or a forged one) does not make a file the newest."""
    result = []
    for sub in submissions:
        if sub.submitted and sub.submitted > now + FUTURE:
            issues.append(Issue(sub.file, "", 0, f"文件的保存时间是 {_stamp(sub.submitted)}，晚于今天（电脑时间可能不对），"
                                                 "不按这个时间判断新旧和是否逾期，请核实"))
            sub = replace(sub, submitted=None)
        result.append(sub)
    return result


def consolidate(master: Master, submissions: list[Submission], issues: list[Issue],
                quarter: int | None, today: dt.date, overrides: dict[tuple[str, str], str] | None = None,
                now: dt.datetime | None = None) -> Tracker:
    """The tracker; `today` judges deadlines and status (a clerk may judge an earlier date), `now` (the
    clock) tells a save time in the future."""
    issues = list(issues)
    submissions = _trusted_times(submissions, now or dt.datetime.now(), issues)
    scans = [s for s in submissions if s.scan]
    versions = choose([s for s in submissions if not s.scan])
    for old, new, form in versions.superseded:
        issues.append(Issue(old.file, "", 0, f"{form}已被“{new.file}”替代，未采用（{RULE}）"))
    for sub, form, lost in versions.partly:
        issues.append(Issue(sub.file, "", 0, f"{form}中有 {lost} 项被同一单位较新的一份替代，其余照常采用（{RULE}）"))
    issues += _only_scans(versions, scans)
    shown = quarters_shown(versions, quarter)
    summary = summary_table(master, versions, shown, overrides)
    status, reporting = status_table(master, versions, shown, today, scans)
    quarterly = quarters_table(master, summary, shown)
    tables = [
        summary,
        quarterly,
        scoring_table(master, quarterly, reporting, shown),
        status,
        reminders_table(master, versions, shown, today, submissions, issues),
        plans_table(master, versions),
        contacts_table(master, versions),
        files_table(submissions, versions, issues),
        problems_table(issues),
    ]
    return Tracker(tables, issues, dashboard(master, summary, status), versions.used, versions.superseded)


def quarters_table(master: Master, summary: Table, shown: list[int]) -> Table:
    """季度对比: each task's status quarter by quarter (the latest as staff set it) and what changed."""
    at = {name: i for i, name in enumerate(summary.header)}
    items = item_keys(master)
    rows = []
    for row in summary.rows:
        if (row[at[PLAN]], row[at[KEY]]) in items:
            continue  # a 分项: its task's row speaks for it
        words = [row[at[quarter_column(q, STATUS)]] for q in shown]
        words[-1] = row[at[CURRENT_STATUS]]
        rows.append([row[at[PLAN]], row[at[KEY]], row[at[TASK]], row[at[LEAD]], *words, change(words)])
    header = [PLAN, KEY, TASK, LEAD, *[quarter_column(q, STATUS) for q in shown], CHANGE]
    changed = Counter(r[-1] for r in rows if r[-1])
    info = ("各项任务每个季度的状态（最近一季为当前状态，含人工判定）。" + "，".join(f"{k}{n}项" for k, n in changed.items())
            + ("。" if changed else "没有变化。") + "可按“变化”列筛选。")
    widths = {PLAN: 14, KEY: 9, TASK: 40, LEAD: 16, CHANGE: 18} | {quarter_column(q, STATUS): 12 for q in shown}
    return Table("quarters", QUARTERLY, "各季度状态对比", header, rows, info, widths,
                 folded=[PLAN] if len(master.plans) == 1 else [])


def _only_scans(versions: Versions, scans: list[Submission]) -> list[Issue]:
    """A unit that sent the signed scan but no Excel form is asked for the form."""
    sent = {unit for unit, _, _ in versions.received}
    return [Issue(s.file, "", 0, f"收到{s.unit}签字盖章的扫描件（{s.scan}），但没有收到 Excel 附表：扫描件已记为{SIGNED}，"
                                 "请单位补发 .xlsx 格式的附表，才能合并内容") for s in scans if s.unit not in sent]


def summary_table(master: Master, versions: Versions, shown: list[int],
                  overrides: dict[tuple[str, str], str] | None = None) -> Table:
    """Per task: each quarter's 完成情况 (lead), other units' reports and status; the current status."""
    overrides = overrides or {}
    rules = master.settings.rules()
    header = [PLAN, KEY, TASK, LEAD, UNITS]
    for q in shown:
        header += [quarter_column(q, PROGRESS), quarter_column(q, OTHER_REPORTS), quarter_column(q, STATUS),
                   quarter_column(q, BASIS)]
    header += [CURRENT_STATUS, REPORTED_BY, PLANS_HEADER[2], "报送时间"]
    by_quarter: dict[int, dict[str, dict[str, tuple[Submission, str]]]] = defaultdict(dict)  # q → task → unit →
    for (unit, q), answers in sorted(versions.reports.items()):
        for identity, answer in answers.items():
            by_quarter[q].setdefault(identity, {})[unit] = answer
    at = {name: i for i, name in enumerate(header)}
    rows, filled = [], 0
    for plan in master.plans:
        sheet = master.sheet_of(plan)
        for task in plan.tasks:
            found = [_work_row(master, sheet, work, by_quarter, shown, rules, overrides) for work in task.work()]
            if task.items:  # the task's row rolls its 分项 up; their rows follow it
                rows.append(_rolled_up(master, sheet, task, found, at, shown, rules, overrides))
            rows += found
            filled += any(r[at[quarter_column(q, PROGRESS)]] for r in found for q in shown)
    widths = {PLAN: 14, KEY: 9, TASK: 36, LEAD: 14, UNITS: 20, REPORTED_BY: 14,
              PLANS_HEADER[2]: 30, "报送时间": 16, STAFF_NOTE: 24, OVERRIDE: 12}
    for q in shown:
        widths[quarter_column(q, PROGRESS)] = 48
        widths[quarter_column(q, OTHER_REPORTS)] = 30
        widths[quarter_column(q, STATUS)] = 10
        widths[quarter_column(q, BASIS)] = 36
    widths[CURRENT_STATUS] = 10
    tasks = sum(len(p.tasks) for p in master.plans)
    items = sum(len(t.items) for p in master.plans for t in p.tasks)
    split = f"（另有 {items} 个分项各占一行，任务行的状态按分项汇总）" if items else ""
    return Table("summary", SUMMARY, "完成情况汇总", header, rows,
                 f"共 {tasks} 项任务{split}，{filled} 项有牵头单位报送的完成情况。状态按完成情况的文字和任务目标自动判断（规则见台账“设置”，理由见“{BASIS}”列），"
                 f"在“{OVERRIDE}”列填写的状态优先；“{STAFF_NOTE}”等你加的列重新合并时保留。"
                 f"{UNITS}、{BASIS}、其他单位报送、来源文件和以前季度的列已折叠，点表格上方的“+”展开。",
                 widths, folded=_folded(master, header, shown),
                 choices={OVERRIDE: PACE_STATUSES if rules.scale == SCALE_PACE else STATUSES})


def _folded(master: Master, header: list[str], shown: list[int]) -> list[str]:
    """The columns 汇总 keeps closed so that it prints on A4 landscape in a readable size: who and where
    from (see 文件清单), other units' words, the basis of each status, earlier quarters; one click opens them."""
    folded = [UNITS, REPORTED_BY, PLANS_HEADER[2], "报送时间"] + ([PLAN] if len(master.plans) == 1 else [])
    for q in shown:
        columns = [OTHER_REPORTS, BASIS] if q == shown[-1] else [PROGRESS, OTHER_REPORTS, STATUS, BASIS]
        folded += [quarter_column(q, c) for c in columns]
    return [name for name in header if name in folded]


def _work_row(master: Master, sheet: str, work: Work, by_quarter: dict[int, dict[str, dict[str, tuple]]],
              shown: list[int], rules: Rules, overrides: dict[tuple[str, str], str]) -> list:
    """汇总's row of a task or 分项: each quarter's words (its lead's, the others'), status and basis."""
    d = master.directory
    identity, whole = str(TaskId(sheet, work.task.key, work.number)), str(TaskId(sheet, work.task.key))
    row = [sheet, work.key, work.text, compress_units(work.lead, d), compress_units(work.units, d)]
    latest: list[Submission] = []
    deadline = deadline_of(work.deadline)
    status = NOT_REPORTED
    for q in shown:
        own, others = [], []
        answers = by_quarter[q].get(identity, {})
        if work.item:  # a form sent before the task had 分项 reports on the whole task: it counts for the 分项 of its unit
            on_whole = {u: a for u, a in by_quarter[q].get(whole, {}).items() if u in work.all_units()}
            answers = {u: answers.get(u) or on_whole[u] for u in sorted(answers.keys() | on_whole.keys())}
        for unit, found in answers.items():
            (own if unit in work.lead else others).append(found)
        verdict = judge("\n".join(v for _, v in own), work.text, q, rules, deadline, master.settings.year)
        status = verdict.shown(rules)
        row += [_joined(own), _joined(others), status, verdict.basis]
        if own or others:
            latest = [s for s, _ in own + others]
    return row + [overrides.get((sheet, work.key)) or status, "、".join(s.unit for s in latest),
                  "\n".join(s.file for s in latest), "\n".join(_stamp(s.submitted) for s in latest)]


def _rolled_up(master: Master, sheet: str, task: Task, items: list[list], at: dict[str, int], shown: list[int],
               rules: Rules, overrides: dict[tuple[str, str], str]) -> list:
    """A task's row over its 分项' rows (columns found by `at`, 汇总's header): each quarter's status and the
    current one rolled up, the words left to the 分项."""
    d = master.directory
    row = [sheet, task.key, task.text, compress_units(task.lead, d), compress_units(task.units, d)]
    for q in shown:
        words = [r[at[quarter_column(q, STATUS)]] for r in items]
        basis = "按分项汇总：" + "；".join(f"{r[at[KEY]]} {w}" for r, w in zip(items, words, strict=True))
        row += ["", "", roll_up(words, rules.scale), basis]
    reporters = dict.fromkeys(u for r in items for u in r[at[REPORTED_BY]].split("、") if u)
    current = roll_up([r[at[CURRENT_STATUS]] for r in items], rules.scale)
    return row + [overrides.get((sheet, task.key)) or current, "、".join(reporters), "", ""]


def _joined(pairs: list[tuple[Submission, str]]) -> str:
    """Several units' answers in one cell, "【单位】…" each, cut where a cell ends."""
    if len(pairs) == 1:
        return pairs[0][1]
    joined = "\n".join(f"【{sub.unit}】{value}" for sub, value in pairs)
    return joined if len(joined) <= CELL_LIMIT else joined[: CELL_LIMIT - len(CUT)] + CUT


def _state(sub: Submission | None, deadline: dt.date | None, today: dt.date) -> str:
    if sub is not None:
        late = deadline and sub.submitted and sub.submitted.date() > deadline
        return LATE if late else SUBMITTED
    if deadline and today <= deadline:
        return NOT_DUE
    return MISSING


def status_rows(master: Master, versions: Versions, shown: list[int],
                today: dt.date) -> list[tuple[str, list[tuple[str, str, dt.date | None]]]]:
    """unit → [(form label, state, deadline)] for every form the unit owes (on time: its first copy was)."""
    per_unit = assignments(master)
    s = master.settings
    result = []
    for unit in unit_order(master, list(per_unit)):
        reports = any(reports_on(task, unit, s.rule) for _, task, _ in per_unit[unit])
        states = [(FORM_NAMES[1], _state(versions.first(unit, 1), s.plan_deadline, today), s.plan_deadline),
                  (FORM_NAMES[2], _state(versions.first(unit, 2), s.plan_deadline, today), s.plan_deadline)]
        for q in shown:
            deadline = s.deadline(q)
            state = _state(versions.first(unit, 3, q), deadline, today) if reports else NOT_NEEDED
            states.append((quarter_column(q, FORM_NAMES[3]), state, deadline))
        result.append((unit, states))
    return result


def status_table(master: Master, versions: Versions, shown, today, scans: list[Submission]) -> tuple[Table, list]:
    rows_by_unit = status_rows(master, versions, shown, today)
    labels = [label for label, _, _ in rows_by_unit[0][1]] if rows_by_unit else []
    signed = Counter(s.unit for s in scans)
    rows = [[unit, *[state for _, state, _ in states], f"{SIGNED}（{signed[unit]} 份）" if signed[unit] else ""]
            for unit, states in rows_by_unit]
    for word in (SUBMITTED, LATE, MISSING):
        rows.append([f"合计：{word}", *[sum(1 for r in rows[: len(rows_by_unit)] if r[i + 1] == word)
                                       for i in range(len(labels))], ""])
    header = [UNIT, *labels, SIGNED_COLUMN]
    info = (f"截至 {today.isoformat()}：{len(rows_by_unit)} 个单位。已报=按时报送，逾期=超过截止日期才报，未报=已过截止日期仍未报，"
            f"未到期=还没到截止日期；同一附表交了几份的，按最早一份判断是否按时。“{SIGNED_COLUMN}”：收到的签字盖章扫描件（PDF、图片）。")
    widths = {UNIT: 30} | {label: 14 for label in labels} | {SIGNED_COLUMN: 16}
    return Table("status", REPORTING, REPORTING, header, rows, info, widths), rows_by_unit


def _what_came(owed: str, mine: list[Submission], unreadable: list[Issue], dates: str) -> str:
    """What a unit that owes forms did send (`mine`, for the latest quarter; `unreadable`: files its name was
    on that could not be used), so that the reminder says what is wrong."""
    blank = sorted({f for s in mine for f in s.blank})
    if blank:
        return f"交来的{'、'.join(FORM_NAMES[f] for f in blank)}没有填写内容（是空表）"
    unusable = [i for i in unreadable if i.file not in {s.file for s in mine}]
    if unusable:
        return f"交来的文件“{unusable[0].file.rsplit('/', 1)[-1]}”无法使用（{unusable[0].message.split('。')[0]}）"
    sent = sorted({f for s in mine for f in s.forms})
    if sent:
        return f"交来的是{'、'.join(FORM_NAMES[f] for f in sent)}，没有{owed}"
    if any(s.scan for s in mine):
        return "只收到签字盖章的扫描件，还没有收到 Excel 格式的附表"
    return f"已过报送截止日期（{dates}）仍未收到"


def reminders_table(master: Master, versions: Versions, shown, today, submissions: list[Submission],
                    issues: list[Issue]) -> Table:
    contacts = {}
    for unit, sub in versions.contacts.items():
        person = next((c for c in sub.contacts if c.role == CONTACT), sub.contacts[0] if sub.contacts else None)
        if person:
            contacts[unit] = person
    s = master.settings
    sender = s.office + (f"（联系人：{s.contact} {s.phone}）" if s.contact else "")
    sent: dict[str, list[Submission]] = defaultdict(list)
    for sub in submissions:
        if sub.quarter in (None, shown[-1]):
            sent[sub.unit].append(sub)
    unreadable: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.unit and not issue.sheet:
            unreadable[issue.unit].append(issue)
    rows = []
    for unit, states in status_rows(master, versions, shown, today):
        missing = [(label, deadline) for label, state, deadline in states if state == MISSING]
        if missing:
            person = contacts.get(unit)
            what = "、".join(label for label, _ in missing)
            dates = "、".join(sorted({f"{d.month}月{d.day}日" for _, d in missing if d}))
            greeting = f"{person.name}同志：" if person and person.name else f"{unit}："
            came = _what_came(what, sent[unit], unreadable[unit], dates)
            message = (f"{greeting}贵单位{s.year}年《政府工作报告》目标任务的{what}：{came}，"
                       f"请于收到后尽快报送{s.office}。{sender}")
            rows.append([unit, what, dates, came, person.name if person else "",
                         (person.mobile or person.office_phone) if person else "", message])
    return Table("reminders", REMINDERS, REMINDERS,
                 [UNIT, "未报内容", "截止日期", "情况", CONTACT, "联系电话", "催报短信"], rows,
                 f"截至 {today.isoformat()} 已过截止日期仍未报送的单位，共 {len(rows)} 个。“情况”写明交来了什么、哪里不对；"
                 "“催报短信”可直接复制发送。",
                 {UNIT: 24, "未报内容": 26, "截止日期": 14, "情况": 36, CONTACT: 10, "联系电话": 14, "催报短信": 60})


def _task_texts(master: Master) -> dict[str, tuple[str, str, str]]:
    """identity → (方案, 编号, 责任事项) of every task and 分项."""
    return {str(TaskId(master.sheet_of(p), t.key, w.number)): (master.sheet_of(p), w.key, w.text)
            for p in master.plans for t in p.tasks for w in [Work(t), *t.work()]}


def plans_table(master: Master, versions: Versions) -> Table:
    texts = _task_texts(master)
    rows = []
    for unit, tasks in sorted(versions.plans.items(), key=lambda kv: (unit_key(master, kv[0]), kv[0])):
        for task, (sub, found) in sorted(tasks.items(), key=lambda kv: (kv[1][0].file, kv[1][1][0].row)):
            sheet, key, task_text = texts.get(task, ("", task, ""))
            rows += [[unit, sheet, key, task_text, r.content, r.when, r.leader, r.office, sub.file] for r in found]
    header = [UNIT, PLAN, KEY, TASK, CONTENT, COMPLETION_TIME, LEADER, OFFICE, PLANS_HEADER[2]]
    return Table("plans", PLANS_SUMMARY, PLANS_SUMMARY, header, rows, f"共 {len(rows)} 条具体工作内容",
                 {UNIT: 16, PLAN: 14, KEY: 9, TASK: 30, CONTENT: 50, COMPLETION_TIME: 10,
                  LEADER: 10, OFFICE: 12, PLANS_HEADER[2]: 30})


def unit_key(master: Master, unit: str) -> int:
    return master.directory.order().get(unit, 10**6)


def contacts_table(master: Master, versions: Versions) -> Table:
    rows = []
    for unit, sub in sorted(versions.contacts.items(), key=lambda kv: (unit_key(master, kv[0]), kv[0])):
        rows += [[unit, c.role, c.name, c.title, c.office_phone, c.mobile, sub.file] for c in sub.contacts]
    return Table("contacts", CONTACTS, CONTACTS, [UNIT, "责任人", NAME, POST, OFFICE_PHONE, MOBILE, PLANS_HEADER[2]],
                 rows, f"共 {len(rows)} 人", {UNIT: 24, "责任人": 16, NAME: 10, POST: 16, OFFICE_PHONE: 14,
                                             MOBILE: 14, PLANS_HEADER[2]: 30})


def files_table(submissions: list[Submission], versions: Versions, issues: list[Issue]) -> Table:
    used = {id(s) for s in versions.used}
    replaced = {id(old) for old, _, _ in versions.superseded} | {id(sub) for sub, _, _ in versions.partly}
    problems = Counter(issue.file for issue in issues)
    rows = []
    for sub in sorted(submissions, key=lambda s: (s.file, rank(s))):
        if sub.scan:
            state = SIGNED
        else:
            state = "已采用" if id(sub) in used else "已被替代" if id(sub) in replaced else "未合并"
            if id(sub) in used and id(sub) in replaced:
                state = "部分采用"
        forms = f"签字件（{sub.scan}）" if sub.scan else "、".join(FORM_NAMES[f] for f in sorted(sub.forms))
        rows.append([sub.file, sub.unit, forms, QUARTERS[sub.quarter - 1] if sub.quarter else "", sub.how,
                     _stamp(sub.submitted), len([v for v in sub.reports.values() if v]), len(sub.empty),
                     problems[sub.file], state])
    placed = {s.file for s in submissions}
    for name in sorted({i.file for i in issues} - placed):
        rows.append([name, "", "", "", "", "", 0, 0, problems[name], "未合并"])
    header = ["文件", UNIT, FORMS, QUARTER, "识别方式", "保存时间", "已填任务数", "空白任务数", "问题数", STATUS]
    return Table("files", FILES, "收到的文件", header, rows, f"共 {len(rows)} 个文件。{RULE}。",
                 {"文件": 50, UNIT: 20, FORMS: 16, QUARTER: 10, "识别方式": 10, "保存时间": 16, "已填任务数": 10,
                  "空白任务数": 10, "问题数": 8, STATUS: 10})


def problems_table(issues: list[Issue]) -> Table:
    rows = [[cell_text(i.file), cell_text(i.sheet), i.row or "", cell_text(i.message)]
            for i in sorted(issues, key=lambda i: (i.file, i.sheet, i.row, i.message))]
    return Table("problems", PROBLEMS, PROBLEMS, ["文件", "工作表", "行号", "问题"], rows,
                 f"合并时发现的问题共 {len(rows)} 条：请按文件逐条核对，必要时请单位改正后重新报送。",
                 {"文件": 44, "工作表": 12, "行号": 8, "问题": 90})
