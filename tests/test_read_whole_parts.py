"""Small sheets and shared strings are parsed at once (a sheet up to the end of its rows) instead of streamed:
whatever a file holds, that must read exactly as streaming reads it, problems and their messages included."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from badkit import SAMPLE, mutants
from generator.read import read_workbook, xlsx
from readkit import meta_names, meta_row, write_parts

NAMES = {**meta_names(), "in_T1_allocated": "Sheet1!$C$3", "in_T1_spent": "Sheet1!$B$4", "in_T2_done": "Sheet1!$C$5"}
ROWS = '<row r="3"><c r="C3" t="s"><v>1</v></c></row><row r="4"><c r="B4"><v>4</v></c></row>'
DONE, EMPTY = '<row r="5"><c r="C5"><v>5</v></c></row>', '<row r="5"><c r="C5"/></row>'
STRINGS = ("<t>12</t>", "<r><t>1</t></r><r><t>3</t></r>")
SHEETS = {  # name → how the sheet XML of a form with an empty input is changed
    "plain": lambda x: x,
    "merged over the empty input": lambda x: x.replace("</sheetData>", '</sheetData><mergeCells><mergeCell ref="B5:D5"/>'
                                                                          '</mergeCells>'),
    "merge in a comment": lambda x: x.replace("</sheetData>", '</sheetData><!-- <mergeCell ref="A1:D9"/> -->'),
    "broken after the rows": lambda x: x.replace("</sheetData>", '</sheetData><mergeCell ref="B5:D5"/><broken'),
    "broken after the last row": lambda x: x.replace("</sheetData>", "<row r='6'><c r='C6'><v>&bad;</v></c></row>"
                                                                     "</sheetData>"),
    "broken before the last row": lambda x: x.replace('<row r="4">', '<row r="4" a="1" a="2">'),
    "nested rows": lambda x: x.replace('</c></row><row r="4">', '</c><row r="4">').replace(
        '<row r="5">', '</row><row r="5">'),
    "rows in two sheetData": lambda x: x.replace('<row r="4">', '</sheetData><sheetData><row r="4">'),
    "a row after the rows": lambda x: x.replace(EMPTY, "").replace("</sheetData>", "</sheetData><extLst>"
                                                                                   f"{DONE}</extLst>"),
    "end of rows in a comment": lambda x: x.replace('<row r="4">', '<!-- </sheetData> --><row r="4">'),
    "no sheetData end": lambda x: x.replace("<sheetData>", "<sheetData/>").replace("</sheetData>", ""),
    "prefixed tags": lambda x: x.replace("<", "<x:").replace("<x:/", "</x:").replace("<x:?", "<?").replace(
        'x:worksheet xmlns="', 'x:worksheet xmlns:x="'),
    "a DTD": lambda x: x.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY e "5">]><worksheet'),
}
SST = {  # name → how its shared strings XML is changed
    "nested strings": lambda x: x.replace("<si><t>12</t></si>", "<si><si><t>99</t></si><t>12</t></si>"),
    "strings deeper": lambda x: x.replace("<si><t>12</t></si>", "<x><si><t>12</t></si></x>"),
    "strings broken after the last": lambda x: x.replace("</sst>", "<si><t>a</t></si><broken></sst>"),
    "strings broken before the last": lambda x: x.replace("</si><si>", "</si><bad a='1' a='2'/><si>"),
    "strings with a DTD": lambda x: x.replace("<sst", '<!DOCTYPE sst [<!ENTITY e "5">]><sst'),
}


def rewritten(path: Path, member: str, change) -> Path:
    """The workbook with one member's XML changed."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return path


def edge_cases(folder: Path) -> list[Path]:
    """One hand-made workbook per odd sheet or shared strings part."""
    paths = []
    for i, (name, change) in enumerate({**SHEETS, **SST}.items()):
        path = write_parts(folder / f"{i:02d} {name}.xlsx", meta_row() + ROWS + EMPTY, NAMES, strings=STRINGS)
        member = "xl/sharedStrings.xml" if name in SST else "xl/worksheets/sheet1.xml"
        paths.append(rewritten(path, member, change))
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    """The sample submissions, the hand-made odd workbooks and a few dozen mutants of the sample."""
    folder = tmp_path_factory.mktemp("whole")
    return [*sorted((SAMPLE / "submissions").glob("[0-9]*.xlsx")), *edge_cases(folder / "edge"),
            *mutants(folder / "mutants", 80, 2566)]


@pytest.mark.slow
def test_parts_parsed_at_once_read_exactly_as_streamed(files, catalog, monkeypatch):
    for plain in ("_plain_cells", "_plain_strings"):  # parsed even when plain (cut out: test_read_plain_parts.py)
        monkeypatch.setattr(xlsx, plain, lambda *args: None)
    parse, parsed = xlsx._parsed, []

    def spy(*args):
        parsed.append(parse(*args))
        return parsed[-1]
    monkeypatch.setattr(xlsx, "_parsed", spy)
    at_once = [repr(read_workbook(path, catalog)) for path in files]
    assert sum(p is not None for p in parsed) > len(files)  # the sheets and strings of most files were parsed at once
    monkeypatch.setattr(xlsx, "MAX_WHOLE_PART", -1)
    streamed = [repr(read_workbook(path, catalog)) for path in files]
    assert [f"{p.name}: {r}" for p, r in zip(files, at_once)] == [f"{p.name}: {r}" for p, r in zip(files, streamed)]
