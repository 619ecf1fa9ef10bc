"""The plan as the document says it (issue 13): placeholders, the no-lead rule, the clause's order and
wording, and one name per body with the years of its names."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import directory
from xltools.errors import BadFile
from xltools.forms.model import unit_forms
from xltools.master.content import compress_units, directory_table, master_tables, new_master, written_units
from xltools.master.settings import Settings
from xltools.model import Document, SourceLine
from xltools.parse import parse_document
from xltools.parse.unitlist import resolve_units
from xltools.text import file_name_safe, pair_quotes, strip_noise
from xltools.units import FormerName, UnitDirectory, directory_from_rows, former_name


def plan_of(*task_lines: str, title: str = "2025年市《政府工作报告》目标任务责任分解方案", units=None):
    lines = [title, "二、重点工作", *task_lines]
    doc = Document("方案.txt", [SourceLine(i + 1, text) for i, text in enumerate(lines)])
    result = parse_document(doc, units or directory())
    return result.plans[0], result.warnings


def one(text: str, units=None):
    [res] = resolve_units(text, (units or directory()).copy())
    return res


# -- placeholders -----------------------------------------------------------------------------

@pytest.mark.parametrize("phrase", ["有关单位", "各有关单位", "相关区人民政府", "市城市数字公共基础设施建设工作领导小组成员单位",
                                    "其他相关部门", "各城区人民政府"])
def test_a_placeholder_names_no_unit(phrase):
    res = one(phrase)
    assert res.placeholder and res.units == []


def test_a_group_is_a_placeholder_until_the_directory_gives_it_members():
    rows = [["单位名称", "类别", "所属分组"], ["市人民政府各部门", "分组", ""], ["市商务局", "市政府部门", ""]]
    empty = directory_from_rows(rows, "名录")
    assert one("市人民政府各部门", empty).placeholder
    rows[2][2] = "市人民政府各部门"
    assert one("市人民政府各部门", directory_from_rows(rows, "名录")).units == ["市商务局"]
    # a 领导小组's members, once the office lists them, are expanded like any group
    rows.append(["市火星局", "市政府部门", "市儿童友好城市建设工作领导小组成员单位"])
    assert one("市儿童友好城市建设工作领导小组成员单位", directory_from_rows(rows, "名录")).units == ["市火星局"]


def test_placeholders_stay_on_the_task_and_out_of_its_units():
    plan, warnings = plan_of("1.推进一件事。(牵头单位:市经信局;责任单位:市科技创新局,相关区人民政府)",
                             "2.再推进一件事。(责任单位:相关区人民政府、有关单位)")
    first, second = plan.tasks
    assert first.all_units() == ["市经信局", "市科技创新局"]
    assert [m.text for m in first.assignment.placeholders] == ["相关区人民政府"]
    assert second.all_units() == [] and len(second.assignment.placeholders) == 2
    listed = [w.message for w in warnings if "需指定具体单位" in w.message]
    assert len(listed) == 2 and "任务 1、2" in listed[0] and "任务 2" in listed[1]
    assert not any("没有写明任何单位" in w.message for w in warnings)  # the placeholders are listed instead


# -- 无牵头单位的，责任单位即为牵头单位 ---------------------------------------------------------------

def test_a_task_without_a_lead_is_led_by_its_units():
    plan, _ = plan_of("1.做好一件事。(责任单位:市发改委、市教育局)",
                      "2.做好两件事。(牵头单位:市商务局;责任单位:市发改委)",
                      "3.做好三件事。(牵头单位:有关单位;责任单位:市教育局)")
    no_lead, led, placeholder_lead = plan.tasks
    assert no_lead.lead == ["市发改委", "市教育局"] and no_lead.units == []
    assert no_lead.assignment.lead == [] and no_lead.assignment.units == ["市发改委", "市教育局"]  # as written
    assert (led.lead, led.units) == (["市商务局"], ["市发改委"])
    assert placeholder_lead.lead == ["市教育局"]  # until the clerk names the lead


# -- the clause's order and wording -----------------------------------------------------------

UNITS = [u.name for u in directory().units if u.kind in ("市政府部门", "市委部门", "国企", "群团")]
GROUPS = ["各区人民政府", "各新城区人民政府", "各开发区管委会", "市人民政府各部门"]
PLACEHOLDERS = ["有关单位", "相关区人民政府", "市某某工作领导小组成员单位"]
ITEMS = st.sampled_from(UNITS + GROUPS + PLACEHOLDERS)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lead=st.lists(st.sampled_from(UNITS), min_size=0, max_size=2, unique=True),
       units=st.lists(ITEMS, min_size=1, max_size=8, unique=True), separators=st.lists(st.sampled_from("、,，"),
                                                                                     min_size=8, max_size=8))
def test_units_keep_the_order_the_clause_gives_them(lead, units, separators):
    listed = units[0] + "".join(sep + name for sep, name in zip(separators, units[1:], strict=False))
    clause = (f"牵头单位:{'、'.join(lead)};" if lead else "") + f"责任单位:{listed}"
    plan, _ = plan_of(f"1.做好一件事。({clause})")
    a = plan.tasks[0].assignment
    d = directory().copy()
    d.year = 2025
    expanded = list(dict.fromkeys(u for name in units for u in one(name, d).units))
    assert [m.text for m in a.mentions] == lead + units  # names and placeholders, in the document's order
    assert a.units == expanded  # a group's members where the group stands
    assert written_units(a, "units", d) == "、".join(units)  # the plan sheet's cell
    cell = [c for c in compress_units(a.units, d).split("、") if c]  # the tracker's cell: groups where they stood
    firsts = [next(i for i, u in enumerate(a.units) if u == name or u in d.members(name)) for name in cell]
    assert firsts == sorted(firsts)


def test_text_clean_up():
    assert strip_noise("力争 PM_{2.5} 平均浓度降至35微克/立方米") == "力争PM2.5平均浓度降至35微克/立方米"
    assert pair_quotes('培育"领跑者"企业，打造"无废城市"') == "培育“领跑者”企业，打造“无废城市”"
    assert pair_quotes('“清洁家园"行动') == "“清洁家园”行动"


@given(st.text(min_size=1, max_size=40))
@example('市"无废城市"建设工作领导小组 .')
def test_file_names_windows_accepts(name):
    safe = file_name_safe(name)
    assert safe and not set(safe) & set('<>:"/\\|?*') and not any(ord(c) < 32 for c in safe)
    assert not safe.endswith((".", " "))


def test_a_unit_with_quotes_in_its_name_gets_a_valid_form_file_name():
    plan, _ = plan_of('1.做好一件事。(责任单位:市"无废城市"建设办公室)')
    master = new_master([plan], directory(), Settings(year=2025))
    [forms] = unit_forms(master, 1)
    assert forms.unit == "市“无废城市”建设办公室"
    assert '"' not in forms.file_name() and "“无废城市”" in forms.file_name()


# -- one name per body ------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "body"), [
    ("市东湖生态旅游风景区管委会", "东湖风景区管委会"),
    ("武汉住房公积金管理中心", "武汉公积金中心"),
    ("武汉广播电视台", "武汉广电台"),
    ("市住房保障房管局", "市房管局"),
    ("武汉长江新城管委会", "长江新区管委会"),
    ("武汉市发改委", "市发改委"),
    ("武汉临空港经济技术开发区管理委员会", "临空港开发区管委会"),
])
def test_one_body_under_its_names(written, body):
    assert directory().canonical(written) == body


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([u.name for u in directory().units if u.name.startswith("市") and len(u.name) > 3]),
       st.sampled_from(["", "武汉", "武汉市"]))
def test_the_city_prefix_may_be_written_or_left_out(name, prefix):
    assert directory().canonical(prefix + name.removeprefix("市")) == name


def test_a_group_covers_the_bodies_of_the_plan_s_year():
    line = "1.转变作风。(责任单位:市人民政府各部门)"
    covered = {year: plan_of(line, title=f"{year}年市《政府工作报告》目标任务责任分解方案")[0].tasks[0].lead
               for year in (2018, 2023, 2025)}
    assert "市房管局" in covered[2023] and "市住房和城市更新局" not in covered[2023]
    assert "市住房和城市更新局" in covered[2025] and "市房管局" not in covered[2025]
    assert "市安监局" in covered[2018] and "市应急局" not in covered[2018] and "市安监局" not in covered[2023]
    assert len(covered[2025]) == 34


def test_a_body_is_shown_under_its_name_of_the_plan_s_year():
    title = "2023年市《政府工作报告》目标任务责任分解方案"
    plan, _ = plan_of("1.推进科技创新。(牵头单位:市科技局)", title=title)
    assert plan.year == 2023 and plan.tasks[0].lead == ["市科技创新局"]  # matched to the body
    master = new_master([plan], directory(), Settings(year=2023))
    unit_sheet = next(t for t in master_tables(master) if t.kind == "unit")
    assert (unit_sheet.name, unit_sheet.title) == ("市科技局", "市科技局 承担任务清单")
    [forms] = unit_forms(master, 1)
    assert forms.unit == "市科技创新局" and forms.title(1).startswith("市科技局")
    master.directory.year = 2025
    assert master.directory.label("市科技创新局") == "市科技创新局"


@pytest.mark.parametrize(("cell", "former"), [
    ("市科技局（至2023年）", FormerName("市科技局", None, 2023)),
    ("市农委（2018年）", FormerName("市农委", 2018, 2018)),
    ("武汉长江新城管委会（2017-2020年）", FormerName("武汉长江新城管委会", 2017, 2020)),
    ("市某局（2019年起）", FormerName("市某局", 2019, None)),
    ("武汉长江新城管委会", FormerName("武汉长江新城管委会")),
    ("市民政局（市老龄办）", FormerName("市民政局（市老龄办）")),
])
def test_former_names_with_their_years(cell, former):
    assert former_name(cell) == former
    assert former_name(str(former)) == former


def test_the_directory_sheet_round_trips_and_old_sheets_still_read():
    table = directory_table(directory())
    again = directory_from_rows([table.header, *table.rows], "单位名录")
    assert [(u.name, u.aliases, u.former, u.groups, u.first, u.last) for u in again.entries.values()] == [
        (u.name, u.aliases, u.former, u.groups, u.first, u.last) for u in directory().entries.values()]
    old = directory_from_rows([["单位名称", "简称", "别名", "类别", "所属分组", "备注"],
                               ["市科技创新局", "", "市科技局", "市政府部门", "市人民政府各部门", ""]], "旧名录")
    assert old.canonical("市科技局") == "市科技创新局" and old.entries["市科技创新局"].first is None
    with pytest.raises(BadFile, match="起始年度"):
        directory_from_rows([["单位名称", "起始年度"], ["市某局", "去年"]], "名录")


def test_a_document_defined_group_reads_the_same_from_the_plan_sheet():
    plan, _ = plan_of("1.一件事。(牵头单位:市发改委;责任单位:各区人民政府〈含开发区、长江新区、风景区管委会,下同〉)",
                      "2.两件事。(牵头单位:市商务局;责任单位:各区人民政府)")
    second = plan.tasks[1].assignment
    assert len(second.units) == 16
    cell = written_units(second, "units", directory())
    assert cell == "各区人民政府〈含开发区、长江新区、风景区管委会〉"  # "下同" spelt out for the plan sheet
    d = directory().copy()
    assert [u for r in resolve_units(cell, d) for u in r.units] == second.units
    assert d.definitions == {}  # reading the sheet defines nothing for the rows below


def test_directory_year_limits_do_not_hide_a_body_named_directly():
    d: UnitDirectory = directory().copy()
    d.year = 2025
    assert one("市房管局", d).units == ["市房管局"]  # named in a 2025 text: still that body


def test_a_directory_name_with_straight_quotes_is_kept_as_the_office_wrote_it():
    rows = [["单位名称", "类别"], ['市"无废城市"建设办公室', "市政府部门"]]
    plan, _ = plan_of('1.做好一件事。(责任单位:市“无废城市”建设办公室)', units=directory_from_rows(rows, "名录"))
    assert plan.tasks[0].lead == ['市"无废城市"建设办公室']  # the directory's entry, matched whatever the quotes
