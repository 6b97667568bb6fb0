"""Blank collection workbooks, one per district: cover, one sheet per indicator group, hidden _meta."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import xlsxwriter

from generator import __version__
from generator.catalog.model import Catalog
from generator.config import Round
from generator.filenames import safe_name
from generator.render.atomic import atomic_path
from generator.render.forms_cover import round_label, write_cover
from generator.render.forms_layout import GroupSheet, page_setup
from generator.render.forms_style import FONT, SIZE, make_styles
from generator.render.xlsx_fast import TextWorkbook
from generator.score.results import District

META_SHEET = "_meta"
COVER_SHEET = "ปก"
META_NAMES = ("meta_round_id", "meta_district_code", "meta_form_version")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\']")


def form_name(district: District) -> str:
    """The file name of a district's form: ``<code>-<Thai name>.xlsx``, made safe (generator.filenames)."""
    return safe_name(district.label, ".xlsx")


def sheet_names(catalog: Catalog) -> dict[str, str]:
    """A valid, unique Excel sheet name for every indicator group (its Thai name)."""
    out: dict[str, str] = {}
    for g in catalog.groups:
        base = _BAD_SHEET.sub("_", g.name).strip()[:31] or g.key
        name, n = base, 2
        while name in out.values() or name in (COVER_SHEET, META_SHEET):
            name, n = f"{base[:28]} {n}", n + 1
        out[g.key] = name
    return out


def _ref(sheet: str, cell: str) -> str:
    """A workbook-scope reference to one cell, the sheet name quoted."""
    return "='" + sheet.replace("'", "''") + "'!" + cell


def _write_meta(wb: xlsxwriter.Workbook, rnd: Round, catalog: Catalog, district: District) -> None:
    """The hidden _meta sheet; its first three values carry the defined names readers match on."""
    ws = wb.add_worksheet(META_SHEET)
    rows = (("meta_round_id", rnd.id), ("meta_district_code", district.code),
            ("meta_form_version", rnd.form_version), ("catalog_id", catalog.id),
            ("district_name", district.name), ("generator", f"kpi-report {__version__}"))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    for r, (name, value) in enumerate(rows):
        ws.write_string(r, 0, name)
        ws.write_string(r, 1, str(value))
        if name in META_NAMES:
            wb.define_name(name, _ref(META_SHEET, f"$B${r + 1}"))
    ws.protect("")
    ws.hide()


def write_form(path: Path, round: Round, catalog: Catalog, district: District) -> None:
    """Write one district's blank collection workbook to ``path`` (temporary name, then renamed)."""
    with atomic_path(Path(path)) as tmp:
        wb = TextWorkbook(str(tmp), {
            "constant_memory": False, "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_format_properties": {"font_name": FONT, "font_size": SIZE}})
        try:
            _fill(wb, round, catalog, district)
        finally:
            wb.close()


def _fill(wb: xlsxwriter.Workbook, rnd: Round, catalog: Catalog, district: District) -> None:
    """Everything inside the workbook: properties, cover, group sheets, defined names, _meta."""
    created = dt.datetime.combine(rnd.period_end, dt.time(8, 30))
    wb.set_properties({"title": f"แบบรายงานผลการดำเนินงานตามตัวชี้วัด อำเภอ{district.name}",
                       "subject": round_label(rnd), "author": rnd.office, "manager": rnd.office,
                       "company": rnd.office, "category": rnd.id, "keywords": f"{rnd.id}, {district.code}",
                       "comments": f"kpi-report {__version__}", "created": created})
    st = make_styles(wb)
    sheets = sheet_names(catalog)
    footer = f"อำเภอ{district.name} จังหวัด{rnd.province} · {round_label(rnd)}"
    cover = wb.add_worksheet(COVER_SHEET)
    write_cover(cover, st, rnd, catalog, district, sheets)
    page_setup(cover, footer, repeat=False)
    cover.fit_to_pages(1, 1)
    for g in catalog.groups:
        ws = wb.add_worksheet(sheets[g.key])
        heading = f"{g.name} — อำเภอ{district.name} ({round_label(rnd, short=True)})"
        cells = GroupSheet(ws, st, heading, district.prefill).indicators(catalog.in_group(g.key))
        for key, cell in cells.items():
            wb.define_name(f"in_{key}", _ref(sheets[g.key], cell))
        page_setup(ws, footer)
    _write_meta(wb, rnd, catalog, district)
    cover.activate()


def write_forms(round: Round, catalog: Catalog, out_dir: Path) -> list[Path]:
    """Write every district's form into ``out_dir``; returns the paths in district order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for district in round.districts:
        path = out_dir / form_name(district)
        write_form(path, round, catalog, district)
        paths.append(path)
    return paths
