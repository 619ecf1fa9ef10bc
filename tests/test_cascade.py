"""Cascading a city plan to a district (对口分解), with the map learned from seed 002."""

from __future__ import annotations

from importlib import resources

import openpyxl

from tests.conftest import seed_path
from xltools.cascade import Counterpart, CounterpartMap, cascade, district_units, learn_map
from xltools.cli import main
from xltools.readers.counterparts import load_map, map_csv
from xltools.readers.forms import read_identity


def test_learned_map_reproduces_seed_002(seed):
    city = seed("002").plans[1]
    counterparts = learn_map(city)
    both = [t for t in city.tasks if t.assignment.city_lead and t.lead]
    assert len(both) >= 140  # a few tasks in that copy are cut off and name none
    for task in both:
        units, _ = district_units(task.assignment.city_lead, task, counterparts)
        assert set(units) == set(task.lead), task.key


def test_shipped_default_is_the_learned_map(seed):
    shipped = resources.files("xltools").joinpath("data/counterparts_wuchang.csv").read_text(encoding="utf-8")
    assert shipped == map_csv(learn_map(seed("002").plans[1]))
    default = load_map()
    assert any(r.upper == "市发改委" and r.district == ["区发改局"] and not r.task for r in default.rows)


def test_several_district_units_for_one_task(seed):
    city = seed("002").plans[1]
    task = city.task("15")  # 市发改委 → 区财政局、区发改局、区地方金融局 in this task only
    units, reasons = district_units(task.assignment.city_lead, task, load_map())
    assert units == ["区财政局", "区发改局", "区地方金融局"] and "专门" in reasons[0]
    other = city.task("16")
    assert district_units(other.assignment.city_lead, other, load_map())[0] == ["区发改局"]


def test_2025_city_plan_to_wuchang(seed, units):
    plan, decisions = cascade(seed("001").plans[0], "武昌区", load_map(), units)
    assert len(plan.tasks) == len(decisions) > 150
    assigned = [d for d in decisions if not d.manual]
    assert len(assigned) / len(decisions) > 0.6  # most tasks get a district unit
    through_group = next(d for d in decisions if d.task.key == "二-14")  # 各区人民政府 only
    assert through_group.via == "通过分组“各区人民政府”"
    assert through_group.task.assignment.city_lead == ["市投资促进局"]
    direct = next(d for d in decisions if d.task.key == "二-88")  # "武昌、洪山、江夏区人民政府"
    assert direct.via == "直接"
    assert [d.task.key for d in decisions if d.task.key == "二-16"] == []  # 江汉、硚口、黄陂 only: not ours
    manual = [d for d in decisions if d.manual]
    assert manual and all("待人工指定" in " ".join(d.reasons) for d in manual)
    jobs = next(d for d in decisions if d.task.key == "一-(二)")
    assert jobs.task.lead == ["区人力资源局"] and jobs.task.assignment.city_lead == ["市人社局"]


def test_a_task_with_no_counterpart_is_listed_not_dropped(seed, units):
    empty = CounterpartMap([Counterpart("市商务局", ["区商务局"])])
    plan, decisions = cascade(seed("001").plans[0], "武昌区", empty, units)
    first = next(d for d in decisions if d.task.key == "一-(一)")  # 市发改委: not in this map
    assert first.manual and first.task.lead == [] and first.task in plan.tasks
    commerce = next(d for d in decisions if d.task.key == "二-1")
    assert commerce.task.lead == ["区商务局"] and not commerce.manual


def test_cli_cascade_gives_a_master_forms_can_use(tmp_path):
    out = tmp_path / "武昌区台账.xlsx"
    assert main(["cascade", str(seed_path("001")), "--district", "武昌区", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert {"对照表", "对口单位表"} <= set(wb.sheetnames)
    plan_sheet = wb["2025年市政府工作报告任务"]
    assert [c.value for c in plan_sheet[3]][5:8] == ["市级牵头单位", "市级责任单位", "牵头单位"]
    assert main(["refresh", str(out)]) == 0
    assert "对照表" in openpyxl.load_workbook(out).sheetnames  # kept by refresh
    forms = tmp_path / "分发"
    assert main(["templates", str(out), "--out", str(forms), "--units", "区发改局", "--quarter", "1"]) == 0
    made = [p for p in forms.glob("*.xlsx") if p.name != "分发清单.xlsx"]
    assert len(made) == 1 and read_identity(made[0]).unit == "区发改局"
    wb = openpyxl.load_workbook(made[0])
    assert wb.sheetnames[:3] == ["附表1", "附件4", "附件5"]  # the district preset
    report = wb["附件5"]
    header = [c.value for c in report[4]]
    assert header[:5] == ["任务编号", "责任事项", "市级牵头单位", "本单位角色", "完成情况"]  # both levels
    assert report["C5"].value == "市发改委"
    report["E5"] = "已完成年度目标。"  # the unit fills one row and sends it back
    returns = tmp_path / "回收"
    returns.mkdir()
    wb.save(returns / made[0].name)
    assert main(["merge", str(out), str(returns), "--out", str(tmp_path / "汇总.xlsx")]) == 0
    summary = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["汇总"]
    values = [v for row in summary.iter_rows(min_row=4, values_only=True) for v in row]
    assert values.count("已完成年度目标。") == 1


def test_learn_map_command(tmp_path):
    out = tmp_path / "对口单位表.csv"
    assert main(["learn-map", str(seed_path("002")), "--out", str(out)]) == 0
    assert load_map(out).rows
