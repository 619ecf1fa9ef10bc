"""The offline bundle: every distribution xltools needs on Windows has a wheel (no download here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _load_make_dist():
    spec = importlib.util.spec_from_file_location("make_dist", ROOT / "scripts" / "make_dist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_dist = _load_make_dist()

# the wheels `make dist` downloaded on 2026-11-22 (pip download --platform win_amd64 --python-version 3.11)
BUNDLE = [
    "beautifulsoup4-4.15.0-py3-none-any.whl", "cn2an-0.5.24-py3-none-any.whl", "et_xmlfile-2.0.0-py3-none-any.whl",
    "filelock-4.2.11-py3-none-any.whl", "proces-0.1.7-py3-none-any.whl",
    "lxml-6.1.3-cp311-cp311-win_amd64.whl", "numpy-2.4.6-cp311-cp311-win_amd64.whl",
    "opencc-1.4.2-cp311-cp311-win_amd64.whl", "openpyxl-3.1.5-py2.py3-none-any.whl",
    "pandas-3.1.1-cp311-cp311-win_amd64.whl", "pyopenvba-6.5.0-py3-none-any.whl", "pypdf-7.1.0-py3-none-any.whl",
    "python_calamine-0.9.1-cp311-cp311-win_amd64.whl", "python_dateutil-4.0.0-py3-none-any.whl",
    "python_docx-1.2.0-py3-none-any.whl", "pywin32-312-cp311-cp311-win_amd64.whl", "soupsieve-2.10-py3-none-any.whl",
    "typing_extensions-4.16.0-py3-none-any.whl", "tzdata-2026.6-py2.py3-none-any.whl",
    "xlsxwriter-3.3.1-py3-none-any.whl", "xltools-0.1.0-py3-none-any.whl", "xlwings-0.37.8-cp311-cp311-win_amd64.whl",
]


def test_windows_markers_bring_in_what_linux_would_miss():
    needed = make_dist.needed(["xltools"])
    assert {"pywin32", "tzdata", "xlwings", "pandas", "numpy", "pyopenvba", "lxml"} <= set(needed)
    assert not {"psutil", "appscript", "pytest", "pyarrow"} & set(needed)  # macOS-only and extras stay out
    assert str(needed["pywin32"].specifier) == ">=224"
    linux = make_dist.needed(["xltools"], environment=make_dist.WINDOWS | {
        "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"})
    assert "pywin32" not in linux  # what pip download --platform, evaluating markers for Linux, would get


def test_the_bundle_has_a_windows_wheel_for_everything():
    assert make_dist.missing_wheels(["xltools"], BUNDLE) == []
    assert make_dist.missing_wheels(make_dist.project_requirements(), BUNDLE) == []


@pytest.mark.parametrize(("drop", "swap", "missing"), [
    ("pywin32-312-cp311-cp311-win_amd64.whl", None, "pywin32>=224"),  # the one pip --platform misses
    ("tzdata-2026.6-py2.py3-none-any.whl", None, "tzdata"),
    ("numpy-2.4.6-cp311-cp311-win_amd64.whl", "numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl", "numpy"),
    ("lxml-6.1.3-cp311-cp311-win_amd64.whl", "lxml-6.1.3-cp312-cp312-win_amd64.whl", "lxml"),
    ("xlwings-0.37.8-cp311-cp311-win_amd64.whl", "xlwings-0.37.9-cp311-cp311-win_amd64.whl", "xlwings==0.37.8"),
])
def test_a_missing_or_unusable_wheel_is_named(drop, swap, missing):
    names = [n for n in BUNDLE if n != drop] + ([swap] if swap else [])
    found = make_dist.missing_wheels(["xltools"], names)
    assert found == [missing] if missing in {"pywin32>=224", "tzdata", "xlwings==0.37.8"} else \
        [Requirement(m).name for m in found] == [missing]


def test_bundle_templates_are_windows_text():
    install = (ROOT / "scripts" / "dist" / "install.cmd").read_bytes()
    assert install.isascii() and b"\n" not in install.replace(b"\r\n", b"")
    text = install.decode("ascii")
    assert "--no-index --find-links" in text and "Unblock-File" in text
    assert r"HKCU\Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations" in text
    assert r"%LOCALAPPDATA%\xltools" in text
    notes = (ROOT / "scripts" / "dist" / "安装说明.txt").read_text(encoding="utf-8")
    assert "解除锁定" in notes and "启用内容" in notes and "受信任位置" in notes
