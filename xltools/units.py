"""The unit directory (单位名录): canonical names, aliases, kinds and groups.

Pure logic: loading from CSV/xlsx lives in `xltools.readers.directory`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xltools.text import match_key

GROUP_KIND = "分组"


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
