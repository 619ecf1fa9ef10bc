"""The import's output contract as JSON (other tools and checks read it)."""

from __future__ import annotations

from xltools.model import ImportResult, Plan, Task


def task_dict(task: Task) -> dict:
    data = {
        "key": task.key,
        "part": task.part,
        "section": task.section,
        "theme": task.theme,
        "number": task.number,
        "text": task.text,
        "lead": task.lead,
        "units": task.units,
        "unit_phrases": task.assignment.phrases,
        "deadline": task.deadline,
        "source_lines": list(task.source_lines),
    }
    if task.assignment.city_lead or task.assignment.city_units:
        data["city_lead"] = task.assignment.city_lead
        data["city_units"] = task.assignment.city_units
    if task.items:
        data["items"] = [{"key": w.key, "text": w.text, "lead": w.lead, "units": w.units,
                          "unit_phrases": w.assignment.phrases, "deadline": w.item.deadline} for w in task.work()]
    if task.original_text:
        data["original_text"] = task.original_text
    return data


def plan_dict(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "source": plan.source,
        "declared_total": plan.declared_total,
        "parts": [
            {"numeral": p.numeral, "title": p.title, "declared_total": p.declared_total} for p in plan.parts
        ],
        "tasks": [task_dict(t) for t in plan.tasks],
    }


def result_dict(result: ImportResult) -> dict:
    return {
        "plans": [plan_dict(p) for p in result.plans],
        "warnings": [w.as_dict() for w in result.warnings],
    }
