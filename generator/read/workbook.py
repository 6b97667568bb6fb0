"""A returned collection workbook → its meta and the raw input cells, found by defined name (never by position)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from lxml import etree

from generator.catalog.model import Catalog, Input
from generator.problems import Problem
from generator.read.safety import Unsafe, open_zip
from generator.read.values import CellError, Uncomputed, clean, from_excel
from generator.read.xlsx import (
    RawCell, column_letters, column_number, is_date_format, number_formats, read_book, remembered, saved_at,
    scan_sheet, shared_strings, unescape,
)

META = {"round_id": "meta_round_id", "district_code": "meta_district_code", "form_version": "meta_form_version"}
_REF = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?")


@dataclass(frozen=True)
class Cell:
    """One named cell: where it is, its raw value (see values.py) and its number format."""

    sheet: str
    ref: str
    value: Any
    number_format: str = "General"

    @property
    def address(self) -> str:
        """``Sheet!B12`` as the clerk finds it in the workbook."""
        return f"{self.sheet}!{self.ref}"


@remembered(4096, 200)
def _reference(text: str) -> Optional[tuple[str, str]]:
    """The (sheet, ref) a defined name's text points at, if one cell."""
    match = _REF.fullmatch(text)
    if not match:
        return None
    return match[1].replace("''", "'") if match[1] else match[2], f"{match[3].upper()}{int(match[4])}"


def _target(text: str, sheets: dict[str, str]) -> tuple[Optional[tuple[str, str]], str]:
    """The (sheet, ref) a defined name points at, the sheet named as the workbook names it (Excel ignores case),
    or None and the sheet it names when that sheet is not in the file ('' for #REF!, several areas or no cell)."""
    place = _reference(text)
    if place is None:
        return None, ""
    sheet = _sheet_named(place[0], tuple(sheets))
    return ((sheet, place[1]) if sheet is not None else None), place[0]


@remembered(64, 64)
def _sheet_named(name: str, sheets: tuple[str, ...]) -> Optional[str]:
    """The sheet of this name, matched as Excel matches sheet names (ignoring case), or None."""
    if name in sheets:
        return name
    return next((sheet for sheet in sheets if sheet.casefold() == name.casefold()), None)


def _name_problem(name: str, text: Optional[str], catalog_input: Any) -> Problem:
    """A defined name that is missing or points nowhere (the layout was broken, or an old form)."""
    missing = text is None
    why = f"ไม่พบชื่อ {name} ในไฟล์" if missing else f"ชื่อ {name} ชี้ไปที่ {text or '(ว่าง)'} ซึ่งไม่ใช่เซลล์"
    return Problem("error", "name-missing" if missing else "name-broken",
                   f"{why} (แถว/เซลล์ถูกลบ หรือแบบถูกแก้ไข): ใช้แบบเก็บข้อมูลของจังหวัดกรอกใหม่"
                   f" (defined name {'missing' if missing else 'broken'})",
                   key=getattr(catalog_input, "key", ""), indicator=getattr(catalog_input, "indicator", ""),
                   value=text or "")


def _sheet_problem(sheet: str, names: list[str]) -> Problem:
    """Names that point at a sheet the file does not have: one problem for the whole file."""
    more = f" และอีก {len(names) - 1} ชื่อ" if len(names) > 1 else ""
    return Problem("error", "sheet-missing", f"ไม่พบแผ่นงาน '{sheet}' ที่ชื่อ {names[0]}{more} ชี้ไป"
                                             " (แผ่นงานถูกลบ หรือเปลี่ยนชื่อด้วยโปรแกรมที่ไม่ปรับชื่อตาม):"
                                             f" เปลี่ยนชื่อแผ่นงานกลับเป็น '{sheet}' หรือใช้แบบของจังหวัดกรอกใหม่"
                                             " (defined names point at a missing sheet)", value=sheet)


def _merged_problem(name: str, sheet: str, ref: str, span: tuple[int, int, int, int], catalog_input: Any) -> Problem:
    """An input cell covered by merged cells whose top-left cell is another one: Excel kept only that one's value."""
    first, last = f"{column_letters(span[1])}{span[0]}", f"{column_letters(span[3])}{span[2]}"
    return Problem("error", "merged-input", f"เซลล์ {ref} ถูกผสาน (merge) รวมใน {first}:{last} ค่าที่กรอกในเซลล์นี้จึงหายไป:"
                                            f" ยกเลิกการผสานเซลล์ แล้วกรอกค่าในเซลล์ {ref} ใหม่ (input cell inside merged"
                                            " cells)", sheet=sheet, cell=ref, key=getattr(catalog_input, "key", ""),
                   indicator=getattr(catalog_input, "indicator", ""), value=f"{first}:{last}")


@functools.lru_cache(maxsize=4096)
def _position(ref: str) -> tuple[int, int]:
    """The (row, column) numbers of a ref such as ``C12``."""
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]), column_number(letters)


@remembered(16, 4096)
def _covered(spans: tuple[tuple[int, int, int, int], ...],
             refs: frozenset[str]) -> dict[str, tuple[int, int, int, int]]:
    """The first merged range that covers each of the cells without starting at it, for those it covers (shared:
    not to be changed; every district's form has the same merges and input cells)."""
    if not spans:
        return {}
    cells = sorted((*_position(ref), ref) for ref in refs)
    rows = [row for row, _, _ in cells]
    out: dict[str, tuple[int, int, int, int]] = {}
    for span in spans:
        for row, col, ref in cells[bisect.bisect_left(rows, span[0]):bisect.bisect_right(rows, span[2])]:
            if span[1] <= col <= span[3] and (row, col) != span[:2]:
                out.setdefault(ref, span)
    return out


def _input(catalog: Catalog, name: str) -> Optional[Input]:
    """The catalog input a defined name belongs to (None for the meta names)."""
    return {inp.name: inp for inp in catalog.inputs()}.get(name)


def _cells(z: zipfile.ZipFile, names: list[str], catalog: Catalog) -> tuple[dict[str, Cell], list[Problem]]:
    """Every wanted defined name of an opened xlsx as a Cell, or a Problem."""
    book = read_book(z)
    if not any(n.lower() in book.names for n in names):
        raise Unsafe("not-a-form", "ไม่ใช่แบบเก็บข้อมูลของจังหวัด (ไม่มีชื่อ meta_* และ in_* ในไฟล์):"
                                   " ให้อำเภอกรอกแบบที่จังหวัดส่งให้ (not a collection workbook)")
    problems: list[Problem] = []
    places: dict[str, Any] = {}
    lost: dict[str, list[str]] = {}
    for name in names:
        text = book.names.get(name.lower())
        place, sheet = (None, "") if text is None else _target(text, book.sheets)
        if place is not None:
            places[name] = place
        elif sheet:
            lost.setdefault(sheet, []).append(name)
        else:
            problems.append(_name_problem(name, text, _input(catalog, name)))
    problems += [_sheet_problem(sheet, lost[sheet]) for sheet in sorted(lost)]
    found: dict[str, dict[str, RawCell]] = {}
    for sheet in sorted({sheet for sheet, _ in places.values()}):
        refs = {name: ref for name, (s, ref) in places.items() if s == sheet}
        found[sheet], spans = scan_sheet(z, book.sheets[sheet], set(refs.values()))
        covered = _covered(tuple(spans), frozenset(refs.values()))
        for name in [name for name, ref in refs.items() if ref in covered]:
            problems.append(_merged_problem(name, sheet, refs[name], covered[refs[name]], _input(catalog, name)))
            del places[name]
    wanted = {int(c.v) for cells in found.values() for c in cells.values() if c.kind == "s" and c.v and c.v.strip()}
    strings = shared_strings(z, book.strings, wanted)
    formats = number_formats(z, book.styles)
    cells = {}
    for name, (sheet, ref) in places.items():
        c = found[sheet].get(ref)
        fmt = formats[c.style] if c is not None and c.style < len(formats) else "General"
        cells[name] = Cell(sheet, ref, None if c is None else cell_value(c, fmt, book.date1904, strings), fmt)
    return cells, problems


def cell_value(cell: RawCell, fmt: str, date1904: bool, strings: dict[int, str]) -> Any:
    """The raw value of a cell: str, float, bool, datetime, CellError, Uncomputed or None (empty).

    A formula without a cached value (no <v>, or an empty one where the result is not text) is Uncomputed; a
    text formula's empty <v> is its cached empty text."""
    kind, v = cell.kind, cell.v
    blank = v is None or (kind != "str" and not v.strip())
    if cell.formula is not None and blank and kind != "inlineStr":
        return Uncomputed(cell.formula)
    if kind == "inlineStr":
        return cell.inline
    if blank or v is None:
        return None
    if kind == "s":
        return strings.get(int(v))
    if kind == "str":
        return unescape(v)
    if kind == "b":
        return v.strip() in ("1", "true")
    if kind == "e":
        return CellError(v.strip())
    if kind == "d":
        return dt.datetime.fromisoformat(v.strip())
    number = float(v)
    return from_excel(number, date1904) if is_date_format(fmt) and 0 <= number < 2958466 else number


def _meta_text(value: Any) -> str:
    """A meta value as text: codes typed as numbers lose their '.0'; Thai digits become Arabic."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value) if isinstance(value, str) else ""


def read_workbook(path: Path, catalog: Catalog) -> tuple[dict, list[Problem]]:
    """{"meta": {round_id, district_code, form_version}, "cells": {key: Cell}, "saved": datetime|None}, problems.

    Problems with a key belong to that input's indicator; the others are about the whole file (an
    unreadable file gives an empty dict and one problem). Never raises for a bad file.
    """
    inputs = catalog.inputs()
    names = [i.name for i in inputs]
    try:
        with open_zip(path) as z:
            cells, problems = _cells(z, [*META.values(), *names], catalog)
            saved = saved_at(z)
    except Unsafe as unsafe:
        return {}, [Problem("error", unsafe.code, unsafe.message)]
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        return {}, [Problem("error", "damaged-zip", f"ไฟล์เสียหาย อ่านไม่ได้ ({type(e).__name__}):"
                                                    " ขอให้อำเภอส่งไฟล์ใหม่ (damaged workbook)")]
    except KeyError as e:  # a part the workbook's relationships name is not in the zip
        return {}, [Problem("error", "missing-part", f"ไฟล์ไม่ครบ: ไม่มีส่วน {e} ที่ไฟล์อ้างถึง: เปิดไฟล์ใน Excel"
                                                     " แล้วบันทึกเป็น .xlsx อีกครั้ง หรือขอไฟล์ใหม่ (workbook part missing)")]
    except etree.LxmlError as e:
        return {}, [Problem("error", "bad-xml", f"ไฟล์เสียหาย: ข้อมูลภายในไฟล์ (XML) ผิดรูปแบบ ({e}): เปิดไฟล์ใน Excel"
                                                " แล้วบันทึกเป็น .xlsx อีกครั้ง (malformed XML)")]
    except Exception as e:  # noqa: BLE001 - untrusted input: whatever else breaks is this file's problem, not the run's
        return {}, [Problem("error", "unreadable", f"อ่านไฟล์ไม่ได้ ({type(e).__name__}: {e}): เปิดไฟล์ใน Excel"
                                                   " แล้วบันทึกเป็น .xlsx อีกครั้ง (unreadable workbook)")]
    meta = {}
    for field, name in META.items():
        meta[field] = _meta_text(cells[name].value) if name in cells else ""
        if name in cells and not meta[field]:
            problems.append(Problem("error", "meta-empty", f"เซลล์ {name} ว่าง: ใช้แบบเก็บข้อมูลของจังหวัดกรอกใหม่"
                                                           " (meta value empty)", sheet=cells[name].sheet,
                                    cell=cells[name].ref))
    return {"meta": meta, "cells": {i.key: cells[n] for i, n in zip(inputs, names) if n in cells}, "saved": saved}, problems
