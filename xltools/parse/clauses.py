"""Unit clauses at the end of a task: "（牵头单位：A；责任单位：B、C，D）".

Forms handled: 牵头单位/责任单位, 区级责任单位, 市级牵头单位 + 区级牵头单位,
sub-assignments "（其中，X〈市级牵头单位：…；区级牵头单位：…〉；Y〈…〉）",
":" typed for ";" and a clause cut off at the end of a copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xltools.model import Assignment, Item, Mention
from xltools.parse.unitlist import resolve_units
from xltools.text import page_furniture
from xltools.units import Resolution, UnitDirectory
from xltools.vocab import CITY_LEAD, CITY_UNITS, LEAD, UNITS

# label → attribute of Assignment
ROLES = {
    CITY_LEAD: "city_lead",
    CITY_UNITS: "city_units",
    "区级牵头单位": "lead",
    "区级责任单位": "units",
    LEAD: "lead",
    UNITS: "units",
}
DAMAGED = "\ufffd"  # a character lost to a wrong charset


def _tolerant(label: str) -> str:
    """A label still recognised with one of its characters lost ("牵�单位")."""
    return "|".join(re.escape(label[:i]) + DAMAGED + re.escape(label[i + 1:]) for i in range(len(label))) + "|" + label


_LABELS = "|".join(_tolerant(label) for label in ROLES)
_LABEL = re.compile("(" + _LABELS + r")\s*[：:；;]?")
_CLAUSE_START = re.compile(r"（\s*(?:其中[，,：:]|" + _LABELS + ")")


def _role(written: str) -> str:
    if written in ROLES:
        return ROLES[written]
    return next(role for label, role in ROLES.items()
                if len(label) == len(written) and all(a == b or b == DAMAGED for a, b in zip(label, written, strict=True)))


@dataclass
class Clause:
    start: int
    end: int  # index after the closing bracket (or len(text) when unclosed)
    inner: str
    closed: bool


def find_clauses(text: str) -> list[Clause]:
    """Every unit clause in a task's text, in order."""
    clauses, pos = [], 0
    while (m := _CLAUSE_START.search(text, pos)) is not None:
        depth, i = 0, m.start()
        while i < len(text):
            if text[i] == "（":
                depth += 1
            elif text[i] == "）":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        closed = i < len(text)
        clauses.append(Clause(m.start(), i + 1 if closed else len(text), text[m.start() + 1 : i], closed))
        pos = i + 1
    return clauses


def _role_values(inner: str) -> list[tuple[str, str]]:
    """[(attribute, written value)] for "牵头单位：A；责任单位：B"."""
    labels = list(_LABEL.finditer(inner))
    if not labels:
        return []
    values = []
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        end = following.start() if following else len(inner)
        value = inner[label.end() : end].strip(" ；;：:，,。、")
        if value:
            values.append((_role(label.group(1)), value))
    return values


def _words(text: str) -> str:
    """What a clause or sub-assignment assigns, without the joining words and punctuation around it."""
    return re.sub(r"^\s*其中\s*[，,：:]?", "", text).strip(" \t；;，,、：:")


def _sub_assignments(inner: str) -> list[tuple[str, str]]:
    """"其中，X〈…〉；Y〈…〉" → [(X, the role text inside its 〈…〉)]."""
    pairs, depth, start, words_from = [], 0, 0, 0
    for i, ch in enumerate(inner):
        if ch == "〈":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "〉" and depth:
            depth -= 1
            if depth == 0 and _LABEL.search(inner[start:i]):
                pairs.append((_words(inner[words_from : start - 1]), inner[start:i]))
                words_from = i + 1
    return pairs


def parse_clause(inner: str, directory: UnitDirectory) -> tuple[list[tuple[str, Assignment]], list[Resolution]]:
    """Units of one clause (without its brackets): [(words, assignment)], one for a plain clause
    (words "") and one per sub-assignment of "其中，X〈…〉；Y〈…〉"; and how each phrase resolved."""
    bodies = _sub_assignments(inner) if re.match(r"\s*其中", inner) else [("", inner)]
    parts, resolutions = [], []
    for words, body in bodies:
        assignment = Assignment()
        for attribute, value in _role_values(body):
            for res in resolve_units(value, directory):
                resolutions.append(res)
                if res.phrase not in assignment.phrases:
                    assignment.phrases.append(res.phrase)
                assignment.add(Mention(attribute, res.text, list(res.units)))
        parts.append((words, assignment))
    return parts, resolutions


def parse_assignment(inner: str, directory: UnitDirectory) -> tuple[Assignment, list[Resolution]]:
    """Units of one clause (without its brackets), merged, and how each phrase resolved."""
    parts, resolutions = parse_clause(inner, directory)
    assignment = Assignment()
    for _, part in parts:
        assignment.merge(part)
    return assignment, resolutions


def clause_words(text: str, clauses: list[Clause]) -> list[str]:
    """The words each clause assigns: the text between the clause before it and itself."""
    words, pos = [], 0
    for clause in clauses:
        words.append(_words(text[pos : clause.start]))
        pos = clause.end
    return words


def items(pieces: list[tuple[str, Assignment, str]]) -> list[Item]:
    """分项 from (words, assignment, deadline) in the document's order: none unless units are given twice or more."""
    if len(pieces) < 2:
        return []
    return [Item(n, words, assignment, deadline) for n, (words, assignment, deadline) in enumerate(pieces, start=1)]


def split_task_text(text: str) -> tuple[str, list[Clause], str]:
    """(task text without clauses, the clauses, trailing fragment after the last clause).

    A short fragment without punctuation after the last clause, or any web page
    furniture or spam run on after it ("发布评论", "网站地图 | 联系我们"), is
    returned apart so the caller can report it.
    """
    clauses = find_clauses(text)
    if not clauses:
        return text.strip(), [], ""
    pieces, pos = [], 0
    for clause in clauses:
        pieces.append(text[pos : clause.start])
        pos = clause.end
    tail = text[pos:].strip()
    trailing = ""
    if tail and (len(tail) <= 12 and not re.search(r"[。；！？）]$", tail) or page_furniture(tail)):
        trailing, tail = tail, ""
    pieces.append(tail)
    return "".join(pieces).strip(), clauses, trailing
