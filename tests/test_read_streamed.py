"""A sheet or shared strings part up to 1 MB is parsed at once; a larger one, or one whose XML is faulty, is parsed
a chunk at a time, each row or string handed on once complete, reading stopped at the last one wanted. Whatever a
file holds, it reads exactly the same parsed at once or streamed, fed a few bytes at a time, in the usual chunks or
in one, problems and their messages included (but the parser's own words on malformed XML)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from badkit import SAMPLE
from generator.read import read_workbook, xlsx
from readkit import meta_names, meta_row, write_parts
from test_bad_fuzz import mutants

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


def read(path: Path, catalog) -> str:
    """What a workbook reads as, the parser's words in a malformed XML problem left out: libxml2 may name the same
    fault one way or another (a tag cut at a chunk's end is "Couldn't find end of Start Tag")."""
    data, problems = read_workbook(path, catalog)
    return repr((data, [replace(p, message="") if p.code == "bad-xml" else p for p in problems]))


def sound_zip(path: Path) -> bool:
    """Whether every member of a zip inflates to its CRC, or the file is no zip at all: a damaged member shows
    only when read to its end, which reading stopped early (the usual chunks) may never do."""
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None
    except Exception:  # noqa: BLE001 - not a zip, or damaged beyond opening: the same for any chunk size
        return True


@pytest.mark.parametrize("chunk", [2**22, xlsx.CHUNK, 4096, 97])
def test_streamed_in_any_chunks_reads_as_parsed_at_once(files, catalog, monkeypatch, chunk):
    files = [path for path in files if sound_zip(path)]
    usual = [read(path, catalog) for path in files]
    monkeypatch.setattr(xlsx, "MAX_WHOLE_PART", -1)
    monkeypatch.setattr(xlsx, "CHUNK", chunk)
    fed = [read(path, catalog) for path in files]
    assert [f"{p.name}: {r}" for p, r in zip(files, fed)] == [f"{p.name}: {r}" for p, r in zip(files, usual)]


def test_reading_stops_at_the_last_row_wanted(tmp_path, catalog, monkeypatch):
    rows = meta_row() + ROWS + DONE + "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(6, 20_000))
    path = write_parts(tmp_path / "long.xlsx", rows, NAMES, strings=STRINGS)
    monkeypatch.setattr(xlsx, "MAX_WHOLE_PART", -1)
    fed = []
    drained = xlsx._drained

    def spy(*args):
        for item in drained(*args):
            fed.extend(item[1])
            yield item
    monkeypatch.setattr(xlsx, "_drained", spy)
    data, problems = read_workbook(path, catalog)
    assert data["cells"]["T2_done"].value == 5.0
    assert len(fed) < 3_000  # a chunk's rows past row 5, not the 20,000
