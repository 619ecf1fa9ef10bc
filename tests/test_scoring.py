"""考核: the year-end scoring sheet of the tracker, read back as a clerk opens it.

A tracker over two quarters of known returns is written to .xlsx; the scores must
agree with what 汇总, 季度对比 and 报送情况 in the same file say, and the formulas
must compute the stored values and follow a rule the clerk changes (LibreOffice).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.office import soffice, system_uno
from xltools.master.read import read_settings
from xltools.merge.consolidate import consolidate
from xltools.merge.model import Submission
from xltools.merge.scoring import RULES_ROW
from xltools.readers.master import load_master
from xltools.vocab import (
    BEHIND,
    CURRENT_STATUS,
    DONE,
    KEY,
    LATE,
    MISSING,
    ON_TRACK,
    PLAN,
    QUARTERLY,
    REPORTING,
    SCORING,
    SUBMITTED,
    SUMMARY,
    TaskId,
)
from xltools.workflow import write_tracker

# task → (lead, its words in quarter 1, in quarter 2)
WORDS = {
    "二-1": ("市商务局", "进度滞后，受资金未到位影响。", "仍滞后，项目未开工。"),
    "二-4": ("市商务局", "进度滞后，受资金未到位影响。", "已完成全年目标任务。"),
    "二-5": ("市商务局", "按计划推进。", "未启动，待上级政策明确后实施。"),
    "二-6": ("市经信局", "已完成。", "已完成。"),
    "二-41": ("市经信局", "进度滞后，受资金未到位影响。", "进度滞后，受资金未到位影响。"),
}
SENT = {  # unit → when its 附表3 came in each quarter (None: not sent); due 20 April and 20 July
    "市商务局": (dt.datetime(2025, 4, 10), dt.datetime(2025, 7, 25)),
    "市经信局": (dt.datetime(2025, 4, 10), dt.datetime(2025, 7, 10)),
    "市教育局": (None, None),
}


@pytest.fixture(scope="module")
def book(master_2025, tmp_path_factory):
    master = load_master(master_2025)
    sheet = master.sheet_of(master.plans[0])
    subs = [Submission(f"{unit}{q}.xlsx", unit, q, when[q - 1], {3},
                       {str(TaskId(sheet, key)): said[q - 1] for key, (lead, *said) in WORDS.items() if lead == unit})
            for unit, when in SENT.items() for q in (1, 2) if when[q - 1]]
    tracker = consolidate(master, subs, [], 2, dt.date(2025, 12, 31))
    path = tmp_path_factory.mktemp("scoring") / "汇总台账.xlsx"
    write_tracker(tracker, path, {})
    return master, path


def _rows(path: Path, sheet: str, values: bool = True) -> list[dict]:
    ws = openpyxl.load_workbook(path, data_only=values)[sheet]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def _score(rows: list[dict], unit: str) -> dict:
    return next(r for r in rows if r["单位"] == unit)


def test_scores_agree_with_the_tracker_s_own_sheets(book):
    master, path = book
    scores = _rows(path, SCORING)
    status = {(r[PLAN], r[KEY]): r[CURRENT_STATUS] for r in _rows(path, SUMMARY)}
    quarters = {(r[PLAN], r[KEY]): [r["第一季度状态"], r["第二季度状态"]] for r in _rows(path, QUARTERLY)}
    reporting = {r["单位"]: r for r in _rows(path, REPORTING)}
    sheet = master.sheet_of(master.plans[0])
    assert len(quarters) == 340 and all(words[-1] == status[at] for at, words in quarters.items())  # 季度对比 = 汇总
    for unit in SENT:
        mine = [t.key for t in master.plans[0].tasks if unit in t.lead]
        row = _score(scores, unit)
        states = [v for k, v in reporting[unit].items() if k.startswith("附表") or k.endswith("附表3")]
        owed = sum(1 for v in states if v in (SUBMITTED, LATE, MISSING))
        on_time = sum(1 for v in states if v == SUBMITTED)
        good = sum(1 for k in mine if status[sheet, k] in (DONE, ON_TRACK))
        twice = [k for k in mine if quarters[sheet, k] == [BEHIND, BEHIND]]
        assert (row["应报附表"], row["按时报送"]) == (owed, on_time)
        assert (row["考核任务"], row["任务数"], row["已完成或序时推进"]) == ("牵头任务", len(mine), good)
        assert (row["连续两季度滞后的任务"] or "") == "、".join(twice)
        assert row["报送得分"] == round(40 * on_time / owed, 1)
        assert row["完成得分"] == round(60 * good / len(mine), 1)
        assert row["总分"] == pytest.approx(max(0, row["报送得分"] + row["完成得分"] - 2 * len(twice)))
    assert _score(scores, "市商务局")["连续两季度滞后的任务"] == "二-1"
    assert _score(scores, "市经信局")["连续两季度滞后的任务"] == "二-41"
    assert _score(scores, "市商务局")["按时报送"] < _score(scores, "市商务局")["应报附表"]  # Q2 came late
    assert _score(scores, "市教育局")["报送得分"] == 0  # nothing came


def test_scores_are_formulas_over_the_rule_row(book):
    _, path = book
    formulas = _score(_rows(path, SCORING, values=False), "市商务局")
    assert formulas["报送得分"].startswith("=IF(") and "$E$4" in formulas["报送得分"]
    assert formulas["总分"].startswith("=MAX(0,")
    rule = _rows(path, SCORING)[0]
    assert (rule["报送得分"], rule["完成得分"], rule["扣分"], rule["总分"]) == (40, 60, 2, 100)
    ws = openpyxl.load_workbook(path)[SCORING]
    assert ws.auto_filter.ref is None  # the rule row must not be sorted away from the formulas using it


def test_libreoffice_computes_the_stored_scores_and_follows_a_changed_rule(book):
    _, path = book
    office, python = soffice(), system_uno()
    stored = _rows(path, SCORING)

    def recalculated(*typed: str) -> list[dict]:
        done = subprocess.run([python, str(Path(__file__).parent / "lo_recalc.py"), office, str(path), SCORING, *typed],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        rows = json.loads(done.stdout.strip().splitlines()[-1])
        return [dict(zip(rows[2], r, strict=False)) for r in rows[3:]]

    as_is = recalculated()
    for mine, theirs in zip(stored, as_is, strict=True):
        assert theirs["总分"] == pytest.approx(mine["总分"]), mine["单位"]
    harsher = recalculated(f"L{RULES_ROW}=10")  # a clerk takes 10 points per task lagging twice
    before, after = _score(as_is, "市商务局"), _score(harsher, "市商务局")
    assert after["扣分"] == 10 and after["总分"] == pytest.approx(max(0, before["总分"] + before["扣分"] - 10))


def test_the_rules_come_from_the_settings_sheet():
    rows = [["年度", 2025], ["考核：按时报送分值", "30分"], ["考核：完成分值", 70], ["考核：连续滞后扣分", "两分"]]
    problems = []
    settings = read_settings(rows, problems)
    assert (settings.on_time_points, settings.completion_points, settings.lag_penalty) == (30, 70, 2)
    assert ["“考核：连续滞后扣分”应填分值" in p.message for p in problems] == [True]
