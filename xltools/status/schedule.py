"""序时进度: how much of the year (or of the task's own time) is gone when a figure is reported.

A return says which months its figure covers ("1-5月", "截至9月底", "上半年",
"三季度" alone) or else covers the year up to the end of its quarter. The share
expected is the months covered over the months the task has: the year, or up
to its own 完成时限 when that is given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from xltools.vocab import QUARTER_WORDS

_CN = "一二三四五六七八九十"


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _CN.index(text) + 1 if len(text) == 1 else 10 + _CN.index(text[-1]) + 1


_MONTH = rf"(\d{{1,2}}|十[一二]|[{_CN}])"
_PERIODS = [  # (pattern, the first and last month it names)
    (re.compile(rf"{_MONTH}\s*[-—~～至到]\s*{_MONTH}\s*月"), lambda m: (_month(m[1]), _month(m[2]))),
    (re.compile(rf"截至\s*(?:\d{{4}}年)?{_MONTH}\s*月|{_MONTH}\s*月(?:底|末|份累计)"),
     lambda m: (1, _month(m[1] or m[2]))),
    (re.compile(rf"前\s*{_MONTH}\s*个月"), lambda m: (1, _month(m[1]))),
    (re.compile(QUARTER_WORDS[3]), lambda m: (1, 9)),
    (re.compile(QUARTER_WORDS[2]), lambda m: (1, 6)),
    (re.compile(r"(?<![前第])(?<!明年)(?<!去年)(?:第)?([一二三四1-4])\s*季度"), lambda m: _quarter_months(m[1])),
    (re.compile(r"(?<![明去])全年"), lambda m: (1, 12)),  # not 年底: "计划年底前建成" is a plan
]


def _quarter_months(numeral: str) -> tuple[int, int]:
    q = int(numeral) if numeral.isdigit() else _CN.index(numeral) + 1
    return (1, 3) if q == 1 else (3 * q - 2, 3 * q)


@dataclass(frozen=True)
class Period:
    """The months a reported figure covers: first..last (1..12)."""

    first: int
    last: int

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def label(self) -> str:
        if self.first == 1:
            return f"1-{self.last}月" if self.last > 1 else "1月"
        return f"{self.first}-{self.last}月（单季）"


def period_of(text: str, quarter: int, before: int | None = None) -> Period:
    """The period named last before position `before` (a figure's place) in `text`, else the quarter's."""
    head = text if before is None else text[:before]
    found: list[tuple[int, int, int]] = []
    for pattern, months in _PERIODS:
        for m in pattern.finditer(head):
            first, last = months(m)
            if 1 <= first <= last <= 12:
                found.append((m.start(), first, last))
    if not found:
        return Period(1, 3 * quarter)
    _, first, last = max(found)
    return Period(first, last)


def expected(period: Period, year: int | None = None, deadline: dt.date | None = None) -> float:
    """序时进度 for a figure over `period`, in percent of the task's target."""
    total = 12
    if deadline is not None and year is not None:
        total = max(1, (deadline.year - year) * 12 + deadline.month)
    return min(100.0, 100.0 * period.months / total)


def deadline_of(text: str) -> dt.date | None:
    """The last date in a 完成时限 such as "2018年6月出台政策，2020年12月完成"."""
    found = re.findall(r"(\d{4})\s*年\s*(\d{1,2})?\s*月?", text or "")
    if not found:
        return None
    year, month = found[-1]
    return dt.date(int(year), int(month or 12), 28)


def quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, quarter * 3, 30 if quarter in (2, 3) else 31)
