"""Status of a task in a quarter from the unit's own words: 已完成 / 序时推进 / 滞后 / 未报送.

Rules, in order (the word lists are editable in 设置):
1. nothing reported → 未报送;
2. words of delay ("滞后", "未启动", "进展缓慢" …) → 滞后;
3. a completion percentage → 已完成 at 100%, otherwise compared with the share of
   the year gone (25% a quarter, 10 points of slack);
4. completion words ("已完成", "完成全年目标" …) not negated ("尚未完成", "未能完成") → 已完成;
5. anything else is work in progress → 序时推进, except in the last quarter or
   past the task's own deadline, when not being done is 滞后.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DONE, ON_TRACK, BEHIND, NOT_REPORTED = "已完成", "序时推进", "滞后", "未报送"
STATUSES = (DONE, ON_TRACK, BEHIND, NOT_REPORTED)
COLORS = {DONE: "C6EFCE", ON_TRACK: "FFEB9C", BEHIND: "FFC7CE", NOT_REPORTED: "D9D9D9"}

DEFAULT_DONE = "已完成、已全面完成、全面完成、完成全年、完成年度、超额完成、提前完成、已实现、已建成、已投用、已出台、已印发、已落实、已达到、圆满完成"
DEFAULT_BEHIND = "滞后、进度缓慢、进展缓慢、未启动、尚未启动、暂未启动、未开工、尚未开工、推进困难、难以完成、无法完成、不能按期、未达序时、落后于序时、延期"
DEFAULT_NEGATION = "尚未、未能、仍未、没有、暂未、未、不能、无法"


@dataclass
class Rules:
    done: list[str]
    behind: list[str]
    negations: list[str]

    @classmethod
    def from_text(cls, done: str = DEFAULT_DONE, behind: str = DEFAULT_BEHIND,
                  negations: str = DEFAULT_NEGATION) -> Rules:
        def words(text: str) -> list[str]:
            return sorted((w.strip() for w in re.split(r"[、，,;；\s]+", text) if w.strip()), key=len, reverse=True)

        return cls(words(done), words(behind), words(negations))


DEFAULT_RULES = Rules.from_text()
_PERCENT = re.compile(r"(?:完成|完成率|进度|达到|达|占)[^，。；\d]{0,8}?(\d{1,3}(?:\.\d+)?)\s*%")


def _negated(text: str, at: int, rules: Rules) -> bool:
    before = text[max(0, at - 4):at]
    return any(before.endswith(n) for n in rules.negations)


def status_of(text: str, quarter: int, rules: Rules = DEFAULT_RULES, deadline: dt.date | None = None,
              quarter_end: dt.date | None = None) -> str:
    text = re.sub(r"\s", "", text or "")
    if not text:
        return NOT_REPORTED
    if any(word in text for word in rules.behind):
        return BEHIND
    overdue = quarter == 4 or (deadline is not None and quarter_end is not None and quarter_end >= deadline)
    percents = [float(m.group(1)) for m in _PERCENT.finditer(text)]
    if percents:
        share = percents[-1]
        if share >= 100:
            return DONE
        return BEHIND if overdue or share < quarter * 25 - 10 else ON_TRACK
    for word in rules.done:
        for m in re.finditer(re.escape(word), text):
            if not _negated(text, m.start(), rules) and not text[m.end():m.end() + 1].isdigit():
                return DONE
    return BEHIND if overdue else ON_TRACK


def deadline_of(text: str) -> dt.date | None:
    """The last date in a 完成时限 such as "2018年6月出台政策，2020年12月完成"."""
    found = re.findall(r"(\d{4})\s*年\s*(\d{1,2})?\s*月?", text or "")
    if not found:
        return None
    year, month = found[-1]
    month = int(month or 12)
    return dt.date(int(year), month, 28)


def quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, quarter * 3, 30 if quarter in (2, 3) else 31)
