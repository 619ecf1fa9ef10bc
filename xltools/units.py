"""The unit directory (单位名录): canonical names, aliases, kinds and groups.

Pure logic: reading a CSV or workbook into rows lives in `xltools.readers.directory`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from xltools.errors import BadFile
from xltools.text import match_key
from xltools.vocab import (
    ALIASES,
    DIRECTORY_COLUMNS,
    FIRST_YEAR,
    FORMER_NAMES,
    GROUP_KIND,
    GROUPS,
    KIND,
    LAST_YEAR,
    NOTE,
    SHORT,
    UNIT_NAME,
)

# Phrases that name no particular unit: "有关单位", "相关区人民政府", "…领导小组成员单位",
# "各城区人民政府"; a directory entry of the same name (a group with members) wins.
PLACEHOLDER = re.compile(
    r"^(各|有关|相关|其他|其它)|(成员单位|有关单位|相关单位|等单位|各部门|各单位|所属单位|下属单位)$"
)


_CITY_PREFIX = re.compile(r"^(?:武汉市|武汉|市)+(?=..)")  # repeated: 市市场监管局 written 市场监管局


def _loose(key: str) -> str:
    """A name's match key without what documents add or drop freely: the 市/武汉 prefix, 管理委员会 for 管委会."""
    return _CITY_PREFIX.sub("", key.replace("管理委员会", "管委会"))


def _in(year: int | None, first: int | None, last: int | None) -> bool:
    return year is None or (first is None or first <= year) and (last is None or year <= last)


@dataclass
class FormerName:
    """An older name of a body and the years it was in use (None: not known / open)."""

    name: str
    first: int | None = None
    last: int | None = None

    def used_in(self, year: int | None) -> bool:
        """In use that year: only a name whose years are known is ever shown."""
        return year is not None and (self.first, self.last) != (None, None) and _in(year, self.first, self.last)

    def __str__(self) -> str:
        first, last = self.first, self.last
        if first is None and last is None:
            return self.name
        if first == last:
            return f"{self.name}（{first}年）"
        if first is None:
            return f"{self.name}（至{last}年）"
        if last is None:
            return f"{self.name}（{first}年起）"
        return f"{self.name}（{first}-{last}年）"


_SPAN = re.compile(r"^(.+?)\s*[（(]([^（）()]*\d{4}[^（）()]*)[）)]$")


def former_name(text: str) -> FormerName:
    """"市科技局（至2023年）", "市农委（2018年）", "X（2017-2020年）", "Y（2019年起）" or a bare name."""
    m = _SPAN.match(text.strip())
    if not m:
        return FormerName(text.strip())
    name, span = m.group(1), m.group(2)
    years = [int(y) for y in re.findall(r"\d{4}", span)]
    if len(years) > 1:
        return FormerName(name, years[0], years[1])
    if re.search(r"至|到|止|以前|之前|^\s*[-—–~]", span):
        return FormerName(name, None, years[0])
    if re.search(r"起|以后|之后|[-—–~]\s*$", span):
        return FormerName(name, years[0], None)
    return FormerName(name, years[0], years[0])


@dataclass
class Unit:
    name: str
    short: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = ""
    groups: list[str] = field(default_factory=list)
    note: str = ""
    former: list[FormerName] = field(default_factory=list)
    first: int | None = None  # the years the body existed (None: open)
    last: int | None = None

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP_KIND

    @property
    def display(self) -> str:
        return self.short or self.name

    @property
    def labels(self) -> list[str]:
        """Every name the unit is matched by: its name, aliases and former names."""
        return [self.name, *self.aliases, *(f.name for f in self.former)]

    def exists_in(self, year: int | None) -> bool:
        return _in(year, self.first, self.last)

    def former_in(self, year: int | None) -> str:
        """The older name in use in `year`, or ""."""
        return next((f.name for f in self.former if f.used_in(year)), "")


@dataclass
class Resolution:
    """What one unit phrase of a document stands for."""

    phrase: str
    units: list[str]
    group: str = ""  # canonical group name when the phrase named a group
    known: bool = True
    guessed_from: str = ""  # set when a damaged phrase was matched by pattern
    placeholder: bool = False  # names no particular unit ("有关单位"): `units` is empty
    text: str = ""  # how a plan sheet writes it so that it reads the same without the document: the phrase

    def __post_init__(self) -> None:
        self.text = self.text or self.phrase


class UnitDirectory:
    """Units and groups in directory order, with alias lookup.

    `year` is the plan's year: a group covers the units existing that year,
    and a unit is shown under the name it had then.
    """

    def __init__(self, units: list[Unit], year: int | None = None):
        self.entries: dict[str, Unit] = {}
        self._keys: dict[str, str] = {}
        self._loose: dict[str, str | None] = {}  # None: two entries share the loose key
        self._members: tuple[dict[str, list[str]], list[tuple[str, list[str]]]] | None = None  # (members, groupings)
        self._year = year
        self.definitions: dict[str, str] = {}  # group → how the document defined it ("…〈含…〉", 下同)
        for unit in units:
            self.add(unit)

    @property
    def year(self) -> int | None:
        return self._year

    @year.setter
    def year(self, value: int | None) -> None:
        self._year = value
        self._members = None

    # -- building -----------------------------------------------------
    def add(self, unit: Unit) -> None:
        if unit.name in self.entries:
            raise ValueError(f"单位名录中“{unit.name}”出现了两次，请合并为一行")
        self.entries[unit.name] = unit
        self._members = None
        for label in unit.labels:
            key = match_key(label)
            if key and key not in self._keys:
                self._keys[key] = unit.name
            loose = _loose(key)
            if loose and self._loose.setdefault(loose, unit.name) != unit.name:
                self._loose[loose] = None

    def define_group(self, name: str, members: list[str], base: list[str] | None = None,
                     written: str = "") -> None:
        """A group defined by a document ("各区人民政府〈含…,下同〉"); `written` is how the document put it."""
        canonical = self.canonical(name) or name
        if canonical not in self.entries:
            self.add(Unit(name=canonical, kind=GROUP_KIND, note="由文件定义"))
        if written and not set(members) <= set(base or []):
            self.definitions[canonical] = written
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
        """The entry a name stands for: exactly, or up to a 市/武汉 prefix and 管理委员会/管委会."""
        key = match_key(phrase)
        return self._keys.get(key) or self._loose.get(_loose(key))

    def members(self, group: str) -> list[str]:
        """The group's units that exist in the directory's year."""
        return list(self._memberships()[0].get(group, []))

    def groupings(self) -> list[tuple[str, list[str]]]:
        """(group, its members) for every group of two or more units, the largest first."""
        return self._memberships()[1]

    def _memberships(self) -> tuple[dict[str, list[str]], list[tuple[str, list[str]]]]:
        if self._members is None:
            members: dict[str, list[str]] = {}
            for unit in self.units:
                if unit.exists_in(self._year):
                    for name in unit.groups:
                        members.setdefault(name, []).append(unit.name)
            found = [(g.name, members.get(g.name, [])) for g in self.groups]
            self._members = members, sorted(((g, m) for g, m in found if len(m) >= 2), key=lambda x: -len(x[1]))
        return self._members

    def label(self, unit: str) -> str:
        """The name a clerk knows `unit` by in the directory's year: an older name then in use, else the name."""
        entry = self.entries.get(unit)
        return (entry.former_in(self._year) or unit) if entry else unit

    def short_label(self, unit: str) -> str:
        """A sheet's or file's name for `unit`: the older name then in use, else the short name."""
        entry = self.entries.get(unit)
        return (entry.former_in(self._year) or entry.display) if entry else unit

    def order(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.entries)}

    def resolve(self, phrase: str) -> Resolution:
        name = self.canonical(phrase)
        guessed = ""
        if name is None and "\ufffd" in phrase:
            name = self._match_damaged(phrase)
            guessed = phrase if name else ""
        if name is None:
            if PLACEHOLDER.search(match_key(phrase)):
                return Resolution(phrase, [], known=False, placeholder=True)
            return Resolution(phrase, [phrase], known=False)
        entry = self.entries[name]
        if entry.is_group:
            members = self.members(name)
            if not members:
                return Resolution(phrase, [], group=name, known=False, placeholder=True)
            defined = self.definitions.get(name, "")
            return Resolution(phrase, members, group=name, text=defined)
        return Resolution(phrase, [name], guessed_from=guessed, text=name if guessed else "")

    def _match_damaged(self, phrase: str) -> str | None:
        """Match a name with U+FFFD characters (wrong charset) against the directory."""
        pattern = re.compile(
            "^" + "".join("." if ch == "\ufffd" else re.escape(ch) for ch in match_key(phrase)) + "$"
        )
        hits = {name for key, name in self._keys.items() if pattern.match(key)}
        return hits.pop() if len(hits) == 1 else None

    def copy(self) -> UnitDirectory:
        copied = UnitDirectory(
            [replace(u, aliases=list(u.aliases), groups=list(u.groups), former=list(u.former))
             for u in self.entries.values()],
            self._year,
        )
        copied.definitions = dict(self.definitions)
        return copied


# -- the directory as an editable table (rows of values, from any workbook or CSV) --

def _split(value: object) -> list[str]:
    text = "" if value is None else str(value)
    for sep in "，,;；/\n":
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _year(value: str, source: str, number: int, column: str) -> int | None:
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:\.0)?\s*年?", value)
    if not m:
        raise BadFile(f"{source} 第 {number} 行：“{column}”应填四位年份（如 2019）或留空，现在是“{value}”。")
    return int(m.group(1))


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
                former=[former_name(f) for f in _split(cell(FORMER_NAMES))],
                first=_year(cell(FIRST_YEAR), source, number, FIRST_YEAR),
                last=_year(cell(LAST_YEAR), source, number, LAST_YEAR),
            )
        )
    defined = {u.name for u in units}
    for group in dict.fromkeys(g for u in units for g in u.groups):
        if group not in defined:
            units.append(Unit(name=group, kind=GROUP_KIND, note="由“所属分组”列产生"))
            defined.add(group)
    return UnitDirectory(units)
