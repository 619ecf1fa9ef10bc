"""Simulated returns for the demo and the tests: units filling in their forms as people do.

Most units fill and return on time; some are late, some return an empty form,
some never return; a few mangle the form (rows inserted, deleted or moved,
a sheet renamed, text typed beside the cell), one writes formulas, one
returns a Word file, one sends two versions. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from xltools.vocab import (
    COMPLETION_TIMES,
    CONTENT,
    DISTRICT_FORM_NAMES,
    FORM_NAMES,
    ID_HEADER,
    META_SHEET,
    NAME,
    PROGRESS,
    README,
    SERIAL,
    TASK_NUMBER,
)

PHRASES = [
    "已完成全年目标任务。{x}",
    "已完成。{x}",
    "正在推进，完成年度计划的{p}%。{x}",
    "序时推进，{x}",
    "按计划推进，已完成{p}%，预计年底前完成。",
    "进度滞后，受资金未到位影响，目前完成{p}%，正在协调解决。",
    "尚未完成，项目前期手续仍在办理中。",
    "未启动，待上级政策明确后实施。",
    "超额完成年度目标，完成率{q}%。{x}",
    "基本完成，剩余扫尾工作将于下季度完成。",
]
DETAILS = ["召开专题会议3次，出台工作方案。", "累计完成投资12.5亿元。", "新增签约项目8个。",
           "开展督导检查5轮。", "印发实施细则并组织培训。", "完成项目立项和招标。"]
WORK = ["制定工作方案，明确责任分工", "召开推进会，细化目标任务", "开展专项督查，通报进展", "总结评估，形成年度报告"]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐明", "孙丽"]
POSTS = ["副局长", "办公室主任", "科长", "副主任", "一级主任科员"]
INJECTED = ['=HYPERLINK("http://example.invalid/x","点击查看")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1"]


@dataclass
class Simulated:
    unit: str
    path: Path | None
    scenario: str
    texts: list[str]  # every 完成情况 text written into the returned file


def _text(rng: random.Random) -> str:
    return rng.choice(PHRASES).format(p=rng.randint(20, 95), q=rng.randint(101, 130), x=rng.choice(DETAILS))


def set_saved_time(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite docProps/core.xml's modified time, as the office program that saved it would."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            target.writestr(item, content)
    return out.getvalue()


def _fill(path: Path, rng: random.Random, empty: bool, injected: bool) -> tuple[object, list[str]]:
    wb = load_workbook(path)
    texts: list[str] = []
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        header = next((r for r in range(1, 8) if any(c.value in (SERIAL, TASK_NUMBER, "责任人") for c in ws[r])), None)
        if header is None:
            continue
        labels = [c.value for c in ws[header]]
        if PROGRESS in labels and not empty:
            col = labels.index(PROGRESS) + 1
            for row in ws.iter_rows(min_row=header + 1):
                if row[0].value and row[labels.index(ID_HEADER)].value:
                    value = INJECTED[len(texts) % len(INJECTED)] if injected and len(texts) < 4 else _text(rng)
                    ws.cell(row=row[0].row, column=col, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        ws.cell(row=row[0].row, column=col).data_type = "s"
                    texts.append(value)
        elif CONTENT in labels and not empty:
            for row in ws.iter_rows(min_row=header + 1):
                cell = row[labels.index(CONTENT)]
                if cell.value in ("1.", "2.") and row[labels.index(ID_HEADER)].value:
                    cell.value = f"{cell.value}{rng.choice(WORK)}"
                    row[labels.index(CONTENT) + 1].value = rng.choice(COMPLETION_TIMES)
                    row[labels.index(CONTENT) + 2].value = rng.choice(NAMES)
                    row[labels.index(CONTENT) + 3].value = "综合处"
        elif NAME in labels and not empty:
            for r in range(header + 1, header + 4):
                ws.cell(row=r, column=2, value=rng.choice(NAMES))
                ws.cell(row=r, column=3, value=rng.choice(POSTS))
                ws.cell(row=r, column=4, value=f"027-{rng.randint(82000000, 85999999)}")
                ws.cell(row=r, column=5, value=f"13{rng.randint(100000000, 999999999)}")
    return wb, texts


def _mangle(wb, how: str) -> None:
    """What people do to forms."""
    report = next((ws for ws in wb.worksheets if ws.title in (FORM_NAMES[3], DISTRICT_FORM_NAMES[3])), None)
    if report is None:
        return
    first = 5
    if how == "inserted-rows":
        report.insert_rows(first + 1)
    elif how == "renamed-sheet":
        report.title = "Sheet1"
    elif how == "moved-rows":  # two neighbouring task rows swapped (not rows of a merged heading)
        merged = {r for m in report.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)}
        top = next((r for r in range(first, report.max_row) if not {r, r + 1} & merged), None)
        if top is None:
            return
        a = [c.value for c in report[top]]
        b = [c.value for c in report[top + 1]]
        for col, value in enumerate(b, start=1):
            report.cell(row=top, column=col, value=value)
        for col, value in enumerate(a, start=1):
            report.cell(row=top + 1, column=col, value=value)
    elif how == "beside":
        value = report.cell(row=first, column=4).value
        report.cell(row=first, column=4, value=None)
        report.cell(row=first, column=6, value=value)
    elif how == "extra-sheet":
        wb.create_sheet(README)["A1"] = "本单位已按要求填报"


MANGLING = ["inserted-rows", "renamed-sheet", "moved-rows", "beside", "extra-sheet"]


def simulate(forms: list[tuple[str, Path]], out: Path, deadline: dt.datetime, seed: int = 2025) -> list[Simulated]:
    """Fill the generated forms [(unit, path)] as units would and write them into `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    result = []
    for i, (unit, path) in enumerate(forms):
        roll = rng.random()
        scenario = ("missing" if roll < 0.06 else "empty" if roll < 0.10 else "late" if roll < 0.20
                    else MANGLING[i % len(MANGLING)] if roll < 0.30 else "on-time")
        if i == 1:
            scenario = "formulas"
        if i == 2:
            scenario = "word-file"
        if i == 3:
            scenario = "two-versions"
        if scenario == "missing":
            result.append(Simulated(unit, None, scenario, []))
            continue
        if scenario == "word-file":
            target = out / (path.stem + ".docx")
            target.write_bytes(b"PK\x03\x04" + _docx_bytes())
            result.append(Simulated(unit, target, scenario, []))
            continue
        wb, texts = _fill(path, rng, empty=scenario == "empty", injected=scenario == "formulas")
        if scenario in MANGLING:
            _mangle(wb, scenario)
        saved = deadline - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
        if scenario == "late":
            saved = deadline + dt.timedelta(days=rng.randint(1, 6))
        buffer = io.BytesIO()
        wb.save(buffer)
        name = path.name if scenario != "renamed-sheet" else f"{unit}报送.xlsx"
        target = out / name
        if scenario == "two-versions":
            older, _ = _fill(path, random.Random(seed + i), empty=False, injected=False)
            old_buffer = io.BytesIO()
            older.save(old_buffer)
            old_path = out / f"（初稿）{path.name}"
            old_path.write_bytes(set_saved_time(old_buffer.getvalue(), saved - dt.timedelta(days=2)))
        target.write_bytes(set_saved_time(buffer.getvalue(), saved))
        stamp = saved.timestamp()
        os.utime(target, (stamp, stamp))
        result.append(Simulated(unit, target, scenario, texts))
    (out / f"~${forms[0][1].name}").write_bytes(b"\x00lock")
    return result


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("我单位已完成各项任务（本单位用 Word 填写）。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()[4:]
