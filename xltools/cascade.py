"""Cascade a higher-level plan to a district (对口分解): pure logic.

A counterpart map says which district unit(s) answer for a city unit
(市发改委 → 区发改局). Rows with a task (适用任务) apply to that task only: a
district notice sometimes assigns one task differently. The map is learned
from a district notice that names both levels (seed 002) and is editable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from xltools.model import Assignment, Item, Plan, Task, Work
from xltools.units import UnitDirectory
from xltools.vocab import KEY, TASK

MANUAL = "待人工指定"


@dataclass
class Counterpart:
    upper: str  # the higher-level unit
    district: list[str]  # its counterpart(s) in the district
    task: str = ""  # "15 统筹用好中央预算内资金…": only this task; blank: every task
    note: str = ""

    def applies_to(self, task: Task) -> bool:
        if not self.task:
            return True
        key, _, start = self.task.partition(" ")
        return task.key == key and task.text.startswith(start)


@dataclass
class CounterpartMap:
    rows: list[Counterpart] = field(default_factory=list)

    def lookup(self, upper: str, task: Task) -> tuple[list[str], str]:
        """The district units for `upper` on `task`, and why (which row)."""
        specific = [r for r in self.rows if r.upper == upper and r.task and r.applies_to(task)]
        general = [r for r in self.rows if r.upper == upper and not r.task]
        for row in specific + general:
            return row.district, f"对口单位表：{upper}→{'、'.join(row.district)}" + ("（本任务专门指定）" if row.task else "")
        return [], ""


def _task_label(task: Task) -> str:
    return f"{task.key} {task.text[:12]}"


def learn_map(plan: Plan) -> CounterpartMap:
    """Defaults from tasks with one city lead; task rows where a task differs from the defaults."""
    seen: dict[str, Counter] = {}
    for task in plan.tasks:
        if len(task.assignment.city_lead) == 1 and task.lead:
            seen.setdefault(task.assignment.city_lead[0], Counter())[tuple(task.lead)] += 1
    defaults = {upper: list(counts.most_common(1)[0][0]) for upper, counts in seen.items()}
    rows = [Counterpart(upper, units, note=f"学自“{plan.title}”（{sum(seen[upper].values())} 项任务）")
            for upper, units in defaults.items()]
    for task in plan.tasks:
        if not task.assignment.city_lead or not task.lead:
            continue
        predicted = []
        for upper in task.assignment.city_lead:
            predicted += [u for u in defaults.get(upper, []) if u not in predicted]
        if set(predicted) != set(task.lead):
            rows.append(Counterpart("、".join(task.assignment.city_lead), list(task.lead), _task_label(task),
                                    "该任务在原方案中的专门分工"))
    return CounterpartMap(rows)


@dataclass
class Decision:
    """How one task reached the district: its units at both levels and why."""

    task: Task
    via: str  # 直接 or 通过分组“各区人民政府”
    reasons: list[str]
    manual: bool


def involvement(task: Task, district_unit: str, directory: UnitDirectory) -> str:
    """"直接", "通过分组“X”", or "" when the task does not reach the district."""
    if district_unit not in task.all_units():
        return ""
    phrases = task.assignment.phrases
    if any(directory.canonical(p) == district_unit for p in phrases):
        return "直接"
    groups = [p for p in phrases if (res := directory.resolve(p.split("〈")[0])).group and district_unit in res.units]
    return f"通过分组“{groups[0].split('〈')[0]}”" if groups else "直接"


def district_units(uppers: list[str], task: Task, counterparts: CounterpartMap) -> tuple[list[str], list[str]]:
    """District units answering for the higher-level `uppers` on `task`, and why."""
    units, why = counterparts.lookup("、".join(uppers), task) if len(uppers) > 1 else ([], "")
    if units:
        return list(units), [why]
    found, reasons = [], []
    for upper in uppers:
        mapped, why = counterparts.lookup(upper, task)
        found += [u for u in mapped if u not in found]
        reasons.append(why or f"{upper}：对口单位表中没有，{MANUAL}")
    return found, reasons


def cascade(plan: Plan, district: str, counterparts: CounterpartMap,
            directory: UnitDirectory) -> tuple[Plan, list[Decision]]:
    """The district's plan: every task that reaches the district, city units kept, district units assigned."""
    district_unit = directory.canonical(f"{district}人民政府") or directory.canonical(district) or district
    governments = {u.name for u in directory.units if u.kind in ("区", "开发区")}
    short = district.removesuffix("人民政府")
    result = Plan(title=f"{plan.title}（{short}）", parts=list(plan.parts), source=plan.source)
    decisions = []
    for task in plan.tasks:
        via = involvement(task, district_unit, directory)
        if not via:
            continue
        reasons: list[str] = []
        parts = []  # (work, its district assignment): the task, or each 分项 that reaches the district
        for work in task.work():
            if work.item and district_unit not in work.all_units():
                continue
            assignment, why = _district_assignment(work, task, district_unit, governments, short, counterparts)
            parts.append((work, assignment))
            reasons += [r for r in why if r not in reasons]
        cascaded = Task(
            key=task.key, part=task.part, section=task.section, theme=task.theme, number=task.number, text=task.text,
            deadline=task.deadline, source_lines=task.source_lines, original_text=task.original_text,
            items=[Item(w.number, w.text, a, w.item.deadline) for w, a in parts if w.item],
        )
        for _, assignment in parts:
            cascaded.assignment.merge(assignment)
        result.tasks.append(cascaded)
        decisions.append(Decision(cascaded, via, reasons, manual=any(not a.lead for _, a in parts)))
    return result, decisions


def _district_assignment(work: Work, task: Task, district_unit: str, governments: set[str], short: str,
                         counterparts: CounterpartMap) -> tuple[Assignment, list[str]]:
    """A task's or 分项's units at both levels in the district, and why."""
    uppers = [u for u in (work.lead or work.units) if u not in governments]
    lead, reasons = district_units(uppers, task, counterparts) if uppers else ([], [])
    if not lead and district_unit in work.lead:
        reasons.append(f"{short}是牵头单位：请指定区级承办部门（{MANUAL}）")
    elif not lead and not reasons:
        named = "、".join(work.lead) or "未写明"
        reasons.append(f"上级牵头单位（{named}）没有区级对口部门，本区作为责任单位：请指定承办部门（{MANUAL}）")
    return Assignment(lead=lead, city_lead=list(work.lead), city_units=list(work.units),
                      phrases=list(work.assignment.phrases)), reasons


def decisions_table(decisions: list[Decision], directory: UnitDirectory):
    """The 对照表: per task, the higher-level units, the district units chosen, and why."""
    from xltools.master.content import Table, compress_units

    rows = [[d.task.key, d.task.text, compress_units(d.task.assignment.city_lead, directory),
             compress_units(d.task.assignment.city_units, directory), d.via,
             "、".join(d.task.lead), "；".join(d.reasons), "是" if d.manual else ""] for d in decisions]
    manual = sum(1 for d in decisions if d.manual)
    return Table("decisions", "对照表", "上下级分工对照表",
                 [KEY, TASK, "上级牵头单位", "上级责任单位", "涉及本区", "区级牵头单位", "依据", "需人工指定"], rows,
                 f"共 {len(rows)} 项任务涉及本区，{manual} 项找不到对口单位，需人工指定：在方案表“牵头单位”列填写后做一次“刷新分工”（按钮或台账旁边的“刷新分工.cmd”）。",
                 {KEY: 9, TASK: 40, "上级牵头单位": 16, "上级责任单位": 24, "涉及本区": 16, "区级牵头单位": 16,
                  "依据": 36, "需人工指定": 8})
