"""A catalogue of hostile or damaged returns (issue 14), each merged by the CLI in a process of its own.

Every case starts from genuinely generated 附表3 forms filled as units fill them. 市商务局 and 市发改委
send good returns; the hostile file is made (tests/hostile.py) from 市教育局's form and put beside them
in the 回收 folder. Then `xltools merge` runs in a subprocess limited to 2 GB of address space and
120 s, and:

1. it ends with exit code 0 and writes the tracker;
2. every legitimate answer is in 汇总, in 第一季度完成情况 on the row of the task it was typed on
   (and on no other row);
3. the bad file is named in 问题清单 (文件: its path from the returns folder's parent, 回收/…) with a
   Chinese sentence, not a traceback;
4. every input file is byte for byte what it was;
5. the merge's peak memory stays under 300 MB above the idle figure (the good returns alone);
   each case prints its figure.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import openpyxl
import pytest

from tests import hostile
from tests.conftest import seed_path
from tests.hostile import SAVED, copy, fill
from xltools.cli import main
from xltools.readers.forms import read_identity

ROOT = Path(__file__).resolve().parents[1]
LEGIT = ("市商务局", "市发改委")  # their good returns sit beside every hostile file
UNIT = "市教育局"  # the hostile files are made from this unit's form
ANSWERS = {
    "市商务局": {"二-1": "已完成国际消费中心城市创建中期评估。", "二-2": "按计划推进，以旧换新补贴发放3.2亿元。",
              "二-3": "举办展会节事活动320场，完成年度目标29%。", "二-4": "培育智慧商店26个，按计划推进。"},
    "市发改委": {"一-(一)": "一季度地区生产总值增长5.8%，按计划推进。", "二-7": "出台银发经济发展三年行动方案。",
              "二-80-2": "认定总部经济集聚区2个，按计划推进。", "二-103-3": "与神农架林区签订合作协议。"},
    "市教育局": {"二-34": "支持“双一流”建设资金到位2亿元。", "二-36": "市属高校新增硕士点3个，按计划推进。",
              "二-241": "新改扩建中小学校8所，新增学位0.9万个。", "二-242": "教联体覆盖率达到60%。"},
}
PLAN = "2025年市政府工作报告任务"  # the plan's sheet: task ids are 2025年市政府工作报告任务|二-34
LATER = SAVED + dt.timedelta(days=1)

MEMORY = 2 * 1024**3  # address space of the merge process (and of any process it starts)
TIME = 120  # seconds
ABOVE_IDLE = 300 * 1024  # KB the merge's peak may grow by for one hostile file
PASSWORD = re.compile(r"(有|加了?|设置?了?)[^，。；]{0,4}密码")


def legit(*units: str) -> dict[str, str]:
    """编号 → answer, for the good returns of `units` (all three by default: LEGIT and UNIT)."""
    return {key: text for unit in units or (*LEGIT, UNIT) for key, text in ANSWERS[unit].items()}


# -- the forms: built once per module ------------------------------------------------------------

@dataclass
class Kit:
    root: Path
    book: Path  # 督办台账.xlsx
    forms: dict[str, Path]  # unit → its 附表3 as `xltools templates` made it
    filled: dict[str, Path]  # unit → the form with ANSWERS[unit] typed in, saved on SAVED
    idle: int = 0  # KB: the merge's peak memory for the good returns alone

    @cached_property
    def office(self) -> dict[str, Path]:
        """市教育局's filled form saved by LibreOffice: as .xls, as .ods, and as .xls with an open password."""
        from tests.office import soffice

        out = self.root / "office"
        out.mkdir(exist_ok=True)
        targets = {out / f"{UNIT}.xls": "", out / f"{UNIT}.ods": "", out / "有密码.xls": "1234"}
        failed = hostile.office_copies(soffice(), self.filled[UNIT], targets)
        return {t.name: t for t in targets if t not in failed} | {f"failed:{t.name}": why for t, why in failed.items()}


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Kit:
    root = tmp_path_factory.mktemp("catalogue")
    book = root / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    assert main(["templates", str(book), "--out", str(root / "分发"), "--quarter", "1", "--forms", "3",
                 "--units", ",".join((*LEGIT, UNIT))]) == 0
    forms = {read_identity(p).unit: p for p in (root / "分发").glob("*.xlsx") if p.name != "分发清单.xlsx"}
    filled = {unit: fill(forms[unit], ANSWERS[unit], root / "填好" / f"{unit}.xlsx") for unit in ANSWERS}
    kit = Kit(root, book, forms, filled)
    returns = root / "闲置" / "回收"
    for unit in LEGIT:
        copy(filled[unit], returns / f"{unit}.xlsx")
    idle = run_merge(book, [returns], root / "闲置" / "out" / "汇总台账.xlsx")
    assert idle.code == 0, idle.stderr
    kit.idle = idle.peak
    return kit


# -- the merge in a bounded process -----------------------------------------------------------------

# the merge's own peak plus the largest of the processes it started (ru_maxrss in KB)
PEAK = """import resource, sys
from xltools.cli import main
code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"PEAK {usage}", file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    code: int | None  # None: killed at the time limit
    stderr: str
    peak: int  # KB, 0 when not reported
    out: Path


def run_merge(book: Path, returns: list[Path], out: Path) -> Run:
    """`xltools merge BOOK RETURNS… --quarter 1 --out OUT --today 2025-05-01` within MEMORY and TIME."""

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    args = [sys.executable, "-c", PEAK, "merge", str(book), *map(os.fsdecode, returns), "--quarter", "1",
            "--out", str(out), "--today", "2025-05-01"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             preexec_fn=bounded, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        _, stderr = child.communicate(timeout=TIME)
        code = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the merge and the worker processes it started
        _, stderr = child.communicate()
        code, stderr = None, f"killed after {TIME} s\n{stderr}"
    peak = re.search(r"^PEAK (\d+)$", stderr, re.M)
    return Run(code, stderr, int(peak.group(1)) if peak else 0, out)


def snapshot(folder: Path) -> dict[bytes, bytes]:
    """Every file under `folder` (names as bytes: some are not UTF-8) → its content."""
    found = {}
    for where, _, names in os.walk(os.fsencode(folder)):
        for name in names:
            path = os.path.join(where, name)
            with open(path, "rb") as f:
                found[path] = f.read()
    return found


# -- reading the tracker ------------------------------------------------------------------------------

@dataclass
class Tracker:
    summary: dict[str, openpyxl.cell.Cell]  # 编号 → its 第一季度完成情况 cell in 汇总
    summary_values: list[tuple]  # every row of 汇总, for comparing two merges
    problems: list[dict[str, object]]  # 问题清单 rows by header
    files: list[dict[str, object]]  # 文件清单 rows by header
    reporting: list[dict[str, object]]  # 报送情况 rows by header

    def said(self, name: str) -> list[str]:
        """What 问题清单 says of file `name`."""
        return [str(p["问题"] or "") for p in self.problems if p["文件"] == name]

    def answer(self, key: str) -> str:
        cell = self.summary.get(key)
        return "" if cell is None or cell.value is None else str(cell.value)


def rows_of(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[3]]
    return [dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=4, values_only=True)
            if any(v is not None for v in row)]


def read_tracker(path: Path) -> Tracker:
    wb = openpyxl.load_workbook(path)
    ws = wb["汇总"]
    header = [c.value for c in ws[3]]
    key, answer = header.index("编号"), header.index("第一季度完成情况")
    summary = {row[key].value: row[answer] for row in ws.iter_rows(min_row=4) if row[key].value}
    values = [row for row in ws.iter_rows(min_row=4, values_only=True)]
    return Tracker(summary, values, rows_of(wb["问题清单"]), rows_of(wb["文件清单"]), rows_of(wb["报送情况"]))


def is_sentence(message: str) -> bool:
    """A reason in Chinese, not a traceback or an exception's name."""
    return bool(re.search(r"[\u4e00-\u9fff]{4}", message)) and not re.search(
        r"Traceback|File \"|\b\w*(Error|Exception|Panic)\b|\bline \d+", message)


# -- the catalogue ------------------------------------------------------------------------------------

@dataclass
class Expect:
    """What the merge must show for one case."""

    answers: dict[str, str]  # 编号 → a legitimate answer that must be in its 第一季度完成情况 (and nowhere else)
    named: list[str | tuple[str, ...]] = field(default_factory=list)  # files 问题清单 must name (a tuple: any of)
    words: str | re.Pattern | None = None  # what the message on the (first) named file must contain
    not_named: list[str] = field(default_factory=list)  # files that are not problems
    absent: list[str] = field(default_factory=list)  # texts that must not be anywhere in 汇总
    merged_or_quoted: dict[str, str] = field(default_factory=dict)  # 编号 → text on its task or quoted in 问题清单
    orders: list[list[Path]] = field(default_factory=list)  # merge these paths in each order: same 汇总 (default: 回收)
    check: Callable[[Tracker], list[str]] | None = None  # more checks: each string returned is a failure


CASES: dict[str, Callable[[Kit, Path], Expect]] = {}


def case(name: str):
    def register(build: Callable[[Kit, Path], Expect]) -> Callable[[Kit, Path], Expect]:
        CASES[name] = build
        return build
    return register


def others(*keys: str) -> dict[str, str]:
    """市教育局's answers but those on `keys`."""
    return {k: v for k, v in ANSWERS[UNIT].items() if k not in keys}


# wrong data, silently

@case("sorted-visible-columns")
def _(kit: Kit, returns: Path) -> Expect:
    """The unit sorted A:D by 责任事项; the hidden 任务标识 did not move: each answer goes with the task its row shows."""
    path = copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    moved = hostile.sort_visible_columns(path)
    assert {serial for serial, _ in moved} & set(ANSWERS[UNIT]), "the sort moved no answered row"
    return Expect(legit(), named=[f"回收/{UNIT}.xlsx"])


@case("another-units-identity-newer")
def _(kit: Kit, returns: Path) -> Expect:
    """A file named and titled as 市商务局's whose hidden identity is 市教育局's, saved a day later, answering one task."""
    copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    fake = fill(kit.forms[UNIT], {"二-34": "（冒名文件）双一流建设暂停。"}, returns / "市商务局（更正）.xlsx", saved=LATER)
    hostile.disguise(fake, UNIT, "市商务局")
    return Expect({**legit(*LEGIT), **others("二-34")}, named=["回收/市商务局（更正）.xlsx"])


@case("form-of-another-year")
def _(kit: Kit, returns: Path) -> Expect:
    """市教育局's form of 2024 (same 序号), saved later than its 2025 return: not merged onto 2025's tasks."""
    copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    old = {key: f"（2024年）{text}" for key, text in ANSWERS[UNIT].items()}
    path = fill(kit.forms[UNIT], old, returns / f"{UNIT}（2024年）.xlsx", saved=LATER)
    hostile.set_identity(path, "年度", "xltools_year", 2024)
    return Expect(legit(), named=[f"回收/{UNIT}（2024年）.xlsx"], absent=list(old.values()))


@case("form-of-another-plan")
def _(kit: Kit, returns: Path) -> Expect:
    """A form of another plan whose tasks have the same numbers: not merged onto this plan's tasks."""
    copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    other = {key: f"（营商环境方案）{text}" for key, text in ANSWERS[UNIT].items()}
    path = fill(kit.forms[UNIT], other, returns / f"{UNIT}（营商环境）.xlsx", saved=LATER)
    hostile.replan(path, PLAN, "2025年优化营商环境方案任务")
    return Expect(legit(), named=[f"回收/{UNIT}（营商环境）.xlsx"], absent=list(other.values()))


@case("save-time-2099")
def _(kit: Kit, returns: Path) -> Expect:
    """An early draft that says it was saved in 2099 must not beat the unit's real, later correction."""
    draft = fill(kit.forms[UNIT], {"二-34": "（草稿）双一流建设资金尚未到位。"}, returns / f"{UNIT}（草稿）.xlsx",
                 saved=dt.datetime(2099, 1, 1, 9))
    hostile.touch(draft, SAVED)  # on disk: when it arrived
    fill(kit.forms[UNIT], ANSWERS[UNIT], returns / f"{UNIT}（更正）.xlsx", saved=LATER)
    return Expect(legit(), named=[f"回收/{UNIT}（草稿）.xlsx"], absent=["（草稿）双一流建设资金尚未到位。"])


@case("tie-same-name-same-time")
def _(kit: Kit, returns: Path) -> Expect:
    """Two files of the same name in two folders, same save time and mtime, different 二-34: either order, same 汇总."""
    for folder, text in (("甲", "（甲）二-34已完成。"), ("乙", "（乙）二-34按计划推进。")):
        fill(kit.forms[UNIT], {**ANSWERS[UNIT], "二-34": text}, returns / folder / f"{UNIT}.xlsx")
    good = [returns / f"{unit}.xlsx" for unit in LEGIT]
    first = [returns / "甲", returns / "乙", *good]
    return Expect({**legit(*LEGIT), **others("二-34")}, named=[(f"甲/{UNIT}.xlsx", f"乙/{UNIT}.xlsx")],
                  orders=[first, first[::-1]],
                  check=lambda t: [] if t.answer("二-34") in ("（甲）二-34已完成。", "（乙）二-34按计划推进。")
                  else [f"二-34 shows {t.answer('二-34')!r}, neither version"])


@case("answer-column-deleted")
def _(kit: Kit, returns: Path) -> Expect:
    """完成情况 deleted, the sheet renamed 不是附表, the answers typed in the column beside: merged or quoted, never lost."""
    path = fill(kit.forms[UNIT], {}, returns / f"{UNIT}.xlsx")
    hostile.delete_answer_column(path, ANSWERS[UNIT])
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xlsx"], merged_or_quoted=ANSWERS[UNIT])


@case("merged-answer-cells")
def _(kit: Kit, returns: Path) -> Expect:
    """The 完成情况 cells of 二-34 and 二-36 merged into one: the answer counts for both tasks."""
    path = copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    hostile.merge_answer_cells(path, "二-34", "二-36")
    both = ANSWERS[UNIT]["二-34"]
    return Expect({**legit(), "二-36": both}, named=[f"回收/{UNIT}.xlsx"], absent=[ANSWERS[UNIT]["二-36"]])


@case("formula-without-saved-value")
def _(kit: Kit, returns: Path) -> Expect:
    """二-36's 完成情况 is <f>1+1</f> with no <v>: kept as inert text, the cell reported."""
    path = copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    ref = hostile.answer_cell(path, "二-36")
    hostile.put_cell_xml(path, ref, f'<c r="{ref}"><f>1+1</f></c>')
    row = int(ref[1:])

    def inert(t: Tracker) -> list[str]:
        cell = t.summary.get("二-36")
        failures = []
        if cell is None or not isinstance(cell.value, str) or "1+1" not in cell.value or cell.data_type != "s":
            failures.append(f"二-36 holds {getattr(cell, 'value', None)!r} ({getattr(cell, 'data_type', '')}), "
                            "not the formula as text")
        said = [p for p in t.problems if p["文件"] == f"回收/{UNIT}.xlsx" and "公式" in str(p["问题"])]
        if not any(str(p["行号"]) == str(row) or f"第 {row} 行" in str(p["问题"]) or ref in str(p["问题"])
                   for p in said):
            failures.append(f"问题清单 names no formula at row {row} ({ref})")
        return failures

    return Expect(legit(*LEGIT) | others("二-36"), named=[f"回收/{UNIT}.xlsx"], words="公式", check=inert)


@case("text-over-32767-characters")
def _(kit: Kit, returns: Path) -> Expect:
    """二-36 answered with 39,902 characters (more than an Excel cell holds)."""
    long = "推进各项工作，" * 5700 + "完。"  # 39,902 characters: written into the XML (openpyxl cuts at 32,767)
    path = fill(kit.forms[UNIT], {**ANSWERS[UNIT], "二-36": "LONG-MARK"}, returns / f"{UNIT}.xlsx")
    hostile.replace_text(path, "LONG-MARK", long)

    def cut(t: Tracker) -> list[str]:
        text = t.answer("二-36")
        return [] if text.startswith(long[:200]) and len(text) <= 32767 else \
            [f"二-36 holds {len(text)} characters starting {text[:20]!r}"]

    return Expect(legit(*LEGIT) | others("二-36"), named=[f"回收/{UNIT}.xlsx"], check=cut)


@case("control-characters")
def _(kit: Kit, returns: Path) -> Expect:
    """二-36's answer holds a vertical tab (a Word line break) and \\x01, stored as Excel stores them (_x000B_)."""
    path = fill(kit.forms[UNIT], {**ANSWERS[UNIT], "二-36": "CONTROL-MARK"}, returns / f"{UNIT}.xlsx")
    hostile.replace_text(path, "CONTROL-MARK", "新增硕士点3个_x000B_按计划推进_x0001_。")

    def clean(t: Tracker) -> list[str]:
        text = t.answer("二-36")
        ok = "新增硕士点3个" in text and "按计划推进" in text and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
        return [] if ok else [f"二-36 holds {text!r}"]

    return Expect(legit(*LEGIT) | others("二-36"), named=[f"回收/{UNIT}.xlsx"], check=clean)


# one file stops everything

@case("truncated-xls")
def _(kit: Kit, returns: Path) -> Expect:
    (returns / f"{UNIT}.xls").write_bytes(hostile.truncated(office(kit, f"{UNIT}.xls").read_bytes()))
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xls"])


@case("fuzzed-xls")
def _(kit: Kit, returns: Path) -> Expect:
    (returns / f"{UNIT}.xls").write_bytes(hostile.fuzzed(office(kit, f"{UNIT}.xls").read_bytes()))
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xls"])


@case("cell-at-XFD1048576")
def _(kit: Kit, returns: Path) -> Expect:
    """A small .xlsx whose 附表3 claims A1:XFD1048576 and has a cell there: read within bounds, its answers merged."""
    path = hostile.far_cell(copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx"))
    assert path.stat().st_size < 60_000
    return Expect(legit(), named=[f"回收/{UNIT}.xlsx"])


def _zip_with_good_form(kit: Kit, returns: Path, *bad: tuple) -> Path:
    good = hostile.member(f"{UNIT}.xlsx", kit.filled[UNIT].read_bytes())
    return hostile.write_zip(returns / f"{UNIT}.zip", [good, *bad])


@case("zip-member-bad-crc")
def _(kit: Kit, returns: Path) -> Expect:
    bad = hostile.bad_crc(hostile.member(f"{UNIT}（修改前）.xlsx", kit.filled[UNIT].read_bytes(), hostile.STORED))
    _zip_with_good_form(kit, returns, bad)
    return Expect(legit(), named=[f"回收/{UNIT}.zip/{UNIT}（修改前）.xlsx"])


@case("zip-member-unsupported-method")
def _(kit: Kit, returns: Path) -> Expect:
    bad = hostile.unsupported(hostile.member(f"{UNIT}（副本）.xlsx", kit.filled[UNIT].read_bytes()))
    _zip_with_good_form(kit, returns, bad)
    return Expect(legit(), named=[f"回收/{UNIT}.zip/{UNIT}（副本）.xlsx"])


@case("zip-bomb-beside-good-form")
def _(kit: Kit, returns: Path) -> Expect:
    """1 GB of zeros packed in about 1 MB, next to the unit's good form in the same archive."""
    _zip_with_good_form(kit, returns, hostile.bomb("数据.xlsx"))
    return Expect(legit(), named=[f"回收/{UNIT}.zip/数据.xlsx"])


@case("zip-over-20MB-with-scan")
def _(kit: Kit, returns: Path) -> Expect:
    """A 21 MB archive: the good form and a large photo of the signed form. The form is merged, the photo is normal."""
    scan = hostile.member("签字盖章.jpg", hostile.jpeg_scan(21 * 1024 * 1024), hostile.STORED)
    path = _zip_with_good_form(kit, returns, scan)
    assert path.stat().st_size > 20 * 1024 * 1024
    return Expect(legit(), not_named=[f"回收/{UNIT}.zip", f"回收/{UNIT}.zip/{UNIT}.xlsx",
                                      f"回收/{UNIT}.zip/签字盖章.jpg"])


@case("identity-quarter-9")
def _(kit: Kit, returns: Path) -> Expect:
    hostile.set_identity(copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx"), "季度", "xltools_quarter", 9)
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xlsx"])


@case("save-time-9999-12-31")
def _(kit: Kit, returns: Path) -> Expect:
    hostile.set_saved(copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx"), SAVED, utc="9999-12-31T23:59:59Z")
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xlsx"])


@case("gbk-file-name")
def _(kit: Kit, returns: Path) -> Expect:
    """A file name in GBK bytes on disk (not UTF-8): read, listed under its readable name."""
    copy(kit.filled[UNIT], hostile.gbk_name(returns, f"{UNIT}一季度.xlsx"))
    name = f"回收/{UNIT}一季度.xlsx"

    def listed(t: Tracker) -> list[str]:
        return [] if any(f["文件"] == name for f in t.files) else \
            [f"文件清单 has no {name}: {[f['文件'] for f in t.files]}"]

    return Expect(legit(), check=listed)


@case("password-xls")
def _(kit: Kit, returns: Path) -> Expect:
    """An .xls saved by LibreOffice with a password to open it."""
    (returns / f"{UNIT}.xls").write_bytes(office(kit, "有密码.xls").read_bytes())
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xls"], words=PASSWORD)


@case("encrypted-xlsx")
def _(kit: Kit, returns: Path) -> Expect:
    """An .xlsx with a password to open it: an OLE container holding EncryptionInfo and EncryptedPackage."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml", reason="msoffcrypto-tool (a dev dependency) encrypts")
    out = io.BytesIO()
    with kit.filled[UNIT].open("rb") as f:
        ooxml.OOXMLFile(f).encrypt("1234", out)
    (returns / f"{UNIT}.xlsx").write_bytes(out.getvalue())
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xlsx"], words=PASSWORD)


@case("rar-archive")
def _(kit: Kit, returns: Path) -> Expect:
    (returns / f"{UNIT}.rar").write_bytes(hostile.fake_archive("rar"))
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.rar"], words="zip")


@case("7z-archive")
def _(kit: Kit, returns: Path) -> Expect:
    (returns / f"{UNIT}.7z").write_bytes(hostile.fake_archive("7z"))
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.7z"], words="zip")


@case("signed-scan-beside-form")
def _(kit: Kit, returns: Path) -> Expect:
    """A PDF of the signed form beside the unit's .xlsx: not a wrong file, recorded as 已附签字件."""
    copy(kit.filled[UNIT], returns / f"{UNIT}.xlsx")
    (returns / f"{UNIT}签字盖章.pdf").write_bytes(hostile.pdf_scan())
    scan = f"回收/{UNIT}签字盖章.pdf"

    def recorded(t: Tracker) -> list[str]:
        files = [f for f in t.files if f["文件"] == scan]
        rows = [r for r in t.reporting if r.get("单位") == UNIT]
        if any("已附签字件" in str(v) for row in files + rows for v in row.values()):
            return []
        return [f"已附签字件 not recorded: 文件清单 {files}, 报送情况 {rows}"]

    return Expect(legit(), not_named=[scan], check=recorded)


@case("signed-scan-alone")
def _(kit: Kit, returns: Path) -> Expect:
    """Only the PDF of the signed form: the unit is asked for the .xlsx."""
    (returns / f"{UNIT}签字盖章.pdf").write_bytes(hostile.pdf_scan())
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}签字盖章.pdf"], words="xlsx")


@case("saved-as-ods")
def _(kit: Kit, returns: Path) -> Expect:
    """The return saved as .ods by LibreOffice: read like .xlsx."""
    copy(office(kit, f"{UNIT}.ods"), returns / f"{UNIT}.ods")
    return Expect(legit(), not_named=[f"回收/{UNIT}.ods"])


@case("docx-renamed-xlsx")
def _(kit: Kit, returns: Path) -> Expect:
    (returns / f"{UNIT}.xlsx").write_bytes(hostile.word_document())
    return Expect(legit(*LEGIT), named=[f"回收/{UNIT}.xlsx"], words="Word")


def office(kit: Kit, name: str) -> Path:
    """A file LibreOffice saved (Kit.office); the case skips when LibreOffice could not make it."""
    made = kit.office
    if name not in made:
        pytest.skip(f"LibreOffice could not save {name}: {made.get(f'failed:{name}', 'not made')}")
    return made[name]


# -- the test ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("build", CASES.values(), ids=CASES.keys())
def test_a_hostile_return_neither_stops_nor_fools_the_merge(kit, build, tmp_path, request):
    returns = tmp_path / "回收"
    for unit in LEGIT:
        copy(kit.filled[unit], returns / f"{unit}.xlsx")
    expect = build(kit, returns)
    before = snapshot(returns)

    runs = [run_merge(kit.book, paths, tmp_path / f"out{i}" / "汇总台账.xlsx")
            for i, paths in enumerate(expect.orders or [[returns]])]

    peak = max(run.peak for run in runs)
    print(f"{request.node.callspec.id}: peak {peak / 1024:.0f} MB, idle {kit.idle / 1024:.0f} MB, "
          f"above idle {(peak - kit.idle) / 1024:+.0f} MB")
    for run in runs:  # 1. the merge ends normally and writes the tracker
        assert run.code == 0, f"exit code {run.code}: {run.stderr.strip()[-600:]}"
        assert run.out.exists(), "no tracker written"
    assert snapshot(returns) == before, "an input file was changed"  # 4.
    assert peak and peak - kit.idle < ABOVE_IDLE, f"peak {peak} KB against {kit.idle} KB idle"  # 5.
    trackers = [read_tracker(run.out) for run in runs]
    for row in dict.fromkeys((p["文件"], p["工作表"], p["行号"], p["问题"]) for p in trackers[0].problems):
        print("  问题清单:", " | ".join("" if v is None else str(v) for v in row))
    failures = verify(trackers[0], expect)  # 2. and 3.
    if any(t.summary_values != trackers[0].summary_values for t in trackers[1:]):
        failures.append("汇总 differs when the same files are given in another order")
    assert not failures, "\n".join(failures)


def verify(tracker: Tracker, expect: Expect) -> list[str]:
    """Where the tracker differs from what `expect` says, one line each."""
    failures = []
    # 2. each legitimate answer on the task it was typed on, and on no other
    for key, text in expect.answers.items():
        if text not in tracker.answer(key):
            failures.append(f"{key}: expected {text!r}, 汇总 shows {tracker.answer(key)[:60]!r}")
    for text in set(expect.answers.values()):
        where = {key for key in tracker.summary if text in tracker.answer(key)}
        if extra := where - {k for k, t in expect.answers.items() if t == text}:
            failures.append(f"{text!r} also on {sorted(extra)}")
    everything = "\n".join(str(v) for row in tracker.summary_values for v in row if v is not None)
    failures += [f"{text[:30]!r} is in 汇总" for text in expect.absent if text in everything]
    quoted = "\n".join(str(p["问题"]) for p in tracker.problems)
    failures += [f"{key}: {text!r} neither on its task nor quoted in 问题清单"
                 for key, text in expect.merged_or_quoted.items()
                 if text not in tracker.answer(key) and text not in quoted]
    # 3. the bad file named, with a reason in Chinese
    for i, names in enumerate(expect.named):
        names = (names,) if isinstance(names, str) else names
        said = [m for name in names for m in tracker.said(name)]
        if not said:
            failures.append(f"问题清单 does not name {' or '.join(names)}; it names "
                            f"{sorted({str(p['文件']) for p in tracker.problems})}")
            continue
        failures += [f"not a sentence: {m!r}" for m in said if not is_sentence(m)]
        words = expect.words
        if i == 0 and words and not any(
                re.search(words, m) if isinstance(words, re.Pattern) else words in m for m in said):
            failures.append(f"{names[0]}: expected a message with {getattr(words, 'pattern', words)!r}, got {said}")
    failures += [f"{name} reported: {tracker.said(name)}" for name in expect.not_named if tracker.said(name)]
    return failures + (expect.check(tracker) if expect.check else [])
