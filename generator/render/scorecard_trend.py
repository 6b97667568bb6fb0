"""The scorecard's first sheet, compared with the previous round: level then and change beside each indicator,
percentage then and change beside each group's percentage, and the indicators new or dropped this round.

Lays out a DistrictChange (score/compare.py); decides and computes nothing."""

from __future__ import annotations

from typing import Mapping, Optional

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from generator.render import xlsx_style as xs
from generator.render.trend_context import round_label
from generator.report import RoundInfo
from generator.score.compare import NEW, DistrictChange, IndicatorChange
from generator.thai import thai_digits

FIRST_COL = 8                     # the overview sheet's own columns are A–H
NEW_TEXT = "ใหม่"
#: a change as a number, shown with its arrow: ▲ +1, ▼ −0.50, = 0
CHANGE_FORMATS = {"level": '"▲ "+0;"▼ "−0;"= "0', "pct": '"▲ "+0.00;"▼ "−0.00;"= "0.00',
                  "score": '"▲ "+0.####;"▼ "−0.####;"= "0'}


def _formats(st: xs.Styles) -> dict[str, Format]:
    """The change formats of this workbook (the shared named formats have no arrows)."""
    return {kind: st.wb.add_format({"border": 1, "border_color": "#A6A6A6", "valign": "top", "align": "center",
                                    "num_format": spec}) for kind, spec in CHANGE_FORMATS.items()}


def _change(ws: Worksheet, st: xs.Styles, row: int, value: Optional[float], fmt: Format) -> None:
    """A change as a number with its arrow (a dash when there is nothing to compare)."""
    if value is None:
        xs.text(ws, row, FIRST_COL + 1, xs.NONE_TEXT, st["text_c"])
    else:
        ws.write_number(row, FIRST_COL + 1, value, fmt)


def _indicator(ws: Worksheet, st: xs.Styles, row: int, ind: IndicatorChange, step: bool,
               formats: Mapping[str, Format]) -> None:
    if ind.trend == NEW:
        xs.text(ws, row, FIRST_COL, NEW_TEXT, st["text_c"])
        xs.text(ws, row, FIRST_COL + 1, "ตัวชี้วัดใหม่", st["text_c"])
        return
    xs.number(ws, row, FIRST_COL, ind.level_then, st["level"])
    _change(ws, st, row, ind.level_change if step else ind.change, formats["level" if step else "score"])


def _notes(change: DistrictChange) -> list[str]:
    """Lines under the table: no previous result, code changes, indicators dropped this round."""
    lines = []
    if not change.previous:
        lines.append("อำเภอนี้ไม่มีผลการประเมินในรอบก่อน จึงไม่มีการเปรียบเทียบ")
    mapped = {i.code: i.previous_code for i in change.indicators if i.code and i.previous_code
              and i.code != i.previous_code}
    if mapped:
        lines.append("เทียบกับรหัสเดิมของรอบก่อน: " + ", ".join(f"{now} เดิมคือ {old}" for now, old in mapped.items()))
    dropped = [i.previous_code + ("" if i.level_then is None else f" ระดับ {thai_digits(i.level_then)}")
               for i in change.dropped]
    if dropped:
        lines.append("ตัวชี้วัดของรอบก่อนที่ไม่มีในรอบนี้ (ไม่นำมาเปรียบเทียบ): " + ", ".join(dropped))
    return lines


def trend_columns(ws: Worksheet, st: xs.Styles, report: RoundInfo, change: DistrictChange,
                  placed: Mapping[str, int]) -> None:
    """Two columns beside the overview (then, change) and notes under it; ``placed``: rows from the overview."""
    ws.set_column(FIRST_COL, FIRST_COL, 11)
    ws.set_column(FIRST_COL + 1, FIRST_COL + 1, 12)
    previous = round_label(change.round_then)
    head = placed["head"]
    xs.merged(ws, head - 1, FIRST_COL, FIRST_COL + 1, f"เทียบกับ{previous}", st["section"])
    xs.text(ws, head, FIRST_COL, "ระดับรอบก่อน", st["head"])
    xs.text(ws, head, FIRST_COL + 1, "เปลี่ยนแปลง", st["head"])
    step, formats = report.mode == "step", _formats(st)
    for ind in change.indicators:
        if ind.code in placed:
            _indicator(ws, st, placed[ind.code], ind, step, formats)
    for key, group in change.groups.items():
        if key in placed:
            xs.number(ws, placed[key], FIRST_COL, group.pct_then, st["total_pct"])
            _change(ws, st, placed[key], group.change, formats["pct"])
    for i, line in enumerate(_notes(change)):
        xs.merged(ws, placed["end"] + i, 0, FIRST_COL + 1, line, st["note"])
