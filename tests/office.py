"""LibreOffice as a clerk's office program: open a workbook and save it again, or print it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    """The LibreOffice program; without it the test skips, except in CI (CI=true), where it fails."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        reason = "LibreOffice is not installed (.ci/run installs it; on Debian: libreoffice-calc-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the tests that open files in LibreOffice")
        pytest.skip(reason)
    return exe


SYSTEM_PYTHON = "/usr/bin/python3"  # python3-uno belongs to the system Python, not to the venv


def system_uno() -> str:
    """/usr/bin/python3 with python3-uno; skips without it (fails in CI, where .ci/run installs it)."""
    ok = Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0
    if not ok:
        reason = f"{SYSTEM_PYTHON} with python3-uno is needed to drive LibreOffice (Debian: python3-uno)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return SYSTEM_PYTHON


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    """`soffice --convert-to`: opens the file as LibreOffice does and writes it as `fmt`."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(path)],
        check=True, capture_output=True, timeout=240,
    )
    target = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    assert target.exists(), f"LibreOffice could not open {path.name}"
    return target
