"""The status of a task in a quarter, with the reason a clerk can check (判定依据).

Order of the rules:
1. not a report (空白, 无, 同上, a formula or link only, the task copied) → 未报送;
2. words of delay (推迟, 延后, 暂无进展 …) → 滞后;
3. figures against the task's targets: a reported amount over its target against
   序时进度, growth rates and levels against the target rate, shares of the year's
   target as stated → 已完成 when every figure reaches its target, 滞后 when one falls
   short, else 序时推进;
4. phrases: the task done in its own words → 已完成; said plainly not done
   (尚未出台) once three quarters are gone or its 完成时限 has passed → 滞后;
5. otherwise work in progress → 序时推进, except that a task with an end (a target,
   its own verb, 完成…) not done by the end of the year or of its 完成时限 → 滞后,
   unless completion only awaits confirmation within the year (待省考核确认).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from xltools.status.figures import (
    CEILING,
    GROWTH,
    LEVEL,
    SHARE,
    Figure,
    clause_around,
    match,
    normal,
    reported,
    targets,
)
from xltools.status.phrases import delay, not_a_report, own_verbs, read
from xltools.status.scale import shown
from xltools.status.schedule import expected, period_of, quarter_end
from xltools.status.words import DEFAULT_RULES, Rules
from xltools.vocab import BEHIND, DONE, NOT_REPORTED, ON_TRACK, QUARTERS

MET, ON_PACE, SHORT = 2, 1, 0
_AHEAD_POINTS = 10.0  # a share this far above 序时进度, or a rate a point above its target, is 超进度
_AHEAD_WORDS = re.compile(r"超序时|超进度|提前")
_FUTURE = re.compile(r"计划(?=[于在到年今明下本\d一二三四五六七八九十])|预计|拟|力争|将于|将在|其中")


@dataclass(frozen=True)
class Verdict:
    status: str
    basis: str
    ahead: bool = False  # clearly ahead of 序时进度 (超进度 on the finer scale)

    def shown(self, rules: Rules) -> str:
        """The word for the tracker on the scale chosen in 设置."""
        return shown(self.status, self.ahead, rules.scale)


@dataclass(frozen=True)
class Check:
    grade: int  # MET, ON_PACE or SHORT
    basis: str
    ahead: bool


def _pct(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _amount_check(target: Figure, figure: Figure, pace: float, whole_year: bool) -> Check:
    if target.kind == CEILING:
        head = f"目标不高于{target.raw}，报送{figure.raw}"
        if figure.value > target.value:
            return Check(SHORT, f"{head} > 目标", False)
        return Check(MET if whole_year else ON_PACE, f"{head} 达到目标", False)
    share = 100.0 * figure.value / target.value if target.value else 0.0
    head = f"目标{target.shown()}，报送{figure.raw}，{_pct(share)}"
    if share >= 100:
        return Check(MET, f"{head} 已达目标", True)
    if share >= pace:
        return Check(ON_PACE, f"{head} ≥ 序时{_pct(pace)}", share >= pace + _AHEAD_POINTS)
    return Check(SHORT, f"{head} < 序时{_pct(pace)}", False)


def _rate_check(target: Figure, figure: Figure, whole_year: bool) -> Check:
    said = {GROWTH: "增长", CEILING: "不高于", LEVEL: ""}[target.kind]
    change = "" if target.kind == LEVEL else "增长" if figure.value >= 0 else "下降"
    head = f"目标{said}{target.shown()}，报送{change}{_pct(abs(figure.value))}"
    if target.kind == CEILING:
        ok, ahead = figure.value <= target.value, figure.value <= target.value - 1
    else:
        ok, ahead = figure.value >= target.value, figure.value >= target.value + 1
    if not ok:
        return Check(SHORT, f"{head} {'>' if target.kind == CEILING else '<'} 目标", False)
    return Check(MET if whole_year else ON_PACE, f"{head} 达到目标", ahead)


def _share_check(figure: Figure, pace: float) -> Check:
    head = f"报送完成{_pct(figure.value)}"
    if figure.value >= 100:
        return Check(MET, f"{head} 已达目标", True)
    if figure.value >= pace:
        return Check(ON_PACE, f"{head} ≥ 序时{_pct(pace)}", figure.value >= pace + _AHEAD_POINTS)
    return Check(SHORT, f"{head} < 序时{_pct(pace)}", False)


def _counted(text: str, figure: Figure, rules: Rules, task: str) -> bool:
    """A figure reports a result: not a plan, a sub-item (其中), or a step (入库, 确定 …)."""
    words = clause_around(text, figure.start)
    return not _FUTURE.search(words) and not any(s in words and s not in task for s in rules.steps)


def _checks(text: str, task: str, quarter: int, rules: Rules, year: int | None,
            deadline: dt.date | None, overdue: bool) -> list[Check]:
    figures = [f for f in reported(text) if _counted(text, f, rules, normal(task))]
    checks = []
    for pair in match(targets(task), figures):
        period = period_of(text, quarter, pair.figure.start)
        whole_year = period.last == 12 or overdue
        if pair.target.unit == "%":
            checks.append(_rate_check(pair.target, pair.figure, whole_year))
        else:
            check = _amount_check(pair.target, pair.figure, expected(period, year, deadline), whole_year)
            if (period.first, period.last) != (1, 3 * quarter):
                check = Check(check.grade, f"{check.basis}（{period.label()}）", check.ahead)
            checks.append(check)
    for figure in figures:
        if figure.kind == SHARE:
            checks.append(_share_check(figure, expected(period_of(text, quarter, figure.start), year, deadline)))
    return checks


def _discrete(task: str, rules: Rules) -> bool:
    """A task with an end: a target, a verb of its own (出台, 建成 …) or 完成 in its text."""
    return bool(targets(task)) or bool(own_verbs(task, rules)) or "完成" in normal(task)


@lru_cache(maxsize=16384)  # consolidation judges a text once; the report asks again for the leads it names
def judge(text: str, task: str, quarter: int, rules: Rules = DEFAULT_RULES, deadline: dt.date | None = None,
          year: int | None = None) -> Verdict:
    """The status of a task in `quarter` (1-4) from the lead unit's 完成情况 `text`.

    `deadline` is the task's own 完成时限 and `year` the plan's year, when known.
    """
    why = not_a_report(text, task, rules)
    if why:
        return Verdict(NOT_REPORTED, f"未报送：{why}")
    text = normal(text)
    late = delay(text, rules)
    if late:
        return Verdict(BEHIND, f"有滞后的说法“{late}”")
    overdue = deadline is not None and year is not None and quarter_end(year, quarter) >= deadline
    checks = _checks(text, task, quarter, rules, year, deadline, overdue)
    if checks:
        basis = "；".join(dict.fromkeys(c.basis for c in checks))
        if any(c.grade == SHORT for c in checks):
            return Verdict(BEHIND, "；".join(c.basis for c in checks if c.grade == SHORT))
        if all(c.grade == MET for c in checks):
            return Verdict(DONE, basis)
        return Verdict(ON_TRACK, basis, all(c.ahead for c in checks))
    reading = read(text, task, rules)
    end = quarter == 4 or overdue
    when = f"已过完成时限{deadline.year}年{deadline.month}月" if overdue and deadline else f"已到{QUARTERS[quarter - 1]}"
    if reading.done:
        return Verdict(DONE, f"完成的说法“{reading.done}”")
    if reading.unfinished and (end or quarter >= 3 and reading.unfinished_own):
        return Verdict(BEHIND, f"{when}，仍“{reading.unfinished}”")
    if end and _discrete(task, rules):
        if reading.pending and not (reading.later or reading.pending_own):
            return Verdict(ON_TRACK, f"“{reading.pending}”：尚待完成或确认")
        return Verdict(BEHIND, f"{when}，任务仍未完成" + (f"（“{reading.pending}”）" if reading.pending else ""))
    ahead = bool(_AHEAD_WORDS.search(text))
    if reading.pending:
        return Verdict(ON_TRACK, f"“{reading.pending}”：尚未完成，按序时推进", ahead)
    if reading.step or reading.partial:
        return Verdict(ON_TRACK, f"完成的是阶段性工作或部分内容（“{reading.step or reading.partial}”）", ahead)
    return Verdict(ON_TRACK, "无完成或滞后的说法，按序时推进" if not end else "持续推进类任务，无滞后的说法", ahead)
