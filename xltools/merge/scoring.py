"""考核: the year-end score of each responsible unit, as formulas a clerk can read and adjust.

The rules come from 设置 (defaults: reporting on time 40 points by the share of
forms sent on time; completion 60 points by the share of the unit's lead tasks
已完成 or 序时推进 — its tasks when it leads none; 2 points off per task 滞后 two
quarters running; never below 0). The counts are values taken from 报送情况 and
季度对比; the scores are formulas over the counts and over the sheet's rule row,
so a clerk who changes a rule there sees every score follow.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from xltools.master.content import HEADER_ROW, Formula, Master, Table, assignments, task_roles
from xltools.master.settings import Settings
from xltools.status.scale import coarse
from xltools.vocab import (
    BEHIND,
    DONE,
    KEY,
    LATE,
    MISSING,
    ON_TRACK,
    PLAN,
    ROLE_LEAD,
    SCORING,
    STATUS,
    SUBMITTED,
    UNIT,
    quarter_column,
)

OWED, ON_TIME, ON_TIME_RATE, ON_TIME_SCORE = "应报附表", "按时报送", "按时率（%）", "报送得分"
BASIS, TASKS, GOOD, GOOD_RATE, GOOD_SCORE = "考核任务", "任务数", "已完成或序时推进", "完成率（%）", "完成得分"
LAGGING, PENALTY, TOTAL, LAGGING_KEYS = "连续两季滞后", "扣分", "总分", "连续两季度滞后的任务"
HEADER = [UNIT, OWED, ON_TIME, ON_TIME_RATE, ON_TIME_SCORE, BASIS, TASKS, GOOD, GOOD_RATE, GOOD_SCORE,
          LAGGING, PENALTY, TOTAL, LAGGING_KEYS]
RULES_LABEL = "评分规则（满分、每项扣分）"
RULES_ROW = HEADER_ROW + 1  # the sheet row of the rule values, referenced by every score
LEAD_TASKS, OWN_TASKS = "牵头任务", "参与任务"


def _cell(name: str, row: int, absolute: bool = False) -> str:
    letter = chr(ord("A") + HEADER.index(name))
    return f"${letter}${row}" if absolute else f"{letter}{row}"


def excel_round(number: float, places: int = 1) -> float:
    """ROUND as Excel does it (halves away from zero), so a stored value equals the recalculated one."""
    return float(Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def scoring_table(master: Master, quarters: Table, reporting: list[tuple[str, list[tuple[str, str, object]]]],
                  shown: list[int]) -> Table:
    """考核 from 季度对比 (`quarters`, statuses per quarter) and 报送情况 (`reporting`, status_rows)."""
    s = master.settings
    words = _quarter_words(quarters, shown)
    sheets = {id(plan): master.sheet_of(plan) for plan in master.plans}
    roles = {unit: task_roles(pairs) for unit, pairs in assignments(master).items()}
    rows: list[list] = [_rules_row(s)]
    for unit, states in reporting:
        owed = sum(1 for _, state, _ in states if state in (SUBMITTED, LATE, MISSING))
        on_time = sum(1 for _, state, _ in states if state == SUBMITTED)
        mine = roles.get(unit, {})
        lead = [at for at, role in mine.items() if role == ROLE_LEAD]
        tasks = [(sheets[plan], key) for plan, key in (lead or list(mine))]
        seen = [(key, words[sheet, key]) for sheet, key in tasks if (sheet, key) in words]
        good = sum(1 for _, w in seen if coarse(w[-1]) in (DONE, ON_TRACK))
        lagging = [key for key, w in seen if _lagged_twice(w)]
        rows.append(_unit_row(s, len(rows) + RULES_ROW, unit, owed, on_time, LEAD_TASKS if lead else OWN_TASKS,
                              len(seen), good, lagging))
    info = (f"年终考核，各责任单位一行（单位顺序同单位名录）。{ON_TIME_SCORE}＝{s.on_time_points}×按时报送的附表÷应报附表"
            f"（不含未到期的）；{GOOD_SCORE}＝{s.completion_points}×当前状态为已完成或序时推进的任务÷考核任务"
            f"（牵头任务，没有牵头任务的按参与任务）；每项连续两个季度滞后的任务扣 {s.lag_penalty} 分；总分最低为 0。"
            f"分值取自台账“设置”，也可直接改第 {RULES_ROW} 行，得分随之重算。")
    widths = {UNIT: 28, BASIS: 10, LAGGING_KEYS: 30} | {
        name: 10 for name in HEADER if name not in (UNIT, BASIS, LAGGING_KEYS)}
    return Table("scoring", SCORING, f"{s.year}年度考核评分", HEADER, rows, info, widths,
                 filtered=False)  # sorting would move the rule row away from the formulas using it


def _quarter_words(quarters: Table, shown: list[int]) -> dict[tuple[str, str], list[str]]:
    """(plan sheet, 编号) → the task's status per quarter, the last as staff set it."""
    at = {name: i for i, name in enumerate(quarters.header)}
    columns = [at[quarter_column(q, STATUS)] for q in shown]
    return {(row[at[PLAN]], row[at[KEY]]): [row[c] for c in columns] for row in quarters.rows}


def _lagged_twice(words: list[str]) -> bool:
    """滞后 in two quarters running, at any time of the year."""
    return any(coarse(a) == coarse(b) == BEHIND for a, b in zip(words, words[1:], strict=False))


def _rules_row(s: Settings) -> list:
    row: list = [RULES_LABEL] + [""] * (len(HEADER) - 1)
    row[HEADER.index(ON_TIME_SCORE)] = s.on_time_points
    row[HEADER.index(GOOD_SCORE)] = s.completion_points
    row[HEADER.index(PENALTY)] = s.lag_penalty
    row[HEADER.index(TOTAL)] = Formula(f"={_cell(ON_TIME_SCORE, RULES_ROW)}+{_cell(GOOD_SCORE, RULES_ROW)}",
                                       s.on_time_points + s.completion_points)
    row[HEADER.index(LAGGING_KEYS)] = "可改：改后各单位得分随之重算"
    return row


def _unit_row(s: Settings, n: int, unit: str, owed: int, on_time: int, basis: str, tasks: int, good: int,
              lagging: list[str]) -> list:
    """Sheet row `n` of a unit: counts as values, rates and scores as formulas with their values now."""
    def c(name: str) -> str:
        return _cell(name, n)

    def rules(name: str) -> str:
        return _cell(name, RULES_ROW, absolute=True)

    on_time_score = s.on_time_points if not owed else excel_round(s.on_time_points * on_time / owed)
    good_score = s.completion_points if not tasks else excel_round(s.completion_points * good / tasks)
    penalty = len(lagging) * s.lag_penalty
    return [
        unit, owed, on_time,
        Formula(f'=IF({c(OWED)}=0,"",ROUND({c(ON_TIME)}/{c(OWED)}*100,1))',
                excel_round(on_time / owed * 100) if owed else ""),
        Formula(f"=IF({c(OWED)}=0,{rules(ON_TIME_SCORE)},ROUND({rules(ON_TIME_SCORE)}*{c(ON_TIME)}/{c(OWED)},1))",
                on_time_score),
        basis, tasks, good,
        Formula(f'=IF({c(TASKS)}=0,"",ROUND({c(GOOD)}/{c(TASKS)}*100,1))',
                excel_round(good / tasks * 100) if tasks else ""),
        Formula(f"=IF({c(TASKS)}=0,{rules(GOOD_SCORE)},ROUND({rules(GOOD_SCORE)}*{c(GOOD)}/{c(TASKS)},1))",
                good_score),
        len(lagging),
        Formula(f"={c(LAGGING)}*{rules(PENALTY)}", penalty),
        Formula(f"=MAX(0,{c(ON_TIME_SCORE)}+{c(GOOD_SCORE)}-{c(PENALTY)})",
                max(0, on_time_score + good_score - penalty)),
        "、".join(lagging),
    ]
