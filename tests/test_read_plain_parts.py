"""Sheets and shared strings in every form the XML may take: each read to the values its source holds, as Excel
reads it (ECMA-376 and its markup compatibility rules), or refused with the problem that says why. The forms
Excel, LibreOffice, openpyxl and xlsxwriter really write are in tests/test_read_corpus.py; the same form
rewritten in meaning-preserving ways at random is in tests/test_read_xml_properties.py."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Callable, Optional, Union

import pytest
from openpyxl.styles import numbers

from generator.read import read_workbook, xlsx
from generator.read.values import CellError, Uncomputed
from readkit import MAIN_NS, meta_names, meta_row, write_parts

NAMES = {**meta_names(), "in_T1_allocated": "Sheet1!$C$3", "in_T1_evidence": "Sheet1!$D$3",
         "in_T1_spent": "Sheet1!$B$4", "in_T2_done": "Sheet1!$C$5"}
ROWS = ('<row r="3"><c r="C3" t="s"><v>0</v></c><c r="D3" t="s"><v>1</v></c></row>'
        '<row r="4"><c r="B4"><v>4</v></c></row><row r="5"><c r="C5"/></row>')
STRINGS = ("<t>12</t>", "<t>x</t>")
SOURCE = {"T1_allocated": "12", "T1_evidence": "x", "T1_spent": 4.0, "T2_done": None}  # what the base form holds
SHEET, SST = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
B4, D3 = b'<c r="B4"><v>4</v></c>', b'<c r="D3" t="s"><v>1</v></c>'
MC = b"http://schemas.openxmlformats.org/markup-compatibility/2006"
X14 = b"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
SAME: dict = {}
MISSING = object()  # an input the reader leaves out (a problem says why)
Expected = Union[dict, str]


def sub(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """A change of a part's XML: the first ``old`` (which must be there) made ``new``."""
    def change(xml: bytes) -> bytes:
        assert old in xml, old
        return xml.replace(old, new, 1)
    return change


def inline(text: bytes) -> Callable[[bytes], bytes]:
    """A change of the sheet: D3 made an inline string of this XML (the inside of its <is>)."""
    return sub(D3, b'<c r="D3" t="inlineStr"><is>' + text + b"</is></c>")


def ignorable(xml: bytes) -> bytes:
    """A part whose root declares markup compatibility and x14 as an ignorable namespace, as Excel writes it."""
    root = xml.index(b"<", xml.index(b"?>") + 2)
    end = xml.index(b" ", root)
    return xml[:end] + b' xmlns:mc="' + MC + b'" xmlns:x14="' + X14 + b'" mc:Ignorable="x14"' + xml[end:]


def alternate(requires: bytes, chosen: bytes, fallback: bytes) -> bytes:
    """B4 in an mc:AlternateContent: a choice requiring ``requires`` and a fallback, each B4 of another value."""
    return (b'<mc:AlternateContent><mc:Choice Requires="' + requires + b'"><c r="B4"><v>' + chosen + b"</v></c>"
            b'</mc:Choice><mc:Fallback><c r="B4"><v>' + fallback + b"</v></c></mc:Fallback></mc:AlternateContent>")


# name → (part changed, change, what it reads as: SAME as the source, the values that differ from it, or the code of
# the one problem that refuses the file). Excel reads the valid ones so; the invalid ones are refused or, when the
# XML is well-formed, read as the parser sees them.
CASES: dict[str, tuple[str, Callable[[bytes], bytes], Expected]] = {
    "plain": (SHEET, lambda x: x, SAME),
    "no XML declaration": (SHEET, lambda x: x[x.index(b"?>") + 2:], SAME),
    "a byte order mark": (SHEET, lambda x: b"\xef\xbb\xbf" + x, SAME),
    "strict OOXML": (SHEET, sub(MAIN_NS.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"), SAME),
    "a comment between rows": (SHEET, sub(b'</row><row r="4">', b'</row><!-- x --><row r="4">'), SAME),
    "a comment in a value": (SHEET, sub(b"<v>4</v>", b"<v>4<!-- 5 --></v>"), SAME),
    "a CDATA value": (SHEET, sub(b"<v>4</v>", b"<v><![CDATA[4]]></v>"), SAME),
    "a processing instruction": (SHEET, sub(b"<v>4</v>", b"<v>4<?pi x?></v>"), SAME),
    "prefixed tags": (SHEET, lambda x: x.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
                      .replace(b'x:worksheet xmlns="', b'x:worksheet xmlns:x="'), SAME),
    "a DTD": (SHEET, sub(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "5">]><worksheet'), 'xml-dtd'),
    "an entity of the DTD": (SHEET, lambda x: sub(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "5">]><worksheet')(
        x.replace(b"<v>4</v>", b"<v>&e;</v>")), 'xml-dtd'),
    "an undeclared entity": (SHEET, sub(b"<v>4</v>", b"<v>&nbsp;</v>"), 'bad-xml'),
    "single quotes": (SHEET, sub(b'<c r="B4">', b"<c r='B4'>"), SAME),
    "attributes in another order": (SHEET, sub(b'<c r="D3" t="s">', b'<c t="s" r="D3">'), SAME),
    "an attribute twice": (SHEET, sub(b'<c r="B4">', b'<c r="B4" s="1" s="2">'), 'bad-xml'),
    "a bad reference in an attribute": (SHEET, sub(b'<row r="4">', b'<row r="4" ht="1&#1;">'), 'bad-xml'),
    "a control character in an attribute": (SHEET, sub(b'<row r="4">', b'<row r="4" ht="1\x0b">'), 'bad-xml'),
    "a space before the tag end": (SHEET, sub(b'<c r="B4">', b'<c r="B4" >'), SAME),
    "a line between rows": (SHEET, sub(b'</row><row r="4">', b'</row>\n<row r="4">'), SAME),
    "Excel's row attributes": (SHEET, lambda x: x.replace(b'<row r="4">', b'<row r="4" spans="1:4" ht="20.25" '
                                                                         b'customHeight="1" x14ac:dyDescent="0.25">')
                               .replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
                                                        b'spreadsheetml/2009/9/ac" '), SAME),
    "an undeclared prefix": (SHEET, sub(b'<row r="4">', b'<row r="4" x14ac:dyDescent="0.25">'), 'bad-xml'),
    "a formula without its value": (SHEET, sub(B4, b'<c r="B4"><f>1+3</f></c>'), {"T1_spent": Uncomputed('1+3')}),
    "a formula and its value": (SHEET, sub(B4, b'<c r="B4"><f>1+3</f><v>4</v></c>'), SAME),
    "a shared formula": (SHEET, sub(B4, b'<c r="B4"><f t="shared" ref="B4:B5" si="0">1+3</f><v>4</v></c>'), SAME),
    "an empty formula": (SHEET, sub(B4, b'<c r="B4"><f/></c>'), {"T1_spent": Uncomputed('')}),
    "an empty value": (SHEET, sub(B4, b'<c r="B4"><v></v></c>'), {"T1_spent": None}),
    "an empty value element": (SHEET, sub(B4, b'<c r="B4"><v/></c>'), {"T1_spent": None}),
    "an error": (SHEET, sub(B4, b'<c r="B4" t="e"><v>#DIV/0!</v></c>'), {"T1_spent": CellError('#DIV/0!')}),
    "a formula text": (SHEET, sub(B4, b'<c r="B4" t="str"><f>A1&amp;"x"</f><v>a_x000D_b</v></c>'), {"T1_spent": 'a\rb'}),
    "an inline string": (SHEET, inline(b"<t>a b</t>"), {"T1_evidence": 'a b'}),
    "inline spaces kept": (SHEET, inline(b'<t xml:space="preserve"> a </t>'), {"T1_evidence": ' a '}),
    "an empty inline string": (SHEET, inline(b""), {"T1_evidence": ''}),
    "an inline string of no text": (SHEET, inline(b"<t/>"), {"T1_evidence": ''}),
    "inline rich text": (SHEET, inline(b"<r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r>"), {"T1_evidence": 'ab'}),
    "an _x000D_ escape": (SHEET, inline(b"<t>a_x000D_b_x005F_x0041_</t>"), {"T1_evidence": 'a\rb_x0041_'}),
    "entities": (SHEET, inline(b"<t>A &amp; B &lt;&gt;&quot;&apos;</t>"), {"T1_evidence": 'A & B <>"\''}),
    "character references": (SHEET, inline(b"<t>&#3585;&#x0E01;&#10;&#13;&#x9;&#55295;</t>"), {"T1_evidence": 'กก\n\r\t\ud7ff'}),
    "a reference to no character": (SHEET, inline(b"<t>&#0;</t>"), 'bad-xml'),
    "a reference to a surrogate": (SHEET, inline(b"<t>&#xD800;</t>"), 'bad-xml'),
    "a reference above the plane": (SHEET, inline(b"<t>&#128512;</t>"), {"T1_evidence": '😀'}),
    "references with zeros": (SHEET, inline(b"<t>&#0065;&#x000041;&#00;</t>"), 'bad-xml'),
    "a reference with zeros": (SHEET, inline(b"<t>&#0065;&#x000041;</t>"), {"T1_evidence": 'AA'}),
    "a carriage return": (SHEET, inline(b"<t>a\r\nb\rc</t>"), {"T1_evidence": 'a\nb\nc'}),
    "a control character": (SHEET, inline(b"<t>a\x01b</t>"), 'bad-xml'),
    "a non-character": (SHEET, inline("<t>a\ufffeb</t>".encode()), 'bad-xml'),
    "a CDATA end": (SHEET, inline(b"<t>a]]>b</t>"), 'bad-xml'),
    "a tag end": (SHEET, inline(b"<t>a>b</t>"), {"T1_evidence": 'a>b'}),
    "Thai and an emoji": (SHEET, inline("<t>แฟ้ม ๑ 😀</t>".encode()), {"T1_evidence": 'แฟ้ม ๑ 😀'}),
    "bytes that are not UTF-8": (SHEET, inline(b"<t>a\xff</t>"), 'bad-xml'),
    "another encoding": (SHEET, lambda x: inline(b"<t>a\xe9</t>")(
        x.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')), {"T1_evidence": 'aé'}),
    "XML 1.1": (SHEET, sub(b'version="1.0"', b'version="1.1"'), SAME),
    "another encoding, the bytes UTF-8 too": (SHEET, lambda x: inline("<t>é</t>".encode())(
        x.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')), {"T1_evidence": 'Ã©'}),
    "a cell named for another row": (SHEET, sub(B4, b'<c r="B5"><v>4</v></c>'), SAME),
    "a cell without r": (SHEET, sub(B4, b"<c><v>4</v></c>"), {"T1_spent": None}),
    "a row without r": (SHEET, sub(b'<row r="5"><c r="C5"/></row>', b'<row><c r="C5"/></row>'), SAME),
    "rows out of order": (SHEET, lambda x: x.replace(b'<row r="4"><c r="B4"><v>4</v></c></row>', b"").replace(
        b'<row r="3">', b'<row r="4"><c r="B4"><v>4</v></c></row><row r="3">'), SAME),
    "a row twice": (SHEET, sub(b'<row r="4">', b'<row r="4"><c r="B4"><v>9</v></c></row><row r="4">'), SAME),
    "a cell twice": (SHEET, sub(B4, b'<c r="B4"><v>9</v></c><c r="B4"><v>4</v></c>'), SAME),
    "a row twice, once empty": (SHEET, sub(b'<row r="4">', b'<row r="3" ht="20" customHeight="1"/><row r="4">'), SAME),
    "a row of no cells": (SHEET, sub(b"</sheetData>", b'<row r="6" ht="20" customHeight="1"/></sheetData>'), SAME),
    "a wanted row of no cells": (SHEET, sub(b'<row r="4"><c r="B4"><v>4</v></c></row>', b'<row r="4"/>'), {"T1_spent": None}),
    "rows after the last wanted": (SHEET, sub(b"</sheetData>", b'<row r="9"><c r="A9"><v>9</v></c></row></sheetData>'), SAME),
    "the last wanted row missing": (SHEET, sub(b'<row r="5"><c r="C5"/></row>', b""), SAME),
    "a row after the rows": (SHEET, lambda x: x.replace(b'<row r="5"><c r="C5"/></row>', b"").replace(
        b"</sheetData>", b'</sheetData><extLst><row r="5"><c r="C5"><v>5</v></c></row></extLst>'), SAME),
    "the end of rows named again after them": (SHEET, lambda x: x.replace(b'<row r="5"><c r="C5"/></row>', b"").replace(
        b"</sheetData>", b'</sheetData><extLst><ext uri="sheetData>"><row r="5"><c r="C5"><v>5</v></c></row></ext>'
                         b"</extLst>"), SAME),
    "rows in two sheetData": (SHEET, sub(b'<row r="4">', b'</sheetData><sheetData><row r="4">'), SAME),
    "the end of rows in a comment": (SHEET, sub(b'<row r="4">', b'<!-- </sheetData> --><row r="4">'), SAME),
    "no end of rows": (SHEET, lambda x: x.replace(b"<sheetData>", b"<sheetData/>").replace(b"</sheetData>", b""), 'meta-empty'),
    "nested rows": (SHEET, lambda x: x.replace(b'</c></row><row r="4">', b'</c><row r="4">').replace(
        b'<row r="5">', b'</row><row r="5">'), {"T1_spent": None}),
    "a row before the rows": (SHEET, sub(b"<sheetData>", b'<sheetPr><row r="3"/></sheetPr><sheetData>'), SAME),
    "rows under a comment": (SHEET, lambda x: x.replace(b"<sheetData>", b"<!-- <sheetData>").replace(
        b"</sheetData>", b"</sheetData> -->"), 'meta-empty'),
    "merged over the empty input": (SHEET, sub(b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="B5:D5"/>'
                                                                 b"</mergeCells>"), {"T2_done": MISSING}),
    "a merge in a comment": (SHEET, sub(b"</sheetData>", b'</sheetData><!-- <mergeCell ref="A1:D9"/> -->'), SAME),
    "broken after the rows": (SHEET, sub(b"</sheetData>", b'</sheetData><mergeCell ref="B5:D5"/><broken'), 'bad-xml'),
    "strings": (SST, lambda x: x, SAME),
    "strings with spaces kept": (SST, sub(b"<t>x</t>", b'<t xml:space="preserve"> x </t>'), {"T1_evidence": ' x '}),
    "strings without a declaration": (SST, lambda x: x[x.index(b"?>") + 2:], SAME),
    "strings with counts that do not add up": (SST, sub(b"<sst ", b'<sst count="7" uniqueCount="1" '), SAME),
    "strings under another root": (SST, lambda x: x.replace(b"<sst ", b"<table ").replace(b"</sst>", b"</table>"),
        {"T1_allocated": None, "T1_evidence": None}),
    "strings after another element": (SST, sub(b"<si>", b"<extLst/><si>"), SAME),
    "a string of rich text": (SST, sub(b"<t>x</t>", b"<r><t>x</t></r><r><rPr><b/></rPr><t>y</t></r>"), {"T1_evidence": 'xy'}),
    "a string with its reading": (SST, sub(b"<t>x</t>", b'<t>x</t><rPh sb="0" eb="1"><t>k</t></rPh><phoneticPr/>'), SAME),
    "a comment between strings": (SST, sub(b"</si><si>", b"</si><!-- x --><si>"), SAME),
    "a line between strings": (SST, sub(b"</si><si>", b"</si>\n<si>"), SAME),
    "a CDATA string": (SST, sub(b"<t>x</t>", b"<t><![CDATA[x]]></t>"), SAME),
    "string entities": (SST, sub(b"<t>x</t>", b"<t>a &amp; b &lt;&#3585;&#x0E01;&#13;</t>"), {"T1_evidence": 'a & b <กก\r'}),
    "a string reference to no character": (SST, sub(b"<t>x</t>", b"<t>&#0;</t>"), 'bad-xml'),
    "a string's undeclared entity": (SST, sub(b"<t>x</t>", b"<t>&nbsp;</t>"), 'bad-xml'),
    "a bare ampersand": (SST, sub(b"<t>x</t>", b"<t>a & b</t>"), 'bad-xml'),
    "a string carriage return": (SST, sub(b"<t>x</t>", b"<t>a\r\nb</t>"), {"T1_evidence": 'a\nb'}),
    "a string control character": (SST, sub(b"<t>x</t>", b"<t>a\x02</t>"), 'bad-xml'),
    "a string non-character": (SST, sub(b"<t>x</t>", "<t>\uffff</t>".encode()), 'bad-xml'),
    "another string non-character": (SST, sub(b"<t>x</t>", "<t>a\ufffe</t>".encode()), 'bad-xml'),
    "a string's tag misnamed": (SST, sub(b"<t>x</t>", b"<tx>x</t>"), 'bad-xml'),
    "a string CDATA end": (SST, sub(b"<t>x</t>", b"<t>]]></t>"), 'bad-xml'),
    "a string tag end": (SST, sub(b"<t>x</t>", b"<t>]></t>"), {"T1_evidence": ']>'}),
    "a string escape": (SST, sub(b"<t>x</t>", b"<t>a_x000D_b</t>"), {"T1_evidence": 'a\rb'}),
    "a string that is not UTF-8": (SST, sub(b"<t>x</t>", b"<t>\xe0\xb8</t>"), 'bad-xml'),
    "an empty string": (SST, sub(b"<t>x</t>", b"<t></t>"), {"T1_evidence": ''}),
    "a string of no text": (SST, sub(b"<t>x</t>", b"<t/>"), {"T1_evidence": ''}),
    "a string with an attribute": (SST, sub(b"<si><t>x", b'<si a="1"><t>x'), SAME),
    "a string of a string": (SST, sub(b"<si><t>12</t></si>", b"<si><si><t>99</t></si><t>12</t></si>"), SAME),
    "strings deep down": (SST, lambda x: x.replace(b"<si>", b"<x>" * 254 + b"<si>", 1).replace(
        b"</sst>", b"</x>" * 254 + b"</sst>"), 'bad-xml'),
    "markup in a string": (SST, sub(b"<t>x</t>", b"<t>x<b/>y</t>"), {"T1_evidence": 'xy'}),
    "strings deeper": (SST, sub(b"<si><t>12</t></si>", b"<x><si><t>12</t></si></x>"), {"T1_allocated": 'x', "T1_evidence": None}),
    "strings broken after the last": (SST, sub(b"</sst>", b"<si><t>a</t></si><broken></sst>"), SAME),
    "strings broken before the last": (SST, sub(b"</si><si>", b"</si><bad a='1' a='2'/><si>"), 'bad-xml'),
    "strings with a DTD": (SST, sub(b"<sst", b'<!DOCTYPE sst [<!ENTITY e "5">]><sst'), 'xml-dtd'),
    "prefixed strings": (SST, lambda x: x.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
                         .replace(b'x:sst xmlns="', b'x:sst xmlns:x="'), SAME),
    "strings in a comment": (SST, lambda x: x.replace(b"<si>", b"<!-- <si>", 1).replace(b"</sst>", b" --></sst>"),
        {"T1_allocated": None, "T1_evidence": None}),
    "strings in CDATA": (SST, lambda x: x.replace(b"<si>", b"<![CDATA[<si>", 1).replace(b"</sst>", b"]]></sst>"),
        {"T1_allocated": None, "T1_evidence": None}),
    "too few strings": (SST, sub(b"<si><t>x</t></si>", b""), {"T1_evidence": None}),
    # what the reader got wrong before (issue #13): each failed then and passes now
    "a comment splitting a value": (SHEET, sub(b"<v>4</v>", b"<v>3<!-- x -->1<?pi x?>0<![CDATA[1]]></v>"),
                                    {"T1_spent": 3101.0}),
    "an ignorable element after the value": (SHEET, lambda x: ignorable(sub(B4, b'<c r="B4"><v>4</v><x14:v>9</x14:v>'
                                                                                 b"</c>")(x)), SAME),
    "an ignorable element holding a cell": (SHEET, lambda x: ignorable(sub(B4, B4 + b'<x14:c><c r="B4"><v>9</v></c>'
                                                                                b"</x14:c>")(x)), SAME),
    "alternate content, the fallback taken": (SHEET, lambda x: ignorable(sub(B4, alternate(b"x14", b"9", b"4"))(x)),
                                              SAME),
    "alternate content, a choice of SpreadsheetML taken": (SHEET, lambda x: ignorable(sub(
        B4, alternate(b"s", b"4", b"9"))(x)).replace(b"<worksheet ", b'<worksheet xmlns:s="' + MAIN_NS.encode() + b'" '),
        SAME),
    "a cell without r after a gap": (SHEET, sub(b'<c r="D3" t="s">', b'<c t="s">'), SAME),
    "a text formula without its value": (SHEET, sub(B4, b'<c r="B4" t="str"><f>A1</f></c>'),
                                         {"T1_spent": Uncomputed("A1")}),
    "a text formula of empty text": (SHEET, sub(B4, b'<c r="B4" t="str"><f>""</f><v></v></c>'), {"T1_spent": ""}),
    "a string's runs with comments": (SST, sub(b"<t>x</t>", b"<r><t>x<!-- c --></t></r><!-- c --><r><t>y</t></r>"),
                                      {"T1_evidence": "xy"}),
    "an ignorable element among the strings": (SST, lambda x: ignorable(sub(b"</si><si>", b"</si><x14:si><t>9</t>"
                                                                                        b"</x14:si><si>")(x)), SAME),
    "strings in alternate content": (SST, lambda x: ignorable(sub(b"<si><t>x</t></si>", b"<mc:AlternateContent>"
                                     b'<mc:Choice Requires="x14"><si><t>9</t></si></mc:Choice><mc:Fallback><si><t>x</t>'
                                     b"</si></mc:Fallback></mc:AlternateContent>")(x)), SAME),
}


def rewrite(path: Path, changes: dict[str, Callable[[bytes], bytes]], renames: Optional[dict[str, str]] = None) -> Path:
    """The workbook with some members' XML changed and some members renamed."""
    renames = renames or {}
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    for member, change in changes.items():
        parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(renames.get(part, part), body)
    return path


def case_file(folder: Path, name: str) -> Path:
    """The hand-made workbook of one case."""
    member, change, _ = CASES[name]
    path = write_parts(folder / f"{name}.xlsx", meta_row() + ROWS, NAMES, strings=STRINGS)
    return rewrite(path, {member: change})


def values(path: Path, catalog) -> Union[dict, str]:
    """What a workbook reads as: its inputs' values, or the code of the one problem that refused it."""
    data, problems = read_workbook(path, catalog)
    told = [p.code for p in problems if p.code not in ("name-missing", "merged-input")]
    if told:
        return told[0] if len(told) == 1 or len(set(told)) == 1 else str(told)
    return {k: c.value for k, c in data["cells"].items()}


def expected(outcome: Expected) -> Union[dict, str]:
    """The values a case's source holds, with the case's changes, or the problem code."""
    if isinstance(outcome, str):
        return outcome
    out = {**SOURCE, **outcome}
    return {k: v for k, v in out.items() if v is not MISSING}


@pytest.mark.parametrize("name", CASES)
def test_a_case_reads_to_its_source_values(tmp_path, catalog, name):
    assert values(case_file(tmp_path, name), catalog) == expected(CASES[name][2])


def test_the_input_a_merge_covers_is_a_problem_not_a_value(tmp_path, catalog):
    _, problems = read_workbook(case_file(tmp_path, "merged over the empty input"), catalog)
    assert [(p.code, p.cell, p.value) for p in problems if p.code == "merged-input"] == [("merged-input", "C5", "B5:D5")]


# the workbook part, styles, part names and sheet names: a date cell (serial day 44814 in the 1900 system, 43352
# in the 1904 system: 10 Sep 2022) and a percent cell
STYLES = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy"/></numFmts>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="10"/></cellXfs>')
DATED = {**meta_names(), "in_T3_L5_date": "Sheet1!$A$2", "in_I10_plan_pct": "Sheet1!$B$2"}
WORKBOOK, STYLE_PART = "xl/workbook.xml", "xl/styles.xml"
X15 = (b'<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="http://schemas.microsoft.com/office/'
       b'spreadsheetml/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>')
ABS_PATH = (b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            b'<mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\" xmlns:x15ac="http://schemas.microsoft.com/'
            b'office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>')


def pr(attributes: bytes) -> Callable[[bytes], bytes]:
    """A change of the workbook part: a <workbookPr> with these attributes before its sheets."""
    return sub(b"<sheets>", b"<workbookPr " + attributes + b"/><sheets>")


WORKBOOK_CASES: dict[str, tuple[dict[str, Callable[[bytes], bytes]], dict[str, str], int]] = {
    # name → (changes, renamed members, the date's serial day in the workbook's date system)
    "1900": ({}, {}, 44814),
    "1904 as 1": ({WORKBOOK: pr(b'date1904="1"')}, {}, 43352),
    "1904 as true": ({WORKBOOK: pr(b'date1904="true"')}, {}, 43352),
    "1904 with spaces": ({WORKBOOK: pr(b'date1904=" true "')}, {}, 43352),
    "1900 said": ({WORKBOOK: pr(b'date1904="false" defaultThemeVersion="124226"')}, {}, 44814),
    "1904 as Excel 2013+ writes it": ({WORKBOOK: lambda x: pr(b'date1904="1" defaultThemeVersion="166925"')(
        x).replace(b"</workbook>", X15 + b"</workbook>").replace(b"<sheets>", ABS_PATH + b"<sheets>")}, {}, 43352),
    "1904 with a comment": ({WORKBOOK: sub(b"<sheets>", b'<!-- c --><workbookPr date1904="1"><!-- c -->'
                                                        b"</workbookPr><sheets>")}, {}, 43352),
    "comments among the styles": ({STYLE_PART: lambda x: x.replace(b"<xf ", b"<!-- a style --><xf ").replace(
        b"<numFmt ", b"<?pi?><numFmt ")}, {}, 44814),
    "parts named in another case": ({}, {SHEET: "xl/Worksheets/Sheet1.XML", STYLE_PART: "XL/styles.xml",
                                         "xl/_rels/workbook.xml.rels": "xl/_rels/Workbook.xml.rels"}, 44814),
    "sheet named in another case": ({WORKBOOK: lambda x: x.replace(b"Sheet1!", b"SHEET1!")}, {}, 44814),
    "prefixed workbook and styles": ({part: lambda x: x.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(
        b"<x:?", b"<?").replace(b' xmlns="', b' xmlns:x="') for part in (WORKBOOK, STYLE_PART)}, {}, 44814),
}


@pytest.mark.parametrize("name", WORKBOOK_CASES)
def test_workbook_styles_and_names_in_every_form(tmp_path, catalog, name):
    changes, renames, serial = WORKBOOK_CASES[name]
    rows = meta_row() + f'<row r="2"><c r="A2" s="1"><v>{serial}</v></c><c r="B2" s="2"><v>0.85</v></c></row>'
    path = rewrite(write_parts(tmp_path / "w.xlsx", rows, DATED, styles=STYLES), changes, renames)
    data, problems = read_workbook(path, catalog)
    assert [p.code for p in problems if p.code != "name-missing"] == []
    cells = data["cells"]
    assert (cells["T3_L5_date"].value, cells["T3_L5_date"].number_format) == (dt.datetime(2022, 9, 10), "d/m/yyyy")
    assert (cells["I10_plan_pct"].value, cells["I10_plan_pct"].number_format) == (0.85, "0.00%")
    assert cells["T3_L5_date"].sheet == "Sheet1"


FORMATS = ["General", "0", "0.00%", "d/m/yyyy", "[$-th-TH,107]d mmm yy", "[$-1070000]d/mm/yyyy;@", '"d"0', "0_d",
           "\\d0", "[h]:mm", "[mm]:ss", "[ss].0", "[Red]0.00", "[Blue]#,##0;[Red]-#,##0", '#,##0 "บาท"', '"ปี" 0',
           "yyyy-mm-dd;@", "0;[Red]d", "@", "hh:mm AM/PM", "# ?/?", "0.0E+00", "B1yyyy", "[DBNum1][$-th-TH]0", ""]


def test_number_formats_are_openpyxls():
    assert xlsx.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    codes = [*FORMATS, *numbers.BUILTIN_FORMATS.values(), *xlsx.LOCALE_FORMATS.values()]
    assert [xlsx.is_date_format(c) for c in codes] == [numbers.is_date_format(c) for c in codes]
