"""What goes on each unit's forms (附表1 办理方案, 附表2 督办工作人员名单, 附表3 完成情况).

Pure logic over the master: who gets which tasks, titles, file names and the
identity every form carries so the merge can place it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xltools.master.content import ROLE_LEAD, ROLE_SHARE, Master, assignments, unit_order
from xltools.master.names import clean
from xltools.master.settings import PLAN_FORMS_LEAD, PRESET_DISTRICT, RULE_ALL
from xltools.model import Plan, Task, Work
from xltools.text import file_name_safe
from xltools.vocab import DISTRICT_FORM_NAMES as DISTRICT_NAMES
from xltools.vocab import FORM_NAMES, FORM_TITLES, QUARTER_WORDS, TaskId

FORM_VERSION = 1


@dataclass
class FormTask:
    """A row of a form: a task or one 分项 of it (key 二-80-2)."""

    plan_sheet: str
    key: str
    text: str
    role: str
    id: TaskId  # the task, and the 分项 where it is one
    city_lead: str = ""  # the higher-level lead of a cascaded district plan

    @property
    def identity(self) -> str:
        """Stable id of the task (or 分项) across master, forms and returns."""
        return str(self.id)


def form_task(sheet: str, work: Work, role: str) -> FormTask:
    return FormTask(sheet, work.key, work.text, role, TaskId(sheet, work.task.key, work.number),
                    "、".join(work.assignment.city_lead))


@dataclass
class PlanBlock:
    """The tasks of one plan on a form, under that plan's heading when a form has several."""

    plan_sheet: str
    heading: str
    tasks: list[FormTask] = field(default_factory=list)


@dataclass
class UnitForms:
    unit: str
    display: str
    year: int
    quarter: int
    forms: tuple[int, ...]
    district: bool
    report_name: str  # "市《政府工作报告》" as in the form titles
    plan_tasks: list[PlanBlock]  # 附表1: every task the unit leads or shares (leads only: 设置 附表1填报单位)
    report_tasks: list[PlanBlock]  # 附表3: the tasks it reports on
    office: str = ""
    contact: str = ""
    phone: str = ""
    password: str = ""
    generated: str = ""
    name: str = ""  # the unit's name in the plan's year, for titles (`unit` is the directory's)

    @property
    def two_levels(self) -> bool:
        """A cascaded district plan: the forms also show the higher-level lead."""
        return any(t.city_lead for b in self.report_tasks for t in b.tasks)

    def sheet_name(self, form: int) -> str:
        return (DISTRICT_NAMES if self.district else FORM_NAMES)[form]

    @property
    def led(self) -> int:
        return sum(1 for b in self.plan_tasks for t in b.tasks if t.role == ROLE_LEAD)

    @property
    def shared(self) -> int:
        return sum(1 for b in self.plan_tasks for t in b.tasks if t.role == ROLE_SHARE)

    def file_name(self) -> str:
        """"2025年市政府工作报告_附表1-3（前三季度）_市发改委.xlsx": year, plan, forms, unit."""
        if self.forms in ((1, 2, 3), (1, 2)) and not self.district:
            names = f"附表1-{self.forms[-1]}"
        else:
            names = "、".join(self.sheet_name(f) for f in self.forms)
        quarter = f"（{QUARTER_WORDS[self.quarter]}）" if 3 in self.forms else ""
        report = re.sub(r"[《》]", "", self.report_name)
        return file_name_safe(clean(f"{self.year}年{report}_{names}{quarter}_{self.display}")) + ".xlsx"

    def title(self, form: int) -> str:
        unit = self.name or self.unit
        if form == 1:
            return f"{unit}{self.report_name}{FORM_TITLES[1]}"
        if form == 2:
            return f"{unit}{self.report_name}{'工作联络人员名单' if self.district else FORM_TITLES[2]}"
        return f"{unit}{QUARTER_WORDS[self.quarter]}工作目标完成情况"


def report_name(plans: list[Plan]) -> str:
    """"市《政府工作报告》" from the titles; "省、市、区《政府工作报告》" for several levels."""
    levels = []
    for plan in plans:
        m = re.search(r"([省市区县])\s*《([^》]+)》", plan.title)
        if m:
            levels.append((m.group(1), m.group(2).replace("〈", "").replace("〉", "")))
    if not levels:
        return "《政府工作报告》"
    names = {name for _, name in levels}
    prefix = "、".join(dict.fromkeys(level for level, _ in levels))
    return f"{prefix}《{names.pop()}》" if len(names) == 1 else "《政府工作报告》"


def reports_on(task: Task | Work, unit: str, rule: str) -> bool:
    """Lead units report (where a task or 分项 names no lead its units are its lead: `Task.lead`)."""
    return rule == RULE_ALL or unit in task.lead


def plans_on(role: str, plan_forms: str) -> bool:
    """Whether a unit fills 附表1 for a task it has `role` in (设置: 附表1填报单位)."""
    return plan_forms != PLAN_FORMS_LEAD or role == ROLE_LEAD


def current_quarter(master: Master, today: dt.date | None = None) -> int:
    """The quarter whose report is due next (the last one once all are past)."""
    today = today or dt.date.today()
    for quarter in range(1, 5):
        if today <= master.settings.deadline(quarter):
            return quarter
    return 4


def unit_forms(master: Master, quarter: int, forms: tuple[int, ...] = (1, 2, 3),
               only: list[str] | None = None) -> list[UnitForms]:
    """The forms of every unit with tasks (or of the units named in `only`), in directory order."""
    per_unit = assignments(master)
    s = master.settings
    wanted = [master.directory.canonical(u) or u for u in only] if only else None
    result = []
    name = report_name(master.plans)
    several = len(master.plans) > 1
    for unit in unit_order(master, list(per_unit)):
        if wanted is not None and unit not in wanted:
            continue
        plan_blocks: dict[str, PlanBlock] = {}
        report_blocks: dict[str, PlanBlock] = {}
        for plan, work, role in per_unit[unit]:
            sheet = master.sheet_of(plan)
            heading = plan.title if several else ""
            row = form_task(sheet, work, role)
            if plans_on(role, s.plan_forms):
                plan_blocks.setdefault(sheet, PlanBlock(sheet, heading)).tasks.append(row)
            if reports_on(work, unit, s.rule):
                report_blocks.setdefault(sheet, PlanBlock(sheet, heading)).tasks.append(row)
        # nothing to plan: no 附表1; nothing to report: no 附表3
        owed = tuple(f for f in forms if (f != 1 or plan_blocks) and (f != 3 or report_blocks))
        if not owed:
            continue
        result.append(UnitForms(
            unit=unit, display=master.directory.short_label(unit), name=master.directory.label(unit),
            year=s.year, quarter=quarter, forms=owed,
            district=s.preset == PRESET_DISTRICT, report_name=name,
            plan_tasks=list(plan_blocks.values()), report_tasks=list(report_blocks.values()),
            office=s.office, contact=s.contact, phone=s.phone, password=s.password,
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        ))
    return result
