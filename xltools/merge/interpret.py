"""Understand one returned workbook: whose it is, which quarter, and what it says.

Pure logic over a `RawBook` (values only). Tolerates what people do to forms:
inserted, deleted and reordered rows, merged cells, renamed or extra sheets,
text typed in a neighbouring column. Every deviation becomes an `Issue`, and
text that cannot be placed is quoted in its issue, so no word is lost.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from xltools.forms.identity import identity_from
from xltools.forms.model import reports_on
from xltools.master.content import DIRECTORY, SETTINGS, Master, assignments
from xltools.master.read import text
from xltools.merge.model import Contact, Issue, PlanRow, RawBook, RawSheet, Submission
from xltools.model import Work
from xltools.text import cell_text, unify_punctuation
from xltools.vocab import (
    CITY_LEAD,
    COMPLETION_TIME,
    COMPLETION_TIMES,
    CONTACT,
    CONTACT_OFFICE_HEAD,
    CONTENT,
    FOUND_BY_FILE_NAME,
    FOUND_BY_TITLE,
    ID_HEADER,
    KEY,
    LEADER,
    META_SHEET,
    MOBILE,
    NAME,
    NOTE,
    OFFICE,
    OFFICE_PHONE,
    POST,
    PROGRESS,
    ROLE,
    ROLE_LEAD,
    ROLE_SHARE,
    SERIAL,
    TASK,
    TASK_NUMBER,
    TaskId,
)

QUARTER_PATTERNS = [
    (4, r"全年|第四季度|四季度|前四季度"),
    (3, r"前三季度|第三季度|三季度"),
    (2, r"上半年|前二季度|前两季度|第二季度|二季度"),
    (1, r"第一季度|一季度"),
]
KEY_HEADERS = (SERIAL, TASK_NUMBER, KEY)
CONTACT_ROLES = {
    LEADER: LEADER, "分管领导": LEADER,
    "督办处室或者综合协调处室负责人": CONTACT_OFFICE_HEAD, "办公室或者综合协调科室负责人": CONTACT_OFFICE_HEAD,
    "督办人员（联络员）": CONTACT, "经办人": CONTACT, CONTACT: CONTACT,
}
SIMILAR = 0.75  # text similarity to place a row without a usable 序号
ALTERED = 0.9  # below this a matched 责任事项 counts as altered by the unit


@dataclass
class Expected:
    """A unit's tasks (and 分项) as the master has them."""

    plan: dict[str, Work] = field(default_factory=dict)  # identity → task or 分项 (附表1)
    report: dict[str, Work] = field(default_factory=dict)  # identity → task or 分项 (附表3)
    whole: dict[str, Work] = field(default_factory=dict)  # a task split into 分项, as forms sent before named it

    @cached_property
    def answered(self) -> dict[str, Work]:
        """What a row of 附表3 may answer: the unit's tasks and 分项 to report on, or a whole task (older forms)."""
        return self.report | self.whole

    @cached_property
    def planned(self) -> dict[str, Work]:
        """What a row of 附表1 may plan: every task and 分项 of the unit, or a whole task (older forms)."""
        return self.plan | self.whole

    @cached_property
    def reference(self) -> dict[str, Work]:
        """The unit's tasks it does not report on: an answer there is kept as reference only."""
        return {i: w for i, w in self.plan.items() if i not in self.report}

    def reported(self, identity: str, seen: set[str]) -> bool:
        """Whether a row was found for the task or 分项: its own, or one for the whole task (an older form)."""
        return identity in seen or str(TaskId.parse(identity).task()) in seen


def expected_tasks(master: Master) -> dict[str, Expected]:
    result: dict[str, Expected] = {}
    for unit, pairs in assignments(master).items():
        exp = result.setdefault(unit, Expected())
        for plan, work, _ in pairs:
            sheet = master.sheet_of(plan)
            identity = str(TaskId(sheet, work.task.key, work.number))
            exp.plan[identity] = work
            if reports_on(work, unit, master.settings.rule):
                exp.report[identity] = work
                if work.item:
                    exp.whole[str(TaskId(sheet, work.task.key))] = Work(work.task)
    return result


KEPT = 30000  # characters of one answer kept: an Excel cell holds 32767, 汇总 joins several units' answers


def _answer(value: str, issue, sheet: str, number: int) -> str:
    """An answer fit for the tracker and the report: no control characters, no longer than a cell can hold."""
    cleaned = cell_text(value)
    if len(cleaned) < len(value):  # a vertical tab became a line break; anything else removed is worth a word
        issue(sheet, number, f"这一格有 {len(value) - len(cleaned)} 个无法显示的控制字符，已删除，请核对原文")
    value = cleaned
    if len(value) > KEPT:
        issue(sheet, number, f"这一格有 {len(value)} 字，超过 Excel 单元格能容纳的长度，只合并了前 {KEPT} 字，全文请看原文件")
        value = value[:KEPT]
    return value


def _field(cells: list[str], cols: dict[str, int], name: str) -> str:
    """A short field of a row (a name, a phone, a quarter): clean, at most 200 characters."""
    return cell_text(cells[cols[name]])[:200] if name in cols and cols[name] < len(cells) else ""


def _agrees(key: str, body: str, work: Work) -> bool:
    """Whether what a row shows fits the task its hidden identity names: its text, or else its 序号."""
    if body:
        return body == work.text or similarity(body, work.text) >= ALTERED or _key(key) == _key(work.key)
    return _key(key) == _key(work.key)


def _anywhere_else(body: str, candidates: dict[str, Work], but: str) -> bool:
    """The text is close to another task's: a 序号 alone must not place it."""
    return any(similarity(body, t.text) >= SIMILAR for i, t in candidates.items() if i != but)


def _norm(value: str) -> str:
    return re.sub(r"[\s，。、；：,.;:（）()“”\"'《》—-]", "", unify_punctuation(value))


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio()


def _key(value) -> str:
    return re.sub(r"\s", "", unify_punctuation(text(value))).replace("（", "(").replace("）", ")").replace("－", "-")


def quarter_in(value: str) -> int | None:
    for quarter, pattern in QUARTER_PATTERNS:
        if re.search(pattern, value):
            return quarter
    return None


class Interpreter:
    """Interprets returned books against one master."""

    def __init__(self, master: Master, quarter: int | None = None):
        self.master = master
        self.quarter = quarter
        self.expected = expected_tasks(master)
        self.plan_titles = {p.title: master.sheet_of(p) for p in master.plans}
        self.sheets = set(self.plan_titles.values())
        names = []
        for unit in master.directory.entries.values():
            for label in [*unit.labels, unit.short]:  # a form titled with a former name is that body's
                if label and len(label) >= 2:
                    names.append((label, unit.name))
        self.unit_names = sorted(names, key=lambda x: -len(x[0]))

    # -- which unit, which quarter ----------------------------------------
    def _unit_in(self, value: str) -> str | None:
        value = unify_punctuation(value)
        for label, unit in self.unit_names:
            if label in value:
                return unit
        return None

    def interpret(self, book: RawBook) -> tuple[Submission | None, list[Issue]]:
        issues: list[Issue] = []

        def issue(sheet: str, row: int, message: str) -> None:
            issues.append(Issue(book.name, sheet, row, message))

        if book.scan:
            return self._signed_copy(book, issue), issues
        names = {s.name for s in book.sheets}
        if {SETTINGS, DIRECTORY} <= names:
            issue("", 0, "这是督办台账本身，不是单位交回的附表，已跳过")
            return None, issues
        for note in book.notes:
            issue("", 0, note)
        if book.formulas:
            issue("", 0, f"表中有 {book.formulas} 个公式：公式不会被计算，只读取了保存时显示的值")
        meta = next((s for s in book.sheets if s.name == META_SHEET), None)
        identity = identity_from(book.properties, meta.rows if meta else None)
        visible = [s for s in book.sheets if s.name != META_SHEET]
        titles = " ".join(text(c) for s in visible for r in s.rows[:4] for c in r if text(c))
        unit, how = None, ""
        if identity.unit:
            unit = self.master.directory.canonical(identity.unit) or identity.unit
            how = identity.channels[-1] if identity.channels else "来源信息"
        title_unit = self._unit_in(titles)
        file_unit = self._unit_in(book.name.rsplit("/", 1)[-1])
        if unit is None:
            unit, how = ((title_unit, FOUND_BY_TITLE) if title_unit else (file_unit, FOUND_BY_FILE_NAME) if file_unit
                         else (None, ""))
        if unit is None:
            issue("", 0, "无法确定是哪个单位的表：没有来源信息，标题和文件名中也找不到单位名称。未合并，请人工核对后改文件名再合并")
            return None, issues
        for found, where in ((title_unit, FOUND_BY_TITLE), (file_unit, FOUND_BY_FILE_NAME)):
            if found and found != unit and how in ("隐藏表", "文档属性", "来源信息"):
                issue("", 0, f"{where}中的单位是“{found}”，但表内来源信息是“{unit}”：可能交错了表，已按“{unit}”合并，请核实")
                break
        if unit not in self.expected:
            issue("", 0, f"“{unit}”在台账中没有任务，这份表未合并")
            return None, issues
        year = self.master.settings.year
        if identity.year and identity.year != year:
            issue("", 0, f"来源信息显示这是 {identity.year} 年的附表，本台账是 {year} 年，未合并。请单位使用本年度下发的附表")
            return None, issues
        if identity.quarter is not None and not 1 <= identity.quarter <= 4:
            issue("", 0, f"来源信息中的季度“{identity.quarter}”不对（应为 1-4），已按标题和文件名判断季度")
            identity.quarter = None
        quarter = identity.quarter or quarter_in(titles) or quarter_in(book.name) or self.quarter
        submission = Submission(book.name, unit, quarter, book.modified, how=how)
        exp = self.expected[unit]
        for sheet in visible:
            kind, header_at = classify(sheet)
            if kind is None and header_at and PROGRESS in titles_of(sheet, header_at):
                # a 完成情况 form whose answer column was deleted or renamed: answers typed beside the task
                issue(sheet.name, header_at + 1, "找不到“完成情况”列（被删除或改了列名），已按每行任务右边填写的文字合并，请核对")
                kind = 3
            if kind == 3:
                if self.quarter and quarter and quarter != self.quarter:
                    issue(sheet.name, 0, f"这是{quarter}季度的完成情况，本次合并的是{self.quarter}季度，未合并这张表")
                    continue
                if quarter is None:
                    issue(sheet.name, 0, "看不出是哪个季度的完成情况（标题中没有季度），未合并这张表；合并时可用 --quarter 指定")
                    continue
                self._reports(sheet, header_at, exp, submission, issue)
            elif kind == 1:
                self._plan_rows(sheet, header_at, exp, submission, issue)
            elif kind == 2:
                self._contacts(sheet, header_at, submission, issue)
            elif any(text(c) for r in sheet.rows for c in r):
                issue(sheet.name, 0, "这张工作表不是附表（找不到附表的表头），已忽略")
        return submission, issues

    def unit_named(self, name: str) -> str:
        """The unit a file's name or folder points to, or "" (for a file that could not be read)."""
        unit = self._unit_in(name)
        return unit if unit in self.expected else ""

    def _signed_copy(self, book: RawBook, issue) -> Submission | None:
        """A scan of the signed, stamped form: whose it is from its name or folder (nothing inside is read)."""
        unit = self._unit_in(book.name)
        if unit is None or unit not in self.expected:
            issue("", 0, f"这是签字盖章的扫描件（{book.scan}），但文件名和所在文件夹中找不到单位名称，"
                         "无法记到单位名下。请在文件名中写上单位名称")
            return None
        quarter = quarter_in(book.name) or self.quarter
        return Submission(book.name, unit, quarter, book.modified, how=FOUND_BY_FILE_NAME, scan=book.scan)

    # -- rows to tasks ---------------------------------------------------
    def _place(self, row: list, cols: dict[str, int], candidates: dict[str, Work], plan_sheet: str | None,
               issue, sheet: str, number: int) -> str | None:
        """The task a row is about: the hidden identity where what the row shows agrees with it, else
        what it shows (a sort of the visible columns leaves the hidden one behind): its 责任事项 text,
        then its 序号."""
        written = text(row[cols["id"]]) if "id" in cols and cols["id"] < len(row) else ""
        key = text(row[cols["key"]]) if "key" in cols and cols["key"] < len(row) else ""
        body = text(row[cols["text"]]) if "text" in cols and cols["text"] < len(row) else ""
        hidden = written if written in candidates else None
        if hidden is None and (parsed := TaskId.parse(written)) is not None and str(parsed) in candidates:
            hidden = str(parsed)
        if hidden is not None:
            work = candidates[hidden]
            if key == work.key or not key and not body or _agrees(key, body, work):
                return hidden
        found = self._by_what_shows(key, body, candidates, plan_sheet, issue, sheet, number)
        if hidden is not None:
            shown = f"序号“{key or '空'}”、责任事项“{body[:30]}”"
            if found is None:
                issue(sheet, number, f"隐藏的任务标识是 {candidates[hidden].key}，但这一行写的{shown}对不上，"
                                     "无法确定是哪项任务，这一行未合并，请核对")
            else:
                issue(sheet, number, f"这一行写的{shown}与隐藏的任务标识（{candidates[hidden].key}）不一致"
                                     f"（可能只对部分列排了序），已按看得见的内容对应到编号 {candidates[found].key}")
        return found

    def _other_plan(self, row: list, cols: dict[str, int]) -> str:
        """The plan a row's hidden id names when it is not one of this master's, else ""."""
        written = text(row[cols["id"]]) if "id" in cols and cols["id"] < len(row) else ""
        parsed = TaskId.parse(written) if TaskId.SEPARATOR in written else None
        return parsed.plan[:40] if parsed is not None and parsed.plan not in self.sheets else ""

    def _by_what_shows(self, key: str, body: str, candidates: dict[str, Work], plan_sheet: str | None,
                       issue, sheet: str, number: int) -> str | None:
        """A row without a usable hidden identity: its 责任事项 if exactly one task has it, else its 序号."""
        same = [i for i, t in candidates.items() if t.text == body] if body else []
        if len(same) == 1:
            return same[0]
        key = _key(key)
        by_key = [i for i, t in candidates.items() if _key(t.key) == key] if key else []
        if len(by_key) > 1 and plan_sheet:
            by_key = [i for i in by_key if TaskId.parse(i).plan == plan_sheet] or by_key
        if by_key:
            found = by_key[0]
            if body and similarity(body, candidates[found].text) < ALTERED:
                if similarity(body, candidates[found].text) < SIMILAR and _anywhere_else(body, candidates, found):
                    return None
                issue(sheet, number, f"编号 {key} 的责任事项与台账不同（单位改动了文字）：“{body[:60]}”")
            return found
        if body:
            best = max(candidates, key=lambda i: similarity(body, candidates[i].text), default=None)
            if best is not None and similarity(body, candidates[best].text) >= SIMILAR:
                issue(sheet, number, f"序号“{key or '空'}”对不上，按责任事项文字对应到编号 {candidates[best].key}")
                return best
        return None

    def _reports(self, sheet: RawSheet, header_at: int, exp: Expected, sub: Submission, issue) -> None:
        cols = columns(sheet.rows[header_at])
        known = {i for name, i in cols.items() if name != "value"}  # answers may stand in any other column
        spread = _merged_down(sheet, known)
        plan_sheet, last = None, None
        seen: set[str] = set()
        alien: list[tuple[int, str]] = []  # rows whose hidden id names a plan not in this master
        for index in range(header_at + 1, len(sheet.rows)):
            row, number = sheet.rows[index], index + 1
            cells = [text(c) for c in row]
            if other := self._other_plan(row, cols):
                alien.append((number, other))
                continue
            for column, (top, value) in spread.get(index, {}).items():
                if column < len(cells) and not cells[column]:
                    cells[column] = value
                    issue(sheet.name, number, f"完成情况与第 {top + 1} 行合并成了一个单元格，同一段文字计入这一项，请核对")
            if not any(cells) or cells[0].startswith(NOTE):
                continue  # rows below a 备注 line are still read: people move rows around
            heading = self._plan_heading(cells)
            if heading:
                plan_sheet = heading
                continue
            value, where = _value(cells, cols)
            value = _answer(value, issue, sheet.name, number)
            task = self._place(row, cols, exp.answered, plan_sheet, issue, sheet.name, number)
            if task is None:
                task = self._place(row, cols, exp.reference, plan_sheet, issue, sheet.name, number)
                if task is not None:
                    issue(sheet.name, number, f"编号 {exp.plan[task].key} 不是本单位需要报送完成情况的任务，内容已作为参考收录")
            if task is None:
                if value and not cells[cols.get("key", 0)] and last is not None:
                    sub.reports[last] = (sub.reports.get(last, "") + "\n" + value).strip()
                    issue(sheet.name, number, f"这一行没有序号，内容并入上一项（编号 {TaskId.parse(last).label}）")
                elif value:
                    issue(sheet.name, number, f"这一行对应不到本单位的任务，未合并。内容：“{value}”")
                continue
            if where:
                issue(sheet.name, number, f"完成情况写在了{where}，已采用")
            if task in seen and value:
                sub.reports[task] = (sub.reports.get(task, "") + "\n" + value).strip()
                issue(sheet.name, number, f"编号 {TaskId.parse(task).label} 出现了两次，两处内容已合并")
            elif value:
                sub.reports[task] = value
            seen.add(task)
            last = task
        if alien and not seen:
            issue(sheet.name, 0, f"这张表的任务标识属于另一个方案（{alien[0][1]}），不是本台账的附表，未合并。"
                                 "请单位使用本台账下发的附表")
            return
        for number, other in alien:
            issue(sheet.name, number, f"隐藏的任务标识属于另一个方案（{other}），不是本台账的，这一行未合并")
        for identity in exp.report:
            if not exp.reported(identity, seen):
                issue(sheet.name, 0, f"缺少编号 {TaskId.parse(identity).label} 的完成情况（这一行被删除了）")
        sub.empty.extend(i for i in [*exp.report, *exp.whole] if i in seen and not sub.reports.get(i))
        if any(sub.reports.values()):
            sub.forms.add(3)
        else:
            issue(sheet.name, 0, "完成情况一项也没有填写（交回的是空表），按未报处理")
            sub.blank.add(3)

    def _plan_heading(self, cells: list[str]) -> str | None:
        filled = [c for c in cells if c]
        if len(filled) == 1 and filled[0] in self.plan_titles:
            return self.plan_titles[filled[0]]
        return None

    def _plan_rows(self, sheet: RawSheet, header_at: int, exp: Expected, sub: Submission, issue) -> None:
        cols = columns(sheet.rows[header_at])
        if "content" not in cols:
            return
        plan_sheet, current = None, None
        before = len(sub.plan_rows)
        for index in range(header_at + 1, len(sheet.rows)):
            row, number = sheet.rows[index], index + 1
            cells = [text(c) for c in row]
            if not any(cells):
                continue
            heading = self._plan_heading(cells)
            if heading:
                plan_sheet = heading
                continue
            if other := self._other_plan(row, cols):
                issue(sheet.name, number, f"隐藏的任务标识属于另一个方案（{other}），不是本台账的，这一行未合并")
                current = None
                continue
            if any(cells[cols[k]] for k in ("key", "text", "id") if k in cols and cols[k] < len(cells)):
                placed = self._place(row, cols, exp.planned, plan_sheet, issue, sheet.name, number)
                if placed is None and cells[cols.get("key", 0)]:
                    issue(sheet.name, number, f"序号“{cells[cols['key']]}”对应不到本单位的任务，这一块内容未合并")
                current = placed
            content = re.sub(r"^\s*\d+\s*[.、．]\s*", "", cells[cols["content"]]) if cols["content"] < len(cells) else ""
            content = _answer(content, issue, sheet.name, number)
            if not content:
                continue
            if current is None:
                issue(sheet.name, number, f"这一行的具体工作内容对应不到任务，未合并。内容：“{content}”")
                continue

            def get(name: str, cells=cells) -> str:
                return _field(cells, cols, name)

            when = get("when")
            if when and when not in COMPLETION_TIMES and not quarter_in(when):
                issue(sheet.name, number, f"完成时间“{when}”不是季度，已照录")
            sub.plan_rows.append(PlanRow(current, content, when, get("leader"), get("office"), sheet.name, number))
        if len(sub.plan_rows) > before:
            sub.forms.add(1)
        else:
            issue(sheet.name, 0, "办理方案一项也没有填写（交回的是空表），按未报处理")
            sub.blank.add(1)

    def _contacts(self, sheet: RawSheet, header_at: int, sub: Submission, issue) -> None:
        cols = columns(sheet.rows[header_at])
        for index in range(header_at + 1, len(sheet.rows)):
            cells = [text(c) for c in sheet.rows[index]]
            if not any(cells) or cells[0].startswith(NOTE):
                continue
            role = CONTACT_ROLES.get(unify_punctuation(cells[0]).replace(" ", ""), cells[0])

            def get(name: str, cells=cells) -> str:
                return _field(cells, cols, name)

            contact = Contact(role, get("name"), get("title"), get("office_phone"), get("mobile"))
            if contact.name or contact.mobile or contact.office_phone:
                sub.contacts.append(contact)
            elif role == CONTACT:
                issue(sheet.name, index + 1, "没有填写联络员")
        if sub.contacts:
            sub.forms.add(2)


def titles_of(sheet: RawSheet, header_at: int) -> str:
    """The text above a sheet's header row: its title."""
    return " ".join(text(c) for r in sheet.rows[:header_at] for c in r if text(c))


def _merged_down(sheet: RawSheet, known: set[int]) -> dict[int, dict[int, tuple[int, str]]]:
    """Cells a merged cell spans below its first, outside the task's own columns:
    row index → {column: (first row, its text)}."""
    spread: dict[int, dict[int, tuple[int, str]]] = {}
    for r0, c0, r1, _ in sheet.merged:
        if r1 <= r0 or c0 in known or r0 >= len(sheet.rows) or c0 >= len(sheet.rows[r0]):
            continue
        value = text(sheet.rows[r0][c0])
        if value:
            for r in range(r0 + 1, min(r1, len(sheet.rows) - 1) + 1):
                spread.setdefault(r, {})[c0] = (r0, value)
    return spread


HEADERS = {
    "key": KEY_HEADERS,
    "text": (TASK,),
    "role": (ROLE, "角色"),
    "city": (CITY_LEAD,),
    "value": (PROGRESS,),
    "content": (CONTENT,),
    "when": (COMPLETION_TIME,),
    "leader": (LEADER,),
    "office": (OFFICE,),
    "id": (ID_HEADER,),
    "name": (NAME,),
    "title": (POST,),
    "office_phone": (OFFICE_PHONE,),
    "mobile": (MOBILE,),
}


_SPACE = re.compile(r"\s")


def columns(header: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        label = _SPACE.sub("", unify_punctuation(text(cell)))
        if not label:
            continue
        for name, labels in HEADERS.items():
            if name not in found and label.startswith(labels):
                found[name] = i
    return found


_HEADER_HINT = re.compile("序号|编号|责任事项|姓名|完成情况|具体工作内容")


def classify(sheet: RawSheet) -> tuple[int | None, int]:
    """(form number, header row index) judged by the header, whatever the sheet is called; (None, the row
    of a header with 序号 or 责任事项 but no answer column, or 0)."""
    tasks_only = 0
    for i, row in enumerate(sheet.rows[:12]):
        if not any(c.__class__ is str and _HEADER_HINT.search(c) for c in row):
            continue
        cols = columns(row)
        if "content" in cols and ("key" in cols or "text" in cols):
            return 1, i
        if "name" in cols and ("mobile" in cols or "office_phone" in cols):
            return 2, i
        if "value" in cols and ("key" in cols or "text" in cols):
            return 3, i
        if ("key" in cols or "text" in cols) and not tasks_only:
            tasks_only = i
    return None, tasks_only


def _value(cells: list[str], cols: dict[str, int]) -> tuple[str, str]:
    """The 完成情况 of a row, and where it was found when not in its own column."""
    at = cols.get("value", len(cells))  # no 完成情况 column (deleted or renamed): only the cells beside the task
    own = cells[at] if at < len(cells) else ""
    if own:
        return own, ""
    known = set(cols.values())
    for i, cell in enumerate(cells):
        typed_over_id = i == cols.get("id") and TaskId.parse(cell) is None  # the hidden column, overwritten
        if (i not in known or typed_over_id) and cell and len(cell) > 1:
            return cell, f"第 {i + 1} 列"
    role_at = cols.get("role")
    if role_at is not None and role_at < len(cells) and cells[role_at] not in ("", ROLE_LEAD, ROLE_SHARE):
        return cells[role_at], "“本单位角色”列"
    return "", ""
