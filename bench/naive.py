"""The straightforward way, for comparison: what a competent person writes without kpi-report's I/O.

    python bench/naive.py ROUND_DIR OUT_DIR

openpyxl loads each submission in full (not read-only) and reads the inputs through the in_ defined
names; the project's pure parts do the rest of the thinking (value rules generator.read.values.parse,
scoring generator.score.score_district, rankings generator.report.build_report, letter contexts
generator.render.letters_context), so only the I/O differs. openpyxl writes each scorecard (indicator
rows with level, score, weighted; group totals; defined names; inputs and problems sheets) and the
summary, csv writes results.csv, a docxtpl DocxTemplate is made for every letter, hashlib and json write
the manifest: the same set of files as `kpi-report run`, one process, no parallelism.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import openpyxl
from docxtpl import DocxTemplate
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from generator.catalog import Catalog, load_catalog
from generator.config import TEMPLATES, Round, load_round
from generator.problems import Problem
from generator.read.values import parse
from generator.render.letters_context import circular_context, district_context, letter_frame, memo_context, standings
from generator.report import RoundReport, build_report
from generator.score import missing_district, score_district
from generator.score.results import DistrictResult

LETTERS = TEMPLATES / "letters"
BOLD, WRAP = Font(name="TH Sarabun New", size=14, bold=True), Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
COLUMNS = ("round_id", "district_code", "district_name", "group", "indicator", "weight", "level", "score",
           "status", "message")


def named_cells(wb: openpyxl.Workbook) -> dict[str, tuple[str, str]]:
    """Defined name → (sheet title, cell coordinate)."""
    out = {}
    for name, dn in wb.defined_names.items():
        for sheet, coord in dn.destinations:
            out[name] = (sheet, coord.replace("$", ""))
    return out


def read_submission(path: Path, catalog: Catalog) -> tuple[str, dict[str, Any], dict[str, str], list[Problem]]:
    """One workbook: district code, typed inputs, where each was read, value problems."""
    wb = openpyxl.load_workbook(path, data_only=True)  # formulas' cached values, as Excel shows them
    names = named_cells(wb)
    sheet, coord = names["meta_district_code"]
    code = str(wb[sheet][coord].value).strip()
    inputs, cells, problems = {}, {}, []
    for inp in catalog.inputs():
        if inp.name not in names:
            inputs[inp.key] = None
            continue
        sheet, coord = names[inp.name]
        cell = wb[sheet][coord]
        inputs[inp.key], problem = parse(inp, cell.value, cell.number_format)
        cells[inp.key] = f"{sheet}!{coord}"
        if problem:
            problems.append(problem.at(sheet=sheet, cell=coord, district=code, file=path.name))
    wb.close()
    return code, inputs, cells, problems


def score_all(rnd: Round, catalog: Catalog) -> RoundReport:
    """Read every submission (the newest file wins for a district) and score every district."""
    found: dict[str, tuple[Path, dict, dict, list]] = {}
    files = sorted((p for p in rnd.submissions.iterdir() if p.suffix == ".xlsx" and not p.name.startswith("~$")),
                   key=lambda p: p.stat().st_mtime)
    for path in files:
        code, inputs, cells, problems = read_submission(path, catalog)
        found[code] = (path, inputs, cells, problems)
    results = []
    for d in rnd.districts:
        if d.code in found:
            path, inputs, cells, problems = found[d.code]
            results.append(score_district(catalog, d, inputs, rnd.scoring, rnd.bands, problems, cells, path.name))
        else:
            results.append(missing_district(catalog, d))
    return build_report(rnd, catalog, rnd.scoring, results)


def _name(wb: openpyxl.Workbook, name: str, sheet: str, ref: str) -> None:
    """A workbook-scope defined name for one cell."""
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _row(ws: Worksheet, values: list[Any], bold: bool = False) -> int:
    """Append a row (text as text), styled; returns its row number."""
    ws.append(values)
    row = ws.max_row
    for cell in ws[row]:
        cell.alignment = WRAP
        if bold:
            cell.font, cell.fill = BOLD, HEAD_FILL
    return row


def _widths(ws: Worksheet, widths: list[float]) -> None:
    """Set column widths."""
    for i, w in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w


def write_scorecard(path: Path, report: RoundReport, result: DistrictResult) -> None:
    """A district's scorecard: overview with levels, scores and totals; inputs; problems."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "สรุปผล"
    d = result.district
    ws.append([f"ผลการประเมินตัวชี้วัด อำเภอ{d.name} (รหัส {d.code}) {report.round.id}"])
    ws["A1"].font = Font(name="TH Sarabun New", size=18, bold=True)
    _row(ws, ["รหัส", "ตัวชี้วัด", "น้ำหนัก", "ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก", "สถานะ", "หมายเหตุ"], bold=True)
    _widths(ws, [7, 62, 9, 8, 9, 12, 13, 42])
    for group in report.catalog.groups:
        _row(ws, [group.name], bold=True)
        for ind in report.catalog.in_group(group.key):
            res = result.indicator(ind.code)
            row = _row(ws, [ind.code, ind.title, res.weight, res.level, res.score,
                            res.weighted if res.score is not None else None, res.status, res.message])
            _name(wb, f"out_{ind.code}_level", ws.title, f"$D${row}")
            _name(wb, f"out_{ind.code}_score", ws.title, f"$E${row}")
        t = result.totals[group.key]
        row = _row(ws, [f"คะแนนรวม{group.name}", None, None, None, t.total, t.pct, t.band], bold=True)
        _name(wb, f"out_{group.key}_total", ws.title, f"$E${row}")
        _name(wb, f"out_{group.key}_pct", ws.title, f"$F${row}")
    ins = wb.create_sheet("ข้อมูล")
    _row(ins, ["ตัวชี้วัด", "คีย์", "ข้อมูลที่รายงาน", "ค่า", "หน่วย", "เซลล์"], bold=True)
    _widths(ins, [9, 22, 44, 16, 12, 22])
    for ind in report.catalog.indicators:
        for inp in ind.inputs:
            val = result.inputs.get(inp.key)
            _row(ins, [ind.code, inp.key, inp.label, val if isinstance(val, (int, float, dt.date)) else
                       (None if val is None else str(val)), inp.unit, result.cells.get(inp.key, "")])
    probs = wb.create_sheet("ปัญหา")
    _row(probs, ["ระดับ", "ตัวชี้วัด", "ชีต", "เซลล์", "คีย์", "ค่าที่พบ", "ข้อความ", "ที่ควรเป็น"], bold=True)
    for p in result.problems:
        _row(probs, [p.severity, p.indicator, p.sheet, p.cell, p.key, p.value, p.message, p.expected])
    for sheet in wb.worksheets:                     # a district's text is data, never a formula
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)


def write_summary(path: Path, report: RoundReport) -> None:
    """The province's summary: each group's ranking, the district × indicator levels, every problem."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "อันดับ"
    for group in report.catalog.groups:
        _row(ws, [group.name], bold=True)
        _row(ws, ["อันดับ", "รหัส", "อำเภอ", "คะแนนรวม", "ร้อยละ", "ผลการประเมิน", "หมายเหตุ"], bold=True)
        for r in report.ranks[group.key]:
            _row(ws, [r.rank, r.code, r.name, r.total, r.pct, r.band, "เท่ากัน" if r.tied else ""])
        ws.append([])
    matrix = wb.create_sheet("ระดับรายตัวชี้วัด")
    inds = report.catalog.indicators
    _row(matrix, ["รหัส", "อำเภอ", *(i.code for i in inds)], bold=True)
    for res in report.results:
        _row(matrix, [res.district.code, res.district.name, *(res.indicator(i.code).level for i in inds)])
    probs = wb.create_sheet("ปัญหา")
    _row(probs, ["อำเภอ", "ไฟล์", "ระดับ", "ตัวชี้วัด", "เซลล์", "ข้อความ"], bold=True)
    for p in report.all_problems():
        _row(probs, [p.district, p.file, p.severity, p.indicator, f"{p.sheet}!{p.cell}" if p.cell else "", p.message])
    wb.save(path)


def write_results_csv(path: Path, report: RoundReport) -> None:
    """results.csv (UTF-8 with BOM): district × indicator rows, then a TOTAL row per group."""
    def safe(text: str) -> str:
        """Text that a spreadsheet will not run as a formula (OWASP)."""
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for res in report.results:
            base = [report.round.id, res.district.code, safe(res.district.name)]
            for r in res.indicators:
                w.writerow(base + [r.group, r.code, r.weight, r.level, r.score, r.status, safe(r.message)])
            for g in report.catalog.groups:
                t = res.totals.get(g.key)
                weight = sum(r.weight for r in res.indicators if r.group == g.key)
                w.writerow(base + [g.key, "TOTAL", weight, "", t.total if t else "", "ok" if t else "missing",
                                   f"ร้อยละ {t.pct:.2f} ({t.band})" if t else ""])


def write_letter(template: Path, path: Path, context: dict[str, Any]) -> None:
    """One letter: a DocxTemplate opened, rendered and saved."""
    doc = DocxTemplate(str(template))
    doc.render(context, autoescape=True)
    doc.save(str(path))


def write_manifest(path: Path, rnd: Round, out_dir: Path) -> None:
    """manifest.json: sha256 of every input and output."""
    def digest(p: Path) -> dict[str, Any]:
        """A file's name, sha256 and size."""
        return {"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}

    data = {"round_id": rnd.id, "inputs": [digest(p) for p in sorted(rnd.submissions.iterdir())],
            "outputs": [digest(p) for p in sorted(out_dir.rglob("*")) if p.is_file()]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def main(round_dir: Path, out_dir: Path) -> None:
    """Read, score and write everything, one file after another."""
    rnd = load_round(round_dir)
    catalog, _ = load_catalog(rnd.catalog_path)
    report = score_all(rnd, catalog)
    (out_dir / "scorecards").mkdir(parents=True, exist_ok=True)
    (out_dir / "letters").mkdir(exist_ok=True)
    for res in report.scored:
        write_scorecard(out_dir / "scorecards" / f"{res.district.label}.xlsx", report, res)
    write_summary(out_dir / "summary.xlsx", report)
    write_results_csv(out_dir / "results.csv", report)
    write_letter(LETTERS / "circular.docx", out_dir / "letters" / "circular.docx", circular_context(report))
    frame, places = letter_frame(report), standings(report)
    for res in report.scored:
        write_letter(LETTERS / "district.docx", out_dir / "letters" / f"{res.district.label}.docx",
                     district_context(frame, res, places[res.district.code]))
    write_letter(LETTERS / "memo.docx", out_dir / "memo.docx", memo_context(report))
    write_manifest(out_dir / "manifest.json", rnd, out_dir)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(Path(sys.argv[1]), Path(sys.argv[2]))
