"""Differential property test: a filled form's XML rewritten in ways that keep its meaning (ECMA-376, markup
compatibility) reads to exactly the same values, cells, formats and problems as the form itself.

Hypothesis draws, for each example, which rewrites apply and a seed for where: the main namespace's prefix,
optional attributes left out (r of rows and cells that follow the one before, t="n") or written out, attributes
in another order, shared strings made inline strings, cells wrapped in an mc:AlternateContent whose choice needs
a namespace the reader does not know (its fallback holds the cell), elements of an ignorable namespace among
rows, cells and strings, indentation between elements, comments and processing instructions anywhere (splitting
values and strings too), text as CDATA, empty elements written open and closed, and the encoding (UTF-8 with or
without a declaration, UTF-16, ASCII with character references)."""

from __future__ import annotations

import io
import random
import zipfile
from functools import cache
from pathlib import Path
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.read import read_workbook

CORPUS = Path(__file__).parent / "data" / "corpus"
SOURCES = ("xlsxwriter-3101.xlsx", "excel-1904-3104.xlsx", "google-sheets-3101.xlsx")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XML_PARTS = ("xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml")
LEAVES = {"v", "f", "t", "definedName"}  # elements whose text is a value


def q(name: str) -> str:
    """A SpreadsheetML tag."""
    return f"{{{MAIN}}}{name}"


@cache
def source(name: str) -> dict[str, bytes]:
    """The members of a corpus file."""
    with zipfile.ZipFile(CORPUS / name) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def outcome(path: Path, catalog) -> str:
    """Everything the reader gives for a workbook that matters: meta, each input's place, value and format, problems."""
    data, problems = read_workbook(path, catalog)
    cells = {k: (c.sheet, c.ref, c.value, c.number_format) for k, c in data.get("cells", {}).items()}
    return repr((data.get("meta"), cells, problems))


def rebuilt(root: Any, prefix: Optional[str]) -> Any:
    """A copy of a part's tree whose root declares the main namespace with this prefix (None: the default one),
    markup compatibility and x14 as an ignorable namespace."""
    nsmap = {k: v for k, v in root.nsmap.items() if v != MAIN}
    nsmap.update({prefix: MAIN, "mc": MC, "x14": X14})
    top = etree.Element(root.tag, root.attrib, nsmap=nsmap)
    top.set(f"{{{MC}}}Ignorable", f'{root.get(f"{{{MC}}}Ignorable", "")} x14'.strip())

    def copy(src: Any, dest: Any) -> None:
        dest.text = src.text
        for child in src:
            if isinstance(child.tag, str):
                made = etree.SubElement(dest, child.tag, child.attrib)
                copy(child, made)
            else:
                made = etree.Comment(child.text) if child.tag is etree.Comment else etree.PI(child.target, child.text)
                dest.append(made)
            made.tail = child.tail
    copy(root, top)
    return top


def optional_attributes(sheet: Any, rng: random.Random) -> None:
    """Leave out r where it follows the row or cell before, and t="n"; or write out t="n" and s="0"."""
    number = 0
    for row in sheet.iter(q("row")):
        column, r = 0, int(row.get("r") or number + 1)
        if r == number + 1 and rng.random() < 0.7:
            row.attrib.pop("r", None)
        number = r
        for c in row.iterchildren(q("c")):
            ref = c.get("r")
            col = _column(ref) if ref else column + 1
            if col == column + 1 and rng.random() < 0.7:
                c.attrib.pop("r", None)
            column = col
            if c.get("t") == "n" and rng.random() < 0.5:
                del c.attrib["t"]
            elif c.get("t") is None and rng.random() < 0.3:
                c.set("t", "n")
            if c.get("s") is None and rng.random() < 0.3:
                c.set("s", "0")


def _column(ref: str) -> int:
    """A cell reference's column number."""
    number = 0
    for ch in ref.rstrip("0123456789"):
        number = number * 26 + ord(ch) - 64
    return number


def inline_strings(sheet: Any, strings: list[Any], rng: random.Random) -> None:
    """Some shared string cells made inline string cells holding a copy of their string."""
    for c in sheet.iter(q("c")):
        if c.get("t") == "s" and rng.random() < 0.5:
            v = c.find(q("v"))
            si = strings[int(v.text)]
            c.remove(v)
            c.set("t", "inlineStr")
            inline = etree.SubElement(c, q("is"))
            inline.text = si.text
            for child in si:
                inline.append(etree.fromstring(etree.tostring(child)))


def alternates(sheet: Any, rng: random.Random) -> None:
    """Some cells wrapped in an mc:AlternateContent: a choice needing x14 holds a wrong copy, the fallback the cell."""
    for c in list(sheet.iter(q("c"))):
        if rng.random() < 0.05:
            row, at = c.getparent(), c.getparent().index(c)
            wrapper = etree.Element(f"{{{MC}}}AlternateContent")
            choice = etree.SubElement(wrapper, f"{{{MC}}}Choice", Requires="x14")
            wrong = etree.SubElement(choice, q("c"), r=c.get("r") or "A1")
            etree.SubElement(wrong, q("v")).text = "999"
            row.remove(c)
            wrapper.tail, c.tail = c.tail, None
            etree.SubElement(wrapper, f"{{{MC}}}Fallback").append(c)
            row.insert(at, wrapper)


def ignorables(root: Any, rng: random.Random) -> None:
    """Elements of the ignorable x14 namespace put among the children of some elements, holding what looks like
    a cell, a value or a string: a reader that honours Ignorable skips them with their content."""
    for el in list(root.iter(q("sheetData"), q("row"), q("c"), q("sst"), q("si"), q("sheets"), q("definedNames"),
                             q("cellXfs"))):
        if rng.random() < 0.2:
            extra = etree.Element(f"{{{X14}}}{rng.choice(['c', 'v', 'si', 'row', 'xf', 'sheet'])}")
            inner = etree.SubElement(extra, q(rng.choice(["c", "v", "t", "si", "xf"])), r="A1")
            inner.text = "999"
            el.insert(rng.randint(0, len(el)), extra)


def comments(root: Any, rng: random.Random, notes: bool, cdata: bool, ascii_only: bool) -> None:
    """Comments and processing instructions put anywhere, values and strings split by them; text as CDATA (only
    ASCII text when the part is written in ASCII: CDATA holds no character references)."""
    for el in list(root.iter(etree.Element)):
        name = etree.QName(el).localname
        if name in LEAVES and el.text and len(el) == 0:
            if notes and rng.random() < 0.3:
                cut = rng.randint(0, len(el.text))
                note = etree.Comment("c") if rng.random() < 0.5 else etree.PI("pi", "x")
                el.text, note.tail = el.text[:cut], el.text[cut:]
                el.insert(0, note)
            elif cdata and rng.random() < 0.3 and (el.text.isascii() or not ascii_only):
                el.text = etree.CDATA(el.text)
        elif notes and name not in LEAVES and rng.random() < 0.1:
            note = etree.Comment(" note ") if rng.random() < 0.5 else etree.PI("mso-application", 'progid="x"')
            el.insert(rng.randint(0, len(el)), note)


def shuffled_attributes(root: Any, rng: random.Random) -> None:
    """Every element's attributes in another order."""
    for el in root.iter(etree.Element):
        items = list(el.attrib.items())
        rng.shuffle(items)
        el.attrib.clear()
        for k, v in items:
            el.set(k, v)


def open_empty(root: Any, rng: random.Random) -> None:
    """Some empty elements written <x></x> rather than <x/>."""
    for el in root.iter(etree.Element):
        if el.text is None and len(el) == 0 and rng.random() < 0.5:
            el.text = ""


def serialised(root: Any, encoding: str) -> bytes:
    """A part's XML in an encoding: UTF-8 with or without a declaration, UTF-16, or ASCII (references)."""
    if encoding == "UTF-8, no declaration":
        return etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return etree.tostring(root, encoding=encoding, xml_declaration=True, standalone=True)


@st.composite
def rewrites(draw: Any) -> dict[str, Any]:
    """Which source, which rewrites, a seed for where they apply, the prefix and the encoding."""
    return {"source": draw(st.sampled_from(SOURCES)), "seed": draw(st.integers(0, 2**32)),
            "prefix": draw(st.sampled_from([None, "x", "s", "main"])),
            "encoding": draw(st.sampled_from(["UTF-8", "UTF-8, no declaration", "UTF-16", "ASCII"])),
            **draw(st.fixed_dictionaries({k: st.booleans() for k in (
                "optional", "inline", "alternate", "ignorable", "indent", "comments", "cdata", "shuffle", "open")}))}


def rewritten(plan: dict[str, Any]) -> dict[str, bytes]:
    """The members of a source file, its sheets, shared strings, workbook and styles rewritten as planned."""
    rng, parts = random.Random(plan["seed"]), dict(source(plan["source"]))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    trees = {p: rebuilt(etree.fromstring(parts[p], parser), plan["prefix"]) for p in parts
             if p.startswith("xl/worksheets/") or p in XML_PARTS}
    sst = trees.get("xl/sharedStrings.xml")
    strings = [] if sst is None else list(sst.iterchildren(q("si")))
    for part, root in trees.items():
        sheet = part.startswith("xl/worksheets/")
        if sheet and plan["optional"]:
            optional_attributes(root, rng)
        if sheet and plan["inline"] and strings:
            inline_strings(root, strings, rng)
        if sheet and plan["alternate"]:
            alternates(root, rng)
        if plan["ignorable"]:
            ignorables(root, rng)
        if plan["indent"]:
            etree.indent(root, space=rng.choice([" ", "\t", "  "]))
        if plan["comments"] or plan["cdata"]:
            comments(root, rng, plan["comments"], plan["cdata"], plan["encoding"] == "ASCII")
        if plan["shuffle"]:
            shuffled_attributes(root, rng)
        if plan["open"]:
            open_empty(root, rng)
        parts[part] = serialised(root, plan["encoding"])
    return parts


def zipped(parts: dict[str, bytes]) -> bytes:
    """An xlsx of these members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(part, body)
    return buf.getvalue()


@pytest.mark.slow
@settings(max_examples=500)  # the floor: every run (CI included) tries 500 rewrites
@given(plan=rewrites())
def test_meaning_preserving_rewrites_read_the_same(tmp_path_factory, catalog, plan):
    path = tmp_path_factory.mktemp("variant") / plan["source"]
    path.write_bytes(zipped(rewritten(plan)))
    assert outcome(path, catalog) == outcome(CORPUS / plan["source"], catalog)
