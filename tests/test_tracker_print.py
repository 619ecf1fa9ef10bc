"""The tracker as a clerk prints and reads it: 总览's charts and labels."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.conftest import seed_path
from xltools.cli import main
from xltools.demo.simulate import simulate
from xltools.master.content import HEADER_ROW
from xltools.readers.forms import read_identity
from xltools.vocab import DASHBOARD, OVERRIDE, STATUSES, SUMMARY


@pytest.fixture(scope="module")
def tracker(tmp_path_factory):
    root = tmp_path_factory.mktemp("tracker")
    book = root / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    assert main(["templates", str(book), "--out", str(root / "分发"), "--quarter", "1"]) == 0
    forms = [(read_identity(p).unit, p) for p in sorted((root / "分发").glob("*.xlsx")) if p.name != "分发清单.xlsx"]
    simulate(forms, root / "回收", dt.datetime(2025, 4, 20, 18))
    out = root / "汇总台账.xlsx"
    assert main(["merge", str(book), str(root / "回收"), "--out", str(out), "--today", "2025-05-01"]) == 0
    return out


def _charts(path) -> dict[str, str]:
    """Each chart's XML by its title."""
    with zipfile.ZipFile(path) as z:
        found = {}
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                xml = z.read(name).decode()
                title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
                found[title] = xml
        return found


def test_rate_charts_run_from_0_to_100_percent(tracker):
    charts = _charts(tracker)
    rates = [xml for title, xml in charts.items() if title.endswith("率")]
    assert rates
    for xml in rates:
        assert '<c:max val="1"/>' in xml and '<c:min val="0"/>' in xml and 'formatCode="0%"' in xml
    counts = [xml for title, xml in charts.items() if not title.endswith("率")]
    assert counts and all('<c:max val="1"/>' not in xml for xml in counts)  # counts keep their own scale


def test_dashboard_labels_are_not_cut(tracker):
    ws = openpyxl.load_workbook(tracker)[DASHBOARD]
    labels = [str(c.value) for c in ws["A"][3:] if c.value]
    longest = max(len(label) for label in labels)
    assert ws.column_dimensions["A"].width >= min(64, longest * 1.9)


def test_the_hand_set_status_is_chosen_from_the_statuses(tracker):
    ws = openpyxl.load_workbook(tracker)[SUMMARY]
    header = [c.value for c in ws[HEADER_ROW]]
    column = get_column_letter(header.index(OVERRIDE) + 1)
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1 and str(lists[0].sqref).startswith(f"{column}{HEADER_ROW + 1}:")
    assert lists[0].formula1 == '"' + ",".join(STATUSES) + '"'


def test_the_summary_prints_on_a4_landscape_in_a_readable_size(tracker, tmp_path):
    """汇总: who sent it, from where, other units' words and each status's basis are grouped and closed (one
    click opens them), so what prints is 编号, 任务, 牵头单位, the quarter's words and status: fit to the page
    width at 9 pt or more, at most 15 lines a row, well under 60 pages."""
    from pypdf import PdfReader

    from tests.office import convert

    wb = openpyxl.load_workbook(tracker)
    ws = wb[SUMMARY]
    header = [c.value for c in ws[HEADER_ROW]]
    dims = {get_column_letter(i + 1): ws.column_dimensions[get_column_letter(i + 1)] for i in range(len(header))}
    closed = [h for h, (_, d) in zip(header, dims.items(), strict=True) if d.hidden]
    assert {"责任单位", "来源文件", "报送时间", "第一季度判定依据", "第一季度其他单位报送"} <= set(closed)
    assert all(d.outlineLevel == 1 for d in dims.values() if d.hidden)  # a group: "+" opens it
    shown = sum(d.width for d in dims.values() if not d.hidden)
    # A4 landscape less the margins is 770 pt; Excel draws a column of width w in about 7w + 5 pixels (0.75 pt)
    scale = min(1.0, 770 / sum((d.width * 7 + 5) * 0.75 for d in dims.values() if not d.hidden))
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "landscape"
    assert 11 * scale >= 9, shown
    assert max(ws.row_dimensions[r].height or 15 for r in range(HEADER_ROW + 1, ws.max_row + 1)) <= 15 * 15 + 3
    for name in wb.sheetnames:
        if name != SUMMARY:
            del wb[name]
    alone = tmp_path / "汇总.xlsx"
    wb.save(alone)
    assert len(PdfReader(convert(alone, "pdf", tmp_path)).pages) < 60


def test_every_sheet_s_title_and_note_are_in_a_column_that_shows(tracker):
    """A single plan's 方案 column is closed: the title and the note above the table move to the first open column."""
    wb = openpyxl.load_workbook(tracker)
    for ws in wb.worksheets:
        if ws.title == DASHBOARD:
            continue
        for row in (1, 2):
            filled = [c for c in ws[row] if c.value not in (None, "")]
            assert filled, (ws.title, row)
            assert not ws.column_dimensions[filled[0].column_letter].hidden, (ws.title, row)
