"""Turn a written list of units into directory units.

Handles the ways documents write lists: "、" inside a category and "，" between
categories, shared suffixes ("江岸、黄陂区人民政府"), groups ("各区人民政府"),
groups defined in place ("各区人民政府〈含开发区、长江新区,下同〉"), host
units ("…领导小组办公室〈市公安局〉"), OCR'd "." for "、", "X等市属国企",
and names run together without a separator.
"""

from __future__ import annotations

import re

from xltools.text import CJK
from xltools.units import Resolution, UnitDirectory

# Endings that make a phrase look like the name of an organisation.
UNIT_ENDING = re.compile(
    r"(局|委|办|院|府|会|室|部|中心|集团|公司|社|联|台|处|队|所|站|厅|行|小组|单位|组|馆|团|署|区|分局)$"
)
# Suffixes that several names of one run may share.
SHARED_SUFFIXES = ("区人民政府", "人民政府", "管委会", "管理委员会", "集团", "分局")

_OPEN, _CLOSE = "（〈《“", "）〉》”"
_BELOW = re.compile(r"[，,]?\s*(下同|下\ufffd|\ufffd同)\s*$")  # "applies below", even with a character lost


def split_top(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside brackets or quotes."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _dot_as_comma(text: str) -> str:
    """OCR often reads "、" as "." between two names."""
    return re.sub(rf"(?<=[{CJK}])\.(?=[{CJK}])", "、", text)


def _split_bracket(item: str) -> tuple[str, str]:
    """"各区人民政府〈含…〉" → ("各区人民政府", "含…")."""
    m = re.match(r"^(.*?)[〈（](.*)[〉）]$", item)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return item, ""


def _shared_suffix(last: str) -> str:
    return next((s for s in SHARED_SUFFIXES if last.endswith(s) and len(last) > len(s)), "")


def _complete(item: str, suffix: str, directory: UnitDirectory) -> str:
    """Give an item of a run the suffix the run's last item carries, where it needs it."""
    if not suffix or item.endswith(suffix):
        return item
    if directory.canonical(item + suffix):
        return item + suffix
    if directory.canonical(item) or UNIT_ENDING.search(item) and not item.endswith("区"):
        return item
    return item + suffix


def _segment(item: str, directory: UnitDirectory) -> list[str] | None:
    """Split names written without separator ("市民政局市财政局") into known names."""
    if len(item) < 6:
        return None
    for cut in range(len(item) - 2, 2, -1):
        head, tail = item[:cut], item[cut:]
        if directory.canonical(head):
            if directory.canonical(tail):
                return [head, tail]
            rest = _segment(tail, directory)
            if rest:
                return [head, *rest]
    return None


def resolve_units(text: str, directory: UnitDirectory) -> list[Resolution]:
    """Resolve every unit named in `text`; groups defined with 下同 are kept in `directory`."""
    resolutions: list[Resolution] = []
    for category in split_top(_dot_as_comma(text), "，；,;"):
        run = split_top(category, "、")
        suffix = _shared_suffix(_split_bracket(run[-1])[0]) if len(run) > 1 else ""
        for item in run:
            name, inner = _split_bracket(item)
            name = _complete(name, suffix, directory)
            resolutions.extend(_resolve_item(name, inner, directory))
    return resolutions


def _resolve_item(name: str, inner: str, directory: UnitDirectory) -> list[Resolution]:
    damaged_definition = inner.startswith("\ufffd") and ("、" in inner or _BELOW.search(inner))
    if inner.startswith("含") or damaged_definition:
        return [_define_group(name, inner[1:], directory)]
    res = directory.resolve(name)
    if inner and not res.known:
        host = directory.resolve(inner)
        if host.known and not host.group:
            return [Resolution(f"{name}〈{inner}〉", host.units)]
    if not res.known:
        m = re.match(r"^(.+?)等(.{0,8})$", name)
        if m:
            return _resolve_item(m.group(1), "", directory)
        parts = _segment(name, directory)
        if parts:
            return [directory.resolve(p) for p in parts]
    return [res]


def _define_group(name: str, definition: str, directory: UnitDirectory) -> Resolution:
    """"各区人民政府〈含开发区、长江新区,下同〉": the group plus the listed units."""
    persistent = bool(_BELOW.search(definition))
    definition = _BELOW.sub("", definition)
    extra: list[str] = []
    for res in resolve_units(definition, directory):
        extra.extend(u for u in res.units if u not in extra)
    base = directory.resolve(name)
    base_units = base.units if base.known else []
    members = list(dict.fromkeys(base_units + extra))
    written = f"{name}〈含{definition}〉"
    if persistent:
        directory.define_group(name, extra, base=base_units, written=written)
    return Resolution(written, members, group=base.group or name, placeholder=not members)


def looks_like_units(text: str, directory: UnitDirectory) -> bool:
    """Does a table cell hold a list of units (rather than a deadline or prose)?"""
    items = split_top(_dot_as_comma(text), "，；,;、 ")
    if not items or len(text) > 400:
        return False
    for item in items:
        name, _ = _split_bracket(item)
        if len(name) > 40:
            return False
        if not (directory.canonical(name) or UNIT_ENDING.search(name) or directory.resolve(name).known):
            return False
    return True


def spaces_as_separators(cell: str) -> str:
    """"市人力资源社会保障局 市资源社" → "市人力资源社会保障局、市资源社" (table cells).

    Only when every piece reads as a unit name: "市 体育局" is one name with a stray space.
    """
    pieces = cell.split()
    if len(pieces) < 2 or not all(len(p) >= 3 and UNIT_ENDING.search(p.rstrip("，,、；;")) for p in pieces):
        return cell
    return "、".join(p.rstrip("，,、；;") if i < len(pieces) - 1 else p for i, p in enumerate(pieces))
