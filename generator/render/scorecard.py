"""A district's scorecard workbook: an overview sheet, one block per indicator, and its problems.

Lays out what the report holds; never decides a level or computes a score."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.catalog.model import Indicator
from generator.render import xlsx_style as xs
from generator.render.atomic import atomic_path
from generator.render.needs_text import need_text, words
from generator.render.scorecard_trend import trend_columns
from generator.report import RoundInfo
from generator.score.compare import DistrictChange
from generator.score.results import DistrictResult, IndicatorResult
from generator.thai import fmt_number, thai_digits

OVERVIEW, DETAIL, PROBLEMS = "สรุปผล", "รายละเอียด", "ปัญหา"
PAGE_PT = 540           # row height (pt, as fit_row counts it) a landscape A4 detail page holds under its title rows
NEXT_STEPS = 1          # what to do next: at most this many steps per indicator on the front sheet
INPUT_FORMATS = {"money": "num", "int": "int", "pct": "pct"}


def write_scorecard(path: Path, report: RoundInfo, result: DistrictResult,
                    change: Optional[DistrictChange] = None) -> None:
    """Write one district's scorecard to ``path`` (atomically); ``change``: since the previous round, shown beside."""
    d = result.district
    with atomic_path(path) as tmp:
        wb, st = xs.new_workbook(tmp, report, f"ผลการประเมินตัวชี้วัด อำเภอ{d.name} ({d.code})")
        placed = _overview(wb, st, report, result)
        if change is not None:
            trend_columns(wb.get_worksheet_by_name(OVERVIEW), st, report, change, placed)
        _details(wb.add_worksheet(DETAIL), st, report, result)
        _problems(wb.add_worksheet(PROBLEMS), st, report, result)
        wb.close()


def _status_format(status: str) -> str:
    """Errors in red, warnings in amber, the rest plain."""
    return status if status in ("error", "warning") else "text"


def _heading(ws: Worksheet, st: xs.Styles, report: RoundInfo, result: DistrictResult, last_col: int) -> int:
    """Title lines shared by the sheets; returns the next free row."""
    d, r = result.district, report.round
    xs.merged(ws, 0, 0, last_col, f"ผลการประเมินตัวชี้วัด อำเภอ{d.name} (รหัส {d.code}) จังหวัด{r.province}", st["title"])
    ws.set_row(0, 30)
    xs.merged(ws, 1, 0, last_col, f"{xs.round_title(report)} ({xs.be_period(report)})", st["subtitle"])
    xs.merged(ws, 2, 0, last_col, f"วิธีคิดคะแนน: {xs.MODE_TH.get(report.mode, report.mode)}   "
                                  f"สถานะ: {xs.STATUS_TH[result.status]}   ไฟล์ที่ส่ง: {result.file or xs.NONE_TEXT}",
              st["plain"])
    return 4


def _overview(wb: Workbook, st: xs.Styles, report: RoundInfo, result: DistrictResult) -> dict[str, int]:
    """The first sheet; returns the row of its header ('head'), of each indicator (by code) and of each group's
    percentage (by group key) and the first free row below ('end')."""
    ws = wb.add_worksheet(OVERVIEW)
    w = xs.widths(ws, (7, 52, 8, 7, 8, 11, 11, 72))
    row = _heading(ws, st, report, result, 7)
    heads = ("รหัส", "ตัวชี้วัด", "น้ำหนัก", "ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก", "สถานะ", "หมายเหตุ / สิ่งที่ต้องทำต่อ")
    for col, head in enumerate(heads):
        xs.text(ws, row, col, head, st["head"])
    xs.fit_row(ws, row, [("คะแนนถ่วงน้ำหนัก", w[5])])
    print_title = (0, row)
    ws.freeze_panes(row + 1, 0)
    placed = {"head": row}
    row += 1
    levels = []
    for group in report.catalog.groups:
        xs.merged(ws, row, 0, 7, group.name, st["section"])
        row += 1
        levels.append((row, 3, row + len(report.catalog.in_group(group.key)) - 1, 3))
        for ind in report.catalog.in_group(group.key):
            res = result.indicator(ind.code)
            xs.text(ws, row, 0, ind.code, st["code"])
            xs.text(ws, row, 1, ind.title, st["text"])
            ws.write_number(row, 2, res.weight, st["weight"])
            xs.number(ws, row, 3, res.level, st["level"])
            xs.number(ws, row, 4, res.score, st["score"])
            xs.number(ws, row, 5, res.weighted if res.score is not None else None, st["score"])
            xs.text(ws, row, 6, xs.STATUS_TH[res.status], st["text_c"])
            note = "\n".join(res.messages + _next_steps(ind, res))
            xs.text(ws, row, 7, note, st[_status_format(res.status)])
            xs.fit_row(ws, row, [(ind.title, w[1]), (note, w[7])])
            xs.name_cell(wb, f"out_{ind.code}_level", OVERVIEW, row, 3)
            xs.name_cell(wb, f"out_{ind.code}_score", OVERVIEW, row, 4)
            placed[ind.code] = row
            row += 1
        placed[group.key] = row + 1
        row = _group_total(wb, ws, st, report, result, group.key, row)
    xs.level_colours(ws, st, levels)
    count = thai_digits(len(result.problems))
    xs.merged(ws, row + 1, 0, 7, f"ปัญหาที่พบ {count} รายการ (ดูแผ่นงาน '{PROBLEMS}'); "
                                 f"ข้อมูล ค่าที่คำนวณ และเกณฑ์ของแต่ละตัวชี้วัด ดูแผ่นงาน '{DETAIL}'", st["note"])
    xs.print_setup(ws, print_title, f"อำเภอ{result.district.name} {report.round.id}")
    ws.fit_to_pages(1, 2)           # the front sheet: one page wide, at most two pages
    ws.activate()
    placed["end"] = row + 3
    return placed


def _next_steps(ind: Indicator, res: IndicatorResult) -> tuple[str, ...]:
    """The first steps to the next level (the detail sheet has them all)."""
    if res.level is None or res.level >= 5 or not res.needs:
        return ()
    more = len(res.needs) - NEXT_STEPS
    w = words(ind)
    steps = tuple(f"• {need_text(w, n)}" for n in res.needs[:NEXT_STEPS])
    return steps + ((f"• และอีก {thai_digits(more)} ข้อ (ดูแผ่นงาน{DETAIL})",) if more > 0 else ())


def _group_total(wb: Workbook, ws: Worksheet, st: xs.Styles, report: RoundInfo, result: DistrictResult, group: str,
                 row: int) -> int:
    """The group's total (1–5), percentage and band; named cells for other programs."""
    t = result.totals[group]
    name = report.catalog.group_name(group)
    xs.merged(ws, row, 0, 3, f"คะแนนรวม{name} (ค่าเฉลี่ยถ่วงน้ำหนัก เต็ม ๕ คะแนน)", st["text_b"])
    ws.write_number(row, 4, t.total, st["total"])
    xs.merged(ws, row, 5, 7, "", st["text"])
    xs.name_cell(wb, f"out_{group}_total", OVERVIEW, row, 4)
    row += 1
    xs.merged(ws, row, 0, 3, f"คิดเป็นร้อยละ / ผลการประเมิน{name}", st["text_b"])
    ws.write_number(row, 4, t.pct, st["total_pct"])
    xs.merged(ws, row, 5, 7, t.band, st["text_b"])
    xs.name_cell(wb, f"out_{group}_pct", OVERVIEW, row, 4)
    row += 1
    if t.unscored:
        xs.merged(ws, row, 0, 3, "ตัวชี้วัดที่ไม่ได้คะแนน (นับเป็น ๐ คะแนน)", st["text_b"])
        xs.merged(ws, row, 4, 7, ", ".join(t.unscored), st["error"])
        row += 1
    return row


def _details(ws: Worksheet, st: xs.Styles, report: RoundInfo, result: DistrictResult) -> None:
    w = xs.widths(ws, (7, 44, 18, 12, 16, 56))
    row = _heading(ws, st, report, result, 5)
    ws.freeze_panes(row, 0)
    levels: list[tuple[int, int, int, int]] = []
    breaks, used = [], 0.0
    for ind in report.catalog.indicators:
        start, heights = row, list[float]()
        row = _block(ws, st, w, ind, result.indicator(ind.code), result, row, levels, heights) + 1
        height = sum(heights) + xs.ROW_PT * (row - start - len(heights))
        if used and used + height > PAGE_PT >= height:   # a block that fits a page is not split: it starts the next
            breaks.append(start)
            used = 0.0
        used = (used + height) % PAGE_PT
    ws.set_h_pagebreaks(breaks)
    xs.level_colours(ws, st, levels)
    xs.print_setup(ws, (0, 2), f"อำเภอ{result.district.name} {report.round.id}")


def _section(ws: Worksheet, st: xs.Styles, row: int, heads: tuple[str, ...]) -> int:
    for col, head in enumerate(heads, start=1):
        xs.text(ws, row, col, head, st["section"])
    return row + 1


def _block(ws: Worksheet, st: xs.Styles, w: list[float], ind: Indicator, res: IndicatorResult,
           result: DistrictResult, row: int, levels: list, heights: list[float]) -> int:
    """One indicator: title, result, inputs with their cells, computed values, criteria and what is missing;
    ``heights`` gets the height of every row made taller than the default."""
    xs.text(ws, row, 0, ind.code, st["block"])
    title = f"{ind.title} (น้ำหนัก {fmt_number(ind.weight)})"
    xs.merged(ws, row, 1, 5, title, st["block"])
    heights.append(xs.fit_row(ws, row, [(title, sum(w[1:]) * 0.9)]))
    row = _section(ws, st, row + 1, ("ผลการประเมิน", "ระดับที่ได้", "คะแนน", "คะแนนถ่วงน้ำหนัก", "สถานะ / หมายเหตุ"))
    xs.text(ws, row, 1, f"น้ำหนัก {fmt_number(res.weight, thai=False)}", st["text"])
    xs.number(ws, row, 2, res.level, st["level"])
    levels.append((row, 2, row, 2))
    xs.number(ws, row, 3, res.score, st["score"])
    xs.number(ws, row, 4, res.weighted if res.score is not None else None, st["score"])
    note = "\n".join((xs.STATUS_TH[res.status],) + res.messages)
    xs.text(ws, row, 5, note, st[_status_format(res.status)])
    heights.append(xs.fit_row(ws, row, [(note, w[5])]))
    row = _section(ws, st, row + 1, ("ข้อมูลที่รายงาน", "ค่า", "หน่วย", "เซลล์ในแบบรายงาน", ""))
    for inp in ind.inputs:
        val = result.inputs.get(inp.key)
        xs.text(ws, row, 1, inp.label, st["text"])
        if inp.type == "text":
            xs.merged(ws, row, 2, 3, "" if val is None else str(val), st["text"])
        else:
            xs.typed(ws, row, 2, val, st["text_c"], st[INPUT_FORMATS.get(inp.type, "num")])
            xs.text(ws, row, 3, inp.unit, st["text"])
        xs.text(ws, row, 4, result.cells.get(inp.key, xs.NONE_TEXT), st["text_c"])
        xs.text(ws, row, 5, "", st["text"])
        heights.append(xs.fit_row(ws, row, [(inp.label, w[1]), (str(val or ""), w[2] + w[3])]))
        row += 1
    derived = ind.derived_by_name()
    shown = [(derived[n], v) for n, v in res.values.items() if n in derived]
    if shown:
        row = _section(ws, st, row, ("ค่าที่คำนวณได้", "ค่า", "หน่วย", "", ""))
        for der, val in shown:
            xs.text(ws, row, 1, der.label, st["text"])
            xs.typed(ws, row, 2, val, st["text_c"], st["num"])
            xs.text(ws, row, 3, der.unit, st["text"])
            xs.merged(ws, row, 4, 5, "", st["text"])
            heights.append(xs.fit_row(ws, row, [(der.label, w[1])]))
            row += 1
    if res.criteria:
        row = _section(ws, st, row, ("เกณฑ์ย่อย (ระดับของตัวชี้วัด = ระดับต่ำสุดของเกณฑ์ย่อย)", "ค่า", "ระดับ", "", ""))
        for crit in res.criteria:
            xs.text(ws, row, 1, crit.label, st["text"])
            xs.typed(ws, row, 2, crit.value, st["text_c"], st["num"])
            xs.number(ws, row, 3, crit.level, st["level"])
            xs.merged(ws, row, 4, 5, "", st["text"])
            row += 1
        levels.append((row - len(res.criteria), 3, row - 1, 3))
    return _criteria(ws, st, w, ind, res, row, heights)


def _criteria(ws: Worksheet, st: xs.Styles, w: list[float], ind: Indicator, res: IndicatorResult, row: int,
              heights: list[float]) -> int:
    """The criteria text of the level reached and of the next, and what is missing to reach it."""
    width = sum(w[2:])
    lines: list[tuple[str, str, str]] = []
    if res.level is None:
        lines.append(("เกณฑ์ระดับที่ได้", f"ไม่ได้คิดระดับ: ข้อมูลของตัวชี้วัดนี้ผิดพลาด (ดูหมายเหตุและแผ่นงาน{PROBLEMS})",
                      "error"))
    else:
        reached = ind.levels.get(res.level, "ยังไม่ถึงเกณฑ์ระดับ ๑")
        lines.append((f"เกณฑ์ระดับที่ได้ (ระดับ {thai_digits(res.level)})", reached, "text"))
        if res.level < 5:
            nxt = res.level + 1
            lines.append((f"เกณฑ์ระดับถัดไป (ระดับ {thai_digits(nxt)})", ind.levels.get(nxt, ""), "text"))
    if res.needs:
        label = "สิ่งที่ต้องทำเพิ่มเพื่อให้ถึงระดับถัดไป" if (res.level or 0) < 5 else "หมายเหตุเกณฑ์"
        said = words(ind)
        lines.append((label, "\n".join(f"• {need_text(said, n)}" for n in res.needs), "warning"))
    for label, body, fmt in lines:
        xs.text(ws, row, 1, label, st["text_b"])
        xs.merged(ws, row, 2, 5, body, st[fmt])
        heights.append(xs.fit_row(ws, row, [(label, w[1]), (body, width)]))
        row += 1
    return row


def _problems(ws: Worksheet, st: xs.Styles, report: RoundInfo, result: DistrictResult) -> None:
    heads = ("ระดับ", "ตัวชี้วัด", "ชีต", "เซลล์", "คีย์", "ค่าที่พบ", "ข้อความ", "ที่ควรเป็น", "รหัสปัญหา")
    w = xs.widths(ws, (12, 9, 16, 8, 18, 16, 60, 20, 14))
    row = _heading(ws, st, report, result, len(heads) - 1)
    for col, head in enumerate(heads):
        xs.text(ws, row, col, head, st["head"])
    ws.freeze_panes(row + 1, 0)
    xs.print_setup(ws, (0, row), f"อำเภอ{result.district.name} {report.round.id}")
    problems = result.problems
    if not problems:
        xs.merged(ws, row + 1, 0, len(heads) - 1, "ไม่พบปัญหา", st["text_c"])
    for i, p in enumerate(problems, start=row + 1):
        cells = (xs.SEVERITY_TH.get(p.severity, p.severity), p.indicator, p.sheet, p.cell, p.key, p.value,
                 p.message, p.expected, p.code)
        for col, val in enumerate(cells):
            xs.text(ws, i, col, val, st[_status_format(p.severity) if col in (0, 6) else "text"])
        xs.fit_row(ws, i, [(p.message, w[6]), (p.value, w[5]), (p.expected, w[7]), (p.sheet, w[2])])
