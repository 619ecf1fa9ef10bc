"""The status of a task in a quarter, judged from the unit's own words and the task's targets.

`judge` gives a `Verdict`: the status and its 判定依据 (basis). The word lists live
in `words.Rules` (editable in 设置), targets and reported figures in `figures`,
序时进度 in `schedule`, the phrase rules in `phrases`, the scales in `scale`.
"""
