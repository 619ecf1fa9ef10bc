"""Plans written as tables (seed 003).

Columns 重点工作 | 主要任务 | 工作措施 | 牵头单位 | 责任单位 | 完成时限, repeated
header rows at page breaks, merged cells left blank, cells that slid one
column left or right, and measure cells holding "1." with sub-measures "(1)".

Rules:
- every measure "N." without sub-measures is a task; with sub-measures the
  sub-measures are the tasks and "N." is their theme;
- in a text copy, a blank 牵头单位/责任单位/完成时限 continues the cell above
  (a merged cell) within one page, i.e. until the next repeated header row or
  page mark (—N—, 第N页, a form feed); after one it stays blank and is
  reported; in a Word or HTML table the reader gives merged cells their text,
  so a blank cell is blank;
- rows holding only units (their measure text was lost in the copy) give the
  units of the measures above them, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xltools.model import Part, Plan, Task
from xltools.parse.clauses import parse_assignment
from xltools.parse.listform import NUMERALS
from xltools.parse.segments import Segment, Warn
from xltools.parse.unitlist import looks_like_units
from xltools.text import CJK
from xltools.units import Resolution, UnitDirectory
from xltools.vocab import COMPLETION_TIME, DEADLINE, LEAD, UNITS

_PART = re.compile(rf"^([{NUMERALS}]{{1,3}})、\s*(.*)$")
_SECTION = re.compile(rf"^（([{NUMERALS}]{{1,3}})）\s*(.*)$")
_ITEM = re.compile(
    rf"(?:^|(?<=[。；;：:\s]))(\d{{1,2}})\s*[.、](?!\d)|(?:^|(?<=[。；;：:\s])|(?<=[{CJK}]))（(\d{{1,2}})）(?=[{CJK}])"
)
_DEADLINE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|持续|长期|年底|年内|完成|推进|按照|实施|阶段")
PROSE_LENGTH = 40  # a unit cell that is not a list of units and longer than this is text, not units
HEADERS = {
    "part": ("重点工作",),
    "section": ("主要任务", "重点任务"),
    "measure": ("工作措施", "具体措施", "主要措施", "工作任务"),
    "lead": (LEAD,),
    "units": (UNITS, "配合单位"),
    "deadline": (DEADLINE, COMPLETION_TIME, "时间节点"),
}


@dataclass
class _UnitSet:
    lead: str = ""
    units: str = ""
    deadline: str = ""
    line: int = 0
    spans_known: bool = False

    def empty(self) -> bool:
        return not (self.lead or self.units or self.deadline)


@dataclass
class _Pending:
    tasks: list[Task] = field(default_factory=list)
    sets: list[_UnitSet] = field(default_factory=list)
    line: int = 0
    spans_known: bool = False


def is_header(cells: list[str]) -> bool:
    joined = "".join(cells).replace(" ", "")
    return LEAD in joined and any(h in joined for h in HEADERS["measure"] + HEADERS["section"])


def header_columns(cells: list[str]) -> dict[str, int]:
    columns = {}
    for i, cell in enumerate(cells):
        name = cell.replace(" ", "")
        for field_name, labels in HEADERS.items():
            if any(label in name for label in labels):
                columns.setdefault(field_name, i)
    return columns


def split_measures(text: str) -> list[tuple[str, str, str]]:
    """"1.…（1）…（2）…" → [("top", "1", text), ("sub", "1", text), ("sub", "2", text)]."""
    marks = list(_ITEM.finditer(text))
    if not marks:
        return [("text", "", text.strip())] if text.strip() else []
    items = []
    if text[: marks[0].start()].strip():
        items.append(("text", "", text[: marks[0].start()].strip()))
    for mark, nxt in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end() : nxt.start() if nxt else len(text)].strip()
        kind, number = ("top", mark.group(1)) if mark.group(1) else ("sub", mark.group(2))
        items.append((kind, number, body))
    return items


class _TableParser:
    def __init__(self, segment: Segment, directory: UnitDirectory, warn: Warn):
        self.plan = Plan(title=segment.title, line=segment.line)
        self.directory, self.warn = directory, warn
        self.columns: dict[str, int] = {}
        self.part = self.section = ""
        self.top, self.top_text = "", ""
        self.pending: _Pending | None = None
        self.above = _UnitSet()  # the last unit set of this page, for merged cells
        self.last_page = _UnitSet()  # … and of the page before, to report blanks a merge would have filled
        self.results: list[tuple[Task, list[Resolution]]] = []

    def run(self, segment: Segment) -> None:
        for line in segment.lines:
            if line.page_break:  # a merged cell does not reach across a page: blank cells after it stay blank
                self._flush()
                self.last_page = self.above if not self.above.empty() else self.last_page
                self.above = _UnitSet()
                continue
            if line.cells is None:
                if line.text and not re.fullmatch(r"[-—=*\s]+", line.text):
                    self.warn(line.number, f"表格中间的这一行不是表格行，未导入：“{line.text[:40]}”")
                continue
            cells = [c.strip() for c in line.cells]
            if not any(cells):
                continue
            if is_header(cells):
                self._flush()
                self.columns = header_columns(cells)
                self.above = self.last_page = _UnitSet()
                continue
            self._row(cells, line.number, line.spans_known)
        self._flush()

    def _row(self, cells: list[str], number: int, spans_known: bool = False) -> None:
        measure_at = None
        for i, cell in enumerate(cells):
            if m := _PART.match(cell):
                self._set_part(m.group(1), m.group(2), number)
            elif m := _SECTION.match(cell):
                self._set_section(m.group(1), m.group(2))
            elif cell and measure_at is None and _ITEM.match(cell):
                measure_at = i
        if measure_at is None:
            at = self.columns.get("measure", 2)
            cell = cells[at] if at < len(cells) else ""
            if cell and not (_PART.match(cell) or _SECTION.match(cell) or looks_like_units(cell, self.directory)):
                measure_at = at
        rest_from = measure_at + 1 if measure_at is not None else self.columns.get("lead", 3)
        unit_set = self._unit_set(cells, measure_at, rest_from, number)
        unit_set.spans_known = spans_known
        if measure_at is None:
            if not unit_set.empty():
                if self.pending is None:
                    self.warn(number, "这一行只有单位，找不到对应的工作措施，未导入")
                else:
                    self.pending.sets.append(unit_set)
            return
        self._flush()
        self.pending = _Pending(line=number, spans_known=spans_known)
        if not unit_set.empty():
            self.pending.sets.append(unit_set)
        for kind, num, body in split_measures(cells[measure_at]):
            self._item(kind, num, body, number)

    def _unit_set(self, cells: list[str], measure_at: int | None, start: int, number: int) -> _UnitSet:
        expected = self.columns.get("lead")
        if measure_at is not None and measure_at == self.columns.get("measure"):
            start = expected if expected is not None else start
        unit_set = _UnitSet(line=number)
        slots = ["lead", "units"]
        for cell in cells[start:]:
            if cell and slots and self._prose(cell):
                self.warn(number, f"这一行的单元格错位：“{cell[:30]}”在单位一栏，不是单位，未作为单位导入。"
                                  "请对照原文核对这一行的牵头单位和责任单位")
                continue
            if not slots:
                if cell:
                    unit_set.deadline = (unit_set.deadline + " " + cell).strip()
                continue
            if cell and not looks_like_units(cell, self.directory) and _DEADLINE.search(cell):
                unit_set.deadline = (unit_set.deadline + " " + cell).strip()
                slots = []
                continue
            setattr(unit_set, slots.pop(0), cell)
        return unit_set

    def _prose(self, cell: str) -> bool:
        """A heading or a sentence slid into a unit column (a row shifted by a column)."""
        if looks_like_units(cell, self.directory):
            return False
        return bool(_PART.match(cell) or _SECTION.match(cell) or _ITEM.match(cell) or "。" in cell
                    or len(cell) > PROSE_LENGTH)

    def _set_part(self, numeral: str, title: str, number: int) -> None:
        if numeral != self.part:
            self._flush()
            self.part, self.section, self.top, self.top_text = numeral, "", "", ""
            self.above = self.last_page = _UnitSet()
            self.plan.parts.append(Part(numeral, title.strip(), None, number))

    def _set_section(self, numeral: str, title: str) -> None:
        section = f"（{numeral}）{title}".strip()
        if not self.section.startswith(f"（{numeral}）"):
            self._flush()
            self.top, self.top_text = "", ""
            self.above = self.last_page = _UnitSet()
        self.section = section

    def _item(self, kind: str, number: str, body: str, line: int) -> None:
        assert self.pending is not None
        if kind == "top":
            self.top, self.top_text = number, body
            self.pending.tasks.append(self._task(number, body, "", line))
        elif kind == "sub":
            if self.pending.tasks and self.pending.tasks[-1].number == self.top and self.top:
                # "N." followed by its sub-measures: N is their theme, not a task
                self.pending.tasks.pop()
            self.pending.tasks.append(self._task(f"({number})", body, self.top_text, line))
        elif body:
            self.pending.tasks.append(self._task("", body, self.top_text, line))

    def _task(self, number: str, body: str, theme: str, line: int) -> Task:
        section_no = re.match(r"（([^）]*)）", self.section)
        key_parts = [self.part, f"({section_no.group(1)})" if section_no else ""]
        if number.startswith("("):
            key_parts.append(self.top)
        key_parts.append(number)
        return Task(
            key="-".join(p for p in key_parts if p),
            part=self.part,
            section=self.section,
            theme=theme.strip("。 "),
            number=number,
            text=body,
            source_lines=(line, line),
        )

    def _flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None or not pending.tasks:
            return
        sets = [self._inherit(s) for s in pending.sets] or [
            self._inherit(_UnitSet(line=pending.line, spans_known=pending.spans_known))]
        if 1 < len(sets) != len(pending.tasks):
            self.warn(
                pending.line,
                f"这一格有 {len(pending.tasks)} 项措施，对应 {len(sets)} 组单位，已按顺序对应（多出的措施沿用最后一组），请核对",
            )
        for i, task in enumerate(pending.tasks):
            unit_set = sets[min(i, len(sets) - 1)] if len(sets) > 1 else sets[0]
            self._assign(task, unit_set)
            task.source_lines = (pending.line, max(pending.line, unit_set.line))

    def _inherit(self, unit_set: _UnitSet) -> _UnitSet:
        if unit_set.spans_known:  # the reader gave merged cells their text: a blank cell is blank
            self.above = unit_set
            return unit_set
        if self.above.empty() and not self.last_page.empty():
            blank = [label for name, label in (("lead", LEAD), ("units", UNITS), ("deadline", DEADLINE))
                     if not getattr(unit_set, name) and getattr(self.last_page, name)]
            if blank:
                self.warn(unit_set.line, f"{'、'.join(blank)}一格是空的；上一页同一列有内容，但表格换页后不沿用上一页的"
                                         "单元格，所以留空。请对照原文核对，需要时在方案表中补上")
            self.last_page = _UnitSet()
        merged = _UnitSet(
            lead=unit_set.lead or self.above.lead,
            units=unit_set.units or self.above.units,
            deadline=unit_set.deadline or self.above.deadline,
            line=unit_set.line,
        )
        self.above = merged
        return merged

    def _assign(self, task: Task, unit_set: _UnitSet) -> None:
        clause = ""
        if unit_set.lead:
            clause += f"牵头单位：{unit_set.lead}；"
        if unit_set.units:
            clause += f"责任单位：{unit_set.units}"
        assignment, resolved = parse_assignment(clause, self.directory)
        task.assignment = assignment
        task.deadline = unit_set.deadline
        self.plan.tasks.append(task)
        self.results.append((task, resolved))


def parse_table_plan(
    segment: Segment, directory: UnitDirectory, warn: Warn
) -> tuple[Plan, list[tuple[Task, list[Resolution]]]]:
    parser = _TableParser(segment, directory, warn)
    parser.run(segment)
    return parser.plan, parser.results


def is_table_plan(segment: Segment) -> bool:
    return sum(1 for line in segment.lines if line.cells and is_header(line.cells)) >= 1
