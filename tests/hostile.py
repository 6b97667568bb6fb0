"""Hostile workbooks for the safety tests and bench/bad_input.py: XML bombs, zip bombs, huge files and sheets.

Each builder writes one file that looks like a collection workbook (meta names, one input name) and
returns its path; the reader must refuse it or read it within limits.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Callable

from readkit import MAIN_NS, meta_names, meta_row, write_parts

INPUT = {**meta_names(), "in_T2_done": "Sheet1!$A$2"}
LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a0 "ha">'
          + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>")


def billion_laughs(path: Path) -> Path:
    """The classic entity expansion: nine levels of ten references, 2 GB of 'ha' if expanded."""
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>'
    return write_parts(path, meta_row() + row, INPUT, prolog=LAUGHS)


def quadratic_blowup(path: Path) -> Path:
    """One 100 kB entity referenced 20,000 times: 2 GB if expanded, no nesting for a parser to spot."""
    prolog = f'<!DOCTYPE worksheet [<!ENTITY a "{"x" * 100_000}">]>'
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"&a;" * 20_000}</t></is></c></row>'
    return write_parts(path, meta_row() + row, INPUT, prolog=prolog)


def external_entity(path: Path) -> Path:
    """An external entity that would read a local file into a cell."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>'
    return write_parts(path, meta_row() + row, INPUT, prolog=prolog)


def deep_nesting(path: Path, depth: int = 100_000) -> Path:
    """No DTD, but 100,000 nested elements inside a cell (a parser without a depth limit recurses)."""
    row = f'<row r="2"><c r="A2" t="inlineStr"><is>{"<r>" * depth}{"</r>" * depth}</is></c></row>'
    return write_parts(path, meta_row() + row, INPUT)


def _patch_sizes(path: Path, member: str, size: int) -> None:
    """Make the zip headers of one member declare ``size`` bytes unpacked (local header and central directory)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local, central = z.getinfo(member).header_offset, z.start_dir
        for info in z.infolist():
            if info.filename == member:
                break
            central += 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
    struct.pack_into("<I", raw, local + 22, size)
    struct.pack_into("<I", raw, central + 24, size)
    path.write_bytes(bytes(raw))


def zip_bomb(path: Path, gigabytes: float = 2.0) -> Path:
    """A real zip bomb: a member of ``gigabytes`` of zeros, deflated to about 1 MB per GB, honest headers."""
    path = write_parts(path, meta_row(), INPUT)
    chunk = bytes(16 * 2**20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open("xl/media/image1.png", "w", force_zip64=True) as f:
        for _ in range(int(gigabytes * 2**30) // len(chunk)):
            f.write(chunk)
    return path


def declared_bomb(path: Path, declared: int = 3 * 2**30) -> Path:
    """A tiny file whose headers declare gigabytes unpacked (refused before a byte is inflated)."""
    path = write_parts(path, meta_row(), INPUT)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/image1.png", bytes(2**16))
    _patch_sizes(path, "xl/media/image1.png", declared)
    return path


def lying_zip(path: Path, declared: int = 4096) -> Path:
    """A sheet whose headers declare ``declared`` bytes while its data inflates to megabytes (a zip bomb that
    hides from the size checks): inflating must stop at the declared size."""
    filler = '<row><c><v>0</v></c></row>' * 400_000
    path = write_parts(path, meta_row() + filler + '<row r="999999"><c r="A999999"><v>5</v></c></row>',
                       {**meta_names(), "in_T2_done": "Sheet1!$A$999999"})
    _patch_sizes(path, "xl/worksheets/sheet1.xml", declared)
    return path


def oversized(path: Path, megabytes: int = 60) -> Path:
    """A sparse file bigger than any collection workbook (starts like a zip)."""
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(megabytes * 2**20)
    return path


def million_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A sheet with a million used rows whose wanted input sits on the last one (streamed, never held)."""
    path = write_parts(path, meta_row(), {**meta_names(), "in_T2_done": f"Sheet1!$A${rows + 1}"})
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            if name != sheet:
                z.writestr(name, body)
        with z.open(sheet, "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
                    + meta_row().encode())
            for start in range(2, rows + 2, 10_000):
                f.write("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                                for r in range(start, min(start + 10_000, rows + 1))).encode())
            f.write(f'<row r="{rows + 1}"><c r="A{rows + 1}"><v>7</v></c></row></sheetData></worksheet>'.encode())
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "billion-laughs": billion_laughs, "quadratic-blowup": quadratic_blowup, "external-entity": external_entity,
    "deep-nesting": deep_nesting, "zip-bomb-2GB": zip_bomb, "zip-bomb-declared-3GB": declared_bomb,
    "zip-lying-headers": lying_zip, "oversized-file": oversized, "million-rows": million_rows,
}
