"""LibreOffice as a clerk's office program: open a workbook and save it again, or print it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed (CI installs it: see .ci/run)")
    return exe


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
