"""What a notice says before its plans and the plans rely on: groups defined "下同".

"各区人民政府（含开发区、风景区管委会，下同）" in the notice's prose widens 各区人民政府 for
every plan after it, as the same words inside a unit clause do.
"""

from __future__ import annotations

import re

from xltools.parse.unitlist import resolve_units
from xltools.units import UnitDirectory

_DEFINITION = re.compile(r"[（(〈]\s*含([^（()）〈〉]{2,80}?)[，,]\s*下同\s*[）)〉]")
_LONGEST_NAME = 16


def define_notice_groups(notice: list[str], directory: UnitDirectory) -> list[str]:
    """Groups defined in the notice's lines, added to `directory`; their names, in order."""
    defined = []
    for line in notice:
        for m in _DEFINITION.finditer(line):
            name = _group_before(line[: m.start()], directory)
            if name:
                resolve_units(f"{name}〈含{m.group(1)}，下同〉", directory)
                defined.append(name)
    return defined


def _group_before(text: str, directory: UnitDirectory) -> str:
    """The longest tail of `text` that names a group of the directory ("…，各区人民政府" → 各区人民政府)."""
    for size in range(min(_LONGEST_NAME, len(text)), 1, -1):
        tail = text[-size:]
        if directory.resolve(tail).group:
            return tail
    return ""
