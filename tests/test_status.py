"""Status rules on real-sounding 完成情况 texts (已完成 / 序时推进 / 滞后 / 未报送)."""

from __future__ import annotations

import datetime as dt

import pytest

from xltools.merge.status import BEHIND, DONE, NOT_REPORTED, ON_TRACK, Rules, deadline_of, status_of

CASES = [
    ("已完成全年目标任务。召开专题会议3次。", 2, DONE),
    ("已完成。", 1, DONE),
    ("全面完成省下达的节能减排任务。", 3, DONE),
    ("超额完成年度目标，完成率117%。", 2, DONE),
    ("提前完成年度任务，新增签约项目8个。", 3, DONE),
    ("项目已建成投用。", 4, DONE),
    ("实施方案已印发，各项措施已落实。", 2, DONE),
    ("截至6月底，完成率100%。", 2, DONE),
    ("正在推进，完成年度计划的30%。", 1, ON_TRACK),
    ("正在推进，完成年度计划的10%。", 1, BEHIND),  # a quarter gone, 10% done
    ("按计划推进，已完成58%，预计年底前完成。", 2, ON_TRACK),
    ("已完成年度计划的60%。", 3, BEHIND),  # three quarters gone, 60% done
    ("已完成年度计划的70%。", 3, ON_TRACK),
    ("序时推进，完成项目立项和招标。", 2, ON_TRACK),
    ("有序推进中，已召开推进会。", 1, ON_TRACK),
    ("稳步推进，各项工作按时间节点开展。", 3, ON_TRACK),
    ("尚未完成，项目前期手续仍在办理中。", 2, ON_TRACK),
    ("尚未完成，项目前期手续仍在办理中。", 4, BEHIND),  # year end: not done is behind
    ("未完成全年目标。", 4, BEHIND),
    ("尚未完成全年目标，正在加紧推进。", 3, ON_TRACK),
    ("没有全面完成，部分指标差距较大。", 3, ON_TRACK),
    ("未能完成年度目标。", 4, BEHIND),
    ("进度滞后，受资金未到位影响，目前完成33%。", 2, BEHIND),
    ("项目未启动，待上级政策明确后实施。", 1, BEHIND),
    ("暂未启动。", 2, BEHIND),
    ("进展缓慢，正在协调解决用地问题。", 3, BEHIND),
    ("因疫情影响，难以完成全年任务。", 3, BEHIND),
    ("工程未开工。", 2, BEHIND),
    ("落后于序时进度。", 2, BEHIND),
    ("基本完成，剩余扫尾工作将于下季度完成。", 3, ON_TRACK),
    ("", 1, NOT_REPORTED),
    ("   ", 2, NOT_REPORTED),
    ("已完成投资12.5亿元，占年度计划的45%。", 2, ON_TRACK),  # the percentage, not "已完成", decides
    ("已完成投资12.5亿元，占年度计划的35%。", 2, BEHIND),
    ("完成投资45亿元，进度达到80%。", 3, ON_TRACK),
]


@pytest.mark.parametrize(("text", "quarter", "expected"), CASES, ids=[f"{c[1]}季度:{c[0][:12] or '空'}" for c in CASES])
def test_status_of_phrasings(text, quarter, expected):
    assert status_of(text, quarter) == expected


def test_rules_are_editable():
    rules = Rules.from_text(done="办结", behind="卡壳", negations="未")
    assert status_of("本事项已办结。", 2, rules) == DONE
    assert status_of("目前卡壳。", 2, rules) == BEHIND
    assert status_of("已完成。", 2, rules) == ON_TRACK  # not a done word any more


def test_own_deadline_makes_unfinished_work_late():
    assert deadline_of("2018年6月出台政策，2020年12月完成") == dt.date(2020, 12, 28)
    deadline = deadline_of("2018年6月")
    assert status_of("正在推进。", 3, deadline=deadline, quarter_end=dt.date(2018, 9, 30)) == BEHIND
    assert status_of("正在推进。", 1, deadline=deadline, quarter_end=dt.date(2018, 3, 31)) == ON_TRACK
