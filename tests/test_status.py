"""Status rules (已完成 / 序时推进 / 滞后 / 未报送) on 完成情况 texts, with their 判定依据."""

from __future__ import annotations

import datetime as dt

import pytest

from xltools.status.figures import CEILING, GROWTH, LEVEL, normal, reported, targets
from xltools.status.judge import judge
from xltools.status.phrases import is_report
from xltools.status.scale import COLORS, coarse, shown
from xltools.status.schedule import Period, deadline_of, expected, period_of
from xltools.status.words import Rules
from xltools.vocab import (
    AHEAD,
    AT_PACE,
    BEHIND,
    BEHIND_PACE,
    DONE,
    NOT_REPORTED,
    ON_TRACK,
    PACE_STATUSES,
    SCALE_FOUR,
    SCALE_PACE,
    STATUSES,
)

JOBS = "城镇新增就业22万人以上。"
GDP = "地区生产总值增长6%左右。"
POLICY = "开展“城市更新年”行动，制定城市更新三年行动方案。"
BRIDGE = "开工建设汉江慢行桥。"
ONGOING = "加快建设东湖科学城。"

CASES = [
    # figures against the target and 序时进度
    (JOBS, "新增城镇就业2.1万人。", 1, BEHIND),
    (JOBS, "一季度新增城镇就业6万人。", 1, ON_TRACK),
    (JOBS, "1-5月累计新增城镇就业9.5万人。", 2, ON_TRACK),  # 43.2% ≥ 41.7% (five months)
    (JOBS, "截至6月底新增城镇就业9.5万人。", 2, BEHIND),  # 43.2% < 50%
    (JOBS, "前三季度新增就业二十三万人，提前完成全年目标。", 3, DONE),  # Chinese numerals
    (JOBS, "三季度新增城镇就业6万人。", 3, ON_TRACK),  # the quarter alone: 27.3% ≥ 25%
    (JOBS, "1-11月新增城镇就业19.8万人。", 4, BEHIND),  # 90% < 91.7%
    ("新增公办学位3万个。", "新增公办学位0.4万个。", 2, BEHIND),
    ("新开工亿元以上项目930个。", "一季度新开工亿元以上项目128个。", 1, BEHIND),
    ("新增省级以上绿色工厂10家。", "获批国家级绿色工厂11家。", 3, DONE),
    # growth rates, ranges, levels and ceilings
    (GDP, "上半年地区生产总值同比增长6.3%。", 2, ON_TRACK),
    (GDP, "同比增长4.1%。", 2, BEHIND),
    (GDP, "全年地区生产总值增长6.2%。", 4, DONE),
    (GDP, "1-9月地区生产总值同比下降1.5%。", 3, BEHIND),
    ("规模以上工业增加值增长7%。", "1-9月规上工业增加值增长3.5%。", 3, BEHIND),
    ("地区生产总值增长7.5%—7.8%。", "全年增长7.6%。", 4, DONE),
    ("居民消费价格涨幅2%左右。", "居民消费价格同比上涨2.6%。", 3, BEHIND),
    ("力争PM2.5平均浓度降至35微克/立方米。", "PM2.5平均浓度32微克/立方米。", 2, ON_TRACK),
    ("数字经济核心产业增加值占地区生产总值比重达13%。", "比重为12.4%。", 2, BEHIND),
    # shares of the target as stated
    (ONGOING, "正在推进，完成年度计划的30%。", 1, ON_TRACK),
    (ONGOING, "已完成年度计划的60%。", 3, BEHIND),
    (ONGOING, "超额完成年度目标，完成率117%。", 2, DONE),
    # the task's own verb done, or only a step of it
    (POLICY, "《城市更新三年行动方案》已于2月印发实施。", 1, DONE),
    (POLICY, "方案已形成初稿，正在征求意见。", 1, ON_TRACK),
    (POLICY, "仍在修改完善中，尚未出台。", 3, BEHIND),
    (POLICY, "仍在修改完善中，尚未出台。", 2, ON_TRACK),
    (POLICY, "已提请常务会审议，待审议通过后印发。", 4, BEHIND),
    (BRIDGE, "汉江慢行桥已于6月18日正式开工。", 2, DONE),
    (BRIDGE, "已完成项目立项，初步设计正在编制。", 1, ON_TRACK),
    (BRIDGE, "已完成施工图设计，计划明年一季度开工。", 4, BEHIND),
    ("建成15个托育服务综合指导中心。", "15个中心已全部建成并投入运营。", 4, DONE),
    ("办好第八届设计双年展。", "双年展于10月在汉成功举办。", 4, DONE),
    ("办好第八届设计双年展。", "招展工作正在推进，计划10月开幕。", 2, ON_TRACK),
    ("争创全国首批“万兆先锋”城市。", "我市成功入选全国首批“万兆先锋”城市。", 3, DONE),
    ("建设东湖开源社区，筹建开源创新中心。", "开源社区已上线运营，开源创新中心正在筹建。", 2, ON_TRACK),
    ("改造老旧小区。", "前期摸底调查已完成，改造计划正在编制。", 1, ON_TRACK),
    ("完成第三次全国土壤普查任务。", "外业调查采样已全部完成，内业测试化验正在进行中。", 2, ON_TRACK),
    ("完成第三次全国土壤普查任务。", "普查任务已全面完成，成果通过省级验收。", 4, DONE),
    ("完成省下达的节能减排任务。", "全年各项指标预计可全面完成，待省考核确认。", 4, ON_TRACK),
    ("完成省下达的节能减排任务。", "经省考核，全面完成省下达的年度节能减排任务。", 4, DONE),
    (ONGOING, "已完成全年目标任务。", 4, DONE),
    (ONGOING, "病理科数智化建设基本完成，正在联调测试。", 3, ON_TRACK),
    # delay in other words
    ("加快推进中韩石化炼化一体项目。", "进场推迟，工期较计划延后约2个月。", 2, BEHIND),
    (ONGOING, "暂无进展。", 1, BEHIND),
    (ONGOING, "进度滞后，受资金未到位影响，目前完成33%。", 2, BEHIND),
    (ONGOING, "项目未启动，待上级政策明确后实施。", 1, BEHIND),
    (ONGOING, "落后于序时进度。", 2, BEHIND),
    # plain progress; the end of the year
    (ONGOING, "有序推进中，已召开推进会。", 1, ON_TRACK),
    (ONGOING, "稳步推进，各项工作按时间节点开展。", 4, ON_TRACK),  # a task without an end
    (ONGOING, "尚未完成全年目标，正在加紧推进。", 3, ON_TRACK),
    ("完成管网改造任务。", "尚未完成，项目前期手续仍在办理中。", 4, BEHIND),
    ("完成管网改造任务。", "未完成全年目标。", 4, BEHIND),
    # not a report
    (ONGOING, "", 1, NOT_REPORTED),
    (ONGOING, "   ", 2, NOT_REPORTED),
    (ONGOING, "无", 2, NOT_REPORTED),
    (ONGOING, "同上。", 3, NOT_REPORTED),
    (ONGOING, "详见附件", 3, NOT_REPORTED),
    (ONGOING, "=VLOOKUP(C5,Sheet1!A:D,4,FALSE)", 2, NOT_REPORTED),
    (ONGOING, "https://www.wuhan.gov.cn/a/b.html", 2, NOT_REPORTED),
    (ONGOING, "——", 2, NOT_REPORTED),
    (ONGOING, "加快建设东湖科学城", 2, NOT_REPORTED),  # the task copied
]


@pytest.mark.parametrize(("task", "text", "quarter", "expected"), CASES,
                         ids=[f"{c[2]}季度:{c[1][:14] or '空'}" for c in CASES])
def test_status_of_phrasings(task, text, quarter, expected):
    assert judge(text, task, quarter).status == expected


@pytest.mark.parametrize(("text", "quarter", "basis"), [
    ("新增城镇就业2.1万人。", 1, "目标22万人以上，报送2.1万人，9.5% < 序时25%"),
    ("1-11月新增城镇就业20.5万人。", 4, "93.2% ≥ 序时91.7%（1-11月）"),
    ("同比增长4.1%。", 2, "< 目标"),
    ("进场推迟。", 2, "有滞后的说法“推迟”"),
    ("同上", 2, "未报送：内容为“同上”"),
])
def test_every_status_says_why(text, quarter, basis):
    task = GDP if "增长" in text else JOBS
    assert basis in judge(text, task, quarter).basis


def test_targets_and_figures_are_read_with_their_units():
    found = targets("推进2400个亿元以上项目、90个百亿元以上项目建设，新开工亿元以上项目930个，固定资产投资增长5%左右。")
    assert [(f.value, f.unit) for f in found if f.unit != "%"] == [(2400, "个"), (90, "个"), (930, "个")]
    assert [(f.kind, f.value, f.approximate) for f in found if f.unit == "%"] == [(GROWTH, 5.0, "左右")]
    assert [(f.kind, f.value) for f in targets("国控、省控断面水质优良比例分别达100%、88%以上。")] == \
        [(LEVEL, 100.0), (LEVEL, 88.0)]
    assert targets("居民消费价格涨幅2%左右。")[0].kind == CEILING
    assert targets("力争PM2.5平均浓度降至35微克/立方米。")[0].kind == CEILING
    assert targets("建成全市停车“一张网”，推进“一区一品”，办好第十二届运动会。") == ()
    figures = reported(normal("新增停车泊位十六万个，建成绿道１０５公里，新增学位0.4万个。"))
    assert [(f.value, f.unit) for f in figures] == [(160000, "个"), (105, "公里"), (4000, "个")]
    figures = reported(normal("走进千家万户，一至五月新增就业十万人，建成第三个中心。"))
    assert [(f.value, f.unit) for f in figures] == [(100000, "人")]  # not 千家, not the ordinal


def test_the_report_names_its_months():
    assert period_of("1-11月累计…", 4) == Period(1, 11)
    assert period_of("截至9月底，…", 3).last == 9
    assert period_of("三季度新增…", 3) == Period(7, 9)
    assert period_of("前三季度…", 3) == Period(1, 9)
    assert period_of("一至五月…", 2) == Period(1, 5)
    assert period_of("计划明年一季度开工。", 4) == Period(1, 12)  # a plan, not the figure's months
    assert period_of("新增…", 2) == Period(1, 6)
    assert round(expected(Period(1, 11)), 1) == 91.7
    assert expected(Period(1, 6), 2018, dt.date(2018, 9, 28)) == pytest.approx(66.7, abs=0.1)


def test_what_is_not_a_report():
    task = "倡导绿色生活。拓展碳普惠应用场景，推动产品碳足迹管理。"
    for text in ("", "无", "同上", "/", "…", "0", "#REF!", "见上季度报送材料。", "不涉及",
                 "拓展碳普惠应用场景，推动产品碳足迹管理。"):
        assert not is_report(text, task), text
    for text in ("暂无进展。", "已拓展碳普惠应用场景12个。", "无新进展", "完成"):
        assert is_report(text, task), text


def test_rules_are_editable():
    rules = Rules.from_text(done="办结", behind="卡壳", negations="未", not_reports="不适用", verbs="挂牌：揭牌")
    assert judge("本事项已办结。", ONGOING, 2, rules).status == DONE
    assert judge("目前卡壳。", ONGOING, 2, rules).status == BEHIND
    assert judge("已完成全年目标任务。", ONGOING, 2, rules).status == ON_TRACK  # not a done word any more
    assert judge("不适用", ONGOING, 2, rules).status == NOT_REPORTED
    assert judge("学院已于5月揭牌。", "推动网络安全学院挂牌。", 2, rules).status == DONE
    assert judge("学院已于5月揭牌。", "推动网络安全学院挂牌。", 2).status == ON_TRACK


def test_own_deadline_makes_unfinished_work_late():
    assert deadline_of("2018年6月出台政策，2020年12月完成") == dt.date(2020, 12, 28)
    deadline = deadline_of("2018年6月")
    late = judge("正在推进。", "出台化工园区技术改造支持政策。", 3, deadline=deadline, year=2018)
    assert late.status == BEHIND and "已过完成时限2018年6月" in late.basis
    assert judge("正在推进。", "出台化工园区技术改造支持政策。", 1, deadline=deadline, year=2018).status == ON_TRACK
    # against its own time, half of the figure is due by 2018年3月 of a task due in 2018年6月
    assert judge("已建成12个。", "建成标志性智能制造示范工厂24个。", 1, deadline=deadline, year=2018).status == ON_TRACK
    assert judge("已建成12个。", "建成标志性智能制造示范工厂24个。", 1).status == ON_TRACK
    assert judge("已建成5个。", "建成标志性智能制造示范工厂24个。", 1, deadline=deadline, year=2018).status == BEHIND


def test_finer_scale_maps_onto_the_four_colours():
    pace = Rules.from_text(scale=SCALE_PACE)
    assert judge("一季度新增城镇就业8.5万人。", JOBS, 1, pace).shown(pace) == AHEAD  # 38.6%, 序时 25%
    assert judge("一季度新增城镇就业5.6万人。", JOBS, 1, pace).shown(pace) == AT_PACE
    assert judge("一季度新增城镇就业2.1万人。", JOBS, 1, pace).shown(pace) == BEHIND_PACE
    assert judge("一季度新增城镇就业8.5万人。", JOBS, 1).shown(Rules.from_text()) == ON_TRACK
    assert shown(DONE, True, SCALE_PACE) == DONE and shown(ON_TRACK, True, SCALE_FOUR) == ON_TRACK
    assert {coarse(w) for w in PACE_STATUSES} == set(STATUSES)
    assert COLORS[AHEAD] == COLORS[AT_PACE] == COLORS[ON_TRACK] and COLORS[BEHIND_PACE] == COLORS[BEHIND]
    assert coarse("  滞后 ") == BEHIND and coarse("待核实") == "待核实"  # a clerk's own word is left alone
    assert Rules.from_text(scale="五级").scale == SCALE_FOUR
