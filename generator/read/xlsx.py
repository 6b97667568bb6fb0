"""Low-level xlsx reading: the parts of the zip, parsed with lxml safely and only as far as needed.

Entities are never resolved, nothing is fetched from the network, a part that declares a DTD is
refused, huge trees are refused; sheets and shared strings are streamed and left as soon as the
last wanted row or string is read. A small one (every real form's) is parsed at once instead, a
sheet only up to the end of its rows, whenever that gives what streaming gives; else it is streamed.
Unlike the usual libraries this also tells a formula saved without its cached value (an <f> with no
<v>) from an empty cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, TypeVar

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from generator.read.safety import Unsafe
from generator.read.values import CellError, Uncomputed, from_excel

MAX_SMALL_PART = 8 * 2**20  # workbook.xml, styles.xml, .rels: parsed whole, so they must stay small
MAX_STREAMED_PART = 100 * 2**20  # a sheet or the shared strings, streamed: ~3 s to parse at this size
MERGE_CHUNK = 2**20  # merged_ranges searches a large sheet this much at a time
MAX_WHOLE_PART = MERGE_CHUNK  # a sheet or the shared strings up to this size is parsed at once (searched in one chunk)
# locale built-in formats (ECMA-376 18.8.30) that openpyxl does not list: CJK and Thai dates and times,
# Thai percentages; their codes here only need to read as a date or a percent
LOCALE_FORMATS = {**dict.fromkeys([*range(27, 37), *range(50, 59), *range(71, 82)], "d/m/yyyy"), 67: "0%", 68: "0.00%"}
SAFE_XML = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb"<(?:[A-Za-z0-9_]+:)?mergeCell\s[^>]*?\bref=[\"']\$?([A-Z]{1,3})\$?([0-9]{1,7}):"
                    rb"\$?([A-Z]{1,3})\$?([0-9]{1,7})[\"']")
_ROOT = re.compile(rb"<([A-Za-z_][^\s/>]*)")
T = TypeVar("T")


def remembered(entries: int, longest: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Remember what a function of (bytes or text, …) gave for its last few first arguments up to ``longest``.

    Every district returns the same form, so the same workbook, styles and relationships parts and the same
    defined names come back file after file; a longer argument (a hostile file's) is not kept.
    """
    def decorate(compute: Callable[..., T]) -> Callable[..., T]:
        cached = functools.lru_cache(maxsize=entries)(compute)

        @functools.wraps(compute)
        def call(first: Any, *rest: Any) -> T:
            return (cached if len(first) <= longest else compute)(first, *rest)
        return call
    return decorate


def _local(tag: str) -> str:
    """An XML tag without its namespace (transitional and strict OOXML alike)."""
    return tag.rpartition("}")[2]


def column_letters(column: int) -> str:
    """A column's letters from its number: 1 → A, 27 → AA."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _no_dtd(el: Any, part: str) -> None:
    """Refuse a part that declares a DTD: xlsx never does, XML bombs and external entities need one."""
    if el.getroottree().docinfo.doctype:
        raise Unsafe("xml-dtd", f"ส่วน {part} ในไฟล์มี DTD/ENTITY ซึ่งแบบ Excel ปกติไม่มี จึงไม่อ่าน เพื่อความปลอดภัย"
                                " (XML with a DTD refused)")


def _small_bytes(z: zipfile.ZipFile, part: str) -> bytes:
    """The bytes of a small part (workbook, styles, relationships), refused when it is not small."""
    if z.getinfo(part).file_size > MAX_SMALL_PART:
        raise Unsafe("part-too-large", f"ส่วน {part} ในไฟล์ใหญ่ผิดปกติ จึงไม่อ่าน (part too large)")
    return z.read(part)


def _root(data: bytes, part: str) -> Any:
    """The root element of a small part, parsed whole and safely."""
    root = etree.fromstring(data, etree.XMLParser(**SAFE_XML))
    _no_dtd(root, part)
    return root


def saved_at(z: zipfile.ZipFile) -> Optional[dt.datetime]:
    """When Excel or LibreOffice last saved the workbook (docProps/core.xml dcterms:modified), in UTC."""
    if "docProps/core.xml" not in z.NameToInfo:
        return None
    for el in _root(_small_bytes(z, "docProps/core.xml"), "docProps/core.xml"):
        if _local(el.tag) == "modified" and el.text:
            try:
                stamp = dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
            except ValueError:
                return None
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
    return None


def _streamable(z: zipfile.ZipFile, part: str) -> None:
    """Refuse a sheet or shared strings part too large to read at all."""
    if z.getinfo(part).file_size > MAX_STREAMED_PART:
        raise Unsafe("part-too-large", f"ส่วน {part} ในไฟล์ใหญ่เกิน {MAX_STREAMED_PART // 2**20} MB (แบบเก็บข้อมูลปกติไม่ถึง"
                                       " 1 MB) จึงไม่อ่าน (part too large)")


def _inflated(z: zipfile.ZipFile, part: str) -> Optional[bytes]:
    """A small part's bytes; None when it is large or does not inflate (streaming then tells why, if it matters)."""
    if z.getinfo(part).file_size > MAX_WHOLE_PART:
        return None
    try:
        return z.read(part)
    except Exception:  # noqa: BLE001 - untrusted part: streaming reads it again and reports what breaks, if it matters
        return None


def _parsed(data: bytes, part: str, tag: str) -> Optional[list[Any]]:
    """The elements of the tag (any namespace) in XML parsed at once, in the order streaming yields them.

    Twice as fast as streaming; None, to stream instead, when the XML does not parse (streaming stops at
    the last element wanted, and tells only the errors before it) or nests the tag in itself (streaming
    empties each element as it ends).
    """
    try:
        root = etree.fromstring(data, etree.XMLParser(**SAFE_XML))
    except Exception:  # noqa: BLE001 - untrusted part: streaming reads it again and reports what breaks, if it matters
        return None
    found = list(root.iter(f"{{*}}{tag}"))
    parent = found[0].getparent() if found else None
    if any(el.getparent() is not parent for el in found):
        return None
    if found:
        _no_dtd(root, part)
    return found


def _rows_head(data: bytes) -> bytes:
    """A sheet's XML up to the end of its rows (the last ``sheetData>``) with its root element closed, or b"".

    What follows the rows (merged cells, data validations, formats) is often most of a sheet. A head that
    parses was cut where only the root was open, so it holds the rows that end before the cut, as they
    are; one cut anywhere else (in a comment, an element, a section) does not parse, and is not used.
    """
    root, end = _ROOT.search(data), data.rfind(b"sheetData>")
    return data[:end + len(b"sheetData>")] + b"</" + root[1] + b">" if root and end >= 0 else b""


def _stream(z: zipfile.ZipFile, part: str, tags: tuple[str, ...]) -> Iterator[Any]:
    """The elements of the given tags (any namespace) of a large part as each ends, streamed safely.

    Each element is emptied and dropped from the tree once the caller moves on, so memory stays flat
    however many rows or strings the part holds.
    """
    with z.open(part) as f:
        events = etree.iterparse(f, events=("end",), tag=[f"{{*}}{t}" for t in tags], **SAFE_XML)
        for index, (_, el) in enumerate(events):
            if index == 0:
                _no_dtd(el, part)
            yield el
            el.clear(keep_tail=True)
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of a part: id → (type, member path)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in z.NameToInfo:
        return {}
    return _relationships(_small_bytes(z, rels), rels, folder)


@remembered(4, 2**18)
def _relationships(data: bytes, part: str, folder: str) -> dict[str, tuple[str, str]]:
    """The relationships in a .rels part, targets taken from the folder (shared: not to be changed)."""
    out = {}
    for rel in _root(data, part):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], path)
    return out


@dataclass(frozen=True)
class Book:
    """What workbook.xml says: sheet parts by name, workbook-scope defined names, date system, other parts."""

    sheets: dict[str, str]
    names: dict[str, str]
    date1904: bool
    styles: Optional[str]
    strings: Optional[str]


def read_book(z: zipfile.ZipFile) -> Book:
    """Read the workbook part and its relationships."""
    part = next((p for kind, p in _rels(z, "").values() if kind == "officeDocument"), "xl/workbook.xml")
    rels = _rels(z, part)
    date1904, sheet_ids, names = _workbook(_small_bytes(z, part), part)
    sheets = {name: rels[rid][1] for name, rid in sheet_ids if rels.get(rid, ("", ""))[0] == "worksheet"}
    parts = {kind: p for kind, p in rels.values()}
    return Book(sheets, dict(names), date1904, parts.get("styles"), parts.get("sharedStrings"))


@remembered(4, 2**18)
def _workbook(data: bytes, part: str) -> tuple[bool, tuple[tuple[str, str], ...], dict[str, str]]:
    """What a workbook part says: its date system, its sheets (name, relationship id) in order, and its
    workbook-scope defined names (shared: not to be changed)."""
    root = _root(data, part)
    date1904, names = False, {}
    for el in root.iter("{*}workbookPr"):
        date1904 = el.get("date1904", "").lower() in ("1", "true")
    sheets = tuple((el.get("name", ""), next((v for k, v in el.attrib.items() if k.endswith("}id")), ""))
                   for el in root.iter("{*}sheet"))
    for el in root.iter("{*}definedName"):
        if el.get("localSheetId") is None:
            names.setdefault(el.get("name", "").lower(), (el.text or "").strip())
    return date1904, sheets, names


def number_formats(z: zipfile.ZipFile, part: Optional[str]) -> list[str]:
    """The number format code of every cell style index (cellXfs), General when unknown."""
    if not part or part not in z.NameToInfo:
        return []
    return list(_formats(_small_bytes(z, part), part))


@remembered(4, 2**18)
def _formats(data: bytes, part: str) -> tuple[str, ...]:
    """The number format codes of a styles part's cell styles."""
    custom, xfs = {}, []
    for el in _root(data, part).iter("{*}numFmt", "{*}cellXfs"):
        tag = _local(el.tag)
        if tag == "numFmt":
            custom[int(el.get("numFmtId", -1))] = el.get("formatCode", "")
        elif tag == "cellXfs":
            xfs = [int(xf.get("numFmtId", 0)) for xf in el]
    known = {**BUILTIN_FORMATS, **LOCALE_FORMATS, **custom}
    return tuple(known.get(i, "General") for i in xfs)


def _unescape(text: str) -> str:
    """OOXML's _xHHHH_ escapes of control characters, undone."""
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _rich_text(el: Any) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t>, skipping phonetic runs."""
    parts = []
    for child in el.iterchildren(etree.Element):
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child.iterchildren(etree.Element) if _local(t.tag) == "t")
    return _unescape("".join(parts))


class RawCell(NamedTuple):
    """What a <c> holds before shared strings and number formats are applied."""

    kind: str
    style: int
    v: Optional[str]
    formula: Optional[str]
    inline: Optional[str]


def _raw(c: Any) -> RawCell:
    """The content of a <c> element."""
    v = formula = inline = None
    for child in c.iterchildren(etree.Element):
        tag = _local(child.tag)
        if tag == "v":
            v = child.text
        elif tag == "f":
            formula = child.text or ""
        elif tag == "is":
            inline = _rich_text(child)
    return RawCell(c.get("t", "n"), int(c.get("s") or 0), v, formula, inline)


class Sheet(NamedTuple):
    """The wanted cells of a sheet and, when one of them is empty, every merged range of the sheet (else none)."""

    cells: dict[str, RawCell]
    merged: list[tuple[int, int, int, int]]


def _empty(cell: Optional[RawCell]) -> bool:
    """Whether a wanted cell is missing or holds nothing: no value, formula or inline string."""
    return cell is None or cell[2:] == (None, None, None)


def _wanted_cells(rows: Iterable[Any], wanted: set[str]) -> tuple[dict[str, RawCell], bool]:
    """The cells at the wanted refs among rows in document order, and whether the last row wanted was reached."""
    numbers = {int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for ref in wanted}
    found: dict[str, RawCell] = {}
    number, last = 0, max(numbers)
    for row in rows:
        number = int(row.get("r") or number + 1)
        if number in numbers:
            for i, c in enumerate(row.iterchildren("{*}c"), 1):
                ref = c.get("r") or f"{column_letters(i)}{number}"  # writers may leave r out: cells are then in order
                if ref in wanted:
                    found[ref] = _raw(c)
        if number >= last:
            return found, True
    return found, False


def scan_sheet(z: zipfile.ZipFile, part: str, wanted: set[str]) -> Sheet:
    """The cells at the wanted refs (``C12``), reading no row below the last one wanted, and the merged ranges
    when a wanted cell is empty (a merge may have swallowed its value)."""
    _streamable(z, part)
    data = _inflated(z, part)
    rows = _parsed(_rows_head(data), part, "row") if data else None
    found, reached = _wanted_cells(rows, wanted) if rows else ({}, False)
    if not reached:  # the head did not parse, or its rows end above the last one wanted
        found, _ = _wanted_cells(_stream(z, part, ("row",)), wanted)
    if not any(_empty(found.get(ref)) for ref in wanted):
        return Sheet(found, [])
    return Sheet(found, _ranges(_merges(data)) if data is not None else merged_ranges(z, part))


def column_number(letters: bytes | str) -> int:
    """A column's number from its letters: A → 1, AA → 27."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return number


def _merges(data: bytes) -> dict[bytes, tuple[bytes, ...]]:
    """The <mergeCell ref=…> tags in some bytes of a sheet and their corners, the search starting at the first."""
    first = data.find(b"mergeCell")
    if first < 0:
        return {}
    return {m[0]: m.groups() for m in _MERGE.finditer(data, max(data.rfind(b"<", 0, first), 0))}


@functools.lru_cache(maxsize=4096)
def _span(corners: tuple[bytes, ...]) -> tuple[int, int, int, int]:
    """A merged range (first row, first column, last row, last column) from its corners' letters and digits."""
    c1, r1, c2, r2 = corners
    return int(r1), column_number(c1), int(r2), column_number(c2)


def _ranges(tags: dict[bytes, tuple[bytes, ...]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges from their tags' corners, in the order of the tags' text."""
    return [_span(corners) for _, corners in sorted(tags.items())]


def merged_ranges(z: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """Every merged range of a sheet as (first row, first column, last row, last column).

    <mergeCells> follows the rows, so the part is inflated to its end and searched as bytes: a
    sheet of a million rows takes a tenth of a second this way, against seconds to parse.
    """
    found: dict[bytes, tuple[bytes, ...]] = {}
    tail = b""
    with z.open(part) as f:
        while chunk := f.read(MERGE_CHUNK):
            data = tail + chunk
            found.update(_merges(data))
            tail = data[-300:]
    return _ranges(found)


def shared_strings(z: zipfile.ZipFile, part: Optional[str], wanted: set[int]) -> dict[int, str]:
    """The shared strings at the wanted indices, reading no further than the last one."""
    if not wanted or not part or part not in z.NameToInfo:
        return {}
    _streamable(z, part)
    data = _inflated(z, part)
    strings = _parsed(data, part, "si") if data is not None else None
    if strings is not None:
        return {i: _rich_text(strings[i]) for i in sorted(wanted) if 0 <= i < len(strings)}
    out, last = {}, max(wanted)
    for index, el in enumerate(_stream(z, part, ("si",))):
        if index in wanted:
            out[index] = _rich_text(el)
        if index == last:
            break
    return out


def cell_value(cell: RawCell, fmt: str, date1904: bool, strings: dict[int, str]) -> Any:
    """The raw value of a cell: str, float, bool, datetime, CellError, Uncomputed or None (empty)."""
    kind, v = cell.kind, cell.v
    if cell.formula is not None and not v and kind not in ("str", "inlineStr"):
        return Uncomputed(cell.formula)
    if kind == "inlineStr":
        return cell.inline
    if v is None:
        return None
    if kind == "s":
        return strings.get(int(v))
    if kind == "str":
        return _unescape(v)
    if kind == "b":
        return v.strip() in ("1", "true")
    if kind == "e":
        return CellError(v)
    if kind == "d":
        return dt.datetime.fromisoformat(v)
    number = float(v)
    return from_excel(number, date1904) if is_date_format(fmt) and 0 <= number < 2958466 else number
