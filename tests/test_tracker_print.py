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
