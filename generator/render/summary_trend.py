"""The summary's comparison with the previous round: a sheet of district × round (percentage, band and rank then
and now, with the change), the province's percentage per round with a native chart, new and dropped indicators.

Lays out the report's RoundComparison; decides and computes nothing."""

from __future__ import annotations

import os

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.render import xlsx_style as xs
from generator.render.summary import Col, _sheet, _table
from generator.render.trend_context import round_label
from generator.report import RoundReport

TREND = "เทียบรอบก่อน"
MOVE_TH = {1: "เลื่อนขึ้น", -1: "ลดลง", 0: ""}


def _short(round_id: str) -> str:
    """A column head for a round: 'รอบ ๒/๒๕๖๕' for 2565-r2, else the id."""
    label = round_label(round_id)
    parts = label.split()
    return f"รอบ {parts[1]}/{parts[-1]}" if label.startswith("รอบการประเมินที่ ") and len(parts) >= 5 else round_id


def _relative(path: str, report: RoundReport) -> str:
    """A path as named from the round folder."""
    return os.path.relpath(path, report.round.directory).replace(os.sep, "/")


def trend_sheet(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    """The comparison sheet with its chart (only for a round compared with a previous one)."""
    c = report.comparison
    if c is None:
        return
    then, now = _short(c.previous_id), _short(report.round.id)
    groups = report.catalog.groups
    cols = [Col("รหัส", 7, "text_c"), Col("อำเภอ", 16)]
    for g in groups:  # a table's headers are unique: each names its group
        short = g.name.replace("ตัวชี้วัด", "")
        cols += [Col(f"ร้อยละ{short} ก่อน ({then})", 10, "total_pct"), Col(f"ร้อยละ{short} นี้ ({now})", 10, "total_pct"),
                 Col(f"เปลี่ยนแปลง ({short})", 10, "score"), Col(f"ผล{short} ก่อน ({then})", 11, "text_c"),
                 Col(f"ผล{short} นี้ ({now})", 11, "text_c"), Col(f"ระดับผล ({short})", 9, "text_c"),
                 Col(f"อันดับ{short} ก่อน ({then})", 8, "int"), Col(f"อันดับ{short} นี้ ({now})", 8, "int"),
                 Col(f"อันดับดีขึ้น ({short})", 9, "int")]
    per_group = (len(cols) - 2) // max(1, len(groups))
    ws, row = _sheet(wb, st, report, TREND, f"ผลการประเมินเทียบกับ{round_label(c.previous_id)} รายอำเภอ", cols)
    for i, g in enumerate(groups):
        first = 2 + i * per_group
        xs.merged(ws, row, first, first + per_group - 1, g.name, st["block"])
    rows = []
    for d in c.districts.values():
        cells: list = [d.code, d.name]
        for g in groups:
            x = d.groups[g.key]
            cells += [x.pct_then, x.pct_now, x.change, x.band_then or xs.NONE_TEXT, x.band_now or xs.NONE_TEXT,
                      MOVE_TH[x.band_move], x.rank_then, x.rank_now, x.rank_change]
        rows.append(cells)
    end = _table(ws, st, row + 1, 0, "tbl_trend", cols, rows)
    note = ("เปลี่ยนแปลง = ร้อยละรอบนี้ − ร้อยละรอบก่อน; ระดับผลของทั้งสองรอบใช้เกณฑ์ของรอบนี้; อันดับดีขึ้น = "
            "อันดับรอบก่อน − อันดับรอบนี้; ช่องว่าง = ไม่มีผลในรอบนั้น")
    xs.merged(ws, end + 1, 0, len(cols) - 1, note, st["note"])
    ws.repeat_rows(0, row + 1)
    ws.freeze_panes(row + 2, 2)
    province = end + 3
    _province(wb, ws, st, report, province)


def _province(wb: Workbook, ws: Worksheet, st: xs.Styles, report: RoundReport, row: int) -> None:
    """The province's percentage per round (a small table) and its native chart beside it; indicator changes under."""
    c = report.comparison
    assert c is not None
    groups = report.catalog.groups
    cols = [Col("รอบการประเมิน", 16)] + [Col(f"ร้อยละ{g.name}", 12, "total_pct") for g in groups]
    xs.merged(ws, row, 0, len(cols) - 1, "ร้อยละเฉลี่ยของจังหวัด (ค่าเฉลี่ยร้อยละของอำเภอที่ได้รับการประเมิน)", st["label"])
    rows = [[_short(p.round_id)] + [p.pct.get(g.key) for g in groups] for p in c.province]
    end = _table(ws, st, row + 1, 0, "tbl_province", cols, rows)
    chart = wb.add_chart({"type": "column"})
    font = {"name": xs.FONT, "size": 12}
    for i, g in enumerate(groups, start=1):
        chart.add_series({"name": g.name, "categories": [TREND, row + 2, 0, row + 1 + len(rows), 0],
                          "values": [TREND, row + 2, i, row + 1 + len(rows), i],
                          "data_labels": {"value": True, "num_format": "0.00", "font": font}})
    chart.set_title({"name": "ร้อยละเฉลี่ยของจังหวัด รายรอบการประเมิน", "name_font": {**font, "size": 16, "bold": True}})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_y_axis({"min": 0, "max": 100, "name": "ร้อยละ", "name_font": font, "num_font": font,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": font})
    ws.insert_chart(row, len(cols) + 1, chart, {"x_scale": 1.3, "y_scale": 1.1})
    codes = [("ตัวชี้วัดใหม่ (ไม่เปรียบเทียบ)", ", ".join(c.new) or xs.NONE_TEXT),
             ("ตัวชี้วัดที่ยกเลิก (ไม่เปรียบเทียบ)", ", ".join(c.dropped) or xs.NONE_TEXT),
             ("รหัสที่เปลี่ยน (รอบนี้ ← รอบก่อน)", ", ".join(f"{k} ← {v}" for k, v in c.mapped.items()) or xs.NONE_TEXT),
             ("ผลรอบก่อนจากไฟล์", f"{_relative(c.previous_path, report)} (sha256 {c.previous_sha256})")]
    for i, (label, value) in enumerate(codes, start=end + 1):
        xs.text(ws, i, 0, label, st["label"])
        xs.merged(ws, i, 1, len(cols) - 1, value, st["plain"])
