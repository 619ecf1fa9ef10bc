"""Which return counts when a unit sent several: per task, the newest that answers it.

A newer file replaces an older one only for the tasks it actually answers, so
a correction covering three tasks never erases the other forty. Ties are broken
by save time, then the number of answers, then the content and the file name:
the same files give the same tracker whatever order they are given in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from xltools.merge.model import PlanRow, Submission
from xltools.vocab import FORM_NAMES

RULE = ("同一单位交了几份时，每一项以保存时间最新、且填写了这一项的一份为准，较新的一份没有填写的项保留较早一份的内容"
        "（保存时间相同的，依次比较已填项数、内容和文件名）")


def rank(sub: Submission) -> tuple:
    """Later is newer: save time, answers given, then content and name (never the order files were given in)."""
    answered = sum(1 for v in sub.reports.values() if v) + len(sub.plan_rows)
    digest = hashlib.sha1(repr((sorted(sub.reports.items()), [(r.task, r.content) for r in sub.plan_rows],
                                [(c.role, c.name, c.mobile) for c in sub.contacts])).encode()).hexdigest()
    return sub.submitted or dt.datetime.min, answered, digest, sub.file


@dataclass
class Versions:
    """What counts of every submission, and what was replaced."""

    reports: dict[tuple[str, int], dict[str, tuple[Submission, str]]] = field(default_factory=dict)
    plans: dict[str, dict[str, tuple[Submission, list[PlanRow]]]] = field(default_factory=dict)
    contacts: dict[str, Submission] = field(default_factory=dict)  # unit → the 附表2 that counts
    received: dict[tuple[str, int, int], list[Submission]] = field(default_factory=dict)  # (unit, form, quarter)
    superseded: list[tuple[Submission, Submission, str]] = field(default_factory=list)  # (old, newer, form): all of it
    partly: list[tuple[Submission, str, int]] = field(default_factory=list)  # (sub, form, tasks a newer one answers)

    @property
    def used(self) -> list[Submission]:
        """Every submission at least one of whose answers counts."""
        found = {id(s): s for table in (*self.reports.values(), *self.plans.values()) for s, _ in table.values()}
        found.update({id(s): s for s in self.contacts.values()})
        return list(found.values())

    def first(self, unit: str, form: int, quarter: int = 0) -> Submission | None:
        """The earliest submission of a form: whether the unit reported on time."""
        subs = self.received.get((unit, form, quarter))
        return min(subs, key=lambda s: (s.submitted is None, s.submitted or dt.datetime.min, s.file)) if subs else None


def choose(submissions: list[Submission]) -> Versions:
    versions = Versions()
    received: dict[tuple[str, int, int], list[Submission]] = defaultdict(list)
    for sub in sorted(submissions, key=rank):
        for form in sorted(sub.forms):
            received[(sub.unit, form, (sub.quarter or 0) if form == 3 else 0)].append(sub)
    versions.received = dict(received)
    for (unit, form, quarter), subs in received.items():  # oldest first: later answers overwrite
        if form == 3:
            table = versions.reports.setdefault((unit, quarter), {})
            for sub in subs:
                table.update((task, (sub, text)) for task, text in sub.reports.items() if text)
            _replaced(versions, subs, {t: s for t, (s, _) in table.items()}, FORM_NAMES[3],
                      lambda s: [t for t, v in s.reports.items() if v])
        elif form == 1:
            table = versions.plans.setdefault(unit, {})
            for sub in subs:
                rows: dict[str, list[PlanRow]] = defaultdict(list)
                for row in sub.plan_rows:
                    rows[row.task].append(row)
                table.update((task, (sub, found)) for task, found in rows.items())
            _replaced(versions, subs, {t: s for t, (s, _) in table.items()}, FORM_NAMES[1],
                      lambda s: [r.task for r in s.plan_rows])
        else:
            versions.contacts[unit] = subs[-1]
            versions.superseded += [(old, subs[-1], FORM_NAMES[form]) for old in subs[:-1]]
    return versions


def _replaced(versions: Versions, subs: list[Submission], winner: dict[str, Submission], form: str,
              answers: Callable[[Submission], list[str]]) -> None:
    """Record which submissions lost all, or some, of their answers to a newer one."""
    for sub in subs:
        tasks = sorted(set(answers(sub)))  # sorted: the newer file named is the same in every run
        lost = [t for t in tasks if winner.get(t) is not sub]
        if tasks and len(lost) == len(tasks):
            versions.superseded.append((sub, winner[lost[0]], form))
        elif lost:
            versions.partly.append((sub, form, len(lost)))
