"""The domain model: plans, tasks, units and the warnings an import produces.

Plain dataclasses with no knowledge of files; readers build them, writers
serialise them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class Assignment:
    """Units named in a task's unit clause, split by role.

    For district plans that cascade a city plan, `city_lead`/`city_units`
    hold the 市级 units and `lead`/`units` the 区级 ones.
    """

    lead: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    city_lead: list[str] = field(default_factory=list)
    city_units: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)

    def merge(self, other: Assignment) -> None:
        for name in ("lead", "units", "city_lead", "city_units", "phrases"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)


@dataclass
class Task:
    key: str
    part: str
    section: str
    theme: str
    number: str
    text: str
    assignment: Assignment = field(default_factory=Assignment)
    deadline: str = ""
    source_lines: tuple[int, int] = (0, 0)
    original_text: str = ""

    @property
    def lead(self) -> list[str]:
        return self.assignment.lead

    @property
    def units(self) -> list[str]:
        return self.assignment.units

    def all_units(self) -> list[str]:
        """Every unit involved at the plan's own level, lead first, no repeats."""
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
    separated by tabs or "|".
    """

    number: int
    text: str
    cells: list[str] | None = None


@dataclass
class Document:
    """A file turned into lines; `name` is what messages call it."""

    name: str
    lines: list[SourceLine]
    unit: str = "行"  # what `number` counts: 行 for text, 段 for Word paragraphs
