"""The domain model: plans, tasks, units and the warnings an import produces.

Plain dataclasses with no knowledge of files; readers build them, writers
serialise them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xltools.vocab import item_key


@dataclass
class ParseWarning:
    """Something the import could not read or a check that failed.

    `line` is the 1-based line (or paragraph / table row) in the source file,
    0 when the message is about the whole plan.
    """

    file: str
    line: int
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


ROLES = ("lead", "units", "city_lead", "city_units")


@dataclass
class Mention:
    """One name a unit clause gives for a role, as the document wrote it, and the units it stands for.

    `units` is empty for a placeholder ("有关单位", "…领导小组成员单位", a group
    the directory gives no members): the phrase stays on the task, visible,
    until the clerk names the units in the plan sheet or the directory.
    """

    role: str  # an attribute of Assignment: lead, units, city_lead, city_units
    text: str
    units: list[str] = field(default_factory=list)

    @property
    def placeholder(self) -> bool:
        return not self.units


@dataclass
class Assignment:
    """Units named in a task's unit clause, split by role, in the clause's order.

    For district plans that cascade a city plan, `city_lead`/`city_units`
    hold the 市级 units and `lead`/`units` the 区级 ones. `mentions` keep the
    clause as written (names and placeholders in order); the role lists hold
    the directory's units only.
    """

    lead: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    city_lead: list[str] = field(default_factory=list)
    city_units: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def merge(self, other: Assignment) -> None:
        for name in (*ROLES, "phrases"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)
        self.mentions.extend(other.mentions)

    def add(self, mention: Mention) -> None:
        """A name of the clause, in order: its units join the role's list (no repeats)."""
        self.mentions.append(mention)
        target = getattr(self, mention.role)
        target.extend(u for u in mention.units if u not in target)

    def written(self, role: str) -> list[str] | None:
        """The role's names as written (each once), or None when the assignment was not made from text."""
        if not self.mentions:
            return None
        return list(dict.fromkeys(m.text for m in self.mentions if m.role == role))

    @property
    def placeholders(self) -> list[Mention]:
        return [m for m in self.mentions if m.placeholder]

    @property
    def leaderless(self) -> bool:
        """No lead unit (none named, or only a placeholder): the notice's rule makes the units lead."""
        return not self.lead


def worked(assignment: Assignment) -> tuple[list[str], list[str]]:
    """(lead, units) as the work is done: "无牵头单位的，责任单位即为牵头单位" (the 2025 notice).

    Applied here, once, for every consumer (unit sheets, forms, 报送率, tracker,
    report); the clause as written stays in the assignment.
    """
    return (assignment.units, []) if assignment.leaderless else (assignment.lead, assignment.units)


@dataclass
class Item:
    """A 分项: one clause of a task that gives its own units ("…；（牵头单位：A）…。（牵头单位：B）").

    Numbered 1, 2 … in the document's order; shown as 二-80-1, 二-80-2.
    `deadline` is the clause's own (blank: the task's).
    """

    number: int
    text: str
    assignment: Assignment = field(default_factory=Assignment)
    deadline: str = ""


@dataclass
class Task:
    key: str
    part: str
    section: str
    theme: str
    number: str
    text: str
    assignment: Assignment = field(default_factory=Assignment)  # every clause, merged (items keep their own)
    deadline: str = ""
    source_lines: tuple[int, int] = (0, 0)
    original_text: str = ""
    items: list[Item] = field(default_factory=list)  # 分项; empty for a task with one clause

    @property
    def lead(self) -> list[str]:
        """The lead units: of the task, or of any of its 分项 (each with the notice's rule)."""
        return _union(worked(w.assignment)[0] for w in self.work())

    @property
    def units(self) -> list[str]:
        """The responsible units that lead no part of the task."""
        lead = set(self.lead)
        return [u for u in _union(worked(w.assignment)[1] for w in self.work()) if u not in lead]

    def all_units(self) -> list[str]:
        """Every unit involved at the plan's own level, lead first, no repeats."""
        return list(dict.fromkeys(self.lead + self.units))

    def work(self) -> list[Work]:
        """What units are asked to do: each 分项, or the task itself when it has none."""
        return [Work(self, item) for item in self.items] or [Work(self)]


def _union(lists) -> list[str]:
    return list(dict.fromkeys(u for units in lists for u in units))


@dataclass(frozen=True, eq=False)
class Work:
    """A task, or one 分项 of it, as units see it: what forms list, returns report on and status judges.

    Reads like a `Task` (key, text, assignment, lead, units, deadline) with the
    分项's own values where it is one.
    """

    task: Task
    item: Item | None = None

    @property
    def key(self) -> str:
        return item_key(self.task.key, self.item.number) if self.item else self.task.key

    @property
    def number(self) -> int:
        """The 分项's number, 0 for a whole task."""
        return self.item.number if self.item else 0

    @property
    def text(self) -> str:
        return self.item.text if self.item else self.task.text

    @property
    def assignment(self) -> Assignment:
        return self.item.assignment if self.item else self.task.assignment

    @property
    def deadline(self) -> str:
        return self.item.deadline or self.task.deadline if self.item else self.task.deadline

    @property
    def lead(self) -> list[str]:
        return worked(self.assignment)[0]

    @property
    def units(self) -> list[str]:
        return worked(self.assignment)[1]

    def all_units(self) -> list[str]:
        return list(dict.fromkeys(self.lead + self.units))


@dataclass
class Part:
    """A numbered part of a plan (一、二、…) with its declared task count."""

    numeral: str
    title: str
    declared_total: int | None = None
    line: int = 0


@dataclass
class Plan:
    title: str
    tasks: list[Task] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    source: str = ""
    line: int = 0
    year: int | None = None  # decides which units a group such as 市人民政府各部门 covers

    @property
    def declared_total(self) -> int | None:
        totals = [p.declared_total for p in self.parts]
        if totals and all(t is not None for t in totals):
            return sum(totals)  # type: ignore[arg-type]
        return None

    def task(self, key: str) -> Task:
        for task in self.tasks:
            if task.key == key:
                return task
        raise KeyError(key)


@dataclass
class ImportResult:
    plans: list[Plan] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    notice: list[str] = field(default_factory=list)  # the notice's own text, outside any plan


@dataclass
class SourceLine:
    """One line (or paragraph, or table row) of a document as a reader saw it.

    `cells` is set for table rows: Word tables, HTML tables and text tables
    separated by tabs or "|". `spans_known`: the reader resolved merged cells
    (a Word or HTML table gives each row the text of a cell merged over it),
    so a blank cell is blank; in a text copy a blank may be a merged cell.
    """

    number: int
    text: str
    cells: list[str] | None = None
    spans_known: bool = False


@dataclass
class Document:
    """A file turned into lines; `name` is what messages call it."""

    name: str
    lines: list[SourceLine]
    unit: str = "行"  # what `number` counts: 行 for text, 段 for Word paragraphs
