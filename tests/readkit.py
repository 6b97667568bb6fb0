"""Test helpers for the read layer: write collection workbooks the way a district returns them."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any, Mapping, Optional

import xlsxwriter

from generator.catalog.model import Catalog

SHEET = "แบบเก็บข้อมูล ตัวชี้วัด"  # a Thai sheet name with a space: names must quote it
META_SHEET = "_meta"


def write_form(path: Path, catalog: Catalog, values: Mapping[str, Any] = {}, *, district: str = "3101",
               round_id: str = "2565-r2", form_version: str = "1", formats: Mapping[str, str] = {},
               formulas: Mapping[str, tuple[str, Any]] = {}, inserted_rows: int = 0,
               names: Mapping[str, Optional[str]] = {}, mtime: Optional[float] = None, sheet: str = SHEET,
               names_sheet: Optional[str] = None, merge: Mapping[str, int] = {},
               saved: Optional[dt.datetime] = None) -> Path:
    """A filled collection workbook: inputs in column C under each indicator's criteria, named in_<key>.

    ``formats``: key → number format; ``formulas``: key → (formula, cached value or None for none);
    ``inserted_rows``: rows a district inserted at the top (every cell and name moves down);
    ``names``: defined name → target text to force (e.g. ``#REF!``), or None to leave the name out;
    ``sheet``: the input sheet's name, and ``names_sheet`` the one the names point at (a rename the names
    did not follow); ``merge``: key → first column (1 = B: the input is covered and its value lost as Excel
    does; 2 = C: the input is the top-left) of a merge through column D; ``saved``: Excel's last-saved time (a fixed one by default).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    # a fixed save time unless asked (xlsxwriter's default, now, made two forms written a second apart differ)
    wb.set_properties({"created": saved or dt.datetime(2022, 10, 3, 9, 0)})
    ws = wb.add_worksheet(sheet)
    meta = wb.add_worksheet(META_SHEET)
    meta.hide()
    date_fmt = wb.add_format({"num_format": "d/m/yyyy"})
    merged = wb.add_format({"valign": "top"})  # a merge writes its other cells blank only with a format
    styles: dict[str, Any] = {}

    def style(key: str) -> Any:
        """The cell format of an input's number format, made once per format."""
        code = formats.get(key)
        return styles.setdefault(code, wb.add_format({"num_format": code})) if code else None

    targets: dict[str, str] = {}
    for i, (field, value) in enumerate((("round_id", round_id), ("district_code", district),
                                        ("form_version", form_version))):
        meta.write_string(i, 0, field)
        meta.write_string(i, 1, value)
        targets[f"meta_{field}"] = f"{META_SHEET}!$B${i + 1}"
    for r in range(inserted_rows):
        ws.write_string(r, 0, f"แถวที่อำเภอแทรก {r + 1}")
        ws.write_number(r, 2, 999_999)
    row = inserted_rows
    ws.write_string(row, 0, "แบบเก็บข้อมูลผลการปฏิบัติราชการ")
    row += 2
    for ind in catalog.indicators:
        ws.write_string(row, 0, f"{ind.code} {ind.title} (น้ำหนัก {ind.weight:g})")
        row += 1
        for level, criterion in sorted(ind.levels.items()):
            ws.write_string(row, 0, f"ระดับ {level}")
            ws.write_string(row, 1, criterion)
            row += 1
        for inp in ind.inputs:
            ws.write_string(row, 1, inp.label)
            ws.write_string(row, 3, inp.unit)
            _write(ws, row, inp.key, values.get(inp.key), formulas.get(inp.key), style(inp.key), date_fmt)
            if inp.key in merge:
                first = merge[inp.key]
                ws.merge_range(row, first, row, 3, inp.label if first == 1 else "", merged)
                if first == 2:
                    _write(ws, row, inp.key, values.get(inp.key), formulas.get(inp.key), style(inp.key), date_fmt)
            targets[inp.name] = f"'{names_sheet or sheet}'!$C${row + 1}"
            row += 1
        row += 1
    for name, target in {**targets, **names}.items():
        if target is not None:
            wb.define_name(name, f"={target}")
    wb.close()
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _write(ws: Any, row: int, key: str, value: Any, formula: Optional[tuple[str, Any]], fmt: Any,
           date_fmt: Any) -> None:
    """Write one input cell as Excel would store what the district typed."""
    if formula is not None:
        text, cached = formula
        ws.write_formula(row, 2, text, fmt, "" if cached is None else cached)
    elif isinstance(value, bool):
        ws.write_boolean(row, 2, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, 2, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, 2, value, fmt or date_fmt)
    elif isinstance(value, str):
        ws.write_string(row, 2, value, fmt)


def full_inputs(catalog: Catalog) -> dict[str, Any]:
    """A plausible value of every input of the catalog, as a district types it (one per type)."""
    sample = {"money": 1234.5, "int": 12, "pct": 85, "bool": True, "date": dt.datetime(2022, 8, 1),
              "text": "แฟ้มหลักฐาน ๑"}
    return {inp.key: sample[inp.type] for inp in catalog.inputs()}


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def write_parts(path: Path, sheet_data: str, names: Mapping[str, str], *, strings: tuple[str, ...] = (),
                styles: str = "", prolog: str = "", sheet: str = "Sheet1") -> Path:
    """A minimal xlsx written by hand: one sheet with ``sheet_data`` (the <sheetData> content), shared
    ``strings`` (each the inner XML of an <si>), and the
    workbook-scope ``names`` (name → target); ``prolog`` goes before the sheet's root element (e.g. a DTD)."""
    doc = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    defined = "".join(f'<definedName name="{n}">{t}</definedName>' for n, t in names.items())
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    parts = {
        "[Content_Types].xml": f'{doc}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'{doc}<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
                       f'Type="{REL_NS}/officeDocument"/></Relationships>',
        "xl/workbook.xml": f'{doc}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="{sheet}" '
                           f'sheetId="1" r:id="rId1"/></sheets><definedNames>{defined}</definedNames></workbook>',
        "xl/worksheets/sheet1.xml": f'{doc}{prolog}<worksheet xmlns="{MAIN_NS}"><sheetData>{sheet_data}</sheetData>'
                                    "</worksheet>",
    }
    if strings:
        sis = "".join(f"<si>{s}</si>" for s in strings)
        parts["xl/sharedStrings.xml"] = f'{doc}<sst xmlns="{MAIN_NS}">{sis}</sst>'
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
    if styles:
        parts["xl/styles.xml"] = f'{doc}<styleSheet xmlns="{MAIN_NS}">{styles}</styleSheet>'
        rels.append(("rId3", "styles", "styles.xml"))
    parts["xl/_rels/workbook.xml.rels"] = f'{doc}<Relationships xmlns="{PKG_NS}">' + "".join(
        f'<Relationship Id="{i}" Type="{REL_NS}/{kind}" Target="{t}"/>' for i, kind, t in rels) + "</Relationships>"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def meta_names(sheet: str = "Sheet1", row: int = 1) -> dict[str, str]:
    """Defined names of the three meta cells at A{row}:C{row} of a hand-written sheet."""
    return {f"meta_{f}": f"{sheet}!${c}${row}" for f, c in (("round_id", "A"), ("district_code", "B"),
                                                             ("form_version", "C"))}


def meta_row(row: int = 1, district: str = "3101") -> str:
    """The <row> of meta cells that meta_names() points at, as inline strings."""
    cells = "".join(f'<c r="{c}{row}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for c, v in (("A", "2565-r2"), ("B", district), ("C", "1")))
    return f'<row r="{row}">{cells}</row>'
