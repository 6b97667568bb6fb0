"""The indicator sheets of the collection workbook, laid out from the catalog (no per-indicator code)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from xlsxwriter.worksheet import Worksheet

from generator.catalog.model import Indicator, Input
from generator.render.forms_style import FONT, UNITS, Styles, paragraphs, validation
from generator.render.text_height import LINE_PT, MAX_ROW_PT, row_height
from generator.render.xlsx_fast import header_footer
from generator.thai import fmt_number, thai_digits

WIDTHS = (9.0, 38.0, 14.0, 11.0)         # A code/key, B label/criteria, C input, D unit
WIDE = sum(WIDTHS[1:])                   # criteria text spans B:D
INPUT_COL = 2
HEADER_ROWS = 2                          # title and column heads, repeated on every printed page
PAGE_PT = 700.0                          # A4 height left for blocks under the repeated heads (at 100 %)


def page_setup(ws: Worksheet, footer: str, repeat: bool = True) -> None:
    """A4 portrait, fit to one page wide, a Thai footer with page numbers, protected without a password."""
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    font = f'&"{FONT},Regular"&12'
    ws.set_footer(header_footer(f"&L{font}{{}}&R{font}หน้า &P / &N", footer), {"margin": 0.3})
    if repeat:
        ws.repeat_rows(0, HEADER_ROWS - 1)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    """A pre-filled value: numbers as numbers, dates as dates, anything else as text (never a formula)."""
    if isinstance(value, bool) or value is None:
        ws.write_string(row, col, "✓" if value else "", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value if isinstance(value, dt.datetime) else
                          dt.datetime(value.year, value.month, value.day), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def page_breaks(blocks: Sequence[tuple[int, float]]) -> list[int]:
    """Rows to start a new printed page at, so that a block that fits on one page is not split."""
    breaks, used = [], 0.0
    for start, height in blocks:
        if used and used + height > PAGE_PT:
            breaks.append(start)
            used = 0.0
        used = (used + height) % PAGE_PT if height > PAGE_PT else used + height
    return breaks


class GroupSheet:
    """Writes one group's indicators, top to bottom, and remembers where each input cell is."""

    def __init__(self, ws: Worksheet, st: Styles, heading: str, prefill: Mapping[str, Any]):
        self.ws, self.st, self.prefill = ws, st, prefill
        self.row = 0
        self.cells: dict[str, str] = {}
        self.heights: dict[int, float] = {}
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        ws.merge_range(0, 0, 0, 3, heading, st["subtitle"])
        ws.set_row(0, row_height(heading, sum(WIDTHS), 16, bold=True) + 4)
        for col, text in enumerate(("รหัส", "ตัวชี้วัด / เกณฑ์การประเมิน / รายการข้อมูล", "ข้อมูล", "หน่วย")):
            ws.write_string(1, col, text, st["colhead"])
        ws.set_row(1, LINE_PT + 4)
        ws.freeze_panes(HEADER_ROWS, 0)
        self.row = HEADER_ROWS

    def indicators(self, items: Sequence[Indicator]) -> dict[str, str]:
        """Write every indicator block; returns input key → absolute cell ($C$12)."""
        blocks = []
        for ind in items:
            start = self.row
            self.block(ind)
            blocks.append((start, sum(self.heights.get(r, LINE_PT) for r in range(start, self.row))))
        self.ws.set_h_pagebreaks(page_breaks(blocks))
        return self.cells

    def _height(self, row: int, points: float) -> None:
        """Set a row's height and remember it for the page breaks."""
        self.ws.set_row(row, points)
        self.heights[row] = points

    def block(self, ind: Indicator) -> None:
        """Code, title and weight; the criteria of levels 1..5; then the inputs; then a spacer row."""
        ws, st, r = self.ws, self.st, self.row
        weight = fmt_number(ind.weight)
        ws.write_string(r, 0, ind.code, st["ind_code"])
        ws.merge_range(r, 1, r, 3, ind.title, st["ind_title"])
        self._height(r, row_height(ind.title, WIDE, 15, bold=True))
        unit = f" · หน่วยวัด: {ind.unit}" if ind.unit else ""
        self._band(r + 1, f"น้ำหนัก {weight}{unit} · เกณฑ์การให้คะแนน")
        self.row = r + 2
        for level in sorted(ind.levels):
            self.criteria(f"ระดับ {thai_digits(level)}", paragraphs(ind.levels[level]))
        self._band(self.row, "ข้อมูลผลการดำเนินงาน (กรอกในช่องสีเหลือง)", heads=True)
        self.row += 1
        for inp in ind.inputs:
            self.input(inp)
        self.row += 1

    def _band(self, r: int, text: str, heads: bool = False) -> None:
        """A shaded sub-heading row (optionally with the column names of the input rows)."""
        st = self.st
        self.ws.write_string(r, 0, "", st["sub"])
        if heads:
            self.ws.write_string(r, 1, text, st["sub"])
            self.ws.write_string(r, 2, "ข้อมูล", st["sub"])
            self.ws.write_string(r, 3, "หน่วย", st["sub"])
        else:
            self.ws.merge_range(r, 1, r, 3, text, st["sub"])
        self._height(r, LINE_PT + 4)

    def criteria(self, label: str, text: str) -> None:
        """One level's full criterion, split over rows if it is taller than Excel allows one row to be."""
        chunks: list[str] = []
        for para in text.split("\n"):
            if chunks and row_height(chunks[-1] + "\n" + para, WIDE) < MAX_ROW_PT:
                chunks[-1] += "\n" + para
            else:
                chunks.append(para)
        first = self.row
        for chunk in chunks:
            self.ws.merge_range(self.row, 1, self.row, 3, chunk, self.st["criteria"])
            self._height(self.row, row_height(chunk, WIDE))
            self.row += 1
        if len(chunks) > 1:
            self.ws.merge_range(first, 0, self.row - 1, 0, label, self.st["level"])
        else:
            self.ws.write_string(first, 0, label, self.st["level"])

    def input(self, inp: Input) -> None:
        """Key, Thai label, the shaded input cell (validated, pre-filled if the province knows it) and unit."""
        ws, st, r = self.ws, self.st, self.row
        value = self.prefill.get(inp.key)
        prefilled = value is not None
        label = inp.label + (" (จังหวัดกรอกให้ ตรวจสอบได้)" if prefilled else "")
        fmt = st.input(inp.type, prefilled)
        ws.write_string(r, 0, inp.key, st["key"])
        ws.write_string(r, 1, label, st["label"])
        if inp.type == "text":
            ws.merge_range(r, 2, r, 3, "", fmt)
            height = max(row_height(label, WIDTHS[1]), 2 * LINE_PT + 4)
        else:
            unit = inp.unit or UNITS.get(inp.type, "")
            ws.write_string(r, 3, unit, st["unit"])
            height = max(row_height(label, WIDTHS[1]), row_height(unit, WIDTHS[3], 13), LINE_PT + 6)
        if prefilled:
            _write_value(ws, r, INPUT_COL, value, fmt)
        elif inp.type != "text":
            ws.write_blank(r, INPUT_COL, None, fmt)
        ws.data_validation(r, INPUT_COL, r, INPUT_COL, validation(inp.type, inp.help))
        self._height(r, height)
        self.cells[inp.key] = f"$C${r + 1}"
        self.row += 1
