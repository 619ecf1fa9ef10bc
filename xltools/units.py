"""The unit directory (单位名录): canonical names, aliases, kinds and groups.

Pure logic: reading a CSV or workbook into rows lives in `xltools.readers.directory`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xltools.errors import BadFile
from xltools.text import match_key
from xltools.vocab import ALIASES, DIRECTORY_COLUMNS, GROUP_KIND, GROUPS, KIND, NOTE, SHORT, UNIT_NAME


@dataclass
class Unit:
    name: str
    short: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = ""
    groups: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP_KIND

    @property
    def display(self) -> str:
        return self.short or self.name


@dataclass
class Resolution:
    """What one unit phrase of a document stands for."""

    phrase: str
    units: list[str]
    group: str = ""  # canonical group name when the phrase named a group
    known: bool = True
    guessed_from: str = ""  # set when a damaged phrase was matched by pattern


class UnitDirectory:
    """Units and groups in directory order, with alias lookup."""

    def __init__(self, units: list[Unit]):
        self.entries: dict[str, Unit] = {}
        self._keys: dict[str, str] = {}
        self._members: dict[str, list[str]] | None = None
        for unit in units:
            self.add(unit)

    # -- building -----------------------------------------------------
    def add(self, unit: Unit) -> None:
        if unit.name in self.entries:
            raise ValueError(f"单位名录中“{unit.name}”出现了两次，请合并为一行")
        self.entries[unit.name] = unit
        self._members = None
        for label in [unit.name, *unit.aliases]:
            key = match_key(label)
            if key and key not in self._keys:
                self._keys[key] = unit.name

    def define_group(self, name: str, members: list[str], base: list[str] | None = None) -> None:
        """A group defined by a document ("各区人民政府〈含…,下同〉")."""
        canonical = self.canonical(name) or name
        if canonical not in self.entries:
            self.add(Unit(name=canonical, kind=GROUP_KIND, note="由文件定义"))
        for member in list(dict.fromkeys((base or []) + members)):
            unit = self.entries.get(member)
            if unit is not None and canonical not in unit.groups:
                unit.groups.append(canonical)
        self._members = None

    # -- queries ------------------------------------------------------
    @property
    def units(self) -> list[Unit]:
        return [u for u in self.entries.values() if not u.is_group]

    @property
    def groups(self) -> list[Unit]:
        return [u for u in self.entries.values() if u.is_group]

    def canonical(self, phrase: str) -> str | None:
        return self._keys.get(match_key(phrase))

    def members(self, group: str) -> list[str]:
        if self._members is None:
            self._members = {}
            for unit in self.units:
                for name in unit.groups:
                    self._members.setdefault(name, []).append(unit.name)
        return list(self._members.get(group, []))

    def order(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.entries)}

    def resolve(self, phrase: str) -> Resolution:
        name = self.canonical(phrase)
        if name is None and not re.match(r"^(市|区|武汉|各)", phrase):
            name = self.canonical("市" + phrase)
        guessed = ""
        if name is None and "\ufffd" in phrase:
            name = self._match_damaged(phrase)
            guessed = phrase if name else ""
        if name is None:
            return Resolution(phrase, [phrase], known=False)
        entry = self.entries[name]
        if entry.is_group:
            members = self.members(name)
            return Resolution(phrase, members or [name], group=name, known=bool(members))
        return Resolution(phrase, [name], guessed_from=guessed)

    def _match_damaged(self, phrase: str) -> str | None:
        """Match a name with U+FFFD characters (wrong charset) against the directory."""
        pattern = re.compile(
            "^" + "".join("." if ch == "\ufffd" else re.escape(ch) for ch in match_key(phrase)) + "$"
        )
        hits = {name for key, name in self._keys.items() if pattern.match(key)}
        return hits.pop() if len(hits) == 1 else None

    def copy(self) -> UnitDirectory:
        return UnitDirectory(
            [
                Unit(u.name, u.short, list(u.aliases), u.kind, list(u.groups), u.note)
                for u in self.entries.values()
            ]
        )


# -- the directory as an editable table (rows of values, from any workbook or CSV) --

def _split(value: object) -> list[str]:
    text = "" if value is None else str(value)
    for sep in "，,;；/\n":
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def directory_from_rows(rows: list[list[object]], source: str) -> UnitDirectory:
    """Rows with a header line naming at least 单位名称; other columns optional."""
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if any(str(c or "").strip() == UNIT_NAME for c in row)), None
    )
    if header_at is None:
        raise BadFile(f"{source} 中找不到“{UNIT_NAME}”列。单位名录的表头应为：{'、'.join(DIRECTORY_COLUMNS)}。")
    header = [str(c or "").strip() for c in rows[header_at]]
    col = {name: header.index(name) for name in DIRECTORY_COLUMNS if name in header}
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        def cell(name: str, row=row) -> str:
            i = col.get(name)
            return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()

        name = cell(UNIT_NAME)
        if not name:
            continue
        if name in seen:
            raise BadFile(f"{source} 第 {number} 行：“{name}”与第 {seen[name]} 行重复，请合并为一行。")
        seen[name] = number
        units.append(
            Unit(
                name=name,
                short=cell(SHORT),
                aliases=_split(cell(ALIASES)),
                kind=cell(KIND),
                groups=_split(cell(GROUPS)),
                note=cell(NOTE),
            )
        )
    defined = {u.name for u in units}
    for group in dict.fromkeys(g for u in units for g in u.groups):
        if group not in defined:
            units.append(Unit(name=group, kind=GROUP_KIND, note="由“所属分组”列产生"))
            defined.add(group)
    return UnitDirectory(units)
