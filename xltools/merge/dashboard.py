"""The 总览 (dashboard): status counts by part, section and lead unit, reporting rates, charts.

Computed from the tracker's own tables, so its numbers always agree with them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from xltools.master.content import Master, Table, item_keys
from xltools.status.scale import coarse
from xltools.vocab import (
    CURRENT_STATUS,
    DASHBOARD,
    FORMS,
    KEY,
    LATE,
    LEAD,
    MISSING,
    NOT_DUE,
    NOT_NEEDED,
    PART,
    PLAN,
    REPORTING,
    SECTION,
    SIGNED_COLUMN,
    STATUSES,
    SUBMITTED,
)


@dataclass
class Block:
    title: str
    header: list[str]
    rows: list[list]


@dataclass
class Chart:
    kind: str  # "pie" or "bar"
    title: str
    block: int  # index of the block whose cells it draws
    series: list[int]  # columns of the block, one series each
    categories: int = 0
    rows: int | None = None  # how many rows of the block (None: all)


@dataclass
class Dashboard:
    title: str
    info: str
    blocks: list[Block] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    name: str = DASHBOARD


def _status_block(title: str, label: str, groups: dict[str, list[str]]) -> Block:
    rows = []
    for name, statuses in groups.items():
        counts = Counter(statuses)
        total = len(statuses)
        rows.append([name, *[counts[s] for s in STATUSES], total, round(counts[STATUSES[0]] / total, 3) if total else 0])
    return Block(title, [label, *STATUSES, "合计", "完成率"], rows)


def dashboard(master: Master, summary: Table, status: Table) -> Dashboard:
    at = {name: i for i, name in enumerate(summary.header)}
    tasks = {(p_sheet, t.key): (plan, t) for plan in master.plans for t in plan.tasks
             for p_sheet in [master.sheet_of(plan)]}
    by_part: dict[str, list[str]] = defaultdict(list)
    by_section: dict[str, list[str]] = defaultdict(list)
    by_lead: dict[str, list[str]] = defaultdict(list)
    overall: list[str] = []
    items = item_keys(master)
    for row in summary.rows:
        if (row[at[PLAN]], row[at[KEY]]) in items:
            continue  # a 分项: counted in its task's row
        plan, task = tasks[(row[at[PLAN]], row[at[KEY]])]
        state = coarse(row[at[CURRENT_STATUS]])
        overall.append(state)
        parts = {p.numeral: f"{p.numeral}、{p.title}" for p in plan.parts}
        prefix = f"{master.sheet_of(plan)}：" if len(master.plans) > 1 else ""
        by_part[prefix + parts.get(task.part, task.part or "（未分部分）")].append(state)
        if task.section:
            by_section[f"{prefix}{task.part}、{task.section}"].append(state)
        for lead in task.lead or task.units[:1]:
            by_lead[lead].append(state)
    blocks = [
        _status_block("总体情况", "范围", {"全部任务": overall}),
        _status_block("按部分", PART, dict(by_part)),
        _status_block("按章节", SECTION, dict(by_section)),
        _status_block("按牵头单位", LEAD, dict(sorted(by_lead.items(), key=lambda kv: -len(kv[1])))),
        _reporting_block(status),
    ]
    charts = [
        Chart("pie", "任务状态", 0, [1, 2, 3, 4], rows=1),
        Chart("bar", "各部分任务状态", 1, [1, 2, 3, 4]),
        Chart("bar", "各类附表报送率", 4, [6]),
    ]
    done = Counter(overall)[STATUSES[0]]
    info = f"共 {len(overall)} 项任务，已完成 {done} 项，完成率 {done / len(overall):.1%}。本表随重新合并自动更新。" if overall else ""
    return Dashboard("任务进展总览", info, blocks, charts)


def _reporting_block(status: Table) -> Block:
    units = [r for r in status.rows if not str(r[0]).startswith("合计")]
    rows = []
    for i, label in enumerate(status.header[1:], start=1):
        if label == SIGNED_COLUMN:
            continue  # scans beside the forms: not a form owed
        states = Counter(r[i] for r in units)
        owed = len(units) - states[NOT_NEEDED]
        done = states[SUBMITTED] + states[LATE]
        rows.append([label, owed, states[SUBMITTED], states[LATE], states[MISSING], states[NOT_DUE],
                     round(done / owed, 3) if owed else 0])
    return Block(REPORTING, [FORMS, "应报单位", SUBMITTED, LATE, MISSING, NOT_DUE, "报送率"], rows)
