"""Checks an import makes on a parsed plan; each failure becomes a warning."""

from __future__ import annotations

from collections import Counter, defaultdict

from xltools.model import Plan, Task
from xltools.parse.segments import Warn
from xltools.text import pair_quotes
from xltools.units import Resolution
from xltools.vocab import DIRECTORY, NAME_UNITS, PLAN


def assign_keys(plan: Plan, warn: Warn) -> None:
    """Give every task a key unique in the plan that matches the document.

    List plans: the number as printed when numbering runs through the plan
    (seed 002), "part-number" when it restarts in each part (seed 001).
    Keys made by the table parser are kept. A repeated key gets "#2", "#3".
    """
    parts_of = defaultdict(set)
    for task in plan.tasks:
        parts_of[task.number].add(task.part)
    restarts = any(len(parts) > 1 for parts in parts_of.values())
    for task in plan.tasks:
        if not task.key:
            task.key = f"{task.part}-{task.number}" if restarts and task.part else task.number
    seen: Counter[str] = Counter()
    for task in plan.tasks:
        seen[task.key] += 1
        if seen[task.key] > 1:
            warn(
                task.source_lines[0],
                f"编号 {task.key} 重复出现，第 {seen[task.key]} 次出现的记为 {task.key}#{seen[task.key]}，请核对原文",
            )
            task.key = f"{task.key}#{seen[task.key]}"


def check_totals(plan: Plan, warn: Warn) -> None:
    """Declared "(共268项)" against the tasks found in each part."""
    bounds = [p.line for p in plan.parts[1:]] + [float("inf")]
    for part, end in zip(plan.parts, bounds, strict=True):
        if part.declared_total is None:
            continue
        found = sum(1 for t in plan.tasks if part.line <= t.source_lines[0] < end)
        if found != part.declared_total:
            warn(
                part.line,
                f"“{part.numeral}、{part.title}”声明共 {part.declared_total} 项，实际识别 {found} 项"
                + ("，文件可能不完整" if found < part.declared_total else "，请核对"),
            )


def check_numbering(plan: Plan, warn: Warn) -> None:
    """Gaps and repeats in "1." numbering; numbering may restart at a part or section."""
    last, place = 0, None
    for task in plan.tasks:
        if not task.number.isdigit():
            continue
        number = int(task.number)
        if (task.part, task.section) != place:
            place = (task.part, task.section)
            if number == 1:
                last = 0
        if number > last + 1:
            missing = f"{last + 1}" if number == last + 2 else f"{last + 1}-{number - 1}"
            warn(task.source_lines[0], f"编号不连续：{last} 之后是 {number}，缺少第 {missing} 项（可能在复制时丢失）")
        elif number <= last:
            warn(task.source_lines[0], f"编号 {number} 出现在 {last} 之后，编号重复或顺序颠倒")
        last = max(last, number)


def check_units(plan: Plan, results: list[tuple[Task, list[Resolution]]], warn: Warn) -> None:
    for task, _ in results:
        a = task.assignment
        if not (a.lead or a.units or a.city_lead or a.city_units or a.mentions):
            warn(task.source_lines[0], f"任务 {task.key} 没有写明任何单位（牵头单位/责任单位），请补上")


def report_unknown_units(
    results: list[tuple[Task, list[Resolution]]], warn: Warn
) -> None:
    """One warning per unknown unit or placeholder (not one per mention).

    A placeholder ("有关单位", "…领导小组成员单位", a group without members)
    names no unit: it gets no form, unit sheet or reminder until the clerk
    names the units, so the warning lists the tasks that need them.
    """
    unknown: dict[str, list[int]] = {}
    placeholders: dict[str, list[Task]] = {}
    for task, resolutions in results:
        for res in resolutions:
            line = task.source_lines[0]
            if res.guessed_from:
                warn(line, f"“{res.guessed_from}”有乱码，按单位名录识别为“{res.units[0]}”，请核对")
            elif res.placeholder:
                tasks = placeholders.setdefault(pair_quotes(res.text), [])
                if task not in tasks:
                    tasks.append(task)
            elif not res.known:
                unknown.setdefault(pair_quotes(res.phrase), []).append(line)
    for name, lines in unknown.items():
        warn(
            lines[0],
            f"单位名录中没有“{name}”（共 {len(lines)} 处），已按原文保留；如是新单位、旧称或简称，请在单位名录中添加",
        )
    for name, tasks in placeholders.items():
        keys = "、".join(t.key for t in tasks)
        warn(
            tasks[0].source_lines[0],
            f"{NAME_UNITS}：“{name}”不是具体单位（任务 {keys}），暂不生成附表、不催报、不计报送率；"
            f"请在{PLAN}表中改为具体单位，或在“{DIRECTORY}”表中把它设为分组并填写成员，然后做一次“刷新分工”",
        )
