"""Low-level xlsx reading: the parts of the zip, parsed with lxml safely and only as far as needed.

Entities are never resolved, nothing is fetched from the network, a part that declares a DTD is
refused, huge trees are refused. A sheet or the shared strings up to MAX_WHOLE_PART (every real form's)
is parsed at once; a larger one, or one whose XML is faulty somewhere, is fed to lxml's pull parser a
chunk at a time, each row or string handed on once its end tag is parsed, then dropped, and reading
stops at the last wanted row or string (a fault after it never shows); both give the same.
The XML is read as ECMA-376 says and Excel does: only elements of SpreadsheetML's namespace
(transitional or strict) count, whatever their prefix; elements of other namespaces (markup
compatibility's ignorable ones) are skipped with their content, an mc:AlternateContent gives its
mc:Choice that needs only SpreadsheetML, else its mc:Fallback; comments and processing instructions
are skipped anywhere, even inside a value; a row or cell without its optional r follows the one before
it; part names are matched ignoring ASCII case, as OPC says. Unlike the usual libraries this also tells
a formula saved without its cached value (an <f> with no <v>) from an empty cell."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterator, NamedTuple, Optional, Sequence, TypeVar

from lxml import etree

from generator.read.safety import Unsafe

MAX_SMALL_PART = 8 * 2**20  # workbook.xml, styles.xml, .rels: parsed whole, so they must stay small
MAX_STREAMED_PART = 100 * 2**20  # a sheet or the shared strings, streamed: ~3 s to parse at this size
MAX_WHOLE_PART = 2**20  # a sheet or the shared strings up to this size is parsed at once (every real form's)
CHUNK = 2**16  # a larger one is inflated and parsed this much at a time
# SpreadsheetML's namespaces (transitional, strict), the relationship ids' and markup compatibility's
MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
RELATIONSHIP_IDS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships")
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_ALTERNATE, _CHOICE, _FALLBACK = (f"{{{MC}}}{name}" for name in ("AlternateContent", "Choice", "Fallback"))
# the built-in number formats (ECMA-376 18.8.30) a style names by id alone, as openpyxl lists them (its
# BUILTIN_FORMATS; importing openpyxl for them took a tenth of a second of every start)
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@",
}
# locale built-in formats that openpyxl does not list: CJK and Thai dates and times, Thai percentages; their
# codes here only need to read as a date or a percent
LOCALE_FORMATS = {**dict.fromkeys([*range(27, 37), *range(50, 59), *range(71, 82)], "d/m/yyyy"), 67: "0%", 68: "0.00%"}
# what is_date_format ignores in a number format code: quoted literals, and bracketed codes (colours,
# locales) but elapsed [h], [m], [s]
_NOT_DATE_CODES = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of a character in a string value (not XML)
SAFE_XML = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = str.maketrans(_LETTERS, _LETTERS.lower())
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
    """An XML tag without its namespace."""
    return tag.rpartition("}")[2]


def _namespace(el: Any) -> Optional[str]:
    """``{ns}`` of an element of SpreadsheetML (transitional or strict), else None."""
    ns = el.tag.partition("}")[0][1:] if isinstance(el.tag, str) else ""
    return f"{{{ns}}}" if ns in MAIN else None


def column_letters(column: int) -> str:
    """A column's letters from its number: 1 → A, 27 → AA."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_number(letters: bytes | str) -> int:
    """A column's number from its letters: A → 1, AA → 27."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return number


def _chosen(alternate: Any) -> Optional[Any]:
    """The branch of an mc:AlternateContent a consumer that knows only SpreadsheetML takes (ECMA-376 part 3):
    the first mc:Choice whose required namespaces are all SpreadsheetML's, else the mc:Fallback, else none."""
    for branch in alternate.iterchildren(_CHOICE, _FALLBACK):
        if branch.tag == _FALLBACK or all(branch.nsmap.get(prefix) in MAIN
                                          for prefix in (branch.get("Requires") or "").split()):
            return branch
    return None


def _kids(el: Any, *tags: str) -> Iterator[Any]:
    """The children of an element with these tags (``{ns}name``), those an mc:AlternateContent gives included;
    comments, processing instructions and elements of any other namespace skipped."""
    for child in el.iterchildren(*tags, _ALTERNATE):
        yield from _matching(child, tags)


def _matching(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The element if it has one of the tags, or what an mc:AlternateContent gives that has."""
    if el.tag in tags:
        yield el
    elif el.tag == _ALTERNATE:
        branch = _chosen(el)
        if branch is not None:
            yield from _kids(branch, *tags)


def _kid(el: Any, tag: str) -> Optional[Any]:
    """The first child of an element with this tag (see _kids), or None."""
    return next(_kids(el, tag), None)


def _text(el: Any) -> str:
    """The text of an element, comments and processing instructions left out (CDATA is text)."""
    return (el.text or "") if len(el) == 0 else "".join(el.itertext())


def _no_dtd(el: Any, part: str) -> None:
    """Refuse a part that declares a DTD: xlsx never does, XML bombs and external entities need one."""
    if el.getroottree().docinfo.doctype:
        raise Unsafe("xml-dtd", f"ส่วน {part} ในไฟล์มี DTD/ENTITY ซึ่งแบบ Excel ปกติไม่มี จึงไม่อ่าน เพื่อความปลอดภัย"
                                " (XML with a DTD refused)")


def member(z: zipfile.ZipFile, part: str) -> Optional[str]:
    """The zip member of a part name, matched as OPC says (ignoring ASCII case), or None."""
    if part in z.NameToInfo:
        return part
    folded = part.translate(_ASCII_LOWER)
    return next((name for name in z.NameToInfo if name.translate(_ASCII_LOWER) == folded), None)


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
    part = member(z, "docProps/core.xml")
    if part is None:
        return None
    for el in _root(_small_bytes(z, part), part).iterchildren("{http://purl.org/dc/terms/}modified"):
        try:
            stamp = dt.datetime.fromisoformat(_text(el).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
    return None


def _streamable(z: zipfile.ZipFile, part: str) -> None:
    """Refuse a sheet or shared strings part too large to read at all."""
    if z.getinfo(part).file_size > MAX_STREAMED_PART:
        raise Unsafe("part-too-large", f"ส่วน {part} ในไฟล์ใหญ่เกิน {MAX_STREAMED_PART // 2**20} MB (แบบเก็บข้อมูลปกติไม่ถึง"
                                       " 1 MB) จึงไม่อ่าน (part too large)")


def _is_container(el: Any, depth: int) -> bool:
    """Whether an element is the root (depth 0), or a child of a root of its own namespace (depth 1)."""
    parent = el.getparent()
    if depth == 0:
        return parent is None
    return parent is not None and parent.getparent() is None and _namespace(parent) == _namespace(el)


def _drained(z: zipfile.ZipFile, part: str, containers: dict[str, int]) -> Iterator[tuple[Any, list[Any], bool]]:
    """(container, children, ended) as the part is read: the children of a container completed since the last
    time, and whether the container has ended, in document order.

    ``containers``: SpreadsheetML local name → depth (0: the root, 1: a child of the root). A part up to
    MAX_WHOLE_PART is parsed at once, twice as fast as streaming; a larger one, or one whose XML is malformed
    somewhere, is streamed (_streamed), so a fault after the last row or string wanted never shows.
    """
    whole = _whole(z, part)
    if whole is None:
        yield from _streamed(z, part, containers)
        return
    _no_dtd(whole, part)
    ns = _namespace(whole)
    if ns is not None and containers.get(whole.tag[len(ns):]) == 0:
        yield whole, list(whole), True
    inner = [f"{ns}{name}" for name, depth in containers.items() if depth == 1]
    for container in whole.iterchildren(*inner) if ns is not None and inner else ():
        yield container, list(container), True


def _whole(z: zipfile.ZipFile, part: str) -> Optional[Any]:
    """The root element of a part up to MAX_WHOLE_PART parsed at once, or None when it is larger or its XML (or its
    deflated data) is faulty: streaming then reads it as far as needed and tells the fault if it comes before."""
    if z.getinfo(part).file_size > MAX_WHOLE_PART:
        return None
    try:
        return etree.fromstring(z.read(part), etree.XMLParser(**SAFE_XML))
    except Exception:  # noqa: BLE001 - untrusted part: streaming reads it again and reports what breaks, if it matters
        return None


def _streamed(z: zipfile.ZipFile, part: str, containers: dict[str, int]) -> Iterator[tuple[Any, list[Any], bool]]:
    """_drained's answer for a part inflated and parsed a chunk at a time, each yield's children dropped once the
    caller moves on, so memory stays flat however long the part, and stopping early leaves the rest unread.

    A child is complete once another node follows it or its container has ended. Malformed XML raises only once
    every child complete before the fault is handed on.
    """
    tags = [f"{{{ns}}}{name}" for ns in MAIN for name in containers]
    parser = etree.XMLPullParser(events=("start",), tag=tags, **SAFE_XML)
    found: list[Any] = []
    with z.open(part) as f:
        ended = False
        while not ended:
            fault = None
            try:
                chunk = f.read(CHUNK)
                if chunk:
                    parser.feed(chunk)
                else:
                    ended = True
                    parser.close()
            except etree.XMLSyntaxError as e:
                fault = _first_fault(e)
            for _, el in parser.read_events():
                if _is_container(el, containers[_local(el.tag)]):
                    if not found:
                        _no_dtd(el, part)
                    found.append(el)
            for container in list(found):
                complete = (ended and fault is None) or container.getnext() is not None
                children = list(container) if complete else list(container)[:-1]  # the last may still be open
                yield container, children, complete
                del container[:len(children)]
                if complete:
                    found.remove(container)
            if fault is not None:
                raise fault


def _first_fault(error: etree.XMLSyntaxError) -> etree.XMLSyntaxError:
    """The first fault the parser logged (what the exception of a pull parser says depends on where the chunks
    end: "no element found" when the fault is in the one chunk)."""
    first = error.error_log[0] if len(error.error_log) else None
    if first is None:
        return error
    return etree.XMLSyntaxError(f"{first.message}, line {first.line}, column {first.column}", first.type, first.line,
                                first.column)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of a part: id → (type, member path)."""
    folder, name = posixpath.split(part)
    rels = member(z, posixpath.join(folder, "_rels", f"{name}.rels"))
    return {} if rels is None else _relationships(_small_bytes(z, rels), rels, folder)


@remembered(4, 2**18)
def _relationships(data: bytes, part: str, folder: str) -> dict[str, tuple[str, str]]:
    """The internal relationships in a .rels part, targets taken from the folder (shared: not to be changed)."""
    out = {}
    for rel in _root(data, part).iterchildren(f"{PACKAGE}Relationship"):
        if rel.get("TargetMode", "Internal") != "Internal":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], path)
    return out


@dataclass(frozen=True)
class Book:
    """What workbook.xml says: sheet parts by name, workbook-scope defined names, date system, other parts.

    Parts are zip members when the zip holds them (their names matched ignoring case), else the names the
    relationships give."""

    sheets: dict[str, str]
    names: dict[str, str]
    date1904: bool
    styles: Optional[str]
    strings: Optional[str]


def read_book(z: zipfile.ZipFile) -> Book:
    """Read the workbook part and its relationships."""
    named = next((p for kind, p in _rels(z, "").values() if kind == "officeDocument"), "xl/workbook.xml")
    part = member(z, named) or named
    rels = _rels(z, part)
    date1904, sheet_ids, names = _workbook(_small_bytes(z, part), part)
    parts = {rid: (kind, member(z, p) or p) for rid, (kind, p) in rels.items()}
    sheets = {name: parts[rid][1] for name, rid in sheet_ids if parts.get(rid, ("", ""))[0] == "worksheet"}
    kinds = {kind: p for kind, p in parts.values()}
    return Book(sheets, dict(names), date1904, kinds.get("styles"), kinds.get("sharedStrings"))


def _boolean(text: Optional[str]) -> bool:
    """An xsd:boolean attribute ("1", "true", with spaces around) as a bool; absent is false."""
    return (text or "").strip() in ("1", "true")


@remembered(4, 2**18)
def _workbook(data: bytes, part: str) -> tuple[bool, tuple[tuple[str, str], ...], dict[str, str]]:
    """What a workbook part says: its date system, its sheets (name, relationship id) in order, and its
    workbook-scope defined names (shared: not to be changed).

    Only SpreadsheetML's own elements count: Excel 2013 and later also write an x15:workbookPr in an
    extension list, which says nothing of the date system."""
    root = _root(data, part)
    ns = _namespace(root)
    if ns is None:
        return False, (), {}
    pr = _kid(root, f"{ns}workbookPr")
    ids = [f"{{{rid}}}id" for rid in RELATIONSHIP_IDS]
    sheets = tuple((el.get("name", ""), next((el.get(i) for i in ids if el.get(i) is not None), ""))
                   for group in _kids(root, f"{ns}sheets") for el in _kids(group, f"{ns}sheet"))
    names: dict[str, str] = {}
    for group in _kids(root, f"{ns}definedNames"):
        for el in _kids(group, f"{ns}definedName"):
            if el.get("localSheetId") is None:
                names.setdefault(el.get("name", "").lower(), _text(el).strip())
    return pr is not None and _boolean(pr.get("date1904")), sheets, names


def number_formats(z: zipfile.ZipFile, part: Optional[str]) -> list[str]:
    """The number format code of every cell style index (cellXfs), General when unknown."""
    if not part or part not in z.NameToInfo:
        return []
    return list(_formats(_small_bytes(z, part), part))


@remembered(4, 2**18)
def _formats(data: bytes, part: str) -> tuple[str, ...]:
    """The number format codes of a styles part's cell styles."""
    root = _root(data, part)
    ns = _namespace(root)
    if ns is None:
        return ()
    custom = {int(el.get("numFmtId", -1)): el.get("formatCode", "")
              for group in _kids(root, f"{ns}numFmts") for el in _kids(group, f"{ns}numFmt")}
    xfs = _kid(root, f"{ns}cellXfs")
    known = {**BUILTIN_FORMATS, **LOCALE_FORMATS, **custom}
    return tuple(known.get(int(xf.get("numFmtId") or 0), "General")
                 for xf in ([] if xfs is None else _kids(xfs, f"{ns}xf")))


@remembered(256, 200)
def is_date_format(fmt: str) -> bool:
    """Whether a number format shows dates or times, as openpyxl's is_date_format tells (its first section holds
    d, m, h, y or s outside literals, brackets and _ or \\ escapes)."""
    return _DATE_CODE.search(_NOT_DATE_CODES.sub("", fmt.split(";")[0])) is not None


def unescape(text: str) -> str:
    """OOXML's _xHHHH_ escapes of characters in a string value, undone."""
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _rich_text(el: Any, ns: str) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t>, skipping phonetic runs."""
    parts = []
    for child in _kids(el, f"{ns}t", f"{ns}r"):
        if child.tag == f"{ns}t":
            parts.append(_text(child))
        else:
            parts.extend(_text(t) for t in _kids(child, f"{ns}t"))
    return unescape("".join(parts))


class RawCell(NamedTuple):
    """What a <c> holds before shared strings and number formats are applied: its type (t), style index (s),
    value (<v>'s text, "" for an empty <v>, None for none), formula (<f>'s text) and inline string."""

    kind: str
    style: int
    v: Optional[str]
    formula: Optional[str]
    inline: Optional[str]


def _raw(c: Any, ns: str) -> RawCell:
    """The content of a <c> element."""
    v = formula = inline = None
    for child in _kids(c, *_CELL_TAGS[ns]):
        tag = child.tag[len(ns):]
        if tag == "v":
            v = _text(child)
        elif tag == "f":
            formula = _text(child)
        else:
            inline = _rich_text(child, ns)
    return RawCell((c.get("t") or "n").strip(), int(c.get("s") or 0), v, formula, inline)


_CELL_TAGS = {f"{{{ns}}}": tuple(f"{{{ns}}}{name}" for name in ("v", "f", "is")) for ns in MAIN}


class Sheet(NamedTuple):
    """The wanted cells of a sheet and, when one of them is empty, every merged range of the sheet (else none)."""

    cells: dict[str, RawCell]
    merged: Sequence[tuple[int, int, int, int]]


def _empty(cell: Optional[RawCell]) -> bool:
    """Whether a wanted cell is missing or holds nothing: no value, formula or inline string."""
    return cell is None or cell[2:] == (None, None, None)


def _position(ref: str) -> Optional[tuple[int, int]]:
    """The (row, column) of a cell reference such as ``C12`` (``$`` allowed), or None when it is not one."""
    ref = ref.replace("$", "").upper()
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not (0 < len(letters) <= 3 and letters.strip(_LETTERS) == "" and digits.isascii() and digits.isdigit()):
        return None
    return int(digits), column_number(letters)


@functools.lru_cache(maxsize=2**12)
def _span(ref: Optional[str]) -> Optional[tuple[int, int, int, int]]:
    """A merged range (first row, first column, last row, last column) from its ref ``B5:D5``, or None."""
    first, _, last = (ref or "").partition(":")
    corners = _position(first), _position(last)
    if corners[0] is None or corners[1] is None:
        return None
    return (*corners[0], *corners[1])


@functools.lru_cache(maxsize=2**14)
def _next_ref(ref: Optional[str], number: int) -> str:
    """The reference of the cell after ``ref`` (None: the row's first) in row ``number``: a cell without r."""
    at = _position(ref) if ref else None
    return f"{column_letters(at[1] + 1 if at else 1)}{number}"


@functools.lru_cache(maxsize=2**14)
def _ref(r: str, number: int) -> Optional[str]:
    """The reference (``C12``) of a cell whose r is written another way (``c12``, ``$C$12``) in row ``number``."""
    at = _position(r)
    return f"{column_letters(at[1])}{number}" if at else None


def _cells(row: Any, ns: str, number: int, wanted: set[str], found: dict[str, RawCell]) -> None:
    """Put the wanted cells of row ``number`` in ``found``: a cell's column is its r's, or without r the one after
    the cell before it."""
    tag, ref = f"{ns}c", None
    for child in row.iterchildren(tag, _ALTERNATE):
        for c in (child,) if child.tag == tag else _matching(child, (tag,)):
            r = c.get("r")
            ref = r if r in wanted else _next_ref(ref, number) if r is None else _ref(r, number)
            if ref in wanted:
                found[ref] = _raw(c, ns)


def scan_sheet(z: zipfile.ZipFile, part: str, wanted: set[str]) -> Sheet:
    """The cells at the wanted refs (``C12``), reading no row below the last one wanted, and the merged ranges
    when a wanted cell is empty (a merge may have swallowed its value: the rest of the sheet is then read)."""
    _streamable(z, part)
    numbers = {int(ref.lstrip(_LETTERS)) for ref in wanted}
    last, number, reached = max(numbers), 0, False
    found: dict[str, RawCell] = {}
    merged: list[tuple[int, int, int, int]] = []
    ns = ""  # the part's SpreadsheetML namespace: the containers', as _drained finds them
    for container, children, complete in _drained(z, part, {"sheetData": 1, "mergeCells": 1}):
        if not ns:
            ns = _namespace(container) or ""
            row_tag, merges_tag, merge_tag = (f"{ns}{name}" for name in ("row", "mergeCells", "mergeCell"))
        if container.tag == merges_tag:
            merged += [span for child in children for m in _matching(child, (merge_tag,)) if (span := _span(m.get("ref")))]
            if complete and reached:  # the merges are read, and every wanted row: what follows is not needed
                break
            continue
        for child in () if reached else children:
            for row in (child,) if child.tag == row_tag else _matching(child, (row_tag,)):
                number = int(row.get("r") or number + 1)
                if number in numbers:
                    _cells(row, ns, number, wanted, found)
                reached = number >= last
                if reached:
                    break
            if reached:
                if not any(_empty(found.get(ref)) for ref in wanted):
                    return Sheet(found, [])
                break
    return Sheet(found, merged if any(_empty(found.get(ref)) for ref in wanted) else [])


def shared_strings(z: zipfile.ZipFile, part: Optional[str], wanted: set[int]) -> dict[int, str]:
    """The shared strings at the wanted indices, reading no further than the last one."""
    if not wanted or not part or part not in z.NameToInfo:
        return {}
    _streamable(z, part)
    out: dict[int, str] = {}
    index, last = -1, max(wanted)
    si = ""
    for root, children, _ in _drained(z, part, {"sst": 0}):
        if not si:
            ns = _namespace(root) or ""
            si = f"{ns}si"
        for child in children:
            for string in (child,) if child.tag == si else _matching(child, (si,)):
                index += 1
                if index in wanted:
                    out[index] = _rich_text(string, ns)
                if index >= last:
                    return out
    return out
