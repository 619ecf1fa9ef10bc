"""Read a master workbook's sheets (as rows of values) back into the model.

The plan sheets and 单位名录 are the record: staff edit them in Excel, and
everything else is derived from them. Every edit that cannot be understood
becomes a `Problem` naming the sheet and row.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from xltools.errors import BadFile, BadMaster, Problem
from xltools.master.content import (
    CITY_COLUMNS,
    DIRECTORY,
    HEADER_ROW,
    PLAN_COLUMNS,
    SETTINGS,
    Master,
)
from xltools.master.settings import QUARTERS, SCORING_SETTINGS, PlanEntry, Settings, quarter_deadlines
from xltools.model import Assignment, Item, Mention, Part, Plan, Task
from xltools.parse import plan_year
from xltools.parse.unitlist import resolve_units
from xltools.units import UnitDirectory, directory_from_rows
from xltools.vocab import (
    CITY_LEAD,
    CITY_UNITS,
    DEADLINE,
    ITEMS_BELOW,
    KEY,
    LEAD,
    PART,
    PLAN_SHEET,
    SECTION,
    TASK,
    THEME,
    UNITS,
    YEAR,
)

_ITEM_NUMBER = re.compile(r"\d{1,3}")  # the number of a 分项 after its task's 编号


def text(value) -> str:
    """A cell value as text: 12.0 → "12", dates as yyyy-mm-dd, None → ""."""
    if value.__class__ is str:  # the common case first: this runs for every cell of every return
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text(value))
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _number(value) -> float | None:
    """A non-negative number typed as a number or as text ("40", "40分"); whole numbers as int."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", text(value))
        if not m:
            return None
        number = float(m.group(1))
    if number < 0 or not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def read_settings(rows: list[list], problems: list[Problem]) -> Settings:
    by_label = {text(r[0]): r for r in rows if r and text(r[0])}
    year_row = by_label.get(YEAR) or []
    year_text = text(year_row[1]) if len(year_row) > 1 else ""
    if not year_text.isdigit():
        problems.append(Problem(SETTINGS, 0, f"“年度”应填四位数字年份，现在是“{year_text}”"))
        year_text = str(dt.date.today().year)
    settings = Settings(year=int(year_text), deadlines=quarter_deadlines(int(year_text)))
    for label, attribute in Settings.LABELS.items():
        row = by_label.get(label)
        if row is None or attribute == "year" or len(row) < 2:
            continue
        if attribute in ("plan_deadline", "as_of"):
            setattr(settings, attribute, _date(row[1]))
            if getattr(settings, attribute) is None and text(row[1]):
                problems.append(Problem(SETTINGS, 0, f"“{label}”的“{text(row[1])}”不是日期"))
        elif attribute in SCORING_SETTINGS:
            number = _number(row[1])
            if number is None:
                problems.append(Problem(SETTINGS, 0, f"“{label}”应填分值（数字，如 {getattr(settings, attribute)}），"
                                                     f"现在是“{text(row[1])}”，请改为数字"))
            else:
                setattr(settings, attribute, number)
        else:
            setattr(settings, attribute, text(row[1]))
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        if row and text(row[0]) in QUARTERS and len(row) > 1:
            date = _date(row[1])
            if date is None:
                problems.append(Problem(SETTINGS, number, f"{text(row[0])}的截止日期“{text(row[1])}”不是日期"))
            else:
                settings.deadlines[text(row[0])] = date
    start = next((i for i, r in enumerate(rows) if r and text(r[0]) == PLAN_SHEET), None)
    if start is not None:
        for row in rows[start + 1 :]:
            if row and text(row[0]):
                settings.plans.append(PlanEntry(text(row[0]), text(row[1]) if len(row) > 1 else "",
                                                text(row[2]) if len(row) > 2 else ""))
    return settings


def _header(rows: list[list], required: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:10]):
        cells = [text(c) for c in row]
        if all(name in cells for name in required):
            return i
    return None


def read_plan(name: str, title: str, rows: list[list], directory: UnitDirectory,
              problems: list[Problem]) -> Plan:
    """The plan on a plan sheet; its groups cover the units of `directory.year`."""
    plan = Plan(title=title or (text(rows[0][0]) if rows and rows[0] else name), year=directory.year)
    at = _header(rows, (KEY, TASK))
    if at is None:
        problems.append(Problem(name, 0, "找不到表头（应有“编号”“责任事项”等列），请不要删除或改动表头行"))
        return plan
    columns = {text(c): i for i, c in enumerate(rows[at]) if text(c)}
    seen: dict[str, int] = {}
    cells: dict[str, set[str]] = {}  # a task row's unit cells

    def cell(row: list, column: str) -> str:
        i = columns.get(column)
        return text(row[i]) if i is not None and i < len(row) else ""

    for number, row in enumerate(rows[at + 1 :], start=at + 2):
        values = {c: cell(row, c) for c in PLAN_COLUMNS + CITY_COLUMNS}
        if not any(values.values()):
            continue
        key, body = values[KEY], values[TASK]
        if not body:
            problems.append(Problem(name, number, f"编号 {key or '（空）'} 的“责任事项”是空的，请填写或删除这一行"))
            continue
        if not key:
            problems.append(Problem(name, number, "这一行没有编号，请补上（编号在本方案中不能重复）"))
            continue
        if key in seen:
            problems.append(Problem(name, number, f"编号 {key} 与第 {seen[key]} 行重复"))
            continue
        seen[key] = number
        assignment = Assignment()
        for column, attribute in ((LEAD, "lead"), (UNITS, "units"),
                                  (CITY_LEAD, "city_lead"), (CITY_UNITS, "city_units")):
            if values[column] != ITEMS_BELOW:
                _units(assignment, attribute, values[column], directory, (name, number, column), problems)
        task = plan.tasks[-1] if plan.tasks else None
        item = key.removeprefix(f"{task.key}-") if task is not None else key
        if item != key and _ITEM_NUMBER.fullmatch(item):  # 二-6-1 under 二-6: a 分项
            task.items.append(Item(int(item), body, assignment, values[DEADLINE]))
            task.assignment.merge(assignment)
            continue
        part_text = values[PART]
        numeral, _, part_title = part_text.partition("、")
        if part_text and (not plan.parts or plan.parts[-1].numeral != numeral):
            plan.parts.append(Part(numeral, part_title, None, number))
        plan.tasks.append(Task(key=key, part=numeral, section=values[SECTION], theme=values[THEME],
                               number=key.rsplit("-", 1)[-1], text=body, assignment=assignment,
                               deadline=values[DEADLINE], source_lines=(number, number)))
        cells[key] = {values[c] for c in (LEAD, UNITS, CITY_LEAD, CITY_UNITS)} - {""}
    for task in plan.tasks:
        row = seen[task.key]
        if task.items and cells[task.key] - {ITEMS_BELOW}:
            problems.append(Problem(name, row, f"编号 {task.key} 下面有分项行（{task.key}-1 等），单位请填在分项行，"
                                               f"任务这一行的牵头单位、责任单位填“{ITEMS_BELOW}”"))
        elif ITEMS_BELOW in cells[task.key] and not task.items:
            problems.append(Problem(name, row, f"编号 {task.key} 的单位写着“{ITEMS_BELOW}”，但下面没有分项行"
                                               f"（编号 {task.key}-1、{task.key}-2 …）：请补上分项行，或在这一行填写单位"))
    return plan


def _units(assignment: Assignment, role: str, value: str, directory: UnitDirectory, at: tuple[str, int, str],
           problems: list[Problem]) -> None:
    """A unit cell (sheet, row, column `at`) into `assignment`: an unknown name is a problem, a placeholder is not."""
    sheet, row, column = at
    for res in resolve_units(value, directory):
        if not res.known and not res.placeholder:
            problems.append(Problem(sheet, row, f"{column}“{res.phrase}”不在单位名录中：请改正名称，或在“{DIRECTORY}”表中添加这个单位（或别名）"))
        if res.phrase not in assignment.phrases:
            assignment.phrases.append(res.phrase)
        assignment.add(Mention(role, res.text, list(res.units)))


def master_from_rows(sheets: dict[str, list[list]]) -> Master:
    """The master held in these sheets; raises BadMaster listing every problem."""
    problems: list[Problem] = []
    for required in (SETTINGS, DIRECTORY):
        if required not in sheets:
            problems.append(Problem(required, 0, "找不到这张工作表。请不要删除或改名程序生成的“设置”“单位名录”表"))
    if problems:
        raise BadMaster(problems)
    settings = read_settings(sheets[SETTINGS][HEADER_ROW:], problems)
    try:
        directory = directory_from_rows(sheets[DIRECTORY], f"“{DIRECTORY}”表")
    except BadFile as exc:
        raise BadMaster([*problems, Problem(DIRECTORY, 0, str(exc))]) from exc
    plans = []
    for entry in settings.plans:
        if entry.sheet not in sheets:
            problems.append(Problem(SETTINGS, 0, f"方案工作表“{entry.sheet}”不存在（被删除或改名了？），请在“设置”表中改成现在的表名"))
            continue
        directory.year = plan_year(entry.title, []) or settings.year
        plans.append(read_plan(entry.sheet, entry.title, sheets[entry.sheet], directory, problems))
    directory.year = settings.year
    if not settings.plans:
        problems.append(Problem(SETTINGS, 0, "“方案工作表”一栏是空的，台账中没有方案"))
    if problems:
        raise BadMaster(problems)
    return Master(settings, directory, plans)
