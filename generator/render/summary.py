"""The province's summary workbook: ranking, district × indicator levels, charts, the weakest
indicators, missing and invalid submissions, every problem, and the round's details.

Lays out what the report holds; never decides a level or computes a score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.render import xlsx_style as xs
from generator.render.atomic import atomic_path
from generator.report import RoundReport
from generator.thai import be_date, fmt_number, thai_digits

RANKING, MATRIX, DISTRIBUTION = "อันดับ", "ระดับรายตัวชี้วัด", "การกระจายระดับ"
WEAKEST, MISSING, PROBLEMS, DETAILS = "ตัวชี้วัดที่ต้องเร่งพัฒนา", "ไม่ส่ง-ข้อมูลผิดพลาด", "ปัญหา", "รายละเอียดรอบ"
REGISTER, INDICATORS = "ทะเบียนหนังสือส่ง", "ตัวชี้วัดของรอบ"
TIED = "เท่ากัน"
UNSCORED = "ไม่ได้คะแนน"


@dataclass(frozen=True)
class Col:
    """A table column: header, width and the named format of its cells (text when 'text*')."""

    head: str
    width: float
    fmt: str = "text"


def write_summary(path: Path, report: RoundReport) -> None:
    """Write the round's summary workbook to ``path`` (atomically)."""
    with atomic_path(path) as tmp:
        wb, st = xs.new_workbook(tmp, report, f"สรุปผลการประเมินตัวชี้วัดระดับอำเภอ จังหวัด{report.round.province}")
        ranked = _ranking(wb, st, report)
        _matrix(wb, st, report)
        counted = _distribution(wb, st, report)
        _charts(wb, report, ranked, counted)
        _weakest(wb, st, report)
        _missing(wb, st, report)
        _problems(wb, st, report)
        _details(wb, st, report)
        _indicators(wb, st, report)
        _register(wb, st, report)
        from generator.render.summary_trend import trend_sheet  # it builds on this module's sheets and tables

        trend_sheet(wb, st, report)
        wb.close()


def _sheet(wb: Workbook, st: xs.Styles, report: RoundReport, name: str, title: str, cols: Sequence[Col],
           first_col: int = 0) -> tuple[Worksheet, int]:
    """A sheet with its title lines, column widths and print set-up; returns it and the next free row."""
    ws = wb.add_worksheet(name)
    for i, c in enumerate(cols, start=first_col):
        ws.set_column(i, i, c.width)
    last = first_col + len(cols) - 1
    xs.merged(ws, 0, 0, last, title, st["title"])
    ws.set_row(0, 30)
    xs.merged(ws, 1, 0, last, f"{xs.round_title(report)} ({xs.be_period(report)}) {report.round.office}", st["subtitle"])
    xs.print_setup(ws, None, f"{report.round.id} · {name}")
    return ws, 3


def _table(ws: Worksheet, st: xs.Styles, row: int, col: int, name: str, cols: Sequence[Col],
           rows: Sequence[Sequence[Any]], empty: str = "ไม่มี") -> int:
    """An Excel table (sortable, filterable) written cell by cell: text stays text; returns the row after it."""
    if not rows:                    # no table: the headers, and the message in one cell across the columns
        for c, spec in enumerate(cols, start=col):
            xs.text(ws, row, c, spec.head, st["head"])
        xs.fit_row(ws, row, [(c.head, c.width) for c in cols])
        xs.merged(ws, row + 1, col, col + len(cols) - 1, empty, st["plain"])
        return row + 2
    body = list(rows)
    ws.add_table(row, col, row + len(body), col + len(cols) - 1, {
        "name": name, "style": "Table Style Light 15", "autofilter": True,
        "columns": [{"header": c.head, "header_format": st["head"]} for c in cols]})
    xs.fit_row(ws, row, [(c.head, c.width) for c in cols])
    for r, values in enumerate(body, start=row + 1):
        for c, (spec, val) in enumerate(zip(cols, values), start=col):
            if spec.fmt.startswith("text") or isinstance(val, str):
                xs.text(ws, r, c, val, st[spec.fmt if spec.fmt.startswith("text") else "text_c"])
            else:
                xs.number(ws, r, c, val, st[spec.fmt])
        xs.fit_row(ws, r, [(str(v), s.width) for s, v in zip(cols, values) if isinstance(v, str)])
    return row + len(body) + 1


RANK_COLS = (Col("อันดับ", 8, "int"), Col("รหัส", 7, "text_c"), Col("อำเภอ", 17), Col("คะแนนรวม (เต็ม ๕)", 11, "total"),
             Col("ร้อยละ", 9, "total_pct"), Col("ผลการประเมิน", 13, "text_c"), Col("หมายเหตุ", 9, "text_c"))


def _ranking(wb: Workbook, st: xs.Styles, report: RoundReport) -> int:
    """Each group's ranking, side by side; returns the row of the first ranked district."""
    width = len(RANK_COLS) + 1
    cols = [c for _ in report.catalog.groups for c in (*RANK_COLS, Col("", 2))][:-1]
    ws, row = _sheet(wb, st, report, RANKING, "อันดับผลการประเมินตัวชี้วัดระดับอำเภอ", cols)
    end = row
    for i, group in enumerate(report.catalog.groups):
        xs.merged(ws, row, i * width, i * width + len(RANK_COLS) - 1, group.name, st["block"])
        rows = [(r.rank, r.code, r.name, r.total, r.pct, r.band, TIED if r.tied else "")
                for r in report.ranks[group.key]]
        end = _table(ws, st, row + 1, i * width, f"tbl_rank_{group.key}", RANK_COLS, rows)
    missing = ", ".join(r.district.name for r in report.missing)
    note = f"อันดับเรียงตามคะแนนรวม สูงไปต่ำ; อำเภอที่คะแนนเท่ากันได้อันดับเดียวกัน (หมายเหตุ \"{TIED}\")"
    if missing:
        note += f"; ไม่จัดอันดับ (ไม่ได้ส่งแบบรายงาน): {missing}"
    xs.merged(ws, end + 1, 0, len(cols) - 1, note, st["note"])
    xs.fit_row(ws, end + 1, [(note, sum(c.width for c in cols))])
    ws.repeat_rows(0, row + 1)
    ws.freeze_panes(row + 2, 0)
    ws.activate()
    return row + 2


def _level_legend(ws: Worksheet, st: xs.Styles, row: int, col: int) -> None:
    """The level colours as a key, ending at column ``col``."""
    xs.text(ws, row, col - 6, f"สีตามระดับที่ได้ (– = {UNSCORED})", st["label_r"])
    for level in st.levels:
        ws.write_number(row, col - 5 + level, level, st["level"])
    xs.level_colours(ws, st, [(row, col - 5, row, col)])


def _matrix(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    inds = report.catalog.indicators
    groups = report.catalog.groups
    cols = [Col("รหัส", 7, "text_c"), Col("อำเภอ", 16)] + [Col(i.code, 5.2, "level") for i in inds] + \
           [Col(f"ร้อยละ{g.name.replace('ตัวชี้วัด', '')}", 9, "total_pct") for g in groups]
    ws, row = _sheet(wb, st, report, MATRIX, "ระดับที่ได้ของแต่ละตัวชี้วัด รายอำเภอ", cols)
    _level_legend(ws, st, row, 1 + len(inds))
    row += 2
    rows = [[r.district.code, r.district.name]
            + [xs.NONE_TEXT if i.level is None else i.level for i in r.indicators]
            + [r.totals[g.key].pct for g in groups] for r in report.scored]
    end = _table(ws, st, row, 0, "tbl_levels", cols, rows)
    xs.level_colours(ws, st, [(row + 1, 2, end - 1, 1 + len(inds))])
    xs.text(ws, end + 1, 0, f"ชื่อเต็มของตัวชี้วัดแต่ละรหัส ดูแผ่นงาน '{INDICATORS}'", st["hint"])
    ws.repeat_rows(0, row)
    ws.freeze_panes(row + 1, 2)


def _distribution(wb: Workbook, st: xs.Styles, report: RoundReport) -> int:
    """How many districts reached each level of each indicator; returns the row of the first indicator."""
    cols = [Col("รหัส", 7, "text_c"), Col("ตัวชี้วัด", 70), *(Col(f"ระดับ {thai_digits(k)}", 8, "int") for k in range(6)),
            Col(UNSCORED, 10, "int"), Col("ไม่ได้ส่ง", 9, "int")]
    ws, row = _sheet(wb, st, report, DISTRIBUTION, "จำนวนอำเภอจำแนกตามระดับที่ได้ ของแต่ละตัวชี้วัด", cols)
    rows = []
    for ind in report.catalog.indicators:
        res = [r.indicator(ind.code) for r in report.results]
        count = Counter(x.level for x in res if x.level is not None)
        rows.append([ind.code, ind.title] + [count.get(k, 0) for k in range(6)] +
                    [sum(1 for x in res if x.status == "error"), sum(1 for x in res if x.status == "missing")])
    _table(ws, st, row, 0, "tbl_distribution", cols, rows)
    ws.repeat_rows(0, row)
    ws.freeze_panes(row + 1, 2)
    return row + 1


def _charts(wb: Workbook, report: RoundReport, ranked: int, counted: int) -> None:
    """Native charts on their own sheets: each group's % by district (from the ranking sheet, rows
    from ``ranked``), and the levels per indicator (from the distribution sheet, rows from ``counted``)."""
    font = {"name": xs.FONT, "size": 14}
    for i, group in enumerate(report.catalog.groups):
        last = ranked + len(report.ranks[group.key]) - 1
        if last < ranked:
            continue
        col = i * (len(RANK_COLS) + 1)
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({
            "name": f"ร้อยละ{group.name}",
            "categories": [RANKING, ranked, col + 2, last, col + 2],
            "values": [RANKING, ranked, col + 4, last, col + 4],
            "fill": {"color": "#4472C4"}, "gap": 40,
            "data_labels": {"value": True, "num_format": "0.00", "font": {**font, "size": 11}}})
        _style(chart, f"ร้อยละคะแนน{group.name} รายอำเภอ (เรียงตามอันดับ)", font)
        chart.set_legend({"none": True})
        # a bar chart's y axis holds the categories: rank 1 on top, the value axis kept at the bottom
        chart.set_y_axis({"reverse": True, "crossing": "max", "interval_unit": 1, "num_font": {**font, "size": 12}})
        chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                          "num_font": font, "name": "ร้อยละ", "name_font": font})
        _chartsheet(wb, f"กราฟ{group.name}", chart)
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    last = counted + len(report.catalog.indicators) - 1
    for k, colour in xs.LEVEL_FILLS.items():
        chart.add_series({"name": [DISTRIBUTION, counted - 1, 2 + k], "categories": [DISTRIBUTION, counted, 0, last, 0],
                          "values": [DISTRIBUTION, counted, 2 + k, last, 2 + k], "gap": 50,
                          "fill": {"color": colour}, "border": {"color": "#7F7F7F"}})
    _style(chart, "จำนวนอำเภอจำแนกตามระดับที่ได้ ของแต่ละตัวชี้วัด", font)
    chart.set_x_axis({"num_font": font, "interval_unit": 1})
    chart.set_y_axis({"name": "จำนวนอำเภอ", "name_font": font, "num_font": font, "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    _chartsheet(wb, "กราฟการกระจายระดับ", chart)


def _style(chart: Any, title: str, font: dict) -> None:
    chart.set_title({"name": title, "name_font": {**font, "size": 20, "bold": True}})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_chartarea({"border": {"none": True}})


def _chartsheet(wb: Workbook, name: str, chart: Any) -> None:
    cs = wb.add_chartsheet(name)
    cs.set_chart(chart)
    cs.set_paper(9)
    cs.set_landscape()
    cs.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def _weakest(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    cols = [Col("ลำดับ", 7, "int"), Col("รหัส", 7, "text_c"), Col("ตัวชี้วัด", 75), Col("กลุ่ม", 16),
            Col("ระดับเฉลี่ย", 10, "score"), Col("อำเภอที่ได้คะแนน", 11, "int"),
            Col("อำเภอที่ต่ำกว่าระดับ ๓", 12, "int")]
    ws, row = _sheet(wb, st, report, WEAKEST, "ตัวชี้วัดที่ต้องเร่งพัฒนา (ระดับเฉลี่ยทั้งจังหวัดต่ำที่สุด)", cols)
    rows = [(i, s.code, s.title, report.catalog.group_name(s.group), s.mean_level, s.scored, s.below_3)
            for i, s in enumerate(report.weakest, start=1)]
    _table(ws, st, row, 0, "tbl_weakest", cols, rows)
    ws.repeat_rows(0, row)


def _missing(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    cols = [Col("รหัส", 7, "text_c"), Col("อำเภอ", 16), Col("สถานะ", 14, "text_c"), Col("ไฟล์", 26),
            Col("ตัวชี้วัดที่ไม่ได้คะแนน", 18), Col("เหตุผล", 80)]
    ws, row = _sheet(wb, st, report, MISSING, "อำเภอที่ไม่ได้ส่งแบบรายงาน หรือข้อมูลผิดพลาด", cols)
    rows = []
    for r in report.results:
        if r.status not in ("missing", "error"):
            continue
        bad = [i for i in r.indicators if i.status == "error"]
        own = [p for p in report.problems if p.district == r.district.code] + [p for p in r.problems if not p.indicator]
        why = [f"{i.code}: " + "; ".join(p.message for p in i.problems if p.severity == "error") for i in bad] + [
            p.message + (f" (ไฟล์ {p.file})" if p.file else "") for p in own if p.severity == "error"]
        rows.append((r.district.code, r.district.name, xs.STATUS_TH[r.status], r.file or xs.NONE_TEXT,
                     "ทุกตัวชี้วัด" if r.status == "missing" else ", ".join(i.code for i in bad), "\n".join(why)))
    _table(ws, st, row, 0, "tbl_missing", cols, rows, empty="ทุกอำเภอส่งแบบรายงานและข้อมูลถูกต้อง")
    ws.repeat_rows(0, row)
    ws.freeze_panes(row + 1, 0)


def _problems(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    cols = [Col("รหัส", 7, "text_c"), Col("อำเภอ", 14), Col("ไฟล์", 22), Col("ชีต", 14), Col("เซลล์", 7, "text_c"),
            Col("คีย์", 16), Col("ตัวชี้วัด", 8, "text_c"), Col("ระดับ", 10, "text_c"), Col("ข้อความ", 55),
            Col("ค่าที่พบ", 14), Col("ที่ควรเป็น", 14), Col("รหัสปัญหา", 17)]
    ws, row = _sheet(wb, st, report, PROBLEMS, "ปัญหาที่พบทั้งหมด", cols)
    problems = report.all_problems()
    names = {d.code: d.name for d in report.round.districts}
    rows = [(p.district, names.get(p.district, ""), p.file, p.sheet, p.cell, p.key, p.indicator,
             xs.SEVERITY_TH.get(p.severity, p.severity), p.message, p.value, p.expected, p.code) for p in problems]
    _table(ws, st, row, 0, "tbl_problems", cols, rows, empty="ไม่พบปัญหา")
    ws.repeat_rows(0, row)
    ws.freeze_panes(row + 1, 0)


INDICATOR_COLS = (Col("รหัส", 9, "text_c"), Col("กลุ่ม", 18), Col("ตัวชี้วัด", 90), Col("น้ำหนัก", 9, "weight"),
                  Col("หน่วย", 10))


def _details(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    """The round's facts: period, office, catalog, mode, bands, counts of districts and problems, the letter."""
    r, cat, cols = report.round, report.catalog, INDICATOR_COLS
    ws, row = _sheet(wb, st, report, DETAILS, "รายละเอียดรอบการประเมิน", cols)
    counts = Counter(x.status for x in report.results)
    severities = Counter(p.severity for p in report.all_problems())
    facts = [("รหัสรอบ", r.id), ("ปีงบประมาณ", f"พ.ศ. {thai_digits(r.fiscal_year)}"),
             ("รอบการประเมิน", thai_digits(r.number)),
             ("ช่วงเวลา", xs.be_period(report)), ("จังหวัด", r.province), ("หน่วยงาน", r.office),
             ("ตัวชี้วัด", f"{cat.title} ({cat.id}, {thai_digits(len(cat.indicators))} ตัวชี้วัด)"),
             ("วิธีคิดคะแนน", xs.MODE_TH.get(report.mode, report.mode)),
             ("เกณฑ์ผลการประเมิน", ", ".join(f"{b.name} ร้อยละ {fmt_number(b.min)} ขึ้นไป" for b in r.bands)),
             ("จำนวนอำเภอ", f"ทั้งหมด {thai_digits(len(report.results))} อำเภอ: ปกติ {thai_digits(counts['ok'])}, "
                           f"มีคำเตือน {thai_digits(counts['warning'])}, ข้อมูลผิดพลาด {thai_digits(counts['error'])}, "
                           f"ไม่ได้ส่ง {thai_digits(counts['missing'])}"),
             ("ปัญหาที่พบ", ", ".join(f"{xs.SEVERITY_TH[s]} {thai_digits(severities[s])} รายการ"
                                      for s in ("error", "warning", "info"))),
             ("หนังสือแจ้งผล", f"ที่ {r.letter.number} ลงวันที่ {be_date(r.letter.date)}")]
    for label, val in facts:
        xs.merged(ws, row, 0, 1, label, st["label"])
        xs.merged(ws, row, 2, len(cols) - 1, val, st["plain"])
        xs.fit_row(ws, row, [(val, sum(c.width for c in cols[2:]))])
        row += 1
    xs.text(ws, row + 1, 0, f"ชื่อเต็ม กลุ่ม น้ำหนัก และหน่วยของตัวชี้วัดแต่ละรหัส ดูแผ่นงาน '{INDICATORS}'", st["hint"])
    ws.repeat_rows(0, 1)


def _indicators(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    """The round's indicators, a table whose head repeats on every printed page."""
    cat = report.catalog
    ws, row = _sheet(wb, st, report, INDICATORS, "ตัวชี้วัดของรอบการประเมิน", INDICATOR_COLS)
    rows = [(i.code, cat.group_name(i.group), i.title, i.weight, i.unit) for i in cat.indicators]
    _table(ws, st, row, 0, "tbl_indicators", INDICATOR_COLS, rows)
    ws.repeat_rows(0, row)


def _register(wb: Workbook, st: xs.Styles, report: RoundReport) -> None:
    """Every letter's number, date and addressee, for the clerk to enter in ทะเบียนหนังสือส่ง."""
    from generator.render.letters import letter_register

    cols = [Col("ลำดับ", 7, "int"), Col("ที่ (เลขที่หนังสือ)", 22), Col("ลงวันที่", 18), Col("ถึง", 34),
            Col("รหัสอำเภอ", 10, "text_c"), Col("ไฟล์", 40)]
    ws, row = _sheet(wb, st, report, REGISTER, "เลขที่หนังสือส่งของรอบการประเมินนี้ (ทะเบียนหนังสือส่ง)", cols)
    rows = [(i, x["number"], be_date(report.round.letter.date if x["file"] != "memo.docx" else report.round.memo.date),
             x["to"], x["district_code"], x["file"]) for i, x in enumerate(letter_register(report), start=1)]
    _table(ws, st, row, 0, "tbl_register", cols, rows)
    ws.repeat_rows(0, row)
