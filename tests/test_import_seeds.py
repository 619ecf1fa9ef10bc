"""The import on the real seed documents: counts, structure and hand-checked tasks.

Every expectation below was read off the seed text by hand.
"""

from __future__ import annotations

import pytest

CENTRAL = ["江岸区人民政府", "江汉区人民政府", "硚口区人民政府", "汉阳区人民政府", "武昌区人民政府", "青山区人民政府", "洪山区人民政府"]
OUTER = ["蔡甸区人民政府", "江夏区人民政府", "黄陂区人民政府", "新洲区人民政府"]
# 东西湖区 and 汉南区 are run by the two economic zones (one unit each in the directory)
ZONES_AS_DISTRICTS = ["武汉经开区管委会", "临空港开发区管委会"]
DISTRICTS = CENTRAL + OUTER + ZONES_AS_DISTRICTS  # 各区人民政府
NEW_DISTRICTS = OUTER + ZONES_AS_DISTRICTS  # 各新城区人民政府
DEV_ZONES = ["东湖高新区管委会", "武汉经开区管委会", "临空港开发区管委会"]  # 各开发区管委会
# 001: 各区人民政府〈含开发区、长江新区、风景区管委会,下同〉
DISTRICTS_PLUS = DISTRICTS + ["东湖高新区管委会", "长江新区管委会", "东湖风景区管委会"]
# 001: 各涉农区人民政府〈含东湖高新区、长江新区、武汉经开区、临空港开发区管委会,青山、洪山、蔡甸、江夏、黄陂、新洲区人民政府,下同〉
# 003: the notice's prose says 各区人民政府（含开发区、风景区管委会，下同）, before its table
DISTRICTS_2018 = DISTRICTS + ["东湖高新区管委会", "东湖风景区管委会"]
FARMING = ["东湖高新区管委会", "长江新区管委会", "武汉经开区管委会", "临空港开发区管委会",
           "青山区人民政府", "洪山区人民政府", "蔡甸区人民政府", "江夏区人民政府", "黄陂区人民政府", "新洲区人民政府"]


def test_001_has_340_tasks_in_five_parts(seed):
    result = seed("001")
    assert len(result.plans) == 1
    plan = result.plans[0]
    assert plan.title == "2025年市《政府工作报告》目标任务责任分解方案"
    counts = {}
    for task in plan.tasks:
        counts[task.part] = counts.get(task.part, 0) + 1
    assert counts == {"一": 5, "二": 286, "三": 7, "四": 38, "五": 4}
    assert [t.key for t in plan.tasks[:6]] == ["一-(一)", "一-(二)", "一-(三)", "一-(四)", "一-(五)", "二-1"]
    assert len({t.key for t in plan.tasks}) == 340


def test_001_structure_parts_sections_themes(seed):
    plan = seed("001").plans[0]
    assert [p.title for p in plan.parts][:2] == ["经济社会发展主要预期目标", "十一个方面重点工作"]
    task = plan.task("二-16")
    assert task.section.startswith("（一）在促进内外需协调发展上加力提效")
    assert task.theme == "培育外贸新动能"  # written "^{——}培育外贸新动能" in the copy
    assert plan.task("三-2").section == "（二）深入推进依法行政"
    assert plan.task("五-3").text.startswith("100名园艺师挂牌服务")


def test_002_three_plans_with_city_and_district_leads_apart(seed):
    result = seed("002")
    assert [len(p.tasks) for p in result.plans] == [13, 148, 72]
    assert result.plans[0].title == "2023年省《政府工作报告》确定的主要目标任务（武昌区）责任分解方案"
    assert result.plans[2].title == "2023年区《政府工作报告》确定的主要目标任务责任分解方案"
    city = result.plans[1]
    assert [t.key for t in city.tasks] == [str(i) for i in range(1, 149)]  # numbering runs through
    task = city.task("1")
    assert task.assignment.city_lead == ["市发改委"]
    assert task.lead == ["区发改局"]


def test_003_every_measure_has_lead_units_and_deadline(seed):
    result = seed("003")
    plan = result.plans[0]
    assert plan.title.endswith("重点工作清单武汉市责任分解方案")
    assert len(plan.tasks) >= 160
    with_units = [t for t in plan.tasks if t.lead or t.units]
    with_deadline = [t for t in plan.tasks if t.deadline]
    assert len(with_units) / len(plan.tasks) > 0.95
    assert len(with_deadline) / len(plan.tasks) > 0.85
    # the tasks without units are the ones the copy lost, and each is reported
    reported = {w.message.split(" ")[1] for w in result.warnings if "没有写明任何单位" in w.message}
    assert reported == {t.key for t in plan.tasks if not (t.lead or t.units)}


def test_004_cut_off_copy_reports_the_declared_total(seed):
    result = seed("004")
    plan = result.plans[0]
    assert len(plan.tasks) == 25
    assert [t.key for t in plan.tasks[:5]] == ["(一)", "(二)", "(三)", "(四)", "1"]
    messages = [w.message for w in result.warnings]
    assert any("声明共 268 项，实际识别 21 项" in m for m in messages)
    assert any("发布评论" in m for m in messages)  # web-page furniture after the last task


# (seed, plan index, key, lead, units, city_lead) — lead and city_lead compared in order, units as sets.
EXPECTED = [
    ("001", 0, "一-(一)", ["市发改委"], DISTRICTS_PLUS, []),
    ("001", 0, "一-(三)", [], ["市发改委"], []),
    ("001", 0, "一-(四)", ["市发改委"], ["市民政局", "市人社局", "市农业农村局"] + DISTRICTS_PLUS, []),  # "." for "、"
    ("001", 0, "二-1", ["市商务局"], ["市发改委", "市卫健委", "市文旅局"] + DISTRICTS_PLUS, []),
    ("001", 0, "二-7", ["市发改委"], ["市教育局", "市经信局", "市民政局", "市人社局", "市自然资源和城乡建设局",
                                    "市农业农村局", "市商务局", "市文旅局", "市卫健委", "市住房和城市更新局"] + DISTRICTS_PLUS, []),
    ("001", 0, "二-14", ["市投资促进局"], DISTRICTS_PLUS, []),  # ":" typed for ";"
    ("001", 0, "二-16", ["市商务局"], ["江汉区人民政府", "硚口区人民政府", "黄陂区人民政府"], []),
    ("001", 0, "二-20", ["市商务局"], ["武汉仲裁委办"] + DISTRICTS_PLUS, []),  # "武汉仲裁委 办"
    ("001", 0, "二-22", ["市发改委"], ["市科技创新局", "东湖高新区管委会"], []),
    ("001", 0, "二-40", ["市人才工作局"], ["市委社会工作部", "市发改委", "市教育局", "市科技创新局", "市经信局",
                                        "市人社局", "市自然资源和城乡建设局", "市农业农村局", "市卫健委", "武汉人才集团"], []),
    ("001", 0, "二-45", ["武汉经开区管委会"], ["市委金融办", "市发改委", "市科技创新局", "市经信局", "市财政局", "市商务局"], []),
    ("001", 0, "二-54", ["市卫健委"], ["市发改委", "市经信局", "汉阳区人民政府", "江夏区人民政府"], []),
    ("001", 0, "二-58", ["市经信局"], ["市发改委", "市科技创新局", "东湖高新区管委会", "武汉经开区管委会",
                                    "临空港开发区管委会", "江夏区人民政府"], []),
    ("001", 0, "二-69", ["市公安局"], ["市数据局"], []),  # "…领导小组成员单位" is a placeholder (issue 13)
    ("001", 0, "二-80", ["市自然资源和城乡建设局", "市发改委", "市科技创新局"], CENTRAL, []),  # three clauses
    ("001", 0, "二-88", ["市科技创新局"], ["东湖高新区管委会", "武昌区人民政府", "洪山区人民政府", "江夏区人民政府"], []),
    ("001", 0, "二-103", [], ["市农业农村局", "市水务局", "市发改委"], []),
    ("001", 0, "二-105", ["市政府国资委"], ["市城投集团", "武汉城建集团", "武汉地铁集团", "武汉城发集团"], []),  # "等市属国企"
    ("001", 0, "二-107", ["江岸区人民政府"], ["市自然资源和城乡建设局", "市政府国资委"], []),
    ("001", 0, "二-124", ["市商务局"], ["市发改委", "市文旅局", "市卫健委", "东湖高新区管委会", "长江新区管委会",
                                    "武汉经开区管委会", "临空港开发区管委会"], []),
    ("001", 0, "二-136", ["市发改委"], ["市科技创新局", "市经信局", "市民政局", "市农业农村局", "市商务局", "市文旅局",
                                    "市住房和城市更新局", "市投资促进局", "市数据局", "市供销社", "市贸促会",
                                    "东湖高新区管委会", "武汉经开区管委会", "汉阳区人民政府", "武昌区人民政府",
                                    "黄陂区人民政府", "新洲区人民政府", "武汉金控集团", "市城投集团", "武汉城建集团",
                                    "武汉投控集团", "武汉文旅集团", "武汉农业集团", "武汉人才集团"], []),
    ("001", 0, "二-142", ["市住房和城市更新局"], ["市城管执法委", "市园林林业局", "江岸区人民政府", "江汉区人民政府",
                                              "硚口区人民政府"], []),
    ("001", 0, "二-153", ["市住房和城市更新局"], ["市公安局", "市自然资源和城乡建设局", "市城管执法委", *CENTRAL,
                                              "武汉城建集团", "武汉地铁集团"], []),
    ("001", 0, "二-158", ["市交通运输局"], ["市公安局", "市财政局", "市政府国资委", "东湖高新区管委会",
                                        "武汉经开区管委会", "洪山区人民政府", "江夏区人民政府"], []),  # "—28—" inside
    ("001", 0, "二-160", ["市自然资源和城乡建设局"], ["市农业农村局"] + FARMING, []),
    ("001", 0, "二-161", ["市农业农村局"], ["市农科院"] + FARMING, []),  # "下同" carries the definition
    ("001", 0, "二-167", ["市交通运输局"], NEW_DISTRICTS, []),
    ("001", 0, "二-172", ["市农业农村局"], ["市委社会工作部", "市生态环境局", "市城管执法委"] + FARMING, []),  # " 30 —"
    ("001", 0, "二-207", ["市委宣传部"], ["市教育局", "市民政局", "市农业农村局", "市总工会", "团市委", "市妇联"]
     + DISTRICTS_PLUS, []),
    ("001", 0, "二-231", ["市城投集团"], ["市发改委", "市经信局", "市商务局", "江汉区人民政府"], []),
    ("001", 0, "四-35", ["市公安局"], CENTRAL, []),
    ("002", 0, "1", [], ["区卫健局"], []),
    ("002", 0, "5", [], ["市生态环境局武昌区分局", "区城管执法局"], []),
    ("002", 0, "9", [], ["区民政局", "武昌社保处", "区残联"], []),
    ("002", 1, "15", ["区财政局", "区发改局", "区地方金融局"], [], ["市发改委"]),
    ("002", 1, "33", ["区科经局", "区发改局"], [], ["市经信局", "市发改委"]),  # 其中,X〈…〉;Y〈…〉
    ("002", 1, "40", ["市自然资源和规划局武昌分局"], [], ["市自然资源规划局"]),
    ("002", 1, "56", ["区建设局"], [], ["市城建局"]),  # "责任单位:区级牵头单位:区建设局"
    ("002", 1, "72", ["区地方金融局"], [], ["武昌区人民政府"]),
    ("002", 2, "5", [], ["区科经局", "首义科创投集团"], []),
    ("002", 2, "64", [], ["区应急局", "区建设局", "区消防救援大队", "东湖城建集团"], []),
    ("003", 0, "一-(一)-1-(1)", ["市发改委", "市经信局"], ["市财政局", "市国土规划局", "市生态环境局", "市安监局",
                                                     "市城乡建设委", "市地税局", "市国税局"] + DISTRICTS_2018, []),
    ("003", 0, "一-(三)-2-(3)", ["市发改委"], DISTRICTS_2018, []),
    ("003", 0, "二-(一)-2", ["市农业农村局"], ["市发改委", "市财政局"] + NEW_DISTRICTS, []),  # lead: merged cell
    ("003", 0, "三-(二)-6", ["市教育局"], ["市民宗委"], []),
    ("004", 0, "(一)", ["市发改委"], DISTRICTS + ["东湖高新区管委会"], []),  # 〈含开发区管委会〉 only here
    ("004", 0, "8", ["市水务局"], ["市生态环境局"] + DISTRICTS + ["东湖高新区管委会", "东湖风景区管委会"], []),
    ("004", 0, "15", ["市发改委"], ["市经信局", "市商务局"] + CENTRAL + DEV_ZONES, []),
    ("004", 0, "17", ["市城投集团"], ["市发改委", "市自然资源规划局", "汉阳区人民政府"], []),
]


@pytest.mark.parametrize(("number", "plan", "key", "lead", "units", "city_lead"), EXPECTED,
                         ids=[f"{e[0]}-{e[1]}-{e[2]}" for e in EXPECTED])
def test_hand_checked_task(seed, number, plan, key, lead, units, city_lead):
    """The units as the clause writes them (the notice's no-lead rule is applied on top, see below)."""
    written = seed(number).plans[plan].task(key).assignment
    assert written.lead == lead
    assert sorted(written.units) == sorted(dict.fromkeys(units))
    assert written.city_lead == city_lead


def test_table_deadlines_and_merged_cells(seed):
    plan = seed("003").plans[0]
    first = plan.task("一-(一)-1-(1)")
    assert first.deadline == "2018年6月出台政策，2020年12月完成"
    assert first.theme == "全力打好湖北长江大保护十大标志性战役"
    assert plan.task("二-(一)-2").deadline == "2020年12月"  # blank cell under a merged one
    assert plan.task("一-(三)-3-(1)").text == "启动创建综合性国家科学中心。"


def test_source_lines_point_at_the_task(seed):
    plan = seed("001").plans[0]
    task = plan.task("二-7")
    assert task.source_lines == (44, 46)  # broken by the page number "—4—"
    assert "教育局" not in task.text and "—4—" not in task.text


# -- issue 13: the plan as the document says it --------------------------------------------------

def test_plan_years(seed):
    assert [p.year for p in seed("001").plans] == [2025]
    assert [p.year for p in seed("002").plans] == [2023, 2023, 2023]
    assert [p.year for p in seed("003").plans] == [2018]  # from the notice's number 武政〔2018〕27号
    assert [p.year for p in seed("004").plans] == [2020]


def test_001_placeholders_are_listed_not_assigned(seed):
    result = seed("001")
    found: dict[str, list[str]] = {}
    for task in result.plans[0].tasks:
        for mention in task.assignment.placeholders:
            found.setdefault(mention.text, []).append(task.key)
            assert mention.text not in task.all_units()
    assert found == {
        "市城市数字公共基础设施建设工作领导小组成员单位": ["二-69", "二-93", "二-156"],
        "相关区人民政府": ["二-82"],
        "市“无废城市”建设工作领导小组成员单位": ["二-197"],
        "市儿童友好城市建设工作领导小组成员单位": ["二-258"],
    }
    listed = [w.message for w in result.warnings if w.message.startswith("需指定具体单位")]
    assert len(listed) == 4 and any("（任务 二-69、二-93、二-156）" in m for m in listed)


def test_001_tasks_without_a_lead_are_led_by_their_units(seed):
    plan = seed("001").plans[0]
    assert plan.task("一-(三)").lead == ["市发改委"] and plan.task("一-(三)").units == []
    whole_government = plan.task("三-1")  # (责任单位:市人民政府各部门,各区人民政府)
    assert len(whole_government.lead) == 34 + 16 and whole_government.units == []
    assert all(t.lead or not t.all_units() for t in plan.tasks)


def test_001_units_in_the_clause_s_order(seed, units):
    task = seed("001").plans[0].task("二-1")  # (牵头单位:市商务局;责任单位:市发改委、市卫健委、市文旅局,各区人民政府)
    in_directory = [u for u in units.entries if u in DISTRICTS_PLUS]
    assert task.assignment.units == ["市发改委", "市卫健委", "市文旅局", *in_directory]
    assert [m.text for m in task.assignment.mentions][:4] == ["市商务局", "市发改委", "市卫健委", "市文旅局"]


def test_001_text_as_a_clerk_writes_it(seed):
    plan = seed("001").plans[0]
    assert "PM2.5平均浓度" in plan.task("二-194").text  # "PM_{2.5}" in the OCR'd copy
    assert plan.task("二-17").text == "培育“领跑者”企业50家。"
    texts = [t.text for t in plan.tasks] + [m.text for t in plan.tasks for m in t.assignment.mentions]
    assert not [t for t in texts if '"' in t or "_{" in t]


def test_003_groups_cover_the_bodies_of_2018(seed):
    plan = seed("003").plans[0]
    government = plan.task("四-(一)-1").lead  # 牵头单位：市人民政府各部门，各区人民政府
    assert {"市安监局", "市国土规划局", "市城乡建设委", "市房管局"} <= set(government)
    assert not {"市应急局", "市自然资源和城乡建设局", "市住房和城市更新局", "市数据局"} & set(government)
    housing = plan.task("三-(五)-9").assignment
    assert [m.text for m in housing.mentions if "房管" in m.text] == ["市住房保障房管局"]  # as written
    assert "市房管局" in housing.units  # one body under its 2018 name
