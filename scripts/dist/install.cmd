@echo off
rem xltools offline installer (no internet needed). ASCII only; the notes are in the .txt beside it.
rem   1. unblocks the files of this folder (Mark of the Web: files from e-mail or a download are blocked)
rem   2. creates %LOCALAPPDATA%\xltools\.venv with this PC's Python 3.11 (64-bit)
rem   3. installs xltools and its dependencies from the wheels folder (pip --no-index)
rem   4. optionally registers the ledger folder as an Excel Trusted Location for this Windows user
rem Drop the folder where the ledger will live on this file to register that folder; else this folder is offered.
setlocal
chcp 65001 >nul
set "BUNDLE=%~dp0."
set "TARGET=%LOCALAPPDATA%\xltools"
set "VENV=%TARGET%\.venv"

echo [1/4] Unblocking the files of %BUNDLE% ...
powershell -NoProfile -ExecutionPolicy Bypass -Command "Get-ChildItem -LiteralPath $env:BUNDLE -Recurse -File | Unblock-File"

echo [2/4] Looking for Python 3.11 (64-bit) ...
set "PY311="
py -3.11-64 -c "import sys" >nul 2>&1 && set "PY311=py -3.11-64"
if not defined PY311 python -c "import sys, struct; sys.exit(sys.version_info[:2] != (3, 11) or struct.calcsize('P') != 8)" >nul 2>&1 && set "PY311=python"
if not defined PY311 (
    echo Python 3.11 64-bit was not found. Install it first: python-3.11.x-amd64.exe, for this user,
    echo with "Add python.exe to PATH" ticked. Then run this installer again.
    goto failed
)
if exist "%VENV%\Scripts\python.exe" (
    echo The environment %VENV% exists: updating it.
) else (
    %PY311% -m venv "%VENV%" || goto failed
)

echo [3/4] Installing xltools from %BUNDLE%\wheels ...
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%BUNDLE%\wheels" --upgrade xltools || goto failed
powershell -NoProfile -ExecutionPolicy Bypass -Command "Get-ChildItem -LiteralPath $env:TARGET -Recurse -File | Unblock-File"
"%VENV%\Scripts\python.exe" -c "import xltools.excel, xlwings; print('xltools OK, xlwings', xlwings.__version__)" || goto failed

echo [4/4] Excel Trusted Location (macros in the ledger run without the yellow bar).
set "LEDGER_DIR=%BUNDLE%"
if not "%~1"=="" set "LEDGER_DIR=%~1"
for %%I in ("%LEDGER_DIR%") do set "LEDGER_DIR=%%~fI"
echo Folder: %LEDGER_DIR%
choice /c YN /m "Register this folder as a Trusted Location for Excel (current Windows user only)"
if errorlevel 2 goto done
set "KEY=HKCU\Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations\xltools"
reg add "%KEY%" /v Path /t REG_SZ /d "%LEDGER_DIR%\\" /f >nul || goto failed
reg add "%KEY%" /v AllowSubfolders /t REG_DWORD /d 1 /f >nul || goto failed
reg add "%KEY%" /v Description /t REG_SZ /d "xltools ledger" /f >nul || goto failed
echo Registered. Restart Excel for it to take effect.

:done
echo.
echo Done. Copy the ledger and the launcher files together to your working folder, or work in this folder.
pause
exit /b 0

:failed
echo.
echo Installation did not finish. Read the messages above, or send them to IT.
pause
exit /b 1
