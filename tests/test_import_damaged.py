"""Damaged web copies: byte-shifted lines, garbage inside a sentence, footers and spam.

The damaged copies are generated from the seeds (tests/damage.py), the way a portal
damages them: a line encoded in GB18030 loses one byte and is decoded with
errors="replace".
"""

from __future__ import annotations

import random
import re
from collections import Counter

import opencc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import directory, seed_path
from tests.damage import indent, shift_line, shift_lines, with_footer
from xltools.model import Document, SourceLine
from xltools.parse import parse_document
from xltools.shift import CharModel, garbled_stretch, realign_shifted

SEEDS = ["001", "002", "003", "004"]
HEADING = re.compile(r"（[一二三四五六七八九十]{1,3}）|——|(^|。)[一二三四五六七八九十]{1,2}、")
FURNITURE = re.compile(r"ICP|网站|版权|主办单位|娱乐|百家乐|彩金|时时彩|太阳城")


def parse_text(text: str, name: str = "网页.txt"):
    return parse_document(Document(name, [SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))]), directory())


def lines_of(number: str) -> list[str]:
    return seed_path(number).read_text(encoding="utf-8").split("\n")


def plan_only(number: str) -> str:
    """The seed cut after its plan's last task (001 ends with forms), so a footer follows a task."""
    lines = lines_of(number)
    last = max(i for i, line in enumerate(lines) if "（责任单位" in line.replace("(", "（") or "（牵头单位" in line.replace("(", "（"))
    return "\n".join(lines[: last + 1])


# -- realignment ----------------------------------------------------------

@pytest.mark.parametrize("number", SEEDS)
def test_no_clean_line_of_a_seed_changes_or_is_called_garbled(number):
    lines = lines_of(number)
    model = CharModel(lines)
    assert [line for line in lines if realign_shifted(line, model)] == []
    assert [line for line in lines if garbled_stretch(line, model)] == []


def test_the_issue_example_is_read_back():
    model = CharModel(lines_of("004"))
    repaired = realign_shifted("?。ㄒ唬┑貐^生產總值增長7.5%—7.8%。", model)
    assert repaired is not None and repaired.text == "（一）地區生產總值增長7.5%—7.8%。"


def _near(out: str, original: str) -> bool:
    """Read back but for at most two characters (those whose bytes were lost)."""
    return len(out) == len(original) and sum(a != b for a, b in zip(out, original, strict=True)) <= 2


def _repaired_line(lines: list[str], i: int, damaged: str) -> str:
    repaired = realign_shifted(damaged, CharModel([*lines[:i], damaged, *lines[i + 1 :]]))
    return repaired.text if repaired else damaged


def test_a_mark_after_the_indentation_is_the_bracket_it_stands_for():
    lines = indent(seed_path("004").read_text(encoding="utf-8")).split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("\u3000\u3000《2020年"))
    damaged = shift_line(lines[i], random.Random(0), at_start=True)
    assert damaged.startswith("\u3000\u3000\ufffd2020年")  # the indentation reads the same one byte later
    assert _repaired_line(lines, i, damaged) == lines[i]


def test_a_digit_swallowed_at_the_end_of_the_line_is_put_back():
    lines = indent(seed_path("002").read_text(encoding="utf-8")).split("\n")
    i = lines.index("\u3000\u3000附件1")
    damaged = shift_line(lines[i], random.Random(0), at_start=True)
    assert "1" not in damaged  # GB18030 reads the last lead byte and the digit as a four-byte character
    assert re.fullmatch("\u3000\u3000附件\\d", _repaired_line(lines, i, damaged))


def test_a_four_byte_character_before_the_damage_is_kept():
    lines = lines_of("004")
    i = next(n for n, line in enumerate(lines) if line.startswith("∙【制定机关】"))
    data = lines[i].encode("gb18030")
    for offset in range(len("∙".encode("gb18030")), len(data)):
        damaged = (data[:offset] + data[offset + 1 :]).decode("gb18030", errors="replace")
        assert _near(_repaired_line(lines, i, damaged), lines[i]), damaged


def _repair_rate(indented: bool, at_start: bool, rng: random.Random, per_seed: int) -> tuple[float, float, int]:
    """(share read back exactly, share exact but for the ≤2 characters whose bytes were lost, lines)."""
    exact = near = total = 0
    for number in SEEDS:
        text = seed_path(number).read_text(encoding="utf-8")
        lines = (indent(text) if indented else text).split("\n")
        for _ in range(per_seed):
            i = rng.randrange(len(lines))
            damaged = shift_line(lines[i], rng, at_start=at_start)
            if damaged is None:
                continue
            out = _repaired_line(lines, i, damaged)
            total += 1
            exact += out == lines[i]
            near += _near(out, lines[i])
    return exact / total, near / total, total


def test_repair_rate_of_generated_byte_shifted_lines(capsys):
    rng = random.Random(2025)
    report = []
    # measured: 84.5 % and 76.9 % exact, 100 % and 99.0 % near (on 1,040 and 1,010 lines: 80.3 % and
    # 74.6 % exact, 99.4 % and 99.2 % near); nearly all the rest lose a character whose neighbours the
    # document never shows it beside (see xltools/shift.py)
    cases = [("web copy, first stretch", True, True, 0.83, 0.99), ("random place", False, False, 0.75, 0.98)]
    for label, indented, at_start, least, least_near in cases:
        exact, near, total = _repair_rate(indented, at_start, rng, per_seed=60)
        report.append(f"{label}: {total} lines, exact {exact:.1%}, exact but for the lost characters {near:.1%}")
        assert near >= least_near, report[-1]
        assert exact >= least, report[-1]
    with capsys.disabled():
        print("\nbyte-shift repair: " + "; ".join(report))


# -- whole damaged copies -----------------------------------------------------

@pytest.mark.parametrize(("number", "rng_seed"), [("001", 1), ("001", 2), ("004", 3), ("004", 4)])
def test_damaged_web_copy_keeps_every_task_and_heading(seed, number, rng_seed):
    rng = random.Random(rng_seed)
    damaged, shifted = shift_lines(plan_only(number), rng, share=0.3)
    damaged = with_footer(damaged, rng)
    result = parse_text(damaged)
    plan, expected = result.plans[0], seed(number).plans[0]
    assert Counter(t.part for t in plan.tasks) == Counter(t.part for t in expected.tasks)
    assert [t.key for t in plan.tasks] == [t.key for t in expected.tasks]
    # every section heading recovered: same numbered sections, on the same tasks
    def numbered(task):
        return task.part, task.section[:4].split("）")[0]
    assert [numbered(t) for t in plan.tasks] == [numbered(t) for t in expected.tasks]
    for task in plan.tasks:
        assert not HEADING.search(task.text), (task.key, task.text)
        assert not FURNITURE.search(task.text), (task.key, task.text)
    repaired = {w.line for w in result.warnings if "错位" in w.message}
    assert repaired and repaired <= set(shifted)  # each repair is reported on its own line
    assert any("页脚" in w.message for w in result.warnings)
    assert shifted  # the copy really was damaged


def test_001_units_survive_damage(seed):
    damaged, _ = shift_lines(plan_only("001"), random.Random(5), share=0.3)
    plan, expected = parse_text(damaged).plans[0], seed("001").plans[0]
    same = sum(1 for a, b in zip(expected.tasks, plan.tasks, strict=True) if (a.lead, sorted(a.units)) == (b.lead, sorted(b.units)))
    assert same >= 0.97 * len(expected.tasks)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.sampled_from(["001", "004"]), picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
       at_start=st.booleans(), mark=st.sampled_from(["\ufffd", "?"]), rng_seed=st.integers(0, 10_000))
@example(number="004", picks=[0, 0, 1, 1, 88, 445], at_start=False, mark="?", rng_seed=1833)  # a goal lost
@example(number="001", picks=[3015, 3015], at_start=False, mark="\ufffd", rng_seed=759)  # part 五's heading lost
def test_any_byte_shift_pattern_keeps_the_tasks(seed, number, picks, at_start, mark, rng_seed):
    """Headings, goals and tasks shifted anywhere: none gained, no heading in a task, and a task is
    lost only where its own line was damaged beyond repair, which the import then reports."""
    lines = plan_only(number).split("\n")
    rng = random.Random(rng_seed)
    damaged = set()
    for pick in picks:
        i = pick % len(lines)
        shifted = shift_line(lines[i], rng, at_start=at_start, mark=mark)
        if shifted and shifted != lines[i]:
            lines[i] = shifted
            damaged.add(i + 1)
    result = parse_text("\n".join(lines))
    plan = result.plans[0]
    clean = seed(number).plans[0].tasks
    assert {t.key for t in plan.tasks} <= {t.key for t in clean}
    reported = {w.line for w in result.warnings}
    for task in clean:
        if task.key not in {t.key for t in plan.tasks}:
            assert task.source_lines[0] in damaged & reported, task.key
    assert not [t.key for t in plan.tasks if HEADING.search(t.text)]


# -- garbage inside a sentence, footers, traditional headings ----------------

def test_garbage_inside_a_sentence_is_reported():
    lines = plan_only("004").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("3."))
    lines[i] = lines[i].replace("社会帮扶活动", "社会帮扶，抱团出？！白叱鋈ァ？活动")
    result = parse_text("\n".join(lines))
    assert any(w.line == i + 1 and "乱码" in w.message for w in result.warnings)


@pytest.mark.parametrize("same_line", [False, True])
def test_footer_and_spam_after_the_last_task_are_dropped(seed, same_line):
    text = with_footer(plan_only("001"), random.Random(9), same_line=same_line)
    result = parse_text(text)
    plan = result.plans[0]
    assert [t.key for t in plan.tasks] == [t.key for t in seed("001").plans[0].tasks]
    last = plan.tasks[-1]
    assert last.text == seed("001").plans[0].tasks[-1].text
    assert last.units == seed("001").plans[0].tasks[-1].units
    reported = [w for w in result.warnings if "页脚" in w.message or "广告" in w.message or "多出" in w.message]
    assert reported and all(w.line > last.source_lines[0] - 1 for w in reported)


def test_spam_line_inside_the_plan_is_left_out():
    lines = plan_only("004").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("5."))
    lines.insert(i, "澳门威尼斯人娱乐城 百家乐 真人娱乐 开户送彩金")
    result = parse_text("\n".join(lines))
    assert len(result.plans[0].tasks) == 25
    assert not any(FURNITURE.search(t.text) for t in result.plans[0].tasks)
    assert any(w.line == i + 1 and "广告" in w.message for w in result.warnings)


def test_traditional_copy_has_simplified_themes_and_sections(seed):
    traditional = opencc.OpenCC("s2t").convert(seed_path("001").read_text(encoding="utf-8"))
    plan, expected = parse_text(traditional).plans[0], seed("001").plans[0]
    assert [t.theme for t in plan.tasks] == [t.theme for t in expected.tasks]
    assert [t.section for t in plan.tasks] == [t.section for t in expected.tasks]


# -- table plans ---------------------------------------------------------------

def test_unit_cell_separated_by_spaces_is_split(seed):
    task = next(t for t in seed("003").plans[0].tasks if t.source_lines[0] == 174)
    assert task.lead[:1] == ["市人社局"]  # "市人力资源社会保障局 市资源社" in one cell
    assert "市人力资源社会保障局市资源社" not in task.lead


def test_space_inside_one_name_is_not_a_separator(units):
    from xltools.parse.unitlist import spaces_as_separators

    assert spaces_as_separators("市 体育局") == "市 体育局"
    assert spaces_as_separators("市发改委 市财政局") == "市发改委、市财政局"
    assert spaces_as_separators("2018年12月 持续推进") == "2018年12月 持续推进"


@pytest.mark.parametrize("mark", ["—9—", "第 9 页", "\f"])
def test_a_blank_cell_after_a_page_mark_is_not_filled_from_the_page_before(seed, mark):
    lines = lines_of("003")
    row = next(i for i, line in enumerate(lines) if line.startswith("\t\t2.稳步提高农业综合机械化率"))
    assert seed("003").plans[0].task("二-(一)-2").assignment.lead == ["市农业农村局"]  # the merged cell, same page
    result = parse_text("\n".join([*lines[:row], mark, *lines[row:]]), "表格.txt")
    task = result.plans[0].task("二-(一)-2")
    assert task.assignment.lead == [] and task.deadline == ""
    assert any("牵头单位、完成时限一格是空的" in w.message for w in result.warnings)
    assert len(result.plans[0].tasks) == len(seed("003").plans[0].tasks)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 5), st.booleans()), min_size=1, max_size=6))
def test_rows_shifted_by_a_column_never_make_text_into_units(seed, units, picks):
    """A cell inserted (the row slides right) or a cell lost (left): headings and sentences that
    land in a unit column are reported, never imported as units."""
    lines = lines_of("003")
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 4 and "牵头单位" not in line]
    known = {u for t in seed("003").plans[0].tasks for u in t.assignment.lead + t.assignment.units}
    for pick, at, insert in picks:
        row = rows[pick % len(rows)]
        cells = lines[row].split("\t")
        if insert:
            cells.insert(at % len(cells), "")
        else:
            del cells[at % len(cells)]
        lines[row] = "\t".join(cells)
    result = parse_text("\n".join(lines), "表格.txt")
    for task in result.plans[0].tasks:
        for unit in task.assignment.lead + task.assignment.units:
            assert unit in known or units.canonical(unit), (task.key, unit)


def test_a_sentence_spilled_into_the_lead_column_is_reported_not_a_unit(seed):
    lines = lines_of("003")
    row = next(i for i, line in enumerate(lines) if "1.推进土地综合整治和高标准农田建设" in line)
    cells = lines[row].split("\t")
    cells.insert(3, "大力推动农业废弃物综合利用,推广有机肥替代化肥,稳步提升耕地质量。")  # the row slides right
    lines[row] = "\t".join(cells)
    result = parse_text("\n".join(lines), "表格.txt")
    clean, task = seed("003").plans[0].task("二-(一)-1"), result.plans[0].task("二-(一)-1")
    assert task.assignment.lead == clean.assignment.lead == ["市农业农村局"]
    assert task.assignment.units == clean.assignment.units
    assert any("单元格错位" in w.message and w.line == row + 1 for w in result.warnings)
