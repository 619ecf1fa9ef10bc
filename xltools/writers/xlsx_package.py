"""Replace some sheets of a user's workbook and keep every other byte of it.

A workbook a clerk has touched holds things no Python library can carry
through a load-and-save: the VBA project and its buttons, text boxes, charts,
form controls, comments, sheets of their own. So the tool never rewrites such
a file: it renders its new sheets into a workbook of their own (XlsxWriter)
and splices those sheet parts into the original package:

- the original's parts are copied untouched, except workbook.xml (the sheet
  list, defined names), its relationships, [Content_Types].xml, styles.xml and
  sharedStrings.xml, which get the new entries appended (identical entries are
  reused, so repeated refreshes do not grow the file);
- the new sheets' cell styles, conditional formats and strings are renumbered
  into the original's tables; their drawings and charts are copied under
  fresh part names;
- parts only the replaced sheets used are dropped, and calcChain.xml with
  them (Excel rebuilds it).

What a clerk added on a sheet that is about to be replaced (comments, drop-down
lists, text boxes, pictures …) would be lost with it: `losses` lists those,
and the caller refuses to write.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
REL_TYPE = R + "/"
CONTENT_TYPES = "[Content_Types].xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

# The order of the containers in styles.xml (the schema's sequence).
STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
               "tableStyles", "colors", "extLst")


def _q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _relative(part: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(part) or ".")


def _parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _dump(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass
class Package:
    """The parts of a zip package, in their original order."""

    parts: dict[str, bytes]

    @classmethod
    def read(cls, data: bytes) -> Package:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return cls({info.filename: z.read(info) for info in z.infolist() if not info.is_dir()})

    def write(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            names = [CONTENT_TYPES] + [n for n in self.parts if n != CONTENT_TYPES]
            for name in names:
                z.writestr(name, self.parts[name])
        return out.getvalue()

    def rels(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, resolved target, external) of a part's relationships."""
        data = self.parts.get(_rels_name(part))
        if data is None:
            return []
        return [(r.get("Id"), r.get("Type"), r.get("Target") if r.get("TargetMode") == "External"
                 else _resolve(part, r.get("Target")), r.get("TargetMode") == "External")
                for r in _parse(data)]

    def related(self, part: str, kind: str) -> list[str]:
        return [t for _, typ, t, ext in self.rels(part) if not ext and typ.endswith("/" + kind)]

    def workbook_part(self) -> str:
        return next(t for _, typ, t, _ in self.rels("") if typ.endswith("/officeDocument"))

    def sheets(self) -> list[tuple[str, str]]:
        """(name, part) of each sheet, in tab order."""
        wb = self.workbook_part()
        targets = {rid: t for rid, _, t, _ in self.rels(wb)}
        root = _parse(self.parts[wb])
        return [(s.get("name"), targets[s.get(_q("id", R))]) for s in root.find(_q("sheets"))]

    def reachable(self) -> set[str]:
        seen: set[str] = set()
        todo = [t for _, _, t, ext in self.rels("") if not ext]
        while todo:
            part = todo.pop()
            if part in seen or part not in self.parts:
                continue
            seen.add(part)
            todo += [t for _, _, t, ext in self.rels(part) if not ext]
        return seen

    def free_name(self, like: str) -> str:
        """An unused part name in the folder of `like`, numbered as the tools number them (sheet7.xml)."""
        folder, name = posixpath.split(like)
        stem, ext = posixpath.splitext(name)
        stem = re.sub(r"\d+$", "", stem)
        n = 1
        while posixpath.join(folder, f"{stem}{n}{ext}") in self.parts:
            n += 1
        return posixpath.join(folder, f"{stem}{n}{ext}")


# -- what a replaced sheet would take with it ----------------------------------------------------

CHARTS = "图表"
# Relationship kinds of a sheet and what a clerk calls them.
ADDED_BY_RELATION = {
    "comments": "批注", "threadedComment": "批注", "table": "表格（套用表格格式）", "pivotTable": "数据透视表",
    "image": "背景图片", "hyperlink": "超链接", "oleObject": "嵌入对象", "ctrlProp": "表单控件",
}


def _drawing_items(pkg: Package, drawing: str) -> dict[str, int]:
    root = _parse(pkg.parts[drawing])
    counts = {CHARTS: 0, "图片": 0, "文本框或形状": 0}
    for anchor in root:
        for child in anchor:
            if child.tag == _q("graphicFrame", XDR):
                counts[CHARTS] += 1
            elif child.tag == _q("pic", XDR):
                counts["图片"] += 1
            elif child.tag in (_q("sp", XDR), _q("grpSp", XDR), _q("cxnSp", XDR)):
                counts["文本框或形状"] += 1
    return counts


def sheet_content(pkg: Package, part: str) -> dict[str, int]:
    """What a sheet holds besides cells and formatting: comments, lists, drawings … with counts."""
    found: dict[str, int] = {}

    def add(label: str, n: int = 1) -> None:
        if n:
            found[label] = found.get(label, 0) + n

    root = _parse(pkg.parts[part])
    validations = root.find(_q("dataValidations"))
    if validations is not None:
        add("下拉列表或数据验证", len(validations))
    links = root.find(_q("hyperlinks"))
    if links is not None:
        add("超链接", len(links))
    kinds = [(typ.rsplit("/", 1)[-1], target, external) for _, typ, target, external in pkg.rels(part)]
    for kind, target, external in kinds:
        if kind == "drawing" and not external:
            for label, n in _drawing_items(pkg, target).items():
                add(label, n)
        elif kind == "comments" and not external:
            add("批注", len(_parse(pkg.parts[target]).find(_q("commentList"))))
        elif kind == "vmlDrawing" and not any(k == "comments" for k, _, _ in kinds):
            add("表单控件")  # VML without comments: legacy buttons and controls
        elif kind in ADDED_BY_RELATION and kind not in ("comments", "hyperlink"):
            add(ADDED_BY_RELATION[kind])
    return found


def losses(original: Package, removed: list[str], generated: Package,
           drawn: frozenset[str] = frozenset()) -> dict[str, dict[str, int]]:
    """Per sheet about to be replaced: what it holds that its new version will not (sheet name → label → count).

    Charts on the sheets named in `drawn` are the tool's own (the dashboard's), whatever their number.
    """
    parts = dict(original.sheets())
    new = dict(generated.sheets())
    lost: dict[str, dict[str, int]] = {}
    for name in removed:
        had = sheet_content(original, parts[name])
        will = sheet_content(generated, new[name]) if name in new else {}
        if name in drawn:
            had.pop(CHARTS, None)
        gone = {label: n - will.get(label, 0) for label, n in had.items() if n > will.get(label, 0)}
        if gone:
            lost[name] = gone
    return lost


# -- styles and strings ---------------------------------------------------------------------------

def _key(el) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True)


def _container(root, tag: str):
    found = root.find(_q(tag))
    if found is not None:
        return found
    made = etree.Element(_q(tag))
    later = STYLE_ORDER[STYLE_ORDER.index(tag) + 1:]
    for i, child in enumerate(root):
        if etree.QName(child).localname in later:
            root.insert(i, made)
            break
    else:
        root.append(made)
    return made


def _append_unique(container, elements, fix=lambda el: el) -> list[int]:
    """Index in `container` of each element (an equal one reused, else appended)."""
    index = {_key(el): i for i, el in enumerate(container)}
    mapping = []
    for el in elements:
        el = fix(_copy(el))
        key = _key(el)
        if key not in index:
            index[key] = len(container)
            container.append(el)
        mapping.append(index[key])
    if "count" in container.attrib or len(container):
        container.set("count", str(len(container)))
    return mapping


def _copy(el):
    return _parse(etree.tostring(el))


def merge_styles(into: bytes, source: bytes) -> tuple[bytes, list[int], list[int]]:
    """`source`'s cell formats and conditional formats added to `into`: (styles.xml, xf map, dxf map)."""
    root, src = _parse(into), _parse(source)

    formats = _container(root, "numFmts")
    by_code = {f.get("formatCode"): int(f.get("numFmtId")) for f in formats}
    next_id = max([163, *by_code.values()]) + 1
    fmt_map: dict[int, int] = {}
    for f in src.find(_q("numFmts")) if src.find(_q("numFmts")) is not None else []:
        code = f.get("formatCode")
        if code not in by_code:
            made = etree.SubElement(formats, _q("numFmt"), numFmtId=str(next_id), formatCode=code)
            by_code[code] = int(made.get("numFmtId"))
            next_id += 1
        fmt_map[int(f.get("numFmtId"))] = by_code[code]
    formats.set("count", str(len(formats)))
    if not len(formats):
        root.remove(formats)

    maps = {tag: _append_unique(_container(root, tag), src.find(_q(tag)) if src.find(_q(tag)) is not None else [])
            for tag in ("fonts", "fills", "borders")}

    def fix_xf(xf):
        for attr, tag in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            if xf.get(attr) is not None:
                xf.set(attr, str(maps[tag][int(xf.get(attr))]))
        number = int(xf.get("numFmtId", "0"))
        if number in fmt_map:
            xf.set("numFmtId", str(fmt_map[number]))
        xf.set("xfId", "0")
        return xf

    def fix_dxf(dxf):
        fmt = dxf.find(_q("numFmt"))
        if fmt is not None and int(fmt.get("numFmtId")) in fmt_map:
            fmt.set("numFmtId", str(fmt_map[int(fmt.get("numFmtId"))]))
        return dxf

    xf_map = _append_unique(_container(root, "cellXfs"), src.find(_q("cellXfs")), fix_xf)
    src_dxfs = src.find(_q("dxfs"))
    dxf_map = _append_unique(_container(root, "dxfs"), src_dxfs if src_dxfs is not None else [], fix_dxf)
    return _dump(root), xf_map, dxf_map


def merge_strings(into: bytes | None, source: bytes | None) -> tuple[bytes, list[int]]:
    root = _parse(into) if into else etree.Element(_q("sst"), nsmap={None: MAIN})
    items = list(_parse(source)) if source else []
    mapping = _append_unique(root, items)
    root.set("uniqueCount", str(len(root)))
    root.set("count", str(len(root)))
    return _dump(root), mapping


def _renumber_sheet(data: bytes, xf_map: list[int], dxf_map: list[int], sst_map: list[int]) -> bytes:
    root = _parse(data)
    for el in root.iter(_q("c"), _q("row"), _q("col"), _q("cfRule"), _q("sheetView")):
        tag = etree.QName(el).localname
        if tag == "c":
            if el.get("s") is not None:
                el.set("s", str(xf_map[int(el.get("s"))]))
            if el.get("t") == "s":
                value = el.find(_q("v"))
                value.text = str(sst_map[int(value.text)])
        elif tag == "row" and el.get("s") is not None:
            el.set("s", str(xf_map[int(el.get("s"))]))
        elif tag == "col" and el.get("style") is not None:
            el.set("style", str(xf_map[int(el.get("style"))]))
        elif tag == "cfRule" and el.get("dxfId") is not None:
            el.set("dxfId", str(dxf_map[int(el.get("dxfId"))]))
        elif tag == "sheetView":
            el.attrib.pop("tabSelected", None)  # the clerk's selected tab stays the only one
    return _dump(root)


# -- the splice ----------------------------------------------------------------------------------

class _Types:
    """[Content_Types].xml: defaults by extension, overrides by part."""

    def __init__(self, data: bytes):
        self.root = _parse(data)

    def of(self, part: str) -> str | None:
        for el in self.root:
            if el.get("PartName") == "/" + part:
                return el.get("ContentType")
        ext = posixpath.splitext(part)[1][1:].lower()
        return next((el.get("ContentType") for el in self.root if (el.get("Extension") or "").lower() == ext), None)

    def set(self, part: str, content_type: str) -> None:
        self.drop(part)
        etree.SubElement(self.root, _q("Override", CT), PartName="/" + part, ContentType=content_type)

    def drop(self, part: str) -> None:
        for el in list(self.root):
            if el.get("PartName") == "/" + part:
                self.root.remove(el)

    def dump(self) -> bytes:
        return _dump(self.root)


class _Rels:
    def __init__(self, data: bytes | None):
        self.root = _parse(data) if data else etree.Element(_q("Relationships", PKG), nsmap={None: PKG})

    def add(self, typ: str, target: str) -> str:
        taken = {r.get("Id") for r in self.root}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        etree.SubElement(self.root, _q("Relationship", PKG), Id=f"rId{n}", Type=typ, Target=target)
        return f"rId{n}"

    def drop(self, rid: str) -> None:
        for r in list(self.root):
            if r.get("Id") == rid:
                self.root.remove(r)

    def dump(self) -> bytes:
        return _dump(self.root)


def _copy_tree(out: Package, types: _Types, src: Package, src_types: _Types, part: str, new: str) -> None:
    """Copy `part` of `src` (and what its relationships reach) into `out` as `new`."""
    out.parts[new] = src.parts[part]
    types.set(new, src_types.of(part))
    rels_data = src.parts.get(_rels_name(part))
    if rels_data is None:
        return
    rels = _parse(rels_data)
    for r in rels:
        if r.get("TargetMode") == "External":
            continue
        child = _resolve(part, r.get("Target"))
        child_new = out.free_name(child)
        _copy_tree(out, types, src, src_types, child, child_new)
        r.set("Target", _relative(new, child_new))
    out.parts[_rels_name(new)] = _dump(rels)


def splice(original: bytes, generated: bytes, order: list[str]) -> bytes:
    """`original` with its sheets arranged as `order`: names of `generated`'s sheets come from it
    (replacing an original sheet of the same name), other names are the original's sheets;
    original sheets not named are dropped."""
    src = Package.read(generated)
    out = Package.read(original)
    before = out.reachable()
    types, src_types = _Types(out.parts[CONTENT_TYPES]), _Types(src.parts[CONTENT_TYPES])
    wb_part, src_wb = out.workbook_part(), src.workbook_part()
    wb_rels = _Rels(out.parts.get(_rels_name(wb_part)))
    wb_root = _parse(out.parts[wb_part])
    sheets_el = wb_root.find(_q("sheets"))
    old_sheets = [(s.get("name"), s) for s in sheets_el]
    new_parts = dict(src.sheets())

    styles_part = out.related(wb_part, "styles")[0]
    styles, xf_map, dxf_map = merge_styles(out.parts[styles_part], src.parts[src.related(src_wb, "styles")[0]])
    out.parts[styles_part] = styles
    sst_parts, src_sst = out.related(wb_part, "sharedStrings"), src.related(src_wb, "sharedStrings")
    sst, sst_map = merge_strings(out.parts[sst_parts[0]] if sst_parts else None,
                                 src.parts[src_sst[0]] if src_sst else None)
    if sst_parts:
        out.parts[sst_parts[0]] = sst
    else:
        out.parts["xl/sharedStrings.xml"] = sst
        types.set("xl/sharedStrings.xml", SST_TYPE)
        wb_rels.add(REL_TYPE + "sharedStrings", _relative(wb_part, "xl/sharedStrings.xml"))

    for name, el in old_sheets:
        if name in new_parts or name not in order:
            wb_rels.drop(el.get(_q("id", R)))
            sheets_el.remove(el)
    kept = {name: el for name, el in old_sheets if name not in new_parts and name in order}
    next_id = max([0, *(int(el.get("sheetId")) for _, el in old_sheets)]) + 1
    src_states = {s.get("name"): s.get("state") for s in _parse(src.parts[src_wb]).find(_q("sheets"))}
    for name in order:
        if name in kept:
            sheets_el.append(kept[name])
            continue
        part = out.free_name("xl/worksheets/sheet1.xml")
        _copy_tree(out, types, src, src_types, new_parts[name], part)
        out.parts[part] = _renumber_sheet(out.parts[part], xf_map, dxf_map, sst_map)
        rid = wb_rels.add(REL_TYPE + "worksheet", _relative(wb_part, part))
        el = etree.SubElement(sheets_el, _q("sheet"), name=name, sheetId=str(next_id))
        el.set(_q("id", R), rid)
        if src_states.get(name):
            el.set("state", src_states[name])
        next_id += 1

    _renumber_names(wb_root, _parse(src.parts[src_wb]), [n for n, _ in old_sheets], order, set(new_parts))
    _keep_active_tab(wb_root, [n for n, _ in old_sheets], order)
    for chain in out.related(wb_part, "calcChain"):
        for rid, _, target, _ in out.rels(wb_part):
            if target == chain:
                wb_rels.drop(rid)
    out.parts[wb_part] = _dump(wb_root)
    out.parts[_rels_name(wb_part)] = wb_rels.dump()
    for part in before - out.reachable():
        out.parts.pop(part, None)
        out.parts.pop(_rels_name(part), None)
        types.drop(part)
    out.parts[CONTENT_TYPES] = types.dump()
    return out.write()


def _renumber_names(wb_root, src_root, old_order: list[str], order: list[str], new: set[str]) -> None:
    """Sheet-local defined names follow their sheet; the new sheets bring theirs (print titles, filters)."""
    names = wb_root.find(_q("definedNames"))
    src_names = src_root.find(_q("definedNames"))
    src_order = [s.get("name") for s in src_root.find(_q("sheets"))]
    position = {name: i for i, name in enumerate(order)}
    if names is None:
        names = etree.Element(_q("definedNames"))
        anchor = [el for el in wb_root if etree.QName(el).localname in ("sheets", "functionGroups",
                                                                         "externalReferences")][-1]
        anchor.addnext(names)
    for el in list(names):
        local = el.get("localSheetId")
        if local is None:
            continue
        sheet = old_order[int(local)] if int(local) < len(old_order) else None
        if sheet in position and sheet not in new:
            el.set("localSheetId", str(position[sheet]))
        else:
            names.remove(el)
    for el in src_names if src_names is not None else []:
        local = el.get("localSheetId")
        if local is not None and src_order[int(local)] in position:
            copy = _copy(el)
            copy.set("localSheetId", str(position[src_order[int(local)]]))
            names.append(copy)
    if not len(names):
        wb_root.remove(names)


def _keep_active_tab(wb_root, old_order: list[str], order: list[str]) -> None:
    views = wb_root.find(_q("bookViews"))
    for view in views if views is not None else []:
        active = int(view.get("activeTab", "0"))
        was = old_order[active] if active < len(old_order) else None
        view.set("activeTab", str(order.index(was) if was in order else 0))
        if view.get("firstSheet") is not None:
            view.set("firstSheet", "0")
