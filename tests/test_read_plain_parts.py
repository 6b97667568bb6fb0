"""Plain sheets and shared strings are not parsed: their text is checked to be such that the parse succeeds, and
the wanted cells and strings are cut out of it. Whatever a file holds, that must read exactly as the parser and
the streaming reader read it, problems and their messages included; anything unusual leaves it to the parser."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree
from openpyxl.styles import numbers

from badkit import SAMPLE, mutant, mutants
from generator.read import read_workbook, xlsx
from readkit import MAIN_NS, full_inputs, meta_names, meta_row, write_form, write_parts

NAMES = {**meta_names(), "in_T1_allocated": "Sheet1!$C$3", "in_T1_evidence": "Sheet1!$D$3",
         "in_T1_spent": "Sheet1!$B$4", "in_T2_done": "Sheet1!$C$5"}
ROWS = ('<row r="3"><c r="C3" t="s"><v>0</v></c><c r="D3" t="s"><v>1</v></c></row>'
        '<row r="4"><c r="B4"><v>4</v></c></row><row r="5"><c r="C5"/></row>')
STRINGS = ("<t>12</t>", "<t>x</t>")
SHEET, SST = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
B4, D3 = b'<c r="B4"><v>4</v></c>', b'<c r="D3" t="s"><v>1</v></c>'


def sub(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """A change of a part's XML: the first ``old`` (which must be there) made ``new``."""
    def change(xml: bytes) -> bytes:
        assert old in xml, old
        return xml.replace(old, new, 1)
    return change


def inline(text: bytes) -> Callable[[bytes], bytes]:
    """A change of the sheet: D3 made an inline string of this XML (the inside of its <is>)."""
    return sub(D3, b'<c r="D3" t="inlineStr"><is>' + text + b"</is></c>")


# name → (part changed, change, whether its rows or strings are still read as plain)
CASES: dict[str, tuple[str, Callable[[bytes], bytes], bool]] = {
    "plain": (SHEET, lambda x: x, True),
    "no XML declaration": (SHEET, lambda x: x[x.index(b"?>") + 2:], True),
    "a byte order mark": (SHEET, lambda x: b"\xef\xbb\xbf" + x, True),
    "strict OOXML": (SHEET, sub(MAIN_NS.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"), True),
    "a comment between rows": (SHEET, sub(b'</row><row r="4">', b'</row><!-- x --><row r="4">'), False),
    "a comment in a value": (SHEET, sub(b"<v>4</v>", b"<v>4<!-- 5 --></v>"), False),
    "a CDATA value": (SHEET, sub(b"<v>4</v>", b"<v><![CDATA[4]]></v>"), False),
    "a processing instruction": (SHEET, sub(b"<v>4</v>", b"<v>4<?pi x?></v>"), False),
    "prefixed tags": (SHEET, lambda x: x.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
                      .replace(b'x:worksheet xmlns="', b'x:worksheet xmlns:x="'), False),
    "a DTD": (SHEET, sub(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "5">]><worksheet'), False),
    "an entity of the DTD": (SHEET, lambda x: sub(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "5">]><worksheet')(
        x.replace(b"<v>4</v>", b"<v>&e;</v>")), False),
    "an undeclared entity": (SHEET, sub(b"<v>4</v>", b"<v>&nbsp;</v>"), False),
    "single quotes": (SHEET, sub(b'<c r="B4">', b"<c r='B4'>"), False),
    "attributes in another order": (SHEET, sub(b'<c r="D3" t="s">', b'<c t="s" r="D3">'), False),
    "an attribute twice": (SHEET, sub(b'<c r="B4">', b'<c r="B4" s="1" s="2">'), False),
    "a bad reference in an attribute": (SHEET, sub(b'<row r="4">', b'<row r="4" ht="1&#1;">'), False),
    "a control character in an attribute": (SHEET, sub(b'<row r="4">', b'<row r="4" ht="1\x0b">'), False),
    "a space before the tag end": (SHEET, sub(b'<c r="B4">', b'<c r="B4" >'), False),
    "a line between rows": (SHEET, sub(b'</row><row r="4">', b'</row>\n<row r="4">'), False),
    "Excel's row attributes": (SHEET, lambda x: x.replace(b'<row r="4">', b'<row r="4" spans="1:4" ht="20.25" '
                                                                         b'customHeight="1" x14ac:dyDescent="0.25">')
                               .replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
                                                        b'spreadsheetml/2009/9/ac" '), True),
    "an undeclared prefix": (SHEET, sub(b'<row r="4">', b'<row r="4" x14ac:dyDescent="0.25">'), False),
    "a formula without its value": (SHEET, sub(B4, b'<c r="B4"><f>1+3</f></c>'), True),
    "a formula and its value": (SHEET, sub(B4, b'<c r="B4"><f>1+3</f><v>4</v></c>'), True),
    "a shared formula": (SHEET, sub(B4, b'<c r="B4"><f t="shared" ref="B4:B5" si="0">1+3</f><v>4</v></c>'), True),
    "an empty formula": (SHEET, sub(B4, b'<c r="B4"><f/></c>'), True),
    "an empty value": (SHEET, sub(B4, b'<c r="B4"><v></v></c>'), True),
    "an empty value element": (SHEET, sub(B4, b'<c r="B4"><v/></c>'), True),
    "an error": (SHEET, sub(B4, b'<c r="B4" t="e"><v>#DIV/0!</v></c>'), True),
    "a formula text": (SHEET, sub(B4, b'<c r="B4" t="str"><f>A1&amp;"x"</f><v>a_x000D_b</v></c>'), True),
    "an inline string": (SHEET, inline(b"<t>a b</t>"), True),
    "inline spaces kept": (SHEET, inline(b'<t xml:space="preserve"> a </t>'), True),
    "an empty inline string": (SHEET, inline(b""), True),
    "an inline string of no text": (SHEET, inline(b"<t/>"), True),
    "inline rich text": (SHEET, inline(b"<r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r>"), False),
    "an _x000D_ escape": (SHEET, inline(b"<t>a_x000D_b_x005F_x0041_</t>"), True),
    "entities": (SHEET, inline(b"<t>A &amp; B &lt;&gt;&quot;&apos;</t>"), True),
    "character references": (SHEET, inline(b"<t>&#3585;&#x0E01;&#10;&#13;&#x9;&#55295;</t>"), True),
    "a reference to no character": (SHEET, inline(b"<t>&#0;</t>"), False),
    "a reference to a surrogate": (SHEET, inline(b"<t>&#xD800;</t>"), False),
    "a reference above the plane": (SHEET, inline(b"<t>&#128512;</t>"), False),
    "references with zeros": (SHEET, inline(b"<t>&#0065;&#x000041;&#00;</t>"), False),
    "a reference with zeros": (SHEET, inline(b"<t>&#0065;&#x000041;</t>"), True),
    "a carriage return": (SHEET, inline(b"<t>a\r\nb\rc</t>"), False),
    "a control character": (SHEET, inline(b"<t>a\x01b</t>"), False),
    "a non-character": (SHEET, inline("<t>a\ufffeb</t>".encode()), False),
    "a CDATA end": (SHEET, inline(b"<t>a]]>b</t>"), False),
    "a tag end": (SHEET, inline(b"<t>a>b</t>"), True),
    "Thai and an emoji": (SHEET, inline("<t>แฟ้ม ๑ 😀</t>".encode()), True),
    "bytes that are not UTF-8": (SHEET, inline(b"<t>a\xff</t>"), False),
    "another encoding": (SHEET, lambda x: inline(b"<t>a\xe9</t>")(
        x.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')), False),
    "XML 1.1": (SHEET, sub(b'version="1.0"', b'version="1.1"'), False),
    "another encoding, the bytes UTF-8 too": (SHEET, lambda x: inline("<t>é</t>".encode())(
        x.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')), False),
    "a cell named for another row": (SHEET, sub(B4, b'<c r="B5"><v>4</v></c>'), False),
    "a cell without r": (SHEET, sub(B4, b"<c><v>4</v></c>"), False),
    "a row without r": (SHEET, sub(b'<row r="5"><c r="C5"/></row>', b'<row><c r="C5"/></row>'), False),
    "rows out of order": (SHEET, lambda x: x.replace(b'<row r="4"><c r="B4"><v>4</v></c></row>', b"").replace(
        b'<row r="3">', b'<row r="4"><c r="B4"><v>4</v></c></row><row r="3">'), False),
    "a row twice": (SHEET, sub(b'<row r="4">', b'<row r="4"><c r="B4"><v>9</v></c></row><row r="4">'), False),
    "a cell twice": (SHEET, sub(B4, b'<c r="B4"><v>9</v></c><c r="B4"><v>4</v></c>'), True),
    "a row twice, once empty": (SHEET, sub(b'<row r="4">', b'<row r="3" ht="20" customHeight="1"/><row r="4">'), False),
    "a row of no cells": (SHEET, sub(b"</sheetData>", b'<row r="6" ht="20" customHeight="1"/></sheetData>'), True),
    "a wanted row of no cells": (SHEET, sub(b'<row r="4"><c r="B4"><v>4</v></c></row>', b'<row r="4"/>'), True),
    "rows after the last wanted": (SHEET, sub(b"</sheetData>", b'<row r="9"><c r="A9"><v>9</v></c></row></sheetData>'),
                                   True),
    "the last wanted row missing": (SHEET, sub(b'<row r="5"><c r="C5"/></row>', b""), True),
    "a row after the rows": (SHEET, lambda x: x.replace(b'<row r="5"><c r="C5"/></row>', b"").replace(
        b"</sheetData>", b'</sheetData><extLst><row r="5"><c r="C5"><v>5</v></c></row></extLst>'), True),
    "the end of rows named again after them": (SHEET, lambda x: x.replace(b'<row r="5"><c r="C5"/></row>', b"").replace(
        b"</sheetData>", b'</sheetData><extLst><ext uri="sheetData>"><row r="5"><c r="C5"><v>5</v></c></row></ext>'
                         b"</extLst>"), False),
    "rows in two sheetData": (SHEET, sub(b'<row r="4">', b'</sheetData><sheetData><row r="4">'), False),
    "the end of rows in a comment": (SHEET, sub(b'<row r="4">', b'<!-- </sheetData> --><row r="4">'), False),
    "no end of rows": (SHEET, lambda x: x.replace(b"<sheetData>", b"<sheetData/>").replace(b"</sheetData>", b""),
                       False),
    "nested rows": (SHEET, lambda x: x.replace(b'</c></row><row r="4">', b'</c><row r="4">').replace(
        b'<row r="5">', b'</row><row r="5">'), False),
    "a row before the rows": (SHEET, sub(b"<sheetData>", b'<sheetPr><row r="3"/></sheetPr><sheetData>'), False),
    "rows under a comment": (SHEET, lambda x: x.replace(b"<sheetData>", b"<!-- <sheetData>").replace(
        b"</sheetData>", b"</sheetData> -->"), False),
    "merged over the empty input": (SHEET, sub(b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="B5:D5"/>'
                                                                 b"</mergeCells>"), True),
    "a merge in a comment": (SHEET, sub(b"</sheetData>", b'</sheetData><!-- <mergeCell ref="A1:D9"/> -->'), True),
    "broken after the rows": (SHEET, sub(b"</sheetData>", b'</sheetData><mergeCell ref="B5:D5"/><broken'), True),
    "strings": (SST, lambda x: x, True),
    "strings with spaces kept": (SST, sub(b"<t>x</t>", b'<t xml:space="preserve"> x </t>'), True),
    "strings without a declaration": (SST, lambda x: x[x.index(b"?>") + 2:], True),
    "strings with counts that do not add up": (SST, sub(b"<sst ", b'<sst count="7" uniqueCount="1" '), True),
    "strings under another root": (SST, lambda x: x.replace(b"<sst ", b"<table ").replace(b"</sst>", b"</table>"),
                                   True),
    "strings after another element": (SST, sub(b"<si>", b"<extLst/><si>"), True),
    "a string of rich text": (SST, sub(b"<t>x</t>", b"<r><t>x</t></r><r><rPr><b/></rPr><t>y</t></r>"), False),
    "a string with its reading": (SST, sub(b"<t>x</t>", b'<t>x</t><rPh sb="0" eb="1"><t>k</t></rPh><phoneticPr/>'),
                                  False),
    "a comment between strings": (SST, sub(b"</si><si>", b"</si><!-- x --><si>"), False),
    "a line between strings": (SST, sub(b"</si><si>", b"</si>\n<si>"), False),
    "a CDATA string": (SST, sub(b"<t>x</t>", b"<t><![CDATA[x]]></t>"), False),
    "string entities": (SST, sub(b"<t>x</t>", b"<t>a &amp; b &lt;&#3585;&#x0E01;&#13;</t>"), True),
    "a string reference to no character": (SST, sub(b"<t>x</t>", b"<t>&#0;</t>"), False),
    "a string's undeclared entity": (SST, sub(b"<t>x</t>", b"<t>&nbsp;</t>"), False),
    "a bare ampersand": (SST, sub(b"<t>x</t>", b"<t>a & b</t>"), False),
    "a string carriage return": (SST, sub(b"<t>x</t>", b"<t>a\r\nb</t>"), False),
    "a string control character": (SST, sub(b"<t>x</t>", b"<t>a\x02</t>"), False),
    "a string non-character": (SST, sub(b"<t>x</t>", "<t>\uffff</t>".encode()), False),
    "another string non-character": (SST, sub(b"<t>x</t>", "<t>a\ufffe</t>".encode()), False),
    "a string's tag misnamed": (SST, sub(b"<t>x</t>", b"<tx>x</t>"), False),
    "a string CDATA end": (SST, sub(b"<t>x</t>", b"<t>]]></t>"), False),
    "a string tag end": (SST, sub(b"<t>x</t>", b"<t>]></t>"), True),
    "a string escape": (SST, sub(b"<t>x</t>", b"<t>a_x000D_b</t>"), True),
    "a string that is not UTF-8": (SST, sub(b"<t>x</t>", b"<t>\xe0\xb8</t>"), False),
    "an empty string": (SST, sub(b"<t>x</t>", b"<t></t>"), True),
    "a string of no text": (SST, sub(b"<t>x</t>", b"<t/>"), False),
    "a string with an attribute": (SST, sub(b"<si><t>x", b'<si a="1"><t>x'), False),
    "a string of a string": (SST, sub(b"<si><t>12</t></si>", b"<si><si><t>99</t></si><t>12</t></si>"), False),
    "strings deep down": (SST, lambda x: x.replace(b"<si>", b"<x>" * 254 + b"<si>", 1).replace(
        b"</sst>", b"</x>" * 254 + b"</sst>"), False),
    "markup in a string": (SST, sub(b"<t>x</t>", b"<t>x<b/>y</t>"), False),
    "strings deeper": (SST, sub(b"<si><t>12</t></si>", b"<x><si><t>12</t></si></x>"), False),
    "strings broken after the last": (SST, sub(b"</sst>", b"<si><t>a</t></si><broken></sst>"), False),
    "strings broken before the last": (SST, sub(b"</si><si>", b"</si><bad a='1' a='2'/><si>"), False),
    "strings with a DTD": (SST, sub(b"<sst", b'<!DOCTYPE sst [<!ENTITY e "5">]><sst'), False),
    "prefixed strings": (SST, lambda x: x.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
                         .replace(b'x:sst xmlns="', b'x:sst xmlns:x="'), False),
    "strings in a comment": (SST, lambda x: x.replace(b"<si>", b"<!-- <si>", 1).replace(b"</sst>", b" --></sst>"),
                             False),
    "strings in CDATA": (SST, lambda x: x.replace(b"<si>", b"<![CDATA[<si>", 1).replace(b"</sst>", b"]]></sst>"),
                         False),
    "too few strings": (SST, sub(b"<si><t>x</t></si>", b""), True),
}


def case_file(folder: Path, name: str) -> Path:
    """The hand-made workbook of one case."""
    member, change, _ = CASES[name]
    path = write_parts(folder / f"{name}.xlsx", meta_row() + ROWS, NAMES, strings=STRINGS)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(part, body)
    return path


def form_mutants(folder: Path, catalog, count: int, seed: int) -> list[Path]:
    """Mutants of a filled form as xlsxwriter writes it (shared strings, styles), mostly of its sheet and strings."""
    source = write_form(folder / "form.xlsx", catalog, full_inputs(catalog)).read_bytes()
    rng, paths = random.Random(seed), []
    for i in range(count):
        path = folder / f"form mutant {i:03d}.xlsx"
        path.write_bytes(mutant(source, rng))
        paths.append(path)
    return paths


class Reads:
    """How the plain reading went: for each sheet and shared strings part read, whether it was read as plain."""

    def __init__(self, monkeypatch):
        self.taken: list[tuple[str, bool]] = []
        for name in ("_plain_cells", "_plain_strings"):
            monkeypatch.setattr(xlsx, name, self.spy(name, getattr(xlsx, name)))

    def spy(self, name: str, plain: Callable) -> Callable:
        """The plain reader, telling whether it read the part."""
        def read(*args):
            got = plain(*args)
            self.taken.append((name, got is not None))
            return got
        return read


def read_three_ways(paths: list[Path], catalog, monkeypatch) -> dict[str, list[str]]:
    """What each file reads as: plain parts cut out (first with no row matched before), parsed, streamed."""
    out = {}
    xlsx._MATCHED_ROWS.clear()
    out["cut out, cold"] = [repr(read_workbook(path, catalog)) for path in paths]
    out["cut out, rows matched before"] = [repr(read_workbook(path, catalog)) for path in paths]
    with monkeypatch.context() as m:
        m.setattr(xlsx, "_plain_cells", lambda *args: None)
        m.setattr(xlsx, "_plain_strings", lambda *args: None)
        out["parsed"] = [repr(read_workbook(path, catalog)) for path in paths]
        m.setattr(xlsx, "MAX_WHOLE_PART", -1)
        out["streamed"] = [repr(read_workbook(path, catalog)) for path in paths]
    return out


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, Path]:
    """One hand-made workbook per case."""
    folder = tmp_path_factory.mktemp("cases")
    return {name: case_file(folder, name) for name in CASES}


@pytest.mark.parametrize("name", CASES)
def test_a_case_reads_as_the_parser_reads_it(cases, catalog, monkeypatch, name):
    reads = Reads(monkeypatch)
    ways = read_three_ways([cases[name]], catalog, monkeypatch)
    assert len({w[0] for w in ways.values()}) == 1, "\n".join(f"{way}: {w[0]}" for way, w in ways.items())
    member, _, plain = CASES[name]
    which = "_plain_cells" if member == SHEET else "_plain_strings"
    assert {taken for reader, taken in reads.taken if reader == which} == {plain}


def test_the_plain_base_case_reads_as_expected(cases, catalog):
    data, problems = read_workbook(cases["plain"], catalog)
    assert {p.code for p in problems} == {"name-missing"}  # the inputs the hand-made form leaves out
    assert {k: c.value for k, c in data["cells"].items()} == {
        "T1_allocated": "12", "T1_evidence": "x", "T1_spent": 4.0, "T2_done": None}


@pytest.fixture(scope="module")
def files(tmp_path_factory, catalog) -> list[Path]:
    """The sample submissions (openpyxl's XML), filled forms (xlsxwriter's) and a few hundred mutants of both."""
    folder = tmp_path_factory.mktemp("plain")
    forms = [write_form(folder / f"form {i}.xlsx", catalog, full_inputs(catalog), inserted_rows=i,
                        formulas={"T2_done": ("=1+1", None if i else 2)}, merge={"T2_planned": 1 + i % 2})
             for i in range(3)]
    return [*sorted((SAMPLE / "submissions").glob("[0-9]*.xlsx")), *forms, *mutants(folder / "mutants", 150, 2567),
            *form_mutants(folder / "form mutants", catalog, 150, 2568)]


@pytest.mark.slow
def test_files_and_mutants_read_as_the_parser_reads_them(files, catalog, monkeypatch):
    reads = Reads(monkeypatch)
    ways = read_three_ways(files, catalog, monkeypatch)
    assert sum(taken for _, taken in reads.taken) > len(files)  # most sheets and strings were cut out
    for way, got in ways.items():
        assert [f"{p.name}: {r}" for p, r in zip(files, got)] == [f"{p.name}: {r}" for p, r in
                                                                  zip(files, ways["parsed"])], way


@pytest.mark.slow
def test_plain_parts_are_not_streamed(files, catalog, monkeypatch):
    streamed = []
    stream = xlsx._stream
    monkeypatch.setattr(xlsx, "_stream", lambda *args: streamed.append(args) or stream(*args))
    for path in files:
        if "mutant" not in path.name:  # the sample submissions and the filled forms
            read_workbook(path, catalog)
    assert streamed == []


def test_only_the_rows_matched_are_remembered_and_no_more_than_kept(monkeypatch):
    monkeypatch.setattr(xlsx, "MATCHED_ROWS_KEPT", 3)
    xlsx._MATCHED_ROWS.clear()
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 6))
    assert xlsx._rows_match(rows) and len(xlsx._MATCHED_ROWS) == 5
    assert not xlsx._rows_match(rows + '<row r="6"><c r="A6"><v>&x;</v></c></row>')
    assert len(xlsx._MATCHED_ROWS) == 5  # a text that does not match teaches nothing
    assert xlsx._rows_match('<row r="7"/>' + rows) and len(xlsx._MATCHED_ROWS) == 1  # too many: forgotten, then learnt


def valid_reference(n: int) -> bool:
    """Whether the plain reader takes a character reference to n: a character XML allows, below the surrogates."""
    return n in (9, 10, 13) or 32 <= n < 0xD800


def test_character_references_taken_are_exactly_those_the_parser_reads():
    reference = re.compile(f"&{xlsx._REFERRED}")
    numbers = [*range(0x10100), *range(0xD700, 0xE100), 0xFFFD, 0xFFFE, 0xFFFF, 0x10FFFF, 0x110000, 10**7]
    for n in numbers:
        forms = (f"&#{n};", f"&#x{n:x};", f"&#x{n:X};", f"&#00{n};", f"&#x0{n:x};")
        assert [bool(reference.fullmatch(f)) for f in forms] == [valid_reference(n)] * 5, n
    taken = [n for n in range(0xD800) if valid_reference(n)]
    xml = "<t>" + "".join(f"&#{n};&#x{n:x};" for n in taken) + "</t>"
    parsed = etree.fromstring(xml.encode(), etree.XMLParser(**xlsx.SAFE_XML)).text
    assert parsed == xlsx._entities(xml[3:-4]) == "".join(chr(n) * 2 for n in taken)
    bad = ("&", "&#0;", "&#x00;", "&#xD800;", "&nbsp;", "&#X41;", "&amp")
    assert all(xlsx._BARE_AMPERSAND.search(f"a{text}b") for text in bad)


FORMATS = ["General", "0", "0.00%", "d/m/yyyy", "[$-th-TH,107]d mmm yy", "[$-1070000]d/mm/yyyy;@", '"d"0', "0_d",
           "\\d0", "[h]:mm", "[mm]:ss", "[ss].0", "[Red]0.00", "[Blue]#,##0;[Red]-#,##0", '#,##0 "บาท"', '"ปี" 0',
           "yyyy-mm-dd;@", "0;[Red]d", "@", "hh:mm AM/PM", "# ?/?", "0.0E+00", "B1yyyy", "[DBNum1][$-th-TH]0", ""]


def test_number_formats_are_openpyxls():
    assert xlsx.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    codes = [*FORMATS, *numbers.BUILTIN_FORMATS.values(), *xlsx.LOCALE_FORMATS.values()]
    assert [xlsx.is_date_format(c) for c in codes] == [numbers.is_date_format(c) for c in codes]


@pytest.mark.parametrize("rows", [
    '<row r="1">' + '<c r="A1" s="1" t="s"><v>12</v></c>' * 30_000 + "<x/></row>",
    '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "ก" * 300_000 + "&x;</t></is></c></row>",
    '<row r="1"><c r="A1" t="inlineStr"><is>' + "<t>a</t>" * 100_000 + "<r/></is></c></row>",
    "".join(f'<row r="{n}"><c r="A{n}"><v>&amp;{n}</v></c></row>' for n in range(1, 20_000)) + "&",
])
def test_a_large_part_that_is_nearly_plain_is_refused_without_runaway_backtracking(rows):
    """Not a speed test (that is bench/'s job) and no clock: a pattern that could match one text two ways would
    take exponential time on these and never return (the suite would hang); each is refused in a tenth of a second."""
    xlsx._MATCHED_ROWS.clear()
    assert not xlsx._rows_match(rows)
