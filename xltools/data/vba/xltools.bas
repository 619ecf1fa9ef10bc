Attribute VB_Name = "xltools"
' Buttons of the master workbook (control sheet). Each button calls one
' Python entry point of xltools.excel through xlwings' RunPython.
' ASCII only: VBA text files are read in the system code page; the Chinese
' labels of the buttons live in the workbook's cells.
Option Explicit

Sub ImportPlan()
    RunPython "import xltools.excel as x; x.import_plan()"
End Sub

Sub RefreshUnits()
    RunPython "import xltools.excel as x; x.refresh_units()"
End Sub

Sub MakeForms()
    RunPython "import xltools.excel as x; x.make_forms()"
End Sub

Sub MergeReturns()
    RunPython "import xltools.excel as x; x.merge_returns()"
End Sub

Sub RefreshStatus()
    RunPython "import xltools.excel as x; x.refresh_status()"
End Sub

' Needs no Python: proves that macros are enabled and the project compiles.
' Writes into the cell named xltools_result (the result cell of the control sheet).
Sub SelfTest()
    ThisWorkbook.Names("xltools_result").RefersToRange.Value = "xltools VBA OK"
End Sub
