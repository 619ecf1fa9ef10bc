"""What the master workbook (督办台账) holds, as plain tables: no file access here.

The same tables are written by openpyxl (files) and by xlwings (the add-in).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from xltools.master.names import plan_sheet_name, unique_name
from xltools.master.settings import PlanEntry, Settings
from xltools.model import Assignment, ParseWarning, Plan, Task, Work
from xltools.units import Unit, UnitDirectory
from xltools.vocab import (
    ALIASES,
    CITY_COLUMNS,
    CITY_LEAD,
    CITY_UNITS,
    CONSOLE,
    DEADLINE,
    DIRECTORY,
    DIRECTORY_COLUMNS,
    FIRST_YEAR,
    FORMER_NAMES,
    FORMS_STEP,
    GROUPS,
    IMPORT_STEP,
    ITEMS_BELOW,
    KEY,
    KIND,
    LAST_YEAR,
    LEAD,
    MASTER_SHEETS,
    MERGE_STEP,
    NAME_UNITS,
    NOTE,
    PART,
    PLAN,
    PLAN_COLUMNS,
    PLANS_HEADER,
    QUARTER_HEADER,
    QUARTERS,
    README,
    REFRESH_STEP,
    ROLE,
    ROLE_LEAD,
    ROLE_SHARE,
    SECTION,
    SETTINGS,
    SHORT,
    STATS,
    STYLE_BODY,
    STYLE_HEADER,
    STYLE_INFO,
    STYLE_PLAIN,
    STYLE_TITLE,
    TASK,
    THEME,
    UNIT,
    UNIT_COLUMNS,
    UNIT_NAME,
    UNIT_TITLE,
    UNITS,
    UNKNOWN_KIND,
    WARNINGS,
)

HEADER_ROW = 3  # row 1 title, row 2 information, row 3 header, data from row 4
COMMANDS = {IMPORT_STEP: "xltools build", REFRESH_STEP: "xltools refresh", FORMS_STEP: "xltools templates",
            MERGE_STEP: "xltools merge"}


@dataclass(frozen=True)
class Front:
    """How a workbook's own text tells a clerk to run a step: with its buttons (the .xlsm), or, for a
    workbook without buttons, with the launchers beside it (or the command line)."""

    buttons: bool = False

    def run(self, step: str) -> str:
        if self.buttons:
            return f"点“{CONSOLE}”上的“{step}”按钮"
        return f"双击台账旁边的“{step}.cmd”（或在命令行运行 {COMMANDS[step]}）"
SUBHEADERS = {QUARTER_HEADER[0], PLANS_HEADER[0]}  # header rows inside the 设置 sheet


@dataclass
class Table:
    """One sheet: title line, information line, header and rows."""

    kind: str  # readme, settings, directory, plan, unit, stats
    name: str
    title: str
    header: list[str]
    rows: list[list]
    info: str = ""
    widths: dict[str, float] = field(default_factory=dict)
    key: str = ""  # the plan title or unit name the sheet belongs to
    folded: list[str] = field(default_factory=list)  # columns grouped and closed: one click shows them
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column → the words its drop-down offers
    filtered: bool = True  # a filter over the rows; off where a row holds what other rows' formulas use


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell the workbook computes: `text` the Excel formula ("=E5+J5"), `value` what it gives now, stored
    with it so that a program that does not recalculate on opening shows it too."""

    text: str
    value: float | str

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class Master:
    settings: Settings
    directory: UnitDirectory
    plans: list[Plan]
    warnings: list[ParseWarning] = field(default_factory=list)  # from the import, shown once

    def sheet_of(self, plan: Plan) -> str:
        return next(e.sheet for e in self.settings.plans if e.title == plan.title)


def new_master(plans: list[Plan], directory: UnitDirectory, settings: Settings,
               warnings: list[ParseWarning] | None = None) -> Master:
    """A master for freshly imported plans: sheet names chosen, unknown units listed for review.

    Placeholders ("有关单位") are not units: they stay on their tasks and out of the directory.
    """
    directory = directory.copy()
    directory.year = settings.year
    taken = set(MASTER_SHEETS)
    settings.plans = [PlanEntry(unique_name(plan_sheet_name(p.title), taken), p.title, p.source) for p in plans]
    for plan in plans:
        for task in plan.tasks:
            for name in task.all_units() + task.assignment.city_lead + task.assignment.city_units:
                if directory.canonical(name) is None:
                    directory.add(Unit(name, kind=UNKNOWN_KIND, note="导入时单位名录中没有，请核对名称或补充别名"))
    return Master(settings, directory, plans, list(warnings or []))


# -- how units are written in a cell --------------------------------------

def compress_units(units: list[str], directory: UnitDirectory) -> str:
    """Units as a clerk writes them, in their order: a group name (where its first member stood)
    for a group whose members are all there."""
    order = list(dict.fromkeys(units))
    stands_for: dict[str, str] = {}
    for group, members in directory.groupings():
        if set(members) <= {u for u in order if u not in stands_for}:
            stands_for.update(dict.fromkeys(members, group))
    return "、".join(dict.fromkeys(stands_for.get(u, u) for u in order))


def written_units(assignment: Assignment, role: str, directory: UnitDirectory) -> str:
    """A role's cell: the clause's names as the document wrote them, placeholders included, in order."""
    written = assignment.written(role)
    return "、".join(written) if written is not None else compress_units(getattr(assignment, role), directory)


def role_cells(task: Task | Work, directory: UnitDirectory) -> tuple[str, str]:
    """(牵头单位, 责任单位) of a task or 分项 as it is worked: one naming no lead is led by its units."""
    a = task.assignment
    lead, units = written_units(a, "lead", directory), written_units(a, "units", directory)
    return (units, "") if a.leaderless else (lead, units)


# -- the sheets -------------------------------------------------------------

def plan_table(master: Master, plan: Plan, front: Front = Front()) -> Table:
    city = any(t.assignment.city_lead or t.assignment.city_units for t in plan.tasks)
    header = [*PLAN_COLUMNS[:5], *(CITY_COLUMNS if city else ()), *PLAN_COLUMNS[5:]]
    parts = {p.numeral: f"{p.numeral}、{p.title}" for p in plan.parts if p.numeral}
    d = master.directory
    roles = ["city_lead", "city_units"] if city else []
    roles += ["lead", "units"]
    rows = []
    for t in plan.tasks:
        # a task with 分项: its row, then a row per 分项 (二-80-1 …) naming that clause's units
        cells = [ITEMS_BELOW] * len(roles) if t.items else [written_units(t.assignment, r, d) for r in roles]
        rows.append([t.key, parts.get(t.part, t.part), t.section, t.theme, t.text, *cells, t.deadline, ""])
        for w in t.work() if t.items else []:
            rows.append([w.key, "", "", "", w.text, *[written_units(w.assignment, r, d) for r in roles],
                         w.item.deadline, ""])
    open_tasks = sum(1 for t in plan.tasks if t.assignment.placeholders)
    split = sum(1 for t in plan.tasks if t.items)
    info = (f"共 {len(plan.tasks)} 项" + (f"（来源：{plan.source}）" if plan.source else "")
            + "。单位按文件原文；没有牵头单位的，责任单位即为牵头单位"
            + (f"；{split} 项按原文分句分工，分为分项（如 {next(t.key for t in plan.tasks if t.items)}-1），"
               f"单位填在分项行，编号为“任务编号-序号”的行紧跟在任务下面" if split else "")
            + (f"；{open_tasks} 项写有“有关单位”等说法（{NAME_UNITS}，见导入提示），改为具体单位后{front.run(REFRESH_STEP)}"
               if open_tasks else ""))
    widths = {KEY: 9, PART: 16, SECTION: 24, THEME: 14, TASK: 60, LEAD: 18, UNITS: 36,
              CITY_LEAD: 16, CITY_UNITS: 20, DEADLINE: 14, NOTE: 16}
    return Table("plan", master.sheet_of(plan), plan.title, header, rows, info, widths, plan.title)


def assignments(master: Master) -> dict[str, list[tuple[Plan, Work, str]]]:
    """unit → [(plan, work, role)]: every task or 分项 a unit is named in, once; lead wins over share."""
    per_unit: dict[str, list[tuple[Plan, Work, str]]] = defaultdict(list)
    for plan in master.plans:
        for task in plan.tasks:
            for work in task.work():
                lead = work.lead
                for unit in work.all_units():
                    per_unit[unit].append((plan, work, ROLE_LEAD if unit in lead else ROLE_SHARE))
    return per_unit


def item_keys(master: Master) -> dict[tuple[str, str], Work]:
    """(plan sheet, 编号) → 分项, for telling a 分项's row (二-80-1) from a task's in tracker tables."""
    return {(master.sheet_of(p), w.key): w for p in master.plans for t in p.tasks if t.items for w in t.work()}


def task_roles(pairs: list[tuple[Plan, Work, str]]) -> dict[tuple[int, str], str]:
    """(plan, task key) → a unit's role in the task: 牵头 when it leads the task or any of its 分项."""
    roles: dict[tuple[int, str], str] = {}
    for plan, work, role in pairs:
        at = (id(plan), work.task.key)
        roles[at] = ROLE_LEAD if ROLE_LEAD in (role, roles.get(at)) else role
    return roles


def unit_sheet_unit(rows: list[list]) -> str | None:
    """The unit a tool-made unit sheet belongs to (from its title and header), or None for any other sheet."""
    if len(rows) < HEADER_ROW or not rows[0]:
        return None
    title = key_text(rows[0][0])
    header = [key_text(v) for v in rows[HEADER_ROW - 1]][: len(UNIT_COLUMNS)]
    if header == list(UNIT_COLUMNS) and title.endswith(UNIT_TITLE):
        return title.removesuffix(UNIT_TITLE).strip()
    return None


def unit_order(master: Master, units: list[str]) -> list[str]:
    order = master.directory.order()
    return sorted(units, key=lambda u: (order.get(u, len(order)), u))


def unit_tables(master: Master, taken: set[str]) -> list[Table]:
    per_unit = assignments(master)
    d = master.directory
    tables = []
    for unit in unit_order(master, list(per_unit)):
        rows = [[master.sheet_of(plan), work.key, work.text, role, *role_cells(work, d), work.deadline]
                for plan, work, role in per_unit[unit]]
        roles = list(task_roles(per_unit[unit]).values())
        led = roles.count(ROLE_LEAD)
        name = unique_name(d.short_label(unit), taken)
        tables.append(Table(
            "unit", name, f"{d.label(unit)} {UNIT_TITLE}", list(UNIT_COLUMNS), rows,
            f"牵头 {led} 项，参与 {len(roles) - led} 项，共 {len(roles)} 项"
            + (f"（分项分别列出，共 {len(rows)} 行）" if len(rows) > len(roles) else ""),
            {PLAN: 16, KEY: 9, TASK: 60, ROLE: 10, LEAD: 18, UNITS: 36,
             DEADLINE: 14},
            unit,
        ))
    return tables


def stats_table(master: Master, units: list[Table]) -> Table:
    per_unit = assignments(master)
    sheets = [master.sheet_of(p) for p in master.plans]
    header = [UNIT, "工作表", KIND]
    for sheet in sheets:
        header += [f"{sheet}·牵头", f"{sheet}·参与"]
    header += ["合计牵头", "合计参与", "合计"]
    rows = []
    for table in units:
        entry = master.directory.entries.get(table.key)
        row: list = [master.directory.label(table.key), table.name, entry.kind if entry else UNKNOWN_KIND]
        roles = task_roles(per_unit[table.key])
        for plan in master.plans:
            row += [sum(1 for (p, _), r in roles.items() if p == id(plan) and r == ROLE_LEAD),
                    sum(1 for (p, _), r in roles.items() if p == id(plan) and r == ROLE_SHARE)]
        lead = sum(1 for r in roles.values() if r == ROLE_LEAD)
        row += [lead, len(roles) - lead, len(roles)]
        rows.append(row)
    widths = {h: 10 for h in header} | {UNIT: 30, "工作表": 16, KIND: 10}
    return Table("stats", STATS, "各单位分工统计", header, rows,
                 "“牵头”为本单位牵头的任务数（牵头其中一个分项也算），“参与”为本单位只作为责任单位的任务数", widths)


def directory_table(directory: UnitDirectory, front: Front = Front()) -> Table:
    columns = {UNIT_NAME: lambda u: u.name, SHORT: lambda u: u.short, ALIASES: lambda u: "、".join(u.aliases),
               FORMER_NAMES: lambda u: "、".join(str(f) for f in u.former), KIND: lambda u: u.kind,
               GROUPS: lambda u: "、".join(u.groups), FIRST_YEAR: lambda u: u.first or "",
               LAST_YEAR: lambda u: u.last or "", NOTE: lambda u: u.note}
    rows = [[columns[c](u) for c in DIRECTORY_COLUMNS] for u in directory.entries.values()]
    return Table("directory", DIRECTORY, DIRECTORY, list(DIRECTORY_COLUMNS), rows,
                 "可直接修改：别名、曾用名、所属分组用“、”分隔，曾用名后可注明年份，如“市科技局（至2023年）”；"
                 f"“{FIRST_YEAR}”“{LAST_YEAR}”是单位存在的年份（留空为不限），决定某年方案中“市人民政府各部门”等分组包括哪些单位；"
                 f"分组本身也占一行，类别填“分组”。改完后{front.run(REFRESH_STEP)}。",
                 {UNIT_NAME: 34, SHORT: 16, ALIASES: 40, FORMER_NAMES: 30, KIND: 12, GROUPS: 44, FIRST_YEAR: 10,
                  LAST_YEAR: 10, NOTE: 36})


def settings_table(settings: Settings) -> Table:
    rows: list[list] = []
    for label, attribute in Settings.LABELS.items():
        rows.append([label, getattr(settings, attribute), Settings.HINTS[label]])
    rows.append([])
    rows.append(list(QUARTER_HEADER))
    for quarter in QUARTERS:
        rows.append([quarter, settings.deadlines.get(quarter), "附表3 完成情况的报送截止日期"])
    rows.append([])
    rows.append(list(PLANS_HEADER))
    for entry in settings.plans:
        rows.append([entry.sheet, entry.title, entry.source])
    return Table("settings", SETTINGS, SETTINGS, ["项目", "内容", README], rows,
                 "按标签读取，可以改“内容”列；不要改“项目”列的文字。", {"项目": 16, "内容": 44, README: 60})


def readme_table(master: Master, front: Front = Front()) -> Table:
    """Rows are [style, cells…]: a short guide to the sheets and the yearly workflow."""
    tasks = sum(len(p.tasks) for p in master.plans)
    rows = [
        [STYLE_TITLE, "督办台账用法"],
        [STYLE_INFO, f"本台账包含 {len(master.plans)} 个方案、共 {tasks} 项任务。"],
        [STYLE_PLAIN],
        [STYLE_HEADER, "工作表", "内容"],
        [STYLE_BODY, SETTINGS, "年度、督查室、报送规则、各季度截止日期、附表样式等，按需修改。"],
        [STYLE_BODY, DIRECTORY, "单位名称、简称、别名（旧称）、类别和分组。方案中的单位按这里识别。"],
        *[[STYLE_BODY, e.sheet, f"方案“{e.title}”的全部任务，可直接修改、增删任务。"] for e in master.settings.plans],
        [STYLE_BODY, STATS, "各单位在各方案中牵头、参与的任务数（由程序生成）。"],
        [STYLE_BODY, "各单位工作表", "每个单位承担的全部任务及其角色（由程序生成；可在右侧增加自己的列，刷新时保留）。"],
        [STYLE_PLAIN],
        [STYLE_HEADER, "每年的工作流程", ""],
        [STYLE_BODY, f"1. {IMPORT_STEP}", f"把印发的分解方案导入，生成本台账：{front.run(IMPORT_STEP)}。"],
        [STYLE_BODY, "2. 核对", f"核对方案表和单位名录，改正后{front.run(REFRESH_STEP)}。"],
        [STYLE_BODY, f"3. {FORMS_STEP}", f"为每个单位生成附表1、2、3，发给各单位：{front.run(FORMS_STEP)}。"],
        [STYLE_BODY, f"4. {MERGE_STEP}", f"每季度把各单位交回的表放进回收文件夹，合并成汇总台账：{front.run(MERGE_STEP)}。"],
        [STYLE_BODY, "5. 催报与通报", "按汇总台账“催报名单”催报；合并时在汇总台账旁生成季度进展报告、公开版，"
                                  "“设置”中“生成通报稿”填“是”时另生成通报稿；年终考核得分见汇总台账“考核”表。"],
    ]
    if master.warnings:
        rows.insert(9, [STYLE_BODY, WARNINGS, "导入方案时发现的需要核对的问题（文件、行号、内容）。"])
    return Table("readme", README, README, [], rows, "", {"A": 18, "B": 90})


def master_tables(master: Master, front: Front = Front()) -> list[Table]:
    """All sheets in order: 说明, 设置, 单位名录, the plans, 分工统计, then one per unit; their text tells
    a clerk to use the workbook's buttons or, without them, the launchers (`front`)."""
    tables = [readme_table(master, front), settings_table(master.settings), directory_table(master.directory, front),
              *[plan_table(master, p, front) for p in master.plans]]
    if master.warnings:
        tables.append(warnings_table(master.warnings, front))
    return tables + derived_tables(master)


def warnings_table(warnings: list[ParseWarning], front: Front = Front()) -> Table:
    rows = [[w.file, w.line or "", w.message] for w in warnings]
    return Table("warnings", WARNINGS, "导入时需要核对的问题", ["文件", "行号", "提示"], rows,
                 f"导入方案时发现的问题：请对照原文核对方案表，改正后{front.run(REFRESH_STEP)}。本表不会自动更新。",
                 {"文件": 30, "行号": 8, "提示": 100})


def derived_tables(master: Master) -> list[Table]:
    """The sheets a refresh rebuilds: 分工统计 and the unit sheets."""
    taken = set(MASTER_SHEETS) | {e.sheet for e in master.settings.plans}
    units = unit_tables(master, taken)
    return [stats_table(master, units), *units]


def rows_extra_columns(rows: list, tool_columns: list[str], keys: tuple[str, ...]) -> tuple[list[str], dict]:
    """The columns staff added to a sheet the tool rebuilds (header in row HEADER_ROW), and their values
    by the row's `keys`: (their names, {key values: cells})."""
    if len(rows) < HEADER_ROW:
        return [], {}
    width = max(len(r) for r in rows)
    header = [key_text(c) for c in rows[HEADER_ROW - 1]] + [""] * width
    at = [header.index(k) for k in keys if k in header]
    if len(at) != len(keys):
        return [], {}
    # a column staff wrote in without naming it is kept too, under a name saying where it was
    header = [name or (f"第{i + 1}列（无列名）" if any(i < len(r) and r[i] not in (None, "") for r in rows[HEADER_ROW:])
                       else "") for i, name in enumerate(header[:width])]
    extra = [i for i, name in enumerate(header) if name and name not in tool_columns]
    values = {}
    for row in rows[HEADER_ROW:]:
        cells = [row[i] if i < len(row) else None for i in extra]
        if any(v not in (None, "") for v in cells):
            values[tuple(key_text(row[i]) for i in at)] = cells
    return [header[i] for i in extra], values


def key_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
