"""status.xlsx: every district of a round before its deadline, with completeness bars and every problem.

Lays out a RoundStatus; decides nothing."""

from __future__ import annotations

from pathlib import Path

from generator.render import xlsx_style as xs
from generator.render.atomic import atomic_path
from generator.report import RoundReport
from generator.status import STATES, RoundStatus
from generator.thai import be_date

DISTRICTS, PROBLEMS = "สถานะการส่ง", "ปัญหาที่พบ"
STATE_FILLS = {"missing": "#F8696B", "rejected": "#FA9D75", "error": "#FCC17C", "warning": "#FFEB84", "ok": "#B1D580"}


def deadline_text(status: RoundStatus) -> str:
    """กำหนดส่ง ... (เหลืออีก n วัน / เลยกำหนดมาแล้ว n วัน / วันนี้), in Thai."""
    if status.deadline is None:
        return "ไม่ได้กำหนดวันส่ง (ไม่มี forms.deadline ใน round.toml)"
    days = status.days_left or 0
    when = ("ครบกำหนดวันนี้" if days == 0 else f"เหลืออีก {days:,} วัน" if days > 0
            else f"เลยกำหนดมาแล้ว {-days:,} วัน")
    return f"กำหนดส่ง {be_date(status.deadline, thai=False)} ({when}; ข้อมูล ณ {be_date(status.today, thai=False)})"


def write_status_xlsx(path: Path, report: RoundReport, status: RoundStatus) -> Path:
    """Write status.xlsx (atomically): the districts sheet (states, files, saves, fill bars) and the problems."""
    groups = report.catalog.groups
    with atomic_path(path) as tmp:
        wb, st = xs.new_workbook(tmp, report, f"สถานะการส่งแบบรายงาน จังหวัด{report.round.province}")
        ws = wb.add_worksheet(DISTRICTS)
        heads = [("ที่", 5), ("รหัส", 8), ("อำเภอ", 18), ("สถานะ", 16), ("ไฟล์ที่ใช้", 30), ("บันทึกล่าสุด (UTC)", 18)]
        heads += [(f"กรอกแล้ว {g.name} (%)", 14) for g in groups]
        heads += [(f"กรอกแล้ว/ต้องกรอก {g.name}", 14) for g in groups]
        heads += [("ข้อผิดพลาด", 10), ("คำเตือน", 10)]
        last = len(heads) - 1
        xs.merged(ws, 0, 0, last, f"สถานะการส่งแบบรายงาน {xs.round_title(report)} {report.round.office}", st["title"])
        xs.merged(ws, 1, 0, last, deadline_text(status), st["subtitle"])
        counts = " ".join(f"{name} {status.count(state):,}" for state, name in STATES.items())
        xs.merged(ws, 2, 0, last, f"ทั้งหมด {len(status.districts):,} อำเภอ: {counts}", st["label"])
        for i, (head, width) in enumerate(heads):
            ws.set_column(i, i, width)
            ws.write_string(4, i, head, st["head"])
        xs.fit_row(ws, 4, heads)
        fills = {state: wb.add_format({**xs.SPECS["text"], "bg_color": colour}) for state, colour in STATE_FILLS.items()}
        for n, d in enumerate(status.districts):
            row = 5 + n
            values = [str(n + 1), d.code, d.name]
            for col, value in enumerate(values):
                ws.write_string(row, col, value, st["text_c" if col < 2 else "text"])
            ws.write_string(row, 3, d.state_th, fills[d.state])
            xs.text(ws, row, 4, d.file, st["text"])
            xs.text(ws, row, 5, d.saved.replace("T", " ").replace("+00:00", ""), st["text"])
            by_group = {f.group: f for f in d.fills}
            for k, g in enumerate(groups):
                fill = by_group.get(g.key)
                xs.number(ws, row, 6 + k, round(fill.pct, 1) if fill else None, st["pct"])
                xs.text(ws, row, 6 + len(groups) + k, f"{fill.filled}/{fill.wanted}" if fill else "", st["text_c"])
            ws.write_number(row, last - 1, d.errors, st["int"])
            ws.write_number(row, last, d.warnings, st["int"])
        end = 5 + len(status.districts) - 1
        if status.districts:
            ws.conditional_format(5, 6, end, 5 + len(groups), {
                "type": "data_bar", "bar_color": "#63BE7B", "min_type": "num", "min_value": 0,
                "max_type": "num", "max_value": 100, "bar_solid": True})
        ws.freeze_panes(5, 3)
        ws.autofilter(4, 0, max(end, 5), last)
        xs.print_setup(ws, (4, 4), f"{report.round.id} · {DISTRICTS}")
        _problems(wb, st, report, status)
        wb.close()
    return path


def _problems(wb, st: xs.Styles, report: RoundReport, status: RoundStatus) -> None:
    """Every problem: district, file, sheet, cell, severity and the Thai message."""
    ws = wb.add_worksheet(PROBLEMS)
    heads = [("รหัส", 8), ("อำเภอ", 16), ("ระดับ", 11), ("ไฟล์", 28), ("แผ่นงาน!เซลล์", 22), ("รายละเอียด", 80)]
    for i, (head, width) in enumerate(heads):
        ws.set_column(i, i, width)
        ws.write_string(0, i, head, st["head"])
    names = {d.code: d.name for d in status.districts}
    rows = [*status.problems, *(p for d in status.districts for p in d.problems)]
    for row, p in enumerate(rows, start=1):
        place = f"{p.sheet}!{p.cell}" if p.sheet else p.cell
        for col, value in enumerate((p.district, names.get(p.district, ""), xs.SEVERITY_TH[p.severity], p.file,
                                     place, p.message)):
            xs.text(ws, row, col, value, st[p.severity if col == 5 and p.severity in ("error", "warning") else "text"])
        xs.fit_row(ws, row, [(p.message, heads[5][1])])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(heads) - 1)
    xs.print_setup(ws, (0, 0), f"{report.round.id} · {PROBLEMS}")
