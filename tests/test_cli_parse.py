"""`xltools parse` as a clerk or another tool uses it."""

from __future__ import annotations

import json

from tests.conftest import seed_path
from xltools.cli import main

TASK_KEYS = {"key", "part", "section", "theme", "number", "text", "lead", "units", "unit_phrases",
             "deadline", "source_lines"}


def test_json_contract(capsys):
    assert main(["parse", str(seed_path("002")), "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [len(p["tasks"]) for p in data["plans"]] == [13, 148, 72]
    task = data["plans"][1]["tasks"][0]
    assert set(task) >= TASK_KEYS
    assert task["lead"] == ["区发改局"] and task["city_lead"] == ["市发改委"]
    first, last = task["source_lines"]
    assert 0 < first <= last
    assert all({"file", "line", "message"} == set(w) for w in data["warnings"])


def test_json_to_file_and_several_files(tmp_path, capsys):
    out = tmp_path / "结果.json"
    assert main(["parse", str(seed_path("001")), str(seed_path("004")), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [len(p["tasks"]) for p in data["plans"]] == [340, 25]
    assert data["plans"][1]["declared_total"] == 272
    groups = data["plans"][0]["tasks"][0]["unit_phrases"]
    assert "各区人民政府〈含开发区、长江新区、风景区管委会〉" in groups  # the raw phrase is kept


def test_summary_in_chinese(capsys):
    assert main(["parse", str(seed_path("004"))]) == 0
    out = capsys.readouterr().out
    assert "识别任务 25 项" in out
    assert "声明共 268 项，实际识别 21 项" in out


def test_unreadable_file_exits_non_zero_with_message(tmp_path, capsys):
    empty = tmp_path / "空.txt"
    empty.write_text("")
    assert main(["parse", str(empty)]) == 2
    assert "空文件" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "不存在.docx")]) == 2


def test_office_directory_from_csv(tmp_path, capsys):
    names = tmp_path / "名录.csv"
    names.write_text("单位名称,别名,类别,所属分组\n市商务局,商务局,部门,\n市发展改革委,,部门,\n", encoding="gbk")
    plan_file = tmp_path / "方案.txt"
    plan_file.write_text("某区责任分解方案\n一、工作\n1.办一件事。(牵头单位:商务局;责任单位:市发展改革委、市火星局)\n",
                         encoding="utf-8")
    assert main(["parse", str(plan_file), "--units", str(names), "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    task = data["plans"][0]["tasks"][0]
    assert task["lead"] == ["市商务局"] and task["units"] == ["市发展改革委", "市火星局"]
    assert any("市火星局" in w["message"] for w in data["warnings"])
