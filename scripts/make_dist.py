"""`make dist`: the offline install bundle for a Windows office PC without internet.

Writes dist/xltools-offline/ and dist/xltools-offline.zip:

    安装.cmd          creates %LOCALAPPDATA%\\xltools\\.venv with the PC's Python 3.11 and installs
                      from wheels\\ with --no-index; unblocks the files; can add a Trusted Location
    安装说明.txt      what a clerk or IT does, in Chinese
    wheels\\          CPython 3.11 win_amd64 (or pure-Python) wheels of xltools and every dependency
    督办台账.xlsm     the ledger with the buttons (workbooks/build.py)
    导入方案.cmd …    the five launchers (xltools.launch)

`pip download --platform win_amd64` still evaluates environment markers for the
machine it runs on, so Windows-only requirements (pywin32 for xlwings, tzdata
for pandas) would be missed: `needed` resolves the requirements with a Windows
environment, and every missing one is downloaded by name until none is.

Run: make dist   (or: .venv/bin/python scripts/make_dist.py)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "dist"
OUT = ROOT / "dist" / "xltools-offline"
PYTHON = (3, 11)
PLATFORM = "win_amd64"

# the marker environment of CPython 3.11 on 64-bit Windows
WINDOWS = {
    "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
    "platform_release": "10", "platform_version": "10.0.19045", "python_version": "3.11",
    "python_full_version": "3.11.9", "implementation_name": "cpython", "implementation_version": "3.11.9",
    "platform_python_implementation": "CPython",
}
TAGS = {*cpython_tags(PYTHON, abis=["cp311", "abi3", "none"], platforms=[PLATFORM]),
        *compatible_tags(PYTHON, "cp311", platforms=[PLATFORM])}

Requires = Callable[[str], list[str] | None]  # a distribution's Requires-Dist, None when unknown here


def project_requirements() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def installed_requires(name: str) -> list[str] | None:
    try:
        return metadata.distribution(name).requires or []
    except metadata.PackageNotFoundError:
        return None


def wheel_requires(folder: Path) -> Requires:
    """Requires-Dist read from the wheels in `folder` (for packages not installed on this machine)."""
    def read(name: str) -> list[str] | None:
        for wheel in folder.glob("*.whl"):
            if canonicalize_name(parse_wheel_filename(wheel.name)[0]) == canonicalize_name(name):
                with zipfile.ZipFile(wheel) as z:
                    meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
                    return Parser().parsestr(z.read(meta).decode("utf-8")).get_all("Requires-Dist") or []
        return None
    return read


def needed(requirements: Iterable[str], requires: Requires = installed_requires,
           environment: dict[str, str] = WINDOWS) -> dict[str, Requirement]:
    """Every distribution the requirements need on `environment`, recursively, by canonical name.

    Markers are evaluated for `environment` (with the extras a requirement asks
    for); a distribution whose metadata is unknown here ends the walk there, but
    is still needed.
    """
    found: dict[str, Requirement] = {}
    queue = [Requirement(r) for r in requirements]
    while queue:
        requirement = queue.pop()
        if requirement.marker and not requirement.marker.evaluate(environment | {"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            if requirement.specifier:
                found[name].specifier &= requirement.specifier
            continue
        found[name] = Requirement(str(requirement).split(";")[0])
        for extra_name in {"", *requirement.extras}:
            for line in requires(requirement.name) or []:
                sub = Requirement(line)
                if sub.marker is None and extra_name:
                    continue  # asked for once, without the extra
                if sub.marker is None or sub.marker.evaluate(environment | {"extra": extra_name}):
                    queue.append(Requirement(str(sub).split(";")[0]))
    return found


def missing_wheels(requirements: Iterable[str], wheel_names: Iterable[str],
                   requires: Requires = installed_requires) -> list[str]:
    """The needed distributions (name and version range) with no installable wheel among `wheel_names`.

    A wheel counts when its name matches, its version satisfies the requirement
    and one of its tags is installable on CPython 3.11 win_amd64.
    """
    wheels: dict[str, list] = {}
    for file_name in wheel_names:
        name, version, _, tags = parse_wheel_filename(file_name)
        if tags & TAGS:
            wheels.setdefault(canonicalize_name(name), []).append(version)
    return sorted(str(req) for name, req in needed(requirements, requires).items()
                  if not any(req.specifier.contains(v, prereleases=True) for v in wheels.get(name, [])))


# -- writing the bundle -------------------------------------------------------------------------

def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, cwd=ROOT)


def download(requirements: list[str], folder: Path, deps: bool = True) -> None:
    pip("download", "--quiet", "--only-binary=:all:", "--platform", PLATFORM, "--python-version", "3.11",
        "--implementation", "cp", "--abi", "cp311", "--dest", str(folder), *([] if deps else ["--no-deps"]),
        *requirements)


def bundle_wheels(folder: Path) -> list[str]:
    """xltools' own wheel and every dependency's, until nothing needed on Windows is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(ROOT))
    requirements = project_requirements()
    download(requirements, folder)
    in_folder = wheel_requires(folder)

    def requires(name: str) -> list[str] | None:
        known = in_folder(name)  # the metadata of the version that will be installed
        return known if known is not None else installed_requires(name)

    for _ in range(5):  # each round may bring metadata of packages this machine does not have
        missing = missing_wheels(requirements, [w.name for w in folder.glob("*.whl")], requires)
        if not missing:
            return sorted(w.name for w in folder.glob("*.whl"))
        print("按 Windows 环境补充下载：" + "、".join(missing))
        download(missing, folder)
    raise SystemExit(f"仍缺少 Windows 安装包：{'、'.join(missing)}")


def text_file(source: Path, target: Path, bom: bool = False) -> None:
    """A Windows text file: CRLF; the .cmd files ASCII, the notes UTF-8 with a BOM (for old Notepad)."""
    text = source.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    if target.suffix == ".cmd" and not data.isascii():
        raise SystemExit(f"{source} must be ASCII: cmd.exe reads it in the console code page")
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def make(out: Path = OUT) -> Path:
    from xltools.launch import write_launchers

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    wheels = bundle_wheels(out / "wheels")
    subprocess.run([sys.executable, str(ROOT / "workbooks" / "build.py"), str(out / "督办台账.xlsm")], check=True)
    write_launchers(out)
    text_file(TEMPLATES / "install.cmd", out / "安装.cmd")
    text_file(TEMPLATES / "安装说明.txt", out / "安装说明.txt", bom=True)
    archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"已生成 {out}（{len(wheels)} 个安装包，共 {size / 2**20:.1f} MB）")
    print(f"已生成 {archive}（{Path(archive).stat().st_size / 2**20:.1f} MB）")
    return out


if __name__ == "__main__":
    make()
