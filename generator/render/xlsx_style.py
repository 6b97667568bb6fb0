"""Shared look and safe writing for the Excel outputs (scorecards, summary): fonts, formats,
level colours, A4 print set-up, row heights for wrapped Thai text, reproducible properties."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, Iterable, Mapping

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

import generator
from generator.domain import SEVERITY_TH, STATUS_TH  # noqa: F401 - the renderers' labels, named here
from generator.render import fastpath
from generator.render.text_height import FONT, LINE_PT, MAX_ROW_PT, SIZE, lines_needed
from generator.render.xlsx_fast import header_footer
from generator.report import RoundInfo
from generator.thai import be_date, be_date_short, thai_digits

#: xlsx_fast's FastWorkbook where this xlsxwriter release is proven, else xlsxwriter's own Workbook (fastpath.py)
FastWorkbook = fastpath.workbook_class()

ROW_PT = 22                    # default row height

#: Fill colours by level: 0 red … 5 green.
LEVEL_FILLS = {0: "#F8696B", 1: "#FA9D75", 2: "#FCC17C", 3: "#FFEB84", 4: "#B1D580", 5: "#63BE7B"}
MODE_TH = {"step": "แบบขั้นบันได (step): คะแนนเท่ากับระดับที่ได้",
           "interpolate": "แบบเทียบสัดส่วนระหว่างระดับ (interpolate)"}
NONE_TEXT = "–"

_BORDER = {"border": 1, "border_color": "#A6A6A6", "valign": "top"}
#: Named cell formats; every writer asks ``Styles`` for these names, never builds its own.
SPECS: Mapping[str, Mapping[str, Any]] = {
    "title": {"bold": True, "font_size": 18},
    "subtitle": {"font_size": 15},
    "label": {"bold": True},
    "label_r": {"bold": True, "align": "right"},
    "plain": {"valign": "top", "text_wrap": True},
    "head": {**_BORDER, "bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "align": "center", "valign": "vcenter"},
    "block": {**_BORDER, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "font_size": 15},
    "section": {**_BORDER, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True},
    "text": {**_BORDER, "text_wrap": True},
    "text_c": {**_BORDER, "text_wrap": True, "align": "center"},
    "text_b": {**_BORDER, "text_wrap": True, "bold": True},
    "code": {**_BORDER, "bold": True, "align": "center"},
    "int": {**_BORDER, "num_format": "#,##0"},
    "weight": {**_BORDER, "num_format": "General", "align": "center"},
    "num": {**_BORDER, "num_format": "#,##0.00"},
    "pct": {**_BORDER, "num_format": "0.00"},
    "level": {**_BORDER, "num_format": "0", "align": "center", "bold": True},
    "score": {**_BORDER, "num_format": "0.00", "align": "center"},
    "total": {**_BORDER, "num_format": "0.0000", "bold": True, "align": "center"},
    "total_pct": {**_BORDER, "num_format": "0.00", "bold": True, "align": "center"},
    "error": {**_BORDER, "text_wrap": True, "font_color": "#9C0006"},
    "warning": {**_BORDER, "text_wrap": True, "font_color": "#7F6000"},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    "hint": {"italic": True, "font_color": "#595959"},
}


class Styles(dict):
    """The named formats of one workbook, made on first use (a format is bound to its workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        super().__init__()
        self.wb = wb
        self.levels = {k: wb.add_format({"bg_color": c, "font_color": "#000000"}) for k, c in LEVEL_FILLS.items()}

    def __missing__(self, name: str) -> Format:
        made = self[name] = self.wb.add_format(dict(SPECS[name]))
        return made


def new_workbook(path: Path, report: RoundInfo, title: str) -> tuple[xlsxwriter.Workbook, Styles]:
    """A workbook in the Thai font, never turning text into formulas, with pinned document properties."""
    wb = FastWorkbook(str(path), {
        "in_memory": True,  # fixed zip timestamps: same input, same bytes
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": SIZE},
    })
    created = dt.datetime.combine(report.round.letter.date, dt.time())  # not now(): same input, same bytes
    wb.set_properties({
        "title": title, "subject": report.catalog.title, "author": report.round.office,
        "manager": report.round.office, "company": report.round.office, "category": report.round.id,
        "keywords": f"kpi-report, {report.round.id}", "created": created,
        "comments": f"สร้างโดย kpi-report {generator.__version__}",
    })
    return wb, Styles(wb)


def print_setup(ws: Worksheet, repeat: tuple[int, int] | None = None, header: str = "") -> None:
    """A4 landscape, fit to one page wide, Thai footer with page numbers, repeated header rows."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    font = f'&"{FONT},Regular"&12 '
    if header:
        ws.set_header(header_footer(f"&R{font}{{}}", header))
    ws.set_footer(f"&C{font}หน้า &P / &N")
    ws.set_default_row(ROW_PT)
    if repeat is not None:
        ws.repeat_rows(*repeat)


def level_colours(ws: Worksheet, st: Styles, ranges: list[tuple[int, int, int, int]]) -> None:
    """Colour cells by the level they hold (numbers only: a blank or a dash is no level), one rule per
    level over all ``ranges``. The formula is relative to the first range's top-left cell, which
    must also be the top-left of them all (LibreOffice counts from there); otherwise rules per range."""
    if not ranges:
        return
    top = (min(r[0] for r in ranges), min(r[1] for r in ranges))
    if tuple(ranges[0][:2]) != top:
        for r in ranges:
            level_colours(ws, st, [r])
        return
    cell = xl_rowcol_to_cell(*top)
    refs = " ".join(xl_range(*r) for r in ranges)
    for level, fmt in st.levels.items():
        ws.conditional_format(*ranges[0], {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}={level})",
                                           "format": fmt, "multi_range": refs})


def be_period(report: RoundInfo) -> str:
    """The round's period as Thai officials write it."""
    r = report.round
    return f"{be_date(r.period_start)} – {be_date(r.period_end)}"


def round_title(report: RoundInfo) -> str:
    """ปีงบประมาณ พ.ศ. ๒๕๖๕ รอบการประเมินที่ ๒."""
    r = report.round
    return f"ปีงบประมาณ พ.ศ. {thai_digits(r.fiscal_year)} รอบการประเมินที่ {thai_digits(r.number)}"


def text(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write text as text, always (a district's '=SUM(A1)' stays a string)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def typed(ws: Worksheet, row: int, col: int, val: Any, fmt: Format | None = None, num: Format | None = None) -> None:
    """Write a typed value as read: numbers as numbers (in ``num``), bools as ✓/✗, dates in Thai BE,
    the rest as text."""
    if val is None or val == "":
        text(ws, row, col, NONE_TEXT if val is None else "", fmt)
    elif isinstance(val, bool):
        text(ws, row, col, "✓ ใช่" if val else "✗ ไม่ใช่", fmt)
    elif isinstance(val, (int, float)) and math.isfinite(val):
        ws.write_number(row, col, val, num or fmt)
    elif isinstance(val, dt.date):
        text(ws, row, col, be_date_short(val, thai=False), fmt)
    else:
        text(ws, row, col, val, fmt)


def number(ws: Worksheet, row: int, col: int, val: float | int | None, fmt: Format) -> None:
    """A number, or an empty cell when there is none (an unscored indicator)."""
    if val is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, val, fmt)



def fit_row(ws: Worksheet, row: int, cells: Iterable[tuple[str, float]], minimum: float = ROW_PT) -> float:
    """Set a row tall enough for its wrapped texts: ``cells`` are (text, width in column units); return its height."""
    lines = 1
    for text, width in cells:
        if text:
            lines = max(lines, lines_needed(text if text.__class__ is str else str(text), width))
    height = max(minimum, ROW_PT if lines == 1 else lines * LINE_PT + 4)
    height = min(height, MAX_ROW_PT)
    if height != ROW_PT:
        ws.set_row(row, height)
    return height


def widths(ws: Worksheet, cols: Iterable[float]) -> list[float]:
    """Set column widths from a list; return it for row-height fitting."""
    out = list(cols)
    for i, w in enumerate(out):
        ws.set_column(i, i, w)
    return out


def merged(ws: Worksheet, row: int, first_col: int, last_col: int, val: str, fmt: Format) -> None:
    """Merge cells of one row and write text into them as text."""
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, "" if val is None else str(val), fmt)
    else:
        text(ws, row, first_col, val, fmt)


def name_cell(wb: xlsxwriter.Workbook, name: str, sheet: str, row: int, col: int) -> None:
    """A workbook-scope defined name pointing at one cell."""
    wb.define_name(name, f"='{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}")
