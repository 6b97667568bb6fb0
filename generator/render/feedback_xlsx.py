"""A district's own returned workbook, annotated: highlighted cells, a note on each, a first sheet of findings.

The workbook is edited as the zip of XML parts it is, never loaded and saved by a library (a load/save
round trip drops what that library does not model: data validation lists, drawings, LibreOffice's extras).
Every part is copied as it came (its compressed bytes untouched) except:

- ``styles.xml``: fills (and one bold font) appended; for each highlighted cell, a new ``cellXfs`` entry
  cloned from the cell's own format with the highlight fill (number format, font, borders, protection kept);
- the marked sheets: the ``s`` attribute of the marked cells, a ``<legacyDrawing>``; notes go into the
  sheet's comments part and VML drawing, as Excel writes them (new parts, or the sheet's own, extended);
- every sheet's ``tabSelected`` flag (the findings sheet opens first and alone);
- ``workbook.xml`` and its relationships, ``[Content_Types].xml``: the findings sheet added first
  (sheet-scoped names' ``localSheetId`` shifted by one; workbook-scoped names such as ``meta_*``, ``in_*``
  untouched);
- ``docProps/core.xml``: ``dcterms:modified`` set to the time of the feedback (later than the district's
  save), so `run` takes the returned file as the district's newer submission.

Cell values are never rewritten: a ``<c>`` keeps its children (``<v>``, ``<f>``, ``<is>``) and type.
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence
from xml.sax.saxutils import escape

from lxml import etree
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from generator.render.atomic import write_bytes
from generator.render.text_height import LINE_PT, MAX_ROW_PT, lines_needed
from generator.render.zip_parts import Entry, archive

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
#: Highlight colours by kind of mark: an error, a warning, an empty input, a tick the next level needs.
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "empty": "FFFFFF99", "tick": "FFDDEBF7"}
HEAD_FILL = "FFD9E1F2"
AUTHOR = "จังหวัด"
# CT_Worksheet's children after legacyDrawing: a new <legacyDrawing> goes before the first of these
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                 "extLst")
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")   # a zip member's local header (APPNOTE 4.3.7); ends with the name
VML_BLOCK = 50                                  # our note shapes' id blocks start here (a file's own use 1, 2, ...)
_FONT_ORDER = ("i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
               "family", "charset", "scheme")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")
_TAB_SELECTED = re.compile(rb'(<(?:\w+:)?sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"')


@dataclass(frozen=True)
class Mark:
    """A cell to highlight with a note: sheet name, ref (``C12``), kind (a key of FILLS) and the Thai note."""

    sheet: str
    ref: str
    kind: str
    note: str


@dataclass(frozen=True)
class Row:
    """A row of the findings sheet: its cells' texts and its style (title, head, section or text)."""

    cells: tuple[str, ...]
    style: str = "text"


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _bytes(root: etree._Element) -> bytes:
    """The part's bytes: our XML declaration, then the element as UTF-8."""
    text: str = etree.tostring(root, encoding="unicode")
    return DECLARATION + text.encode("utf-8")


def _col_number(letters: str) -> int:
    """A column's number from its letters: A → 1."""
    col: int = xl_cell_to_rowcol(f"{letters}1")[1]
    return col + 1


def _col_letters(n: int) -> str:
    """A column's letters from its number: 1 → A."""
    name: str = xl_col_to_name(n - 1)
    return name


def _join(base: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


class Package:
    """The parts of an open xlsx: raw members kept as they came, edited ones replaced, new ones added."""

    def __init__(self, z: zipfile.ZipFile):
        self.zip = z
        self.infos = [i for i in z.infolist() if not i.is_dir()]
        self.names = {i.filename for i in self.infos}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}

    def read(self, name: str) -> bytes:
        """A part's current bytes."""
        for parts in (self.changed, self.added):
            if name in parts:
                return parts[name]
        return self.zip.read(name)

    def has(self, name: str) -> bool:
        """Whether the package holds the part."""
        return name in self.names or name in self.added

    def put(self, name: str, data: bytes) -> None:
        """Replace or add a part."""
        (self.changed if name in self.names else self.added)[name] = data

    def free(self, pattern: str) -> str:
        """A part name not yet used: ``pattern`` with the first free number for ``{}``."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def entries(self, raw: dict[str, tuple[zipfile.ZipInfo, bytes]]) -> list[Entry]:
        """Every member in the original order, then the new ones; untouched members keep their compressed bytes."""
        out = []
        for info in self.infos:
            name = info.filename
            if name in self.changed:
                out.append(Entry.of(name, self.changed[name]))
            elif name in raw:
                i, data = raw[name]
                flags = i.flag_bits & 0x800
                out.append(Entry(name.encode("utf-8" if flags else "ascii"), flags, i.compress_type, i.CRC,
                                 i.file_size, data))
            else:
                out.append(Entry.of(name, self.zip.read(name)))
        out += [Entry.of(name, data) for name, data in self.added.items()]
        return out


def _raw_members(path: Path, infos: Sequence[zipfile.ZipInfo]) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """The compressed bytes of each plainly stored or deflated member (copied, not inflated and deflated again)."""
    out = {}
    with open(path, "rb") as f:
        for info in infos:
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
                continue
            try:
                info.filename.encode("ascii") if not info.flag_bits & 0x800 else None
            except UnicodeEncodeError:
                continue
            f.seek(info.header_offset)
            head = f.read(LOCAL_HEADER.size)
            if len(head) < LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
                continue
            *_, name_length, extra_length = LOCAL_HEADER.unpack(head)
            f.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
            out[info.filename] = (info, f.read(info.compress_size))
    return out


class Styles:
    """styles.xml with the highlight formats added on demand."""

    def __init__(self, data: bytes):
        self.root = _xml(data)
        self.fills = self._list("fills")
        self.fonts = self._list("fonts")
        self.xfs = self._list("cellXfs")
        self._fill_ids: dict[str, int] = {}
        self._made: dict[tuple[int, str], int] = {}

    def _list(self, tag: str) -> etree._Element:
        found = self.root.find(_q(tag))
        if found is None:
            raise ValueError(f"styles.xml has no <{tag}>")
        return found

    def _append(self, parent: etree._Element, child: etree._Element) -> int:
        parent.append(child)
        parent.set("count", str(len(parent)))
        return len(parent) - 1

    def fill(self, argb: str) -> int:
        """The id of a solid fill of this colour (added once)."""
        if argb not in self._fill_ids:
            fill = etree.Element(_q("fill"))
            pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
            etree.SubElement(pattern, _q("fgColor"), rgb=argb)
            etree.SubElement(pattern, _q("bgColor"), indexed="64")
            self._fill_ids[argb] = self._append(self.fills, fill)
        return self._fill_ids[argb]

    def highlighted(self, style: int, argb: str) -> int:
        """A cell format like ``style`` (its number format, font, borders, alignment, protection) with a fill."""
        key = (style, argb)
        if key not in self._made:
            base = self.xfs[style] if 0 <= style < len(self.xfs) else self.xfs[0]
            xf = copy.deepcopy(base)
            xf.set("fillId", str(self.fill(argb)))
            xf.set("applyFill", "1")
            self._made[key] = self._append(self.xfs, xf)
        return self._made[key]

    def findings(self) -> dict[str, int]:
        """The formats of the findings sheet: title (bold), head (bold on a fill, wrapped), text (wrapped)."""
        bold = etree.Element(_q("font"))
        base = {etree.QName(c).localname: c for c in self.fonts[0] if isinstance(c.tag, str)}
        etree.SubElement(bold, _q("b"))
        for tag in _FONT_ORDER:  # CT_Font's order (Excel's own order; some writers put <color> elsewhere)
            if tag in base:
                bold.append(copy.deepcopy(base[tag]))
        bold_id = self._append(self.fonts, bold)

        def xf(font: int, fill: int, wrap: bool) -> int:
            el = etree.Element(_q("xf"), numFmtId="0", fontId=str(font), fillId=str(fill), borderId="0", xfId="0",
                               applyFont="1", applyFill="1", applyAlignment="1")
            etree.SubElement(el, _q("alignment"), vertical="top", wrapText="1" if wrap else "0")
            return self._append(self.xfs, el)

        return {"title": xf(bold_id, 0, False), "head": xf(bold_id, self.fill(HEAD_FILL), True),
                "section": xf(bold_id, 0, False), "text": xf(0, 0, True)}

    def bytes(self) -> bytes:
        """The edited styles.xml."""
        return _bytes(self.root)


class Relationships:
    """A .rels part: read, add with a fresh id, write."""

    def __init__(self, data: Optional[bytes]):
        self.root = _xml(data) if data else etree.Element(_q("Relationships", PKG_REL), nsmap={None: PKG_REL})

    def targets(self, rel_type: str) -> list[tuple[str, str]]:
        """(id, target) of every relationship of a type."""
        return [(r.get("Id", ""), r.get("Target", "")) for r in self.root if r.get("Type") == REL + rel_type]

    def target(self, rid: str) -> Optional[str]:
        """The target of an id."""
        return next((r.get("Target") for r in self.root if r.get("Id") == rid), None)

    def add(self, rel_type: str, target: str) -> str:
        """Add a relationship; its new id."""
        used = {r.get("Id") for r in self.root}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(self.root, _q("Relationship", PKG_REL), Id=f"rId{n}", Type=REL + rel_type, Target=target)
        return f"rId{n}"

    def bytes(self) -> bytes:
        return _bytes(self.root)


class ContentTypes:
    """[Content_Types].xml: defaults and overrides added when missing."""

    NAME = "[Content_Types].xml"

    def __init__(self, data: bytes):
        self.root = _xml(data)

    def default(self, extension: str, content_type: str) -> None:
        if not any(d.get("Extension", "").lower() == extension for d in self.root.iter(_q("Default", CT_NS))):
            self.root.insert(0, etree.Element(_q("Default", CT_NS), Extension=extension, ContentType=content_type))

    def override(self, part: str, content_type: str) -> None:
        name = "/" + part
        if not any(o.get("PartName") == name for o in self.root.iter(_q("Override", CT_NS))):
            etree.SubElement(self.root, _q("Override", CT_NS), PartName=name, ContentType=content_type)

    def bytes(self) -> bytes:
        return _bytes(self.root)


def _cell_index(sheet_data: etree._Element) -> dict[str, etree._Element]:
    """Every cell of a sheet by its ref (cells and rows without ``r`` numbered by their place)."""
    out: dict[str, etree._Element] = {}
    row_no = 0
    for row in sheet_data.iterchildren(_q("row")):
        row_no = int(row.get("r") or row_no + 1)
        col = 0
        for c in row.iterchildren(_q("c")):
            ref = c.get("r")
            if ref:
                m = _CELL.fullmatch(ref)
                col = _col_number(m[1]) if m else col + 1
            else:
                col += 1
                ref = f"{_col_letters(col)}{row_no}"
            out[ref] = c
    return out


def _new_cell(sheet_data: etree._Element, ref: str) -> etree._Element:
    """An empty cell at ``ref``, inserted in row and column order (rows made as needed)."""
    row0, col0 = xl_cell_to_rowcol(ref)
    row_no, col = row0 + 1, col0 + 1
    row = None
    before = None
    n = 0
    for r in sheet_data.iterchildren(_q("row")):
        n = int(r.get("r") or n + 1)
        if n == row_no:
            row = r
            break
        if n > row_no:
            before = r
            break
    if row is None:
        row = etree.Element(_q("row"), r=str(row_no))
        if before is not None:
            before.addprevious(row)
        else:
            sheet_data.append(row)
    cell = etree.Element(_q("c"), r=ref)
    k = 0
    for c in row.iterchildren(_q("c")):
        cm = _CELL.fullmatch(c.get("r") or "")
        k = _col_number(cm[1]) if cm else k + 1
        if k > col:
            c.addprevious(cell)
            return cell
    row.append(cell)
    return cell


def _comments_xml(existing: Optional[bytes], marks: Sequence[Mark]) -> bytes:
    """The sheet's comments part with a note for every mark (added to the notes it had)."""
    if existing:
        root = _xml(existing)
    else:
        root = etree.Element(_q("comments"), nsmap={None: NS})
    authors = root.find(_q("authors"))
    if authors is None:
        authors = etree.Element(_q("authors"))
        root.insert(0, authors)
    author_id = len(authors)
    etree.SubElement(authors, _q("author")).text = AUTHOR
    listing = root.find(_q("commentList"))
    if listing is None:
        listing = etree.SubElement(root, _q("commentList"))
    for old in [c for c in listing if c.get("ref") in {m.ref for m in marks}]:
        listing.remove(old)  # a cell has one note: ours replaces an earlier one on the same cell
    for m in marks:
        comment = etree.SubElement(listing, _q("comment"), ref=m.ref, authorId=str(author_id))
        run = etree.SubElement(etree.SubElement(comment, _q("text")), _q("r"))
        props = etree.SubElement(run, _q("rPr"))
        etree.SubElement(props, _q("sz"), val="12")
        etree.SubElement(props, _q("rFont"), val="Tahoma")
        t = etree.SubElement(run, _q("t"))
        t.text = m.note
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return _bytes(root)


_VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
             ' xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
             ' <o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>\n')
_VML_TYPE = (' <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">\n'
             '  <v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>\n </v:shapetype>\n')


def _vml_shape(shape_id: int, m: Mark) -> str:
    """One hidden note box in VML, anchored beside its cell, as Excel writes it."""
    row, col = xl_cell_to_rowcol(m.ref)
    anchor = f"{col + 1}, 15, {max(row - 1, 0)}, 10, {col + 4}, 15, {row + 5}, 4"
    return (f' <v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
            f'margin-top:1.5pt;width:240pt;height:110pt;z-index:{shape_id};visibility:hidden" fillcolor="#ffffe1"'
            ' o:insetmode="auto">\n  <v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>\n'
            '  <v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/>'
            '</v:textbox>\n  <x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row>'
            f'<x:Column>{col}</x:Column></x:ClientData>\n </v:shape>\n')


def _vml(existing: Optional[bytes], marks: Sequence[Mark], block: int) -> bytes:
    """The sheet's VML drawing with a note box per mark (added before the end of the drawing it had)."""
    if existing:
        text = existing.decode("utf-8", "replace")
        used = [int(n) for n in re.findall(r"_x0000_s(\d+)", text)]
        first = max(used, default=block * 1024) + 1
        shapes = "".join(_vml_shape(first + i, m) for i, m in enumerate(marks))
        if "_x0000_t202" not in text:
            shapes = _VML_TYPE + shapes
        end = text.rfind("</xml>")
        return (text[:end] + shapes + text[end:]).encode("utf-8") if end >= 0 else existing
    first = block * 1024 + 1
    shapes = "".join(_vml_shape(first + i, m) for i, m in enumerate(marks))
    return (_VML_HEAD.format(idmap=block) + _VML_TYPE + shapes + "</xml>").encode("utf-8")


def _insert_legacy(root: etree._Element, rid: str) -> None:
    """A <legacyDrawing r:id> in the place the schema gives it."""
    el = etree.Element(_q("legacyDrawing"))
    el.set(_q("id", R_NS), rid)
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname in _AFTER_LEGACY:
            child.addprevious(el)
            return
    root.append(el)


def _mark_sheet(pkg: Package, part: str, marks: Sequence[Mark], styles: Styles, content: ContentTypes,
                block: int) -> None:
    """Highlight and annotate the marked cells of one sheet part."""
    root = _xml(pkg.read(part))
    sheet_data = root.find(_q("sheetData"))
    if sheet_data is None:
        raise ValueError(f"{part} has no sheetData")
    cells = _cell_index(sheet_data)
    for m in marks:
        cell = cells.get(m.ref)
        if cell is None:
            cell = cells[m.ref] = _new_cell(sheet_data, m.ref)
        cell.set("s", str(styles.highlighted(int(cell.get("s") or 0), FILLS[m.kind])))
    rels_part = _rels_name(part)
    rels = Relationships(pkg.read(rels_part) if pkg.has(rels_part) else None)
    comments = rels.targets("comments")
    legacy = root.find(_q("legacyDrawing"))
    vml_part = _join(part, rels.target(legacy.get(_q("id", R_NS)) or "") or "") if legacy is not None else None
    if comments:
        comments_part = _join(part, comments[0][1])
    else:
        comments_part = pkg.free("xl/comments{}.xml")
        rels.add("comments", _relative(part, comments_part))
    pkg.put(comments_part, _comments_xml(pkg.read(comments_part) if pkg.has(comments_part) else None, marks))
    if vml_part is None or not pkg.has(vml_part):
        vml_part = pkg.free("xl/drawings/vmlDrawing{}.vml")
        rid = rels.add("vmlDrawing", _relative(part, vml_part))
        if legacy is not None:
            legacy.set(_q("id", R_NS), rid)
        else:
            _insert_legacy(root, rid)
        pkg.put(vml_part, _vml(None, marks, block))
    else:
        pkg.put(vml_part, _vml(pkg.read(vml_part), marks, block))
    content.default("vml", VML_CT)
    content.override(comments_part, COMMENTS_CT)
    pkg.put(rels_part, rels.bytes())
    pkg.put(part, _bytes(root))


def _inline(ref: str, text: str, style: int) -> str:
    """An inline-string cell (the shared strings part stays as the district saved it)."""
    return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(_clean(text))}</t></is></c>')


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _findings_sheet(rows: Sequence[Row], widths: Sequence[float], formats: dict[str, int]) -> bytes:
    """The findings sheet: rows of text, wrapped in the given column widths, heights fitted to the Thai text."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           f'<worksheet xmlns="{NS}" xmlns:r="{R_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
           '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>',
           '<sheetFormatPr defaultRowHeight="15"/><cols>']
    out += [f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)]
    out.append("</cols><sheetData>")
    merged = []
    for n, row in enumerate(rows, 1):
        spans = [sum(widths)] if len(row.cells) == 1 else widths
        if len(row.cells) == 1 and row.cells[0]:
            merged.append(f"A{n}:{_col_letters(len(widths))}{n}")
        lines = max([lines_needed(t, w) for t, w in zip(row.cells, spans) if t] or [1])
        height = f' ht="{min(lines * LINE_PT + 4, MAX_ROW_PT):.1f}" customHeight="1"' if lines > 1 else ""
        cells = "".join(_inline(f"{_col_letters(i)}{n}", t, formats[row.style])
                        for i, t in enumerate(row.cells, 1) if t or row.style == "head")
        out.append(f'<row r="{n}"{height}>{cells}</row>')
    out.append("</sheetData>")
    if merged:
        refs = "".join(f'<mergeCell ref="{m}"/>' for m in merged)
        out.append(f'<mergeCells count="{len(merged)}">{refs}</mergeCells>')
    out.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
               '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return "".join(out).encode("utf-8")


def _sheet_name(taken: set[str], wanted: str) -> str:
    name, n = wanted, 2
    while name.lower() in taken:
        name = f"{wanted} ({n})"
        n += 1
    return name


def _core(data: bytes, now: dt.datetime) -> bytes:
    """docProps/core.xml saved ``now`` (or a second after the district's own save, if that is later)."""
    root = _xml(data)
    dcterms, xsi = "http://purl.org/dc/terms/", "http://www.w3.org/2001/XMLSchema-instance"
    modified = root.find(_q("modified", dcterms))
    stamp = now.astimezone(dt.timezone.utc).replace(microsecond=0)
    if modified is None:
        modified = etree.SubElement(root, _q("modified", dcterms))
        modified.set(_q("type", xsi), "dcterms:W3CDTF")
    elif modified.text:
        try:
            was = dt.datetime.fromisoformat(modified.text.strip().replace("Z", "+00:00"))
            was = was if was.tzinfo else was.replace(tzinfo=dt.timezone.utc)
            stamp = max(stamp, was.astimezone(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(seconds=1))
        except ValueError:
            pass
    modified.text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return _bytes(root)


def annotate_workbook(source: Path, target: Path, marks: Sequence[Mark], rows: Sequence[Row],
                      widths: Sequence[float], sheet_title: str, now: dt.datetime) -> Path:
    """Write ``target``: ``source`` with the marks (highlight + note) and the findings sheet first."""
    with zipfile.ZipFile(source) as z:
        pkg = Package(z)
        _annotate(pkg, marks, rows, widths, sheet_title, now)
        entries = pkg.entries(_raw_members(source, pkg.infos))
    write_bytes(Path(target), archive(entries, now.date()))
    return Path(target)


def _annotate(pkg: Package, marks: Sequence[Mark], rows: Sequence[Row], widths: Sequence[float], sheet_title: str,
              now: dt.datetime) -> None:
    """Make every edit of annotate_workbook in the package."""
    root_rels = Relationships(pkg.read("_rels/.rels"))
    book_part = next((_join("", t) for _, t in root_rels.targets("officeDocument")), "xl/workbook.xml")
    book_rels_part = _rels_name(book_part)
    book = _xml(pkg.read(book_part))
    book_rels = Relationships(pkg.read(book_rels_part))
    sheets = book.find(_q("sheets"))
    parts = {s.get("name"): _join(book_part, book_rels.target(s.get(_q("id", R_NS))) or "") for s in sheets}
    content = ContentTypes(pkg.read(ContentTypes.NAME))
    styles_part = next((_join(book_part, t) for _, t in book_rels.targets("styles")), "xl/styles.xml")
    styles = Styles(pkg.read(styles_part))

    by_sheet: dict[str, list[Mark]] = {}
    for m in marks:
        if m.sheet in parts and _CELL.fullmatch(m.ref):
            by_sheet.setdefault(m.sheet, []).append(m)
    for block, (sheet, found) in enumerate(sorted(by_sheet.items()), start=VML_BLOCK):
        _mark_sheet(pkg, parts[sheet], found, styles, content, block)
    for part in parts.values():
        if pkg.has(part):
            data = pkg.read(part)
            cleared = _TAB_SELECTED.sub(rb"\1", data, count=1)
            if cleared != data:
                pkg.put(part, cleared)

    earlier = next((s for s in sheets if s.get("name") == sheet_title and sheets.index(s) == 0), None)
    if earlier is not None:  # a feedback workbook checked again: its findings sheet is written anew
        pkg.put(parts[sheet_title], _findings_sheet(rows, widths, styles.findings()))
    else:
        findings_part = pkg.free("xl/worksheets/sheet{}.xml")
        pkg.put(findings_part, _findings_sheet(rows, widths, styles.findings()))
        content.override(findings_part, SHEET_CT)
        rid = book_rels.add("worksheet", _relative(book_part, findings_part))
        ids = [int(s.get("sheetId") or 0) for s in sheets]
        entry = etree.Element(_q("sheet"), name=_sheet_name({n.lower() for n in parts}, sheet_title),
                              sheetId=str(max(ids, default=0) + 1))
        entry.set(_q("id", R_NS), rid)
        sheets.insert(0, entry)
        for name in book.iter(_q("definedName")):
            if name.get("localSheetId") is not None:
                name.set("localSheetId", str(int(name.get("localSheetId")) + 1))
    for view in book.iter(_q("workbookView")):
        view.set("activeTab", "0")
        view.set("firstSheet", "0")
    pkg.put(book_part, _bytes(book))
    pkg.put(book_rels_part, book_rels.bytes())
    pkg.put(styles_part, styles.bytes())
    pkg.put(ContentTypes.NAME, content.bytes())
    if pkg.has("docProps/core.xml"):
        pkg.put("docProps/core.xml", _core(pkg.read("docProps/core.xml"), now))


__all__ = ["FILLS", "Mark", "Row", "annotate_workbook"]
