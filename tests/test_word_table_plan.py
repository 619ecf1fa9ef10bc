"""Seed 003 as a Word document: the notice in paragraphs, the plan as a Word table split at page
breaks with no repeated header, merged cells as real vertical merges — or as blank cells."""

from __future__ import annotations

import docx
import pytest
from docx.enum.text import WD_BREAK

from tests.conftest import seed_path
from xltools.parse import parse_document
from xltools.readers.document import read_document

COLUMNS = 6
UNIT_COLUMNS = (3, 4, 5)  # 牵头单位, 责任单位, 完成时限


def _pages(lines: list[str]) -> tuple[list[str], list[str], list[list[list[str]]]]:
    """Notice lines, the header, and the table's rows page by page (a repeated header starts a page)."""
    first = next(i for i, line in enumerate(lines) if line.startswith("重点工作\t"))
    header, pages = lines[first].split("\t")[:COLUMNS], []
    for line in lines[first:]:
        if not line.strip():
            continue
        cells = (line.split("\t") + [""] * COLUMNS)[:COLUMNS]
        if cells[0] == "重点工作":
            pages.append([])
        elif "\t" in line:
            pages[-1].append(cells)
    return lines[:first], header, pages


def word_copy(path, merged: bool):
    """Seed 003 written as Word writes it; `merged`: blank unit cells below a filled one are merged with it."""
    notice, header, pages = _pages(seed_path("003").read_text(encoding="utf-8").split("\n"))
    document = docx.Document()
    for line in notice:
        document.add_paragraph(line.lstrip("# "))
    for number, rows in enumerate(pages):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=len(rows) + (number == 0), cols=COLUMNS)
        body = rows if number else [header, *rows]
        for r, cells in enumerate(body):
            for c, text in enumerate(cells):
                if text:
                    table.cell(r, c).text = text
        if merged:
            for c in UNIT_COLUMNS:
                for r in range(1 if number == 0 else 0, len(body)):
                    if not body[r][c] and r > (1 if number == 0 else 0) and _filled_above(body, r, c):
                        table.cell(r - 1, c).merge(table.cell(r, c))
    document.save(path)
    return path


def _filled_above(body, r: int, c: int) -> bool:
    return any(body[k][c] for k in range(r - 1, -1, -1) if k >= 1) and body[r][2] != ""


@pytest.fixture(scope="module")
def plans(tmp_path_factory, units_module):
    folder = tmp_path_factory.mktemp("word")
    text = parse_document(read_document(seed_path("003")), units_module).plans[0]
    merged = parse_document(read_document(word_copy(folder / "合并单元格.docx", True)), units_module)
    blank = parse_document(read_document(word_copy(folder / "空单元格.docx", False)), units_module)
    return text, merged, blank


@pytest.fixture(scope="module")
def units_module():
    from tests.conftest import directory

    return directory()


@pytest.mark.parametrize("rendering", [1, 2], ids=["merged cells", "blank cells"])
def test_no_unit_comes_from_a_row_it_is_not_merged_with(plans, rendering):
    """Every task keeps its key, and names only units its own row, or a cell merged over it, gives
    (the text copy's reading is the upper bound: there a blank always continues the cell above)."""
    text, plan = plans[0], plans[rendering].plans[0]
    assert [t.key for t in plan.tasks] == [t.key for t in text.tasks]
    for task, clean in zip(plan.tasks, text.tasks, strict=True):
        mine = set(task.assignment.lead + task.assignment.units)
        assert mine <= set(clean.assignment.lead + clean.assignment.units), task.key


def test_a_blank_cell_takes_nothing_from_the_row_above(plans):
    text, _, blank = plans
    plan = blank.plans[0]
    task, clean = plan.task("二-(一)-2"), text.task("二-(一)-2")
    assert clean.assignment.lead == ["市农业农村局"]  # in the text copy the blank is a merged cell
    assert task.assignment.lead == [] and task.deadline == ""
    assert task.assignment.units == clean.assignment.units  # written on its own row


def test_the_notice_s_definition_applies_inside_the_word_table(plans):
    _, merged, _ = plans
    units = merged.plans[0].task("一-(三)-2-(3)").assignment.units
    assert {"东湖高新区管委会", "东湖风景区管委会", "江岸区人民政府"} <= set(units)
