@echo off
rem xltools launcher: double-click, or drop files or a folder on this file.
rem Runs one step on the ledger in this folder; all logic is in "python -m xltools.launch".
rem ASCII only (cmd.exe reads this file in the console code page); the messages come from Python.
setlocal
chcp 65001 >nul
set "XLTOOLS_PY=%LOCALAPPDATA%\xltools\.venv\Scripts\python.exe"
if not exist "%XLTOOLS_PY%" (
    echo xltools is not installed for this Windows user: %XLTOOLS_PY% is missing.
    echo Run the installer of the xltools-offline folder first, then try again.
    echo.
    pause
    exit /b 9009
)
set PYTHONUTF8=1
set PYTHONIOENCODING=utf-8
rem "%~dp0." : the folder of this file; the dot keeps its trailing backslash from escaping the quote.
"%XLTOOLS_PY%" -m xltools.launch @ACTION@ "%~dp0." %*
set "XLTOOLS_EXIT=%ERRORLEVEL%"
echo.
pause
exit /b %XLTOOLS_EXIT%
