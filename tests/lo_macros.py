"""Open a macro workbook in LibreOffice, list its VBA modules and button bindings, and run one macro.

Run by the system Python (python3-uno belongs to it, not to the project's venv):

    /usr/bin/python3 tests/lo_macros.py SOFFICE BOOK.xlsm MACRO_URL CELL_NAME [MODULE_TO_DROP …]

Starts soffice headless with its own profile and macros allowed, loads the
book (read-only: nothing is saved), lists the Basic libraries' modules and the
form buttons' bound macros, takes the MODULE_TO_DROPs out of the in-memory
library, invokes MACRO_URL (vnd.sun.star.script:…?language=Basic&location=document)
through the document's script provider, and prints one JSON object:
{"modules": {library: [module, …]}, "buttons": [{"sheet", "label", "event", "macro"}],
"cell": the text of the named cell after the macro ran, "cell_sheet": its sheet}.
soffice (the whole process group: the soffice script starts soffice.bin) is killed at the end.

Why drop modules: LibreOffice Basic cannot compile xlwings' own module and its
Dictionary class (conditional compilation around Windows DLL declarations and
Mac code); one module that does not compile stops every macro of the library.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def modules(doc) -> dict[str, list[str]]:
    libraries = doc.BasicLibraries
    found = {}
    for name in libraries.getElementNames():
        libraries.loadLibrary(name)
        found[name] = sorted(libraries.getByName(name).getElementNames())
    return found


def buttons(doc) -> list[dict[str, str]]:
    """Form buttons on every sheet: caption and the macro their click event runs."""
    found = []
    for sheet in doc.Sheets:
        forms = sheet.DrawPage.Forms
        for f in range(forms.Count):
            form = forms.getByIndex(f)
            for i in range(form.Count):
                control = form.getByIndex(i)
                label = getattr(control, "Label", "")
                for event in form.getScriptEvents(i):
                    found.append({"sheet": sheet.Name, "label": label, "listener": event.ListenerType,
                                  "event": event.EventMethod, "macro": event.ScriptCode})
    return found


@contextmanager
def running_office(soffice: str):
    """A headless soffice with its own profile; yields its Desktop, kills the process group at the end."""
    profile = Path(tempfile.mkdtemp(prefix="xltools-lo-"))
    pipe = f"xltools{os.getpid()}"
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        context = connect(pipe, time.monotonic() + 90)
        yield context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    finally:
        # soffice is a script that starts soffice.bin: end the whole process group it leads
        os.killpg(office.pid, signal.SIGKILL)
        office.wait(timeout=30)
        subprocess.run(["rm", "-rf", str(profile)], check=False)


def main(soffice: str, book: str, macro: str, cell_name: str, *drop: str) -> dict:
    with running_office(soffice) as desktop:
        doc = desktop.loadComponentFromURL(Path(book).resolve().as_uri(), "_blank", 0, (
            prop("Hidden", True), prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN),
            prop("ReadOnly", True)))
        result = {"modules": modules(doc), "buttons": buttons(doc)}
        library = doc.BasicLibraries.getByName("VBAProject")
        for name in drop:
            library.removeByName(name)
        script = doc.getScriptProvider().getScript(macro)
        script.invoke((), (), ())
        target = doc.NamedRanges.getByName(cell_name).ReferredCells
        result["cell"] = target.getCellByPosition(0, 0).String
        result["cell_sheet"] = doc.Sheets.getByIndex(target.RangeAddress.Sheet).Name
        doc.close(True)
        return result


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), ensure_ascii=False))
