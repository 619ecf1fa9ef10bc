"""Unit lists and unit clauses: the forms of the seeds, and random ones (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import directory
from xltools.model import Document, SourceLine
from xltools.parse import parse_document
from xltools.parse.clauses import find_clauses, parse_assignment
from xltools.parse.unitlist import resolve_units


def names(text, units):
    return [u for r in resolve_units(text, units.copy()) for u in r.units]


def test_shared_suffixes(units):
    assert names("江岸、黄陂区人民政府", units) == ["江岸区人民政府", "黄陂区人民政府"]
    assert names("东湖高新区、武汉经开区、临空港开发区管委会", units) == [
        "东湖高新区管委会", "武汉经开区管委会", "临空港开发区管委会"]
    assert names("汉阳、武昌、黄陂、新洲区人民政府", units) == [
        "汉阳区人民政府", "武昌区人民政府", "黄陂区人民政府", "新洲区人民政府"]


def test_aliases_old_names_and_missing_city_prefix(units):
    assert names("市发展改革委、市科技局、发展改革委", units) == ["市发改委", "市科技创新局", "市发改委"]
    assert names("市 体育局", units) == ["市体育局"]


def test_names_run_together_are_split(units):
    assert names("市民政局市财政局", units) == ["市民政局", "市财政局"]


def test_group_defined_in_place_applies_below_only_with_xiatong(units):
    scope = units.copy()
    local = [u for r in resolve_units("各区人民政府〈含开发区管委会〉", scope) for u in r.units]
    assert "东湖高新区管委会" in local
    after_local = [u for r in resolve_units("各区人民政府", scope) for u in r.units]
    assert "东湖高新区管委会" not in after_local
    resolve_units("各区人民政府〈含开发区、长江新区、风景区管委会,下同〉", scope)
    after = [u for r in resolve_units("各区人民政府", scope) for u in r.units]
    assert {"东湖高新区管委会", "长江新区管委会", "东湖风景区管委会"} <= set(after)
    assert len(after) == 16


def test_host_unit_in_angle_brackets(units):
    assert names("市儿童友好城市建设工作领导小组办公室〈市发改委〉", units) == ["市发改委"]
    assert names("市委宣传部〈市文明办〉", units) == ["市委宣传部"]


def test_unknown_unit_is_kept_as_written(units):
    [res] = resolve_units("市火星开发局", units.copy())
    assert res.units == ["市火星开发局"] and not res.known


def test_clause_forms(units):
    text = "推进工作。（市级牵头单位：市城建局；责任单位：区级牵头单位：区建设局）"
    [clause] = find_clauses(text)
    assignment, _ = parse_assignment(clause.inner, units.copy())
    assert assignment.city_lead == ["市城建局"] and assignment.lead == ["区建设局"]
    assignment, _ = parse_assignment("牵头单位：市投资促进局：责任单位：各中心城区人民政府", units.copy())
    assert assignment.lead == ["市投资促进局"] and len(assignment.units) == 7


def test_unclosed_clause_is_reported(units):
    doc = Document("截断.txt", [
        SourceLine(1, "某某责任分解方案"),
        SourceLine(2, "一、重点工作"),
        SourceLine(3, "1.做好一件事。(牵头单位:市商务局;责任单位:市发改委、市卫健委"),
    ])
    result = parse_document(doc, units)
    task = result.plans[0].tasks[0]
    assert task.lead == ["市商务局"] and task.units == ["市发改委", "市卫健委"]
    assert any("没有闭合" in w.message for w in result.warnings)


PLAIN_UNITS = [u.name for u in directory().units if u.kind in ("市政府部门", "区", "国企", "群团")]
SEPARATORS = st.sampled_from(["、", "，", ",", "、 ", ".", "；"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PLAIN_UNITS), min_size=1, max_size=8, unique=True), st.data())
def test_any_list_of_known_units_resolves_to_itself(units, chosen, data):
    text = chosen[0]
    for name in chosen[1:]:
        text += data.draw(SEPARATORS) + name
    assert names(text, units) == chosen


DISTRICT_SHORT = ["江岸", "江汉", "硚口", "汉阳", "武昌", "青山", "洪山", "蔡甸", "江夏", "黄陂", "新洲"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(DISTRICT_SHORT), min_size=2, max_size=6, unique=True))
def test_any_run_sharing_a_suffix(chosen):
    text = "、".join(chosen) + "区人民政府"
    assert names(text, directory()) == [f"{c}区人民政府" for c in chosen]


@settings(max_examples=100, deadline=None)
@given(
    lead=st.sampled_from(PLAIN_UNITS),
    others=st.lists(st.sampled_from(PLAIN_UNITS), min_size=1, max_size=5, unique=True),
    cuts=st.lists(st.integers(min_value=1, max_value=200), max_size=3),
    page=st.integers(min_value=1, max_value=99),
    half_width=st.booleans(),
)
def test_task_broken_across_lines_and_pages_keeps_its_units(lead, others, cuts, page, half_width):
    """However a copy breaks a task line (page numbers, blank lines), the units survive."""
    others = [u for u in others if u != lead] or [u for u in PLAIN_UNITS if u != lead][:1]
    clause = f"(牵头单位:{lead};责任单位:{'、'.join(others)})"
    if not half_width:
        clause = clause.replace("(", "（").replace(")", "）").replace(":", "：").replace(";", "；")
    line = "12. 推进某项重点工作，完成全年目标任务。" + clause
    pieces, last = [], 0
    for cut in sorted({c % len(line) for c in cuts if c % len(line) > 4}):
        pieces.append(line[last:cut])
        last = cut
    pieces.append(line[last:])
    lines = ["2025年某市责任分解方案", "二、重点工作", "11. 上一项任务。(责任单位:市商务局)"]
    for i, piece in enumerate(pieces):
        lines.append(piece + (f"—{page}—" if i == 0 and len(pieces) > 1 else ""))
        if i < len(pieces) - 1:
            lines.append("")
    lines.append("13. 下一项任务。(责任单位:市商务局)")
    doc = Document("随机.txt", [SourceLine(i + 1, text) for i, text in enumerate(lines)])
    plan = parse_document(doc, directory()).plans[0]
    task = plan.task("12")
    assert task.lead == [lead]
    assert task.units == others
    assert [t.key for t in plan.tasks] == ["11", "12", "13"]
