"""督办台账.xlsm without Excel: XlsxWriter draws the sheets and the Form buttons, pyOpenVBA writes the VBA project.

The VBA project holds, as source only (the `_VBA_PROJECT` stream at version
0xFFFF, no compiled cache: Office compiles from source on first open, as it
does for the templates xlwings ships):

- `xlwings` and `Dictionary`: xlwings' own VBA module and its Mac dictionary
  class, byte for byte from the installed xlwings package, so the workbook
  and the Python package are always the same xlwings version;
- `xltools` (xltools/data/vba/xltools.bas): one Sub per button, and SelfTest;
- `xlwings_udfs` (xltools/data/vba/xlwings_udfs.bas): the wrappers of the
  XLT_* worksheet functions that xlwings' "Import Functions" would write,
  pre-generated with xlwings' own code (`udf_module_source`), so that no PC
  needs "Trust access to the VBA project object model".

pyOpenVBA adds the project to a scratch workbook with the same number of
sheets (it names the document modules as Excel does: ThisWorkbook, Sheet1…);
XlsxWriter then writes the real workbook with that vbaProject.bin, the matching
code names and the macro-enabled content type.
"""

from __future__ import annotations

import ast
import io
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace

import xlsxwriter
import xlwings
from pyopenvba import ExcelFile, VBAModuleKind
from pyopenvba.cfb import CFB
from xlwings.utils import VBAWriter

from xltools.master.content import Front, Master, Table, directory_table, master_tables, settings_table
from xltools.master.settings import Settings
from xltools.units import UnitDirectory
from xltools.vocab import (
    BUTTONS,
    CONSOLE,
    LEDGER_NAME,
    RESULT_LABEL,
    STYLE_BODY,
    STYLE_HEADER,
    STYLE_INFO,
    STYLE_TITLE,
    XLWINGS_CONF_SHEETS,
)
from xltools.writers.files import write_atomic
from xltools.writers.layout import Row, SheetLayout, table_layout
from xltools.writers.look import TITLE_HEIGHT
from xltools.writers.xlsx_fast import OPTIONS, Formats, render

VBA_SOURCES = Path(__file__).resolve().parents[1] / "data" / "vba"
XLWINGS_DIR = Path(xlwings.__file__).resolve().parent
PROJECT_MODULE = "xltools"  # macros of the buttons (xltools.bas)
UDF_MODULE = "xlwings_udfs"  # the name xlwings' "Import Functions" gives its module
UDF_PYTHON_MODULE = "xltools.excel"  # xlwings.conf "UDF MODULES"
RESULT_NAME = "xltools_result"  # defined name of the 运行结果 cell; SelfTest writes there
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")  # [MS-OVBA] 2.3.4.1 as written: version 0xFFFF, no cache


# xlwings.conf: explicit paths, so the workbook's own folder is not on the path
CONF = (
    ("INTERPRETER_WIN", r"%LOCALAPPDATA%\xltools\.venv\Scripts\pythonw.exe"),
    ("INTERPRETER_MAC", "~/xltools/.venv/bin/python"),
    ("PYTHONPATH", r"%LOCALAPPDATA%\xltools"),
    ("UDF MODULES", UDF_PYTHON_MODULE),
    ("SHOW CONSOLE", "False"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
)


# -- the VBA modules --------------------------------------------------------------------------

@dataclass(frozen=True)
class VbaModule:
    name: str
    source: str  # as in the .bas/.cls file: CRLF, ASCII
    is_class: bool = False


def _read_vba(path: Path) -> str:
    data = path.read_bytes()
    if not data.isascii():
        raise ValueError(f"{path} must be ASCII: VBA reads module files in the system code page")
    return data.decode("ascii")


def xlwings_modules() -> list[VbaModule]:
    """xlwings' standalone VBA module and its Dictionary class (macOS), from the installed package."""
    return [VbaModule("xlwings", _read_vba(XLWINGS_DIR / "xlwings.bas")),
            VbaModule("Dictionary", _read_vba(XLWINGS_DIR / "addin" / "Dictionary.cls"), is_class=True)]


def project_modules() -> list[VbaModule]:
    return [VbaModule(PROJECT_MODULE, _read_vba(VBA_SOURCES / "xltools.bas")),
            VbaModule(UDF_MODULE, _read_vba(VBA_SOURCES / "xlwings_udfs.bas"))]


def ledger_modules() -> list[VbaModule]:
    return xlwings_modules() + project_modules()


def vba_project(modules: Iterable[VbaModule], sheets: int) -> bytes:
    """vbaProject.bin for a workbook of `sheets` worksheets holding `modules` (source only)."""
    with tempfile.TemporaryDirectory(prefix="xltools-vba-") as folder:
        scratch, made = Path(folder) / "scratch.xlsm", Path(folder) / "made.xlsm"
        skeleton = xlsxwriter.Workbook(str(scratch))
        for _ in range(sheets):
            skeleton.add_worksheet()
        skeleton.close()
        with ExcelFile(scratch) as book:
            project = book.add_vba_project()  # ThisWorkbook, Sheet1…SheetN, as Excel names them
            for module in modules:
                project.add_module(module.name, module.source,
                                   kind=VBAModuleKind.other if module.is_class else VBAModuleKind.standard)
            book.save(made)
        with zipfile.ZipFile(made) as package:
            cfb = CFB.from_bytes(package.read("xl/vbaProject.bin"))
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    return cfb.to_bytes()


# -- the UDF module, made with xlwings' own code ------------------------------------------------

_UDF_WRITER_FUNCTIONS = {"func_sig", "get_category", "get_async_mode", "check_bool",
                         "extract_type_and_annotations", "xlfunc", "generate_vba_wrapper"}
_WINDOWS_ONLY = {"pythoncom", "pywintypes", "win32com.client"}


def _xlwings_udf_writer() -> SimpleNamespace:
    """xlwings.udfs' decorator and VBA wrapper writer, taken from its source.

    xlwings.udfs imports pywin32 at the top, so it cannot be imported off
    Windows; its functions that describe a UDF and write the VBA are pure,
    and are compiled here from the installed file, unchanged.
    """
    path = XLWINGS_DIR / "udfs.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body: list[ast.stmt] = []
    header: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = {node.module} if isinstance(node, ast.ImportFrom) else {a.name for a in node.names}
            keep = getattr(node, "level", 0) == 0 and not names & _WINDOWS_ONLY
        elif isinstance(node, ast.Assign):
            keep = any(isinstance(t, ast.Name) and t.id == "_F" for t in node.targets)  # the TypeVar they use
        elif isinstance(node, ast.FunctionDef):
            keep = node.name in _UDF_WRITER_FUNCTIONS
            if node.name == "import_udfs":  # the module's first lines, written with vba.writeln("…")
                header = [s for s in node.body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                          and ast.unparse(s.value.func) == "vba.writeln"]
        else:
            keep = False
        if keep:
            body.append(node)
    if not header:
        raise RuntimeError(f"{path}: import_udfs no longer writes its header with vba.writeln")
    write_header = ast.parse("def write_header(vba):\n    pass").body[0]
    write_header.body = header
    body.append(write_header)
    module = ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
    namespace: dict = {"VBAWriter": VBAWriter, "__name__": "xlwings_udfs_writer"}
    exec(compile(module, str(path), "exec"), namespace)  # noqa: S102 - xlwings' own installed code
    return SimpleNamespace(**{name: namespace[name] for name in (*_UDF_WRITER_FUNCTIONS, "write_header")})


def worksheet_functions(module: ModuleType) -> list[str]:
    """Names of the functions in `module` decorated with xlwings' @xw.func (a no-op off Windows, so read from source)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(ast.unparse(d) in {"xw.func", "xlwings.func", "func"} for d in node.decorator_list)]


def udf_module_source(module: ModuleType, module_name: str = UDF_PYTHON_MODULE,
                      workbook_name: str = LEDGER_NAME) -> str:
    """The xlwings_udfs module xlwings' "Import Functions" writes for `module` in `workbook_name` (CRLF)."""
    writer = _xlwings_udf_writer()
    functions = {}
    for name in worksheet_functions(module):
        original = getattr(module, name)
        copy = type(original)(original.__code__, original.__globals__, name, original.__defaults__,
                              original.__closure__)
        copy.__doc__, copy.__annotations__ = original.__doc__, dict(original.__annotations__)
        functions[name] = writer.xlfunc(copy)  # what @xw.func does on Windows
    out = io.StringIO()
    writer.write_header(VBAWriter(out))
    writer.generate_vba_wrapper(module_name, SimpleNamespace(**functions), out, SimpleNamespace(Name=workbook_name))
    return out.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")  # as Windows writes the text file


# -- the sheets -------------------------------------------------------------------------------

CONSOLE_WIDTHS = [16, 80, 16]
BUTTON_ROW = 4  # 0-based: the first button's row
RESULT_ROW = BUTTON_ROW + len(BUTTONS) + 1


def console_layout() -> SheetLayout:
    """控制台: the buttons (drawn over their label cells), what each does, and the 运行结果 cell."""
    rows = [
        Row(STYLE_TITLE, [f"督办台账{CONSOLE}"]),
        Row(STYLE_INFO, [f"点击按钮运行；结果显示在下面“{RESULT_LABEL}”一格。需要先在本机安装 xltools（见安装说明）。"
                         "WPS 表格不支持按钮：请双击台账旁的同名 .cmd 启动文件。"]),
        Row(STYLE_INFO, []),
        Row(STYLE_HEADER, ["按钮", "作用", "宏"]),
        *[Row(STYLE_BODY, [b.label, b.what, b.macro]) for b in BUTTONS],
        Row(STYLE_INFO, []),
        Row(STYLE_HEADER, [RESULT_LABEL]),
    ]
    heights = {0: TITLE_HEIGHT, RESULT_ROW: 90} | {BUTTON_ROW + i: 30 for i in range(len(BUTTONS))}
    return SheetLayout(CONSOLE, rows, CONSOLE_WIDTHS, heights)


def _console(wb, formats: Formats) -> None:
    render(wb, formats, console_layout())
    ws = wb.get_worksheet_by_name(CONSOLE)
    ws.merge_range(RESULT_ROW, 1, RESULT_ROW, 2, "", formats.get(STYLE_BODY))  # where the buttons write
    for i, button in enumerate(BUTTONS):
        ws.insert_button(BUTTON_ROW + i, 0, {"macro": button.macro, "caption": button.label,
                                             "width": 112, "height": 32, "x_offset": 2, "y_offset": 4})
    wb.define_name(RESULT_NAME, f"='{CONSOLE}'!$B${RESULT_ROW + 1}")
    ws.activate()


def _conf(wb) -> None:
    ws = wb.add_worksheet(XLWINGS_CONF_SHEETS[0])
    for r, (key, value) in enumerate(CONF):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 50)
    ws.hide()


def write_macro_workbook(path: str | Path, tables: list[Table], modules: list[VbaModule] | None = None) -> Path:
    """An .xlsm: 控制台 with the buttons, `tables`, a hidden xlwings.conf, and the VBA project."""
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise ValueError(f"{path.name}: a workbook with macros must be named .xlsm")
    layouts = [table_layout(t) for t in tables]
    project = vba_project(ledger_modules() if modules is None else modules, sheets=len(layouts) + 2)

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        formats = Formats(wb)
        _console(wb, formats)
        for layout in layouts:
            render(wb, formats, layout)
        _conf(wb)
        wb.add_vba_project(io.BytesIO(project), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
        for i, ws in enumerate(wb.worksheets(), start=1):
            ws.set_vba_name(f"Sheet{i}")  # the document modules pyOpenVBA made, in sheet order
        wb.close()

    return write_atomic(path, write)


def write_macro_template(path: str | Path, settings: Settings, directory: UnitDirectory) -> Path:
    """The empty ledger: 控制台, 设置 (with 方案文件 for the 导入方案 button), 单位名录, xlwings.conf."""
    return write_macro_workbook(path, [settings_table(settings), directory_table(directory, Front(buttons=True))])


def write_macro_master(master: Master, path: str | Path, extra: list[Table] | None = None) -> Path:
    """A master built from a plan (as `master_xlsx.write_master` writes it) as .xlsm, with 控制台 and the buttons."""
    tables = master_tables(master, Front(buttons=True))
    tables[3:3] = extra or []
    return write_macro_workbook(path, tables)
