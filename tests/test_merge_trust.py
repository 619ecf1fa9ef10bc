"""Returns that try to fool or stop the merge (issue 14), each merged by the CLI in its own process with a
memory and time limit, beside a unit's good return: the merge ends normally, the good answers are on their
tasks, the bad file is named in 问题清单 with a Chinese reason, and no input is changed."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import seed_path
from tests.office import convert
from xltools.cli import main
from xltools.readers.forms import read_identity
from xltools.vocab import PROGRESS

LIMIT = 1536 * 1024 * 1024  # address space of the merge process
GOOD = {"二-1": "已完成国际消费中心城市创建评估。", "二-2": "按计划推进，以旧换新补贴发放3.2亿元。",
        "二-3": "举办展会节事活动320场，完成年度目标29%。"}  # 市商务局's answers
OTHER = {"二-34": "按计划推进，支持“双一流”建设资金到位2亿元。"}  # 市教育局's


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust")
    book = root / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    assert main(["templates", str(book), "--out", str(root / "分发"), "--quarter", "1", "--forms", "3",
                 "--units", "市商务局,市教育局"]) == 0
    made = {read_identity(p).unit: p for p in (root / "分发").glob("*.xlsx") if p.name != "分发清单.xlsx"}
    filled(made["市商务局"], GOOD, root / "回收" / "市商务局.xlsx")
    done, idle = run_merge(book, root / "回收", root / "汇总.xlsx")  # the good return alone: the idle figure
    assert done.returncode == 0 and idle
    return book, made, idle


def filled(form: Path, answers: dict[str, str], to: Path) -> Path:
    """The form with 完成情况 typed on the rows of `answers` (by 序号), saved as `to`."""
    wb = openpyxl.load_workbook(form)
    ws = wb["附表3"]
    header = [c.value for c in ws[4]]
    for row in ws.iter_rows(min_row=5):
        if row[0].value in answers:
            row[header.index(PROGRESS)].value = answers[row[0].value]
    to.parent.mkdir(parents=True, exist_ok=True)
    wb.save(to)
    return to


def set_identity(path: Path, label: str, prop: str, value) -> None:
    """Change what a form says of itself, on its hidden sheet and in its document properties."""
    wb = openpyxl.load_workbook(path)
    for row in wb["_来源"].iter_rows():
        if row[0].value == label:
            row[1].value = value
    wb.save(path)

    def change(parts: dict[str, bytes]) -> None:
        xml = parts["docProps/custom.xml"].decode()
        at = xml.index(f'name="{prop}"')
        start, end = xml.index("<vt:", at), xml.index("</vt:", at)
        kind = xml[start + 4: xml.index(">", start)]
        parts["docProps/custom.xml"] = (xml[:start] + f"<vt:{kind}>{value}" + xml[end:]).encode()

    rewrite(path, change)


PEAK = "import resource, sys\nfrom xltools.cli import main\ncode = main(sys.argv[1:])\n" \
       "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n" \
       "      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\nsys.exit(code)"
ABOVE_IDLE = 300 * 1024  # KB: what one hostile file may add to the merge's peak memory


def run_merge(book: Path, returns: Path, out: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`xltools merge` in a process of its own, limited in memory and time; its peak memory in KB (all processes)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    done = subprocess.run([sys.executable, "-c", PEAK, "merge", str(book), str(returns), "--quarter", "1",
                           "--out", str(out), "--today", "2025-05-01"], capture_output=True, text=True, timeout=180,
                          preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    peak = re.search(r"^PEAK (\d+)$", done.stderr, re.M)
    return done, int(peak.group(1)) if peak else 0


def rewrite(path: Path, change) -> None:
    """Edit a workbook's package parts in place, as a tool that writes XML by hand would."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def merged(forms, returns: Path, out: Path) -> tuple[int, dict, list]:
    """The merge of `returns`: inputs unchanged, exit 0, peak memory within bounds; 汇总's answers by 编号, 问题清单."""
    book, _, idle = forms
    before = {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()}
    done, peak = run_merge(book, returns, out)
    assert {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()} == before  # inputs never changed
    assert done.returncode == 0, done.stderr
    print(f"peak memory {peak // 1024} MB, idle {idle // 1024} MB")
    assert peak - idle < ABOVE_IDLE, (peak, idle)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    header = [c.value for c in ws[3]]
    answers = {r[header.index("编号")]: r[header.index("第一季度完成情况")] for r in ws.iter_rows(min_row=4, values_only=True)
               if r[header.index("第一季度完成情况")]}
    problems = [(r[0], r[3]) for r in wb["问题清单"].iter_rows(min_row=4, values_only=True)]
    return peak, answers, problems


def with_good(forms, tmp_path: Path) -> Path:
    _, made, _ = forms
    returns = tmp_path / "回收"
    filled(made["市商务局"], GOOD, returns / "市商务局.xlsx")
    return returns


def with_two(forms, tmp_path: Path) -> tuple[Path, Path]:
    """市商务局's good return and 市教育局's filled one, for a case to spoil the latter."""
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    return returns, filled(made["市教育局"], OTHER, returns / "市教育局.xlsx")


def said(problems: list, name: str) -> str:
    return "\n".join(message for file, message in problems if file and file.endswith(name))


def test_visible_columns_sorted_without_the_hidden_id(forms, tmp_path):
    """A unit sorts A:D only: the answers move with their 序号 and 责任事项, the hidden 任务标识 stays."""
    _, made, _ = forms
    returns = tmp_path / "回收"
    path = filled(made["市商务局"], GOOD, returns / "市商务局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["附表3"]
    data = [row for row in ws.iter_rows(min_row=5) if row[0].value and not str(row[0].value).startswith("备注")]
    rows = [[c.value for c in row[:4]] for row in data]
    for row, values in zip(data, sorted(rows, key=lambda r: str(r[1])), strict=True):
        for cell, value in zip(row[:4], values, strict=True):
            cell.value = value
    wb.save(path)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in GOOD} == GOOD  # each on the task it was written beside
    assert "可能只对部分列排了序" in said(problems, "市商务局.xlsx")


def test_a_form_of_another_year_is_not_merged(forms, tmp_path):
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    old = filled(made["市教育局"], {"二-34": "旧年度的内容。"}, returns / "市教育局2024.xlsx")
    set_identity(old, "年度", "xltools_year", 2024)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert "旧年度的内容。" not in answers.values() and {k: answers.get(k) for k in GOOD} == GOOD
    assert "2024 年的附表" in said(problems, "市教育局2024.xlsx")


def test_a_formula_saved_without_its_value_is_kept_as_text(forms, tmp_path):
    returns, path = with_two(forms, tmp_path)

    def change(parts: dict[str, bytes]) -> None:
        sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
        xml = parts[sheet].decode()
        row = xml.index('r="D5"')  # the first task's 完成情况: a formula, and no <v>
        start, end = xml.rindex("<c ", 0, row), xml.index(">", row)
        close = "" if xml[end - 1] == "/" else xml[end + 1: xml.index("</c>", end) + 4]
        parts[sheet] = (xml[:start] + '<c r="D5"><f>HYPERLINK("http://x","点击")</f></c>'
                        + xml[end + 1 + len(close):]).encode()

    rewrite(path, change)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert any(str(v).startswith('=HYPERLINK("http://x"') for v in answers.values())  # inert text, not run
    assert "没有保存计算结果" in said(problems, "市教育局.xlsx")


def test_a_deleted_answer_column_and_merged_answer_cells(forms, tmp_path):
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    path = filled(made["市教育局"], {}, returns / "市教育局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["附表3"]
    ws.title = "不是附表"
    ws.protection.sheet = False
    ws["D4"] = None  # the 完成情况 header gone; answers typed in the column beside the task
    keys = [c.value for c in ws["A"][4:] if c.value]
    ws.cell(row=5, column=6, value="按计划推进，第一项。")
    ws.cell(row=6, column=6, value="第二、三项一并说明：均按计划推进。")
    ws.merge_cells(start_row=6, start_column=6, end_row=7, end_column=6)  # one answer for two tasks
    wb.save(path)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert answers.get(keys[0]) == "按计划推进，第一项。"
    assert answers.get(keys[1]) == answers.get(keys[2]) == "第二、三项一并说明：均按计划推进。"
    assert "找不到“完成情况”列" in said(problems, "市教育局.xlsx")
    assert "合并成了一个单元格" in said(problems, "市教育局.xlsx")


def test_text_with_control_characters_and_beyond_a_cell(forms, tmp_path):
    _, made, _ = forms
    returns = tmp_path / "回收"
    long = "推进。" * 12000  # 36,000 characters
    path = filled(made["市商务局"], {"二-1": "CONTROL", "二-2": long, "二-3": GOOD["二-3"]}, returns / "市商务局.xlsx")

    def change(parts: dict[str, bytes]) -> None:
        [part] = [name for name, data in parts.items() if b">CONTROL<" in data]
        parts[part] = parts[part].replace(b">CONTROL<", ">第一行_x000B_第二行_x0001_<".encode())

    rewrite(path, change)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert answers["二-1"] == "第一行\n第二行"
    assert len(answers["二-2"]) == 30000 and answers["二-3"] == GOOD["二-3"]
    assert "超过 Excel 单元格能容纳的长度" in said(problems, "市商务局.xlsx")


def test_a_cell_at_xfd1048576(forms, tmp_path):
    returns, path = with_two(forms, tmp_path)

    def change(parts: dict[str, bytes]) -> None:
        sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
        parts[sheet] = parts[sheet].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x'
                                                             b"</t></is></c></row></sheetData>")

    rewrite(path, change)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in {**GOOD, **OTHER}} == {**GOOD, **OTHER}  # read within bounds
    assert "范围异常大" in said(problems, "市教育局.xlsx")


def test_an_identity_that_contradicts_the_file_name_or_names_another_plan(forms, tmp_path):
    """市教育局's form sent under 市商务局's name, newer, and a form whose hidden ids name another plan."""
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    renamed = filled(made["市教育局"], OTHER, returns / "市商务局（更正）.xlsx")
    os.utime(renamed, (2e9, 2e9))
    alien = filled(made["市商务局"], {"二-1": "别的方案的内容。"}, returns / "市商务局2.xlsx")
    wb = openpyxl.load_workbook(alien)
    ws = wb["附表3"]
    for row in ws.iter_rows(min_row=5):
        if row[4].value and "|" in str(row[4].value):
            row[4].value = "2024年市政府工作报告任务|" + str(row[4].value).split("|")[1]
    wb.save(alien)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in {**GOOD, **OTHER}} == {**GOOD, **OTHER}  # nothing erased, nothing moved
    assert "可能交错了表" in said(problems, "市商务局（更正）.xlsx")
    assert "属于另一个方案" in said(problems, "市商务局2.xlsx") and "别的方案的内容。" not in answers.values()


def test_a_save_time_of_year_9999(forms, tmp_path):
    returns, path = with_two(forms, tmp_path)

    def change(parts: dict[str, bytes]) -> None:
        parts["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>9999-12-31T23:59:59Z",
                                            parts["docProps/core.xml"])

    rewrite(path, change)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in {**GOOD, **OTHER}} == {**GOOD, **OTHER}
    assert "晚于今天" in said(problems, "市教育局.xlsx")


def _bomb_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """A member that unpacks to `size` zero bytes, compressed as it streams."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as f:
        block = bytes(1 << 20)
        for _ in range(size >> 20):
            f.write(block)


def test_an_archive_is_judged_member_by_member(forms, tmp_path):
    _, made, _ = forms
    returns = tmp_path / "回收"
    good = filled(made["市商务局"], GOOD, tmp_path / "市商务局.xlsx")
    other = filled(made["市教育局"], OTHER, tmp_path / "市教育局.xlsx")
    returns.mkdir()
    with zipfile.ZipFile(returns / "两个单位.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(good, "市商务局.xlsx")
        _bomb_member(z, "炸弹.xlsx", 1 << 30)  # 1 GB of zeros, about 1 MB packed
        z.writestr("市商务局签字件.jpg", b"\xff\xd8\xff\xe0" + os.urandom(21 << 20))  # the zip is over 20 MB
    with zipfile.ZipFile(returns / "坏了一个.zip", "w", zipfile.ZIP_STORED) as z:
        z.write(other, "市教育局.xlsx")
        z.writestr("说明.txt", "这是说明" * 100)
        z.writestr("新压缩方式.xlsx", "Deflate64 的内容" * 100)
    broken = bytearray((returns / "坏了一个.zip").read_bytes())
    at = broken.index("这是说明".encode())
    broken[at] ^= 0xFF  # the text member's bytes no longer match its CRC
    with zipfile.ZipFile(returns / "坏了一个.zip") as z:
        info = z.getinfo("新压缩方式.xlsx")
    broken[info.header_offset + 8: info.header_offset + 10] = b"\x09\x00"  # Deflate64: not supported
    name = info.orig_filename.encode()
    central = broken.index(b"PK\x01\x02")  # its entry in the central directory says the same
    while broken[central + 46: central + 46 + len(name)] != name:
        central = broken.index(b"PK\x01\x02", central + 4)
    broken[central + 10: central + 12] = b"\x09\x00"
    (returns / "坏了一个.zip").write_bytes(bytes(broken))
    assert (returns / "两个单位.zip").stat().st_size > 20 << 20
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in {**GOOD, **OTHER}} == {**GOOD, **OTHER}
    assert "解压后过大" in said(problems, "炸弹.xlsx")
    assert "已损坏" in said(problems, "说明.txt")
    assert "压缩方式不支持" in said(problems, "新压缩方式.xlsx")
    assert not said(problems, "签字件.jpg")  # a signed scan beside the form: not a problem


@pytest.mark.parametrize(("name", "content", "words"), [
    ("市教育局.rar", b"Rar!\x1a\x07\x01\x00" + bytes(100), "改用 zip"),
    ("市教育局.7z", b"7z\xbc\xaf\x27\x1c" + bytes(100), "改用 zip"),
    ("市教育局.xlsx", b"PK\x03\x04" + bytes(100), "损坏"),
])
def test_files_that_are_not_forms_get_their_own_message(forms, tmp_path, name, content, words):
    returns = with_good(forms, tmp_path)
    (returns / name).write_bytes(content)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in GOOD} == GOOD
    assert words in said(problems, name)


def test_a_truncated_a_fuzzed_and_a_password_xls(forms, tmp_path):
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    xls = convert(filled(made["市教育局"], OTHER, tmp_path / "x" / "市教育局.xlsx"), "xls", tmp_path / "xls")
    data = xls.read_bytes()
    (returns / "截断.xls").write_bytes(data[: len(data) // 2])
    fuzzed = bytearray(data)
    for i in range(600, len(fuzzed), 97):
        fuzzed[i] ^= 0x5A
    (returns / "乱码.xls").write_bytes(bytes(fuzzed))
    locked = bytearray(data)  # the record after the workbook's BOF retyped as FILEPASS: saved with a password
    bof = locked.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    locked[bof + 20: bof + 22] = b"\x2f\x00"
    (returns / "有密码.xls").write_bytes(bytes(locked))
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in GOOD} == GOOD
    assert said(problems, "截断.xls") and said(problems, "乱码.xls")
    assert "有打开密码" in said(problems, "有密码.xls")


def test_a_gbk_file_name_and_an_identity_with_quarter_9(forms, tmp_path):
    _, made, _ = forms
    returns = with_good(forms, tmp_path)
    path = filled(made["市教育局"], OTHER, tmp_path / "市教育局.xlsx")
    set_identity(path, "季度", "xltools_quarter", 9)
    target = os.fsencode(str(returns)) + b"/" + "市教育局一季度.xlsx".encode("gbk")
    shutil.copy(path, target)
    _, answers, problems = merged(forms, returns, tmp_path / "汇总.xlsx")
    assert {k: answers.get(k) for k in {**GOOD, **OTHER}} == {**GOOD, **OTHER}
    assert any("市教育局一季度.xlsx" in str(file) for file, _ in problems)  # the name as the unit wrote it
    assert "季度“9”不对" in said(problems, "市教育局一季度.xlsx")

