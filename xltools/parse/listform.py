"""Plans written as numbered lists (seeds 001, 002, 004).

Parts "一、", sections "（一）", themes "——…" and tasks "1." with a unit
clause. In the first part of a city plan the tasks themselves are numbered
"（一）…（五）": a "（一）" item is a task when it carries a unit clause and a
section heading otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xltools.model import Part, Plan, Task
from xltools.parse.clauses import clause_words, find_clauses, items, parse_clause, split_task_text
from xltools.parse.segments import Line, Segment, Warn
from xltools.text import is_damaged, join_lines
from xltools.units import Resolution, UnitDirectory

NUMERALS = "一二三四五六七八九十"
_PART = re.compile(rf"^([{NUMERALS}]{{1,3}})、\s*(.+)$")
_SECTION = re.compile(rf"^（([{NUMERALS}]{{1,3}})）\s*(.*)$")
_THEME = re.compile(r"^—{1,2}\s*(.+)$")
_TASK = re.compile(r"^(\d{1,3})\s*[.、]\s*(.*)$")
_DECLARED = re.compile(r"（共\s*(\d+)\s*项）")
_DEADLINE = re.compile(r"完成时[限间]\s*[：:]?\s*([^；;）]+)")


@dataclass
class _Item:
    kind: str  # "task" or "paren"
    number: str
    text: str
    first: int
    last: int
    originals: list[str] = field(default_factory=list)


@dataclass
class _State:
    part: str = ""
    section: str = ""
    theme: str = ""
    last_number: int = 0
    tasks_in_section: int = 0
    tasks_in_part: int = 0
    heading: str = ""  # "part", "section" or "theme": where a stray line continues


def parse_list_plan(
    segment: Segment, directory: UnitDirectory, warn: Warn
) -> tuple[Plan, list[tuple[Task, list[Resolution]]]]:
    """The plan of one segment and, per task, how its unit phrases resolved."""
    plan = Plan(title=segment.title, line=segment.line)
    state = _State()
    item: _Item | None = None
    results: list[tuple[Task, list[Resolution]]] = []

    def flush() -> None:
        nonlocal item
        if item is not None:
            _finish(item, plan, state, directory, warn, results)
            item = None

    lost: tuple[int, str] | None = None  # a damaged line just appended to a task: (its number, the task before it)
    for line in segment.lines:
        text = line.text
        if not text:
            continue
        if lost and _restarts(text) and _lost_part(state, plan):
            # numbering starts again after a line damaged beyond repair: that line was the next part's heading
            number, before = lost
            if item is not None:
                item.text = before
            flush()
            numeral = NUMERALS[NUMERALS.index(plan.parts[-1].numeral) + 1]
            warn(number, f"这一行受损无法识别，其后任务编号从 1 重新开始，按新的部分“{numeral}”处理（标题请对照原文补上）")
            _start_part(plan, state, numeral, "（标题受损，请对照原文补上）", number)
        lost = None
        if (m := _PART.match(text)) and not find_clauses(text):
            flush()
            _start_part(plan, state, m.group(1), m.group(2), line.number)
            continue
        if m := _THEME.match(text):
            flush()
            state.theme, state.heading = m.group(1).strip("。 "), "theme"
            continue
        if m := _SECTION.match(text):
            flush()
            item = _Item("paren", f"({m.group(1)})", m.group(2), line.number, line.number)
            _keep_original(item, line)
            continue
        if (m := _TASK.match(text)) and _plausible(int(m.group(1)), state, item):
            flush()
            item = _Item("task", m.group(1), m.group(2), line.number, line.number)
            _keep_original(item, line)
            continue
        if item is not None:
            if is_damaged(text):
                lost = (line.number, item.text)
            item.text = join_lines(item.text, text)
            item.last = line.number
            _keep_original(item, line)
        elif state.heading == "part" and plan.parts:
            plan.parts[-1].title = join_lines(plan.parts[-1].title, text)
        elif state.heading == "theme":
            state.theme = join_lines(state.theme, text)
        elif line.cells is None:
            warn(line.number, f"这一行不是任务，也不是部分/章节标题，未导入：“{text[:40]}”")
    flush()
    return plan, results


def _keep_original(item: _Item, line: Line) -> None:
    if line.original:
        item.originals.append(line.original.strip())


def _start_part(plan: Plan, state: _State, numeral: str, title: str, number: int) -> None:
    declared = _DECLARED.search(title)
    plan.parts.append(
        Part(numeral, title.strip(), int(declared.group(1)) if declared else None, number)
    )
    state.part, state.section, state.theme, state.heading = numeral, "", "", "part"
    state.tasks_in_part = state.tasks_in_section = 0


def _restarts(text: str) -> bool:
    """A line that starts a numbering again: task 1, or section (一)."""
    return bool((m := _TASK.match(text)) and int(m.group(1)) == 1
                or (m := _SECTION.match(text)) and m.group(1) == NUMERALS[0])


def _lost_part(state: _State, plan: Plan) -> bool:
    """In the middle of a part's run of tasks (parts numbered 一、二…), after a line damaged beyond repair."""
    part = plan.parts[-1].numeral if plan.parts else ""
    return state.tasks_in_part > 0 and state.last_number > 1 and len(part) == 1 and part in NUMERALS[:-1]


def _complete(text: str) -> bool:
    return bool(re.search(r"[。）；]$", text))


def _plausible(number: int, state: _State, item: _Item | None) -> bool:
    """Is "N." at the start of a line a new task, or a number continuing the text above?"""
    last = int(item.number) if item is not None and item.kind == "task" else state.last_number
    if number == last + 1 or (number == 1 and state.tasks_in_section == 0):
        return True
    if number == 1 and state.tasks_in_part == 0:
        return True
    return item is None or _complete(item.text)


def _finish(
    item: _Item,
    plan: Plan,
    state: _State,
    directory: UnitDirectory,
    warn: Warn,
    results: list[tuple[Task, list[Resolution]]],
) -> None:
    text, clauses, trailing = split_task_text(item.text)
    if item.kind == "paren" and not clauses:
        state.section = f"（{item.number[1:-1]}）{item.text}".strip()
        state.theme, state.heading, state.tasks_in_section = "", "section", 0
        return
    if not plan.parts:
        plan.parts.append(Part("", "", None, item.first))
    task = Task(
        key="",
        part=state.part,
        section=state.section,
        theme=state.theme,
        number=item.number,
        text=text,
        source_lines=(item.first, item.last),
        original_text="".join(item.originals) if item.originals else "",
    )
    resolutions: list[Resolution] = []
    pieces = []  # (words, assignment, deadline) of each clause or sub-assignment: the 分项 when several
    for clause, words in zip(clauses, clause_words(item.text, clauses), strict=True):
        parts, resolved = parse_clause(clause.inner, directory)
        resolutions.extend(resolved)
        deadline = m.group(1).strip() if (m := _DEADLINE.search(clause.inner)) else ""
        task.deadline = deadline or task.deadline
        for sub_words, assignment in parts:
            task.assignment.merge(assignment)
            pieces.append((sub_words or words, assignment, deadline))
        if not clause.closed:
            warn(item.last, f"任务 {item.number} 的单位括号没有闭合，内容可能被截断，请核对原文")
    task.items = items(pieces)
    if trailing:
        warn(item.last, f"任务 {item.number} 的单位括号后多出“{trailing}”，不像任务内容，已忽略")
    if item.kind == "task":
        state.last_number = int(item.number)
    state.tasks_in_section += 1
    state.tasks_in_part += 1
    plan.tasks.append(task)
    results.append((task, resolutions))
