"""Low-level xlsx reading: the parts of the zip, parsed with lxml safely and only as far as needed.

Entities are never resolved, nothing is fetched from the network, a part that declares a DTD is
refused, huge trees are refused; sheets and shared strings are streamed and left as soon as the
last wanted row or string is read. A small one (every real form's) is parsed at once instead, a
sheet only up to the end of its rows, whenever that gives what streaming gives; else it is streamed.
A small one that is plain (as Excel, LibreOffice, openpyxl and xlsxwriter write it) is not parsed at
all: its text is checked to be such that the parse would succeed, and the wanted cells or strings are
cut out of it; anything else in it (a comment, CDATA, a prefix, an entity...) sends it to the parser.
Unlike the usual libraries this also tells a formula saved without its cached value (an <f> with no
<v>) from an empty cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence, TypeVar

from lxml import etree

from generator.read.safety import Unsafe
from generator.read.values import CellError, Uncomputed, from_excel

MAX_SMALL_PART = 8 * 2**20  # workbook.xml, styles.xml, .rels: parsed whole, so they must stay small
MAX_STREAMED_PART = 100 * 2**20  # a sheet or the shared strings, streamed: ~3 s to parse at this size
MERGE_CHUNK = 2**20  # merged_ranges searches a large sheet this much at a time
MAX_WHOLE_PART = MERGE_CHUNK  # a sheet or the shared strings up to this size is parsed at once (searched in one chunk)
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
# what is_date_format ignores: quoted literals, and bracketed codes (colours, locales) but elapsed [h], [m], [s]
_NOT_DATE_CODES = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
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


def _tree(data: bytes) -> Any:
    """The root element of some XML, parsed whole and safely (raising what lxml raises)."""
    return etree.fromstring(data, etree.XMLParser(**SAFE_XML))


def _tree_or_none(data: bytes) -> Any:
    """The root element of an untrusted part parsed whole, or None when it does not parse: the slower path
    then reads it again and reports what breaks, if it matters."""
    try:
        return _tree(data)
    except Exception:  # noqa: BLE001 - untrusted part: whatever breaks is reported by the slower path
        return None


def _root(data: bytes, part: str) -> Any:
    """The root element of a small part, parsed whole and safely."""
    root = _tree(data)
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
    root = _tree_or_none(data)
    if root is None:
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


@remembered(8, 2**16)
def _around(skeleton: bytes, names: tuple[str, ...]) -> Optional[frozenset[Optional[str]]]:
    """The namespace prefixes bound inside the one element named names[0], when XML holding it empty in place of a
    part's plain content (<sheetData/> for its rows, <si/> for its strings) parses as UTF-8 XML 1.0 without a DTD,
    with that element a child of the root and no other element of the names (rows, strings) anywhere; else None.

    The part with the content back is then sure to parse as well (the content is well-formed and needs no other
    prefix), and to hold no row or string but those of the content, at the same depth as the element.
    """
    root = _tree_or_none(skeleton)
    if root is None:
        return None
    info = root.getroottree().docinfo
    found = list(root.iter(*(f"{{*}}{name}" for name in names)))
    if (info.doctype or info.xml_version != "1.0" or (info.encoding or "").upper() != "UTF-8" or len(found) != 1
            or found[0].getparent() is not root or _local(found[0].tag) != names[0]):
        return None
    return frozenset(found[0].nsmap)


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
    date1904 = False
    names: dict[str, str] = {}
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


@remembered(256, 200)
def is_date_format(fmt: str) -> bool:
    """Whether a number format shows dates or times, as openpyxl's is_date_format tells (its first section holds
    d, m, h, y or s outside literals, brackets and _ or \\ escapes)."""
    return _DATE_CODE.search(_NOT_DATE_CODES.sub("", fmt.split(";")[0])) is not None


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


def _unnamed(pattern: str) -> str:
    """A pattern's named groups made plain groups, to embed it in another one that checks without capturing."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _attributes(*names: str) -> str:
    """A pattern of optional attributes in this order: a writer's fixed order, never one twice (which breaks XML)."""
    return "".join(rf"(?: {name}={_VALUE})?" for name in names)


# Plain sheet XML, matched instead of parsed: tags as Excel, LibreOffice, openpyxl and xlsxwriter write them,
# nothing between them; text without markup, control characters (\r would be normalised) or non-characters,
# and whose references are to the predefined entities or to characters below U+D800 (openpyxl writes Thai as
# &#3649;); "]]>" is refused apart. Anything else is left to the parser.
_CHARS = r"[^<&\x00-\x08\x0b-\x1f\ufffe\uffff]*"
# the characters XML allows below the surrogates: tab, line feed, carriage return, U+0020 to U+D7FF
_DECIMAL = (r"9|10|13|3[2-9]|[4-9][0-9]|[1-9][0-9]{2,3}|[1-4][0-9]{4}|5[0-4][0-9]{3}|55[01][0-9]{2}|552[0-8][0-9]"
            r"|5529[0-5]")
_HEXADECIMAL = (r"9|[aAdD]|[2-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-cA-C][0-9a-fA-F]{3}"
                r"|[dD][0-7][0-9a-fA-F]{2}")
_REFERRED = rf"(?:amp|lt|gt|quot|apos|#0*(?:{_DECIMAL})|#x0*(?:{_HEXADECIMAL}));"
_TEXT = rf"{_CHARS}(?:&{_REFERRED}{_CHARS})*"
_VALUE = r'"[^"<>&\x00-\x1f\ufffe\uffff]*"'  # no ">" either: a tag then ends at the first one
_T = rf'<t(?: xml:space="(?:preserve|default)")?(?:/>|>(?P<text>{_TEXT})</t>)'
_FORMULA_ATTRIBUTES = _attributes("t", "aca", "ref", "dt2D", "dtr", "del1", "del2", "r1", "r2", "ca", "si", "bx")
_CELL_CONTENT = (rf"(?P<f><f{_FORMULA_ATTRIBUTES}(?:/>|>(?P<formula>{_TEXT})</f>))?(?:<v>(?P<v>{_TEXT})</v>|<v/>)?"
                 rf"(?P<is><is(?:/>|>(?:{_unnamed(_T)})*</is>))?")


def _cell(ref: str, content: str) -> str:
    """The pattern of a plain <c> from its r's value (matching ``ref``) on, then what follows its attributes; a
    lookahead skips the rarer attributes at once when none follows (the same texts match, faster)."""
    return (rf'{ref}"(?: s="(?P<s>[0-9]{{1,9}})")?(?: t="(?P<t>n|s|str|b|e|inlineStr|d)")?'
            rf'(?:(?= [cvp]){_attributes("cm", "vm", "ph")})?{content}')


_CELL = re.compile(_cell(r"[A-Z]{1,3}[0-9]{1,7}", rf"(?:/>|>{_CELL_CONTENT}</c>)"))
# the rows of a sheet, all plain, each cell named for its row. A cell of one plain value is tried first, the
# others only when it is not one: one way at most to match a text, else a mismatch could take exponential time.
_SIMPLE_CELL = rf"<v>{_CHARS}</v></c>"
_RARE_ROW_ATTRIBUTES = _attributes("outlineLevel", "collapsed", "thickTop", "thickBot", "ph", "x14ac:dyDescent")
_ROW_TAG = (r'<row r="(?P<row>[0-9]{1,7})"' + _attributes("spans", "s", "customFormat", "ht", "hidden", "customHeight")
            + rf"(?:(?= [octpx]){_RARE_ROW_ATTRIBUTES})?")
_ROW_CELL = '<c r="' + _unnamed(_cell("[A-Z]{1,3}(?P=row)",
                                      rf"(?:/>|>{_SIMPLE_CELL}|>(?!{_SIMPLE_CELL}){_CELL_CONTENT}</c>)"))
_ROWS = re.compile(rf"(?:{_ROW_TAG}(?:/>|>(?:{_ROW_CELL})*</row>))*")
_ROW_NUMBER = re.compile(r'<row r="([0-9]{1,7})"')  # in plain rows, only a row starts with "<row "
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TEXTS = re.compile(_T)
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_BARE_AMPERSAND = re.compile(rf"&(?!{_REFERRED})")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _referenced(reference: re.Match) -> str:
    """What an entity or character reference stands for."""
    entity, decimal, hexadecimal = reference.groups()
    return _ENTITIES[entity] if entity else chr(int(decimal) if decimal else int(hexadecimal, 16))


def _entities(text: str) -> str:
    """Plain XML text with its references replaced, as the parser gives it."""
    return _REFERENCE.sub(_referenced, text) if "&" in text else text


def _plain_rows(data: bytes) -> Optional[str]:
    """The XML of a sheet's rows when they are plain, else None.

    Plain rows between the first <sheetData> and the last </sheetData> (where the parsed head ends), after XML
    that _around vouches for, parse whole: what they hold is then what the parser would give.
    """
    start, end, root = data.find(b"<sheetData>"), data.rfind(b"</sheetData>"), _ROOT.search(data)
    if start < 0 or end < start + 11 or not root or data.rfind(b"sheetData>") != end + 2:
        return None
    prefixes = _around(data[:start] + b"<sheetData/></" + root[1] + b">", ("sheetData", "row"))
    try:
        text = data[start + 11:end].decode()
    except UnicodeDecodeError:
        return None
    if prefixes is None or "]]>" in text or ("x14ac:" in text and "x14ac" not in prefixes) or not _rows_match(text):
        return None
    return text


_MATCHED_ROWS: set[str] = set()  # rows of earlier sheets that _ROWS matched (each without its </row>)
MATCHED_ROWS_KEPT, MATCHED_ROW_LONGEST = 10_000, 1_000  # rows kept at most, and the longest kept (characters)


def _rows_match(text: str) -> bool:
    """Whether _ROWS matches the whole of some rows' XML, the rows matched in earlier sheets not matched again.

    The forms are alike, so most rows (every one that holds no input, and many that do) come back sheet after
    sheet; "</row>" only closing rows, the text matches when each row up to its </row>, and what follows the
    last, does. Matched one by one, a row at a time is held on the matcher's stack, not a whole sheet of them.
    """
    *rows, rest = text.split("</row>")
    new = set(rows).difference(_MATCHED_ROWS)
    if not (_ROWS.fullmatch(rest) and all(map(_ROWS.fullmatch, map(operator.add, new, itertools.repeat("</row>"))))):
        return False
    if len(_MATCHED_ROWS) > MATCHED_ROWS_KEPT:
        _MATCHED_ROWS.clear()
    _MATCHED_ROWS.update(row for row in new if len(row) <= MATCHED_ROW_LONGEST)
    return True


def _plain_cells(data: bytes, wanted: set[str]) -> Optional[tuple[dict[str, RawCell], bool]]:
    """What _wanted_cells finds in a sheet whose rows are plain and in order, else None.

    Each cell being named for its row, and the rows in order, a wanted cell is in the row _wanted_cells looks
    in, not below the last one it reads: it is the last cell so named.
    """
    text = _plain_rows(data)
    if text is None:
        return None
    numbers = _ROW_NUMBER.findall(text)
    values = list(map(int, numbers))
    if not all(map(operator.lt, values, values[1:])):
        return None
    rows = dict(zip(numbers, text.split("<row ")[1:]))
    found = {}
    for ref in wanted:
        row = rows.get(ref.lstrip(_LETTERS), "")
        at = row.rfind(f'<c r="{ref}"')
        if at >= 0:
            cell = _CELL.match(row, at + 6)
            assert cell is not None  # the row passed the plain grammar: each of its cells matches
            found[ref] = _plain_raw(cell)
    return found, bool(values) and values[-1] >= max(_row_numbers(wanted))


def _plain_raw(c: re.Match) -> RawCell:
    """The content of a plain <c>, as _raw reads it parsed."""
    kind, style, formula, formula_text, v, inline = c.group("t", "s", "f", "formula", "v", "is")
    return RawCell(kind or "n", int(style) if style else 0, _entities(v) if v else None,
                   None if formula is None else _entities(formula_text or ""),
                   None if inline is None else _unescape("".join(map(_entities, _TEXTS.findall(inline)))))


class Sheet(NamedTuple):
    """The wanted cells of a sheet and, when one of them is empty, every merged range of the sheet (else none)."""

    cells: dict[str, RawCell]
    merged: Sequence[tuple[int, int, int, int]]


def _empty(cell: Optional[RawCell]) -> bool:
    """Whether a wanted cell is missing or holds nothing: no value, formula or inline string."""
    return cell is None or cell[2:] == (None, None, None)


def _row_numbers(wanted: set[str]) -> set[int]:
    """The row numbers of some refs."""
    return {int(ref.lstrip(_LETTERS)) for ref in wanted}


def _wanted_cells(rows: Iterable[Any], wanted: set[str]) -> tuple[dict[str, RawCell], bool]:
    """The cells at the wanted refs among rows in document order, and whether the last row wanted was reached."""
    numbers = _row_numbers(wanted)
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


def _whole_cells(data: bytes, part: str, wanted: set[str]) -> tuple[dict[str, RawCell], bool]:
    """The wanted cells of a small sheet, cut out of its rows when they are plain, else parsed up to their end."""
    plain = _plain_cells(data, wanted)
    if plain is not None:
        return plain
    rows = _parsed(_rows_head(data), part, "row")
    return _wanted_cells(rows, wanted) if rows else ({}, False)


def scan_sheet(z: zipfile.ZipFile, part: str, wanted: set[str]) -> Sheet:
    """The cells at the wanted refs (``C12``), reading no row below the last one wanted, and the merged ranges
    when a wanted cell is empty (a merge may have swallowed its value)."""
    _streamable(z, part)
    data = _inflated(z, part)
    found, reached = _whole_cells(data, part, wanted) if data else ({}, False)
    if not reached:  # the head did not parse, or its rows end above the last one wanted
        found, _ = _wanted_cells(_stream(z, part, ("row",)), wanted)
    if not any(_empty(found.get(ref)) for ref in wanted):
        return Sheet(found, [])
    return Sheet(found, _merged(_merge_tags(data)) if data is not None else merged_ranges(z, part))


def column_number(letters: bytes | str) -> int:
    """A column's number from its letters: A → 1, AA → 27."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return number


def _merge_tags(data: bytes) -> bytes:
    """The bytes of a sheet that hold its <mergeCell ref=…> tags: from the "<" before the first "mergeCell" to the
    ">" after the last (no tag holds a ">")."""
    first = data.find(b"mergeCell")
    if first < 0:
        return b""
    end = data.find(b">", data.rfind(b"mergeCell"))
    return data[max(data.rfind(b"<", 0, first), 0):end if end >= 0 else len(data)]


def _merges(data: bytes) -> dict[bytes, tuple[bytes, ...]]:
    """The <mergeCell ref=…> tags in some bytes of a sheet and their corners."""
    return {m[0]: m.groups() for m in _MERGE.finditer(_merge_tags(data))}


@remembered(8, MERGE_CHUNK)
def _merged(tags: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """The merged ranges of a sheet's merge tags (see _merge_tags): every district returns the same form."""
    return tuple(_ranges(_merges(tags)))


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


# every byte but the control characters the parser refuses and \r, which it normalises
_NOT_CONTROL = bytes(sorted({*range(256)} - {*range(9), *range(11, 32)}))
_OPEN, _OPEN_SPACED, _CLOSE = "<si><t>", '<si><t xml:space="preserve">', "</t></si>"


def _plain_strings(data: bytes) -> Optional[list[str]]:
    """Each <si> of a shared strings part, each still in its XML (``<si><t>text``), when every one is one <t> of
    plain text (as Excel writes it) after XML that _around vouches for; else None.

    Proof without a parser: "<" occurs only as part of n <si><t> and n </t></si>, and n - 1 times the second
    is followed at once by the first, so they alternate, all siblings under the root, with text between.
    """
    first, last = data.find(b"<si>"), data.rfind(b"</si>")
    if first < 0 or last < first or _around(data[:first] + b"<si/>" + data[last + 5:], ("si",)) is None:
        return None
    body = data[first:last + 5]
    if body.translate(None, _NOT_CONTROL):
        return None
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    strings = text.split(_CLOSE)
    n = len(strings) - 1
    plain = (not strings[-1] and text.count("<") == 4 * n and text.count(_CLOSE + _OPEN[:-1]) == n - 1
             and text.count(_OPEN) + text.count(_OPEN_SPACED) == n and ("]" not in text or "]]>" not in text)
             and "\ufffe" not in text and "\uffff" not in text and not ("&" in text and _BARE_AMPERSAND.search(text)))
    return strings[:-1] if plain else None


def _plain_string(si: str) -> str:
    """The text of a plain <si>, as _rich_text reads it parsed."""
    return _unescape(_entities(si[si.index(">", 6) + 1:]))


def _whole_strings(data: bytes, part: str) -> Optional[tuple[list[Any], Callable[[Any], str]]]:
    """Every <si> of a small shared strings part, and how to read one: cut out when plain, else parsed; None when
    it does not parse."""
    plain = _plain_strings(data)
    if plain is not None:
        return plain, _plain_string
    parsed = _parsed(data, part, "si")
    return None if parsed is None else (parsed, _rich_text)


def shared_strings(z: zipfile.ZipFile, part: Optional[str], wanted: set[int]) -> dict[int, str]:
    """The shared strings at the wanted indices, reading no further than the last one."""
    if not wanted or not part or part not in z.NameToInfo:
        return {}
    _streamable(z, part)
    data = _inflated(z, part)
    whole = _whole_strings(data, part) if data is not None else None
    if whole is not None:
        strings, text = whole
        return {i: text(strings[i]) for i in sorted(wanted) if 0 <= i < len(strings)}
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
