"""`kpi-report feedback`: each district's own workbook back with highlighted, noted problem cells and a findings
sheet; values untouched byte for byte; fixed and returned, `run` takes it as the district's newer submission."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree

from generator.api import feedback_round, load, score_round
from generator.cli import cli
from generator.read import read_workbook
from generator.render import pdf
from generator.render.feedback import SHEET_TITLE, feedback_file_name
from generator.render.feedback_xlsx import FILLS
from generator.render.needs_text import needs_text

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "input_samples" / "2565-r2-problems"
SAMPLE = ROOT / "input_samples" / "2565-r2"
NOW = dt.datetime(2022, 10, 5, 9, 30, tzinfo=dt.timezone.utc)
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
SOFFICE = pdf.find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("feedback") / "feedback"
    return feedback_round(PROBLEMS, out, now=NOW, jobs=1)


def by_code(result, code: str) -> Path:
    return next(p for p in result.files if p.name.startswith(code))


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → part name."""
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    return {s.get("name"): targets[s.get(R_ID)].lstrip("/").removeprefix("xl/") for s in book.iter(NS + "sheet")}


def cell_values(path: Path, part: str) -> dict[str, tuple]:
    """Every cell of a sheet part: its type and its value elements' exact XML (the style left out)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("xl/" + part))
    return {c.get("r"): (c.get("t"), b"".join(etree.tostring(v) for v in c)) for c in root.iter(NS + "c")}


def test_one_workbook_for_each_district_with_problems(written):
    names = sorted(p.name for p in written.files)
    want = sorted(feedback_file_name(c, n) for c, n in (("3104", "นางรอง"), ("3106", "ละหานทราย"),
                                                        ("3107", "ประโคนชัย"), ("3112", "ปะคำ")))
    assert names == want                     # the missing, rejected and clean districts get none


def test_values_byte_for_byte(written):
    for path in written.files:
        code = path.name[:4]
        original = next((PROBLEMS / "submissions").glob(f"{code}-*.xlsx"))
        before, after = sheet_parts(original), sheet_parts(path)
        assert list(after) == [SHEET_TITLE, *before]
        for name, part in before.items():
            assert cell_values(path, after[name]) == cell_values(original, part), (path.name, name)
        with zipfile.ZipFile(original) as a, zipfile.ZipFile(path) as b:
            for member in a.namelist():
                if member == "xl/sharedStrings.xml" or member.startswith("xl/theme"):
                    assert a.read(member) == b.read(member)


def test_defined_names_intact_and_newer(written):
    path = by_code(written, "3106")
    original = PROBLEMS / "submissions" / "3106-ละหานทราย.xlsx"

    def names(p):
        with zipfile.ZipFile(p) as z:
            root = etree.fromstring(z.read("xl/workbook.xml"))
        return {(n.get("name"), n.get("localSheetId")): n.text for n in root.iter(NS + "definedName")}
    old, new = names(original), names(path)
    assert {k: v for k, v in old.items() if k[1] is None} == {k: v for k, v in new.items() if k[1] is None}
    assert {(k[0], str(int(k[1]) + 1)): v for k, v in old.items() if k[1] is not None} == \
        {k: v for k, v in new.items() if k[1] is not None}
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2022-10-05T09:30:00Z" in core


def test_problem_cells_highlighted_with_a_note(written):
    report = written.report
    for path in written.files:
        result = next(r for r in report.results if r.district.code == path.name[:4])
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[0] == SHEET_TITLE and wb.active.title == SHEET_TITLE
        cells = [p for p in result.problems if p.file == result.file and p.cell and p.severity in ("error", "warning")]
        assert cells
        for p in cells:
            cell = wb[p.sheet][p.cell]
            assert cell.fill.fgColor.rgb == FILLS[p.severity], (path.name, p.cell)
            assert cell.comment is not None and p.message in cell.comment.text
    wb = openpyxl.load_workbook(by_code(written, "3106"))
    cell = wb["ตัวชี้วัดรายทีม"]["C25"]
    assert cell.value == "ประมาณ 80 กิจกรรม" and "จำนวนเต็มไม่ติดลบ" in cell.comment.text
    assert cell.protection.locked is False and cell.font.name == wb["ตัวชี้วัดรายทีม"]["C12"].font.name


def test_findings_sheet(written, catalog):
    ws = openpyxl.load_workbook(by_code(written, "3106"))[SHEET_TITLE]
    rows = [[v for v in r if v] for r in ws.iter_rows(values_only=True)]
    text = "\n".join(" | ".join(map(str, r)) for r in rows)
    assert "ผลการตรวจแบบรายงานของอำเภอละหานทราย" in text and "๑๐ ตุลาคม ๒๕๖๕" in text
    assert "ตัวชี้วัดรายทีม | C25 | ข้อผิดพลาด" in text
    t2 = next(r for r in rows if r and r[0] == "T2")
    assert t2[1] == "คิดระดับไม่ได้"
    result = next(r for r in written.report.results if r.district.code == "3106")
    t6 = result.indicator("T6")
    row = next(r for r in rows if r and r[0] == "T6")
    assert row[1] == f"ระดับ {t6.level}" and row[2].startswith(catalog.indicator("T6").title)
    if t6.level < 5:
        assert f"จะได้ระดับ {t6.level + 1}" in row[2] and all(n in row[2] for n in needs_text(catalog, t6))


def test_unticked_items_of_the_next_level_are_pointed_at(written):
    result = next(r for r in written.report.results if r.district.code == "3106")
    wb = openpyxl.load_workbook(by_code(written, "3106"))
    t3 = result.indicator("T3")
    assert t3.level is not None and t3.level < 5
    sheet, _, ref = result.cells[f"T3_L{t3.level + 1}_1"].rpartition("!")
    cell = wb[sheet.strip("'")][ref]
    assert cell.fill.fgColor.rgb == FILLS["tick"] and f"T3 ระดับ {t3.level + 1}" in cell.comment.text


def test_fixed_and_returned_it_is_the_newer_submission(written, tmp_path):
    """Fill the cells the feedback points at (with the clean round's values), put the file back: `run` takes it."""
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    loaded = load(SAMPLE)
    clean = {r.district.code: r for r in score_round(loaded).results}
    for code, key in (("3106", "T2_done"), ("3107", "T7_sent")):
        path = by_code(written, code)
        wb = openpyxl.load_workbook(path)
        sheet, _, ref = clean[code].cells[key].rpartition("!")
        wb[sheet.strip("'")][ref] = clean[code].inputs[key]
        wb.save(round_dir / "submissions" / path.name)
    report = score_round(load(round_dir))
    for code in ("3106", "3107"):
        got = next(r for r in report.results if r.district.code == code)
        assert got.file == by_code(written, code).name and got.status == "ok"
        assert [(i.code, i.level) for i in got.indicators] == [(i.code, i.level) for i in clean[code].indicators]
        assert any(p.code == "duplicate-submission" and p.file.startswith(code) for p in report.all_problems())


def test_feedback_writes_nothing_into_submissions_and_replaces_its_folder(tmp_path):
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    before = sorted(p.name for p in (round_dir / "submissions").iterdir())
    out = tmp_path / "fb"
    out.mkdir()
    (out / "stale.xlsx").write_bytes(b"old")
    r = CliRunner().invoke(cli, ["feedback", str(round_dir), "--out", str(out), "--jobs", "1"])
    assert r.exit_code == 1, r.output
    assert "เขียนไฟล์ผลการตรวจคืนอำเภอ 4 ไฟล์" in r.output and feedback_file_name("3106", "ละหานทราย") in r.output
    assert sorted(p.name for p in (round_dir / "submissions").iterdir()) == before
    assert not (out / "stale.xlsx").exists() and len(list(out.glob("*.xlsx"))) == 4
    r = CliRunner().invoke(cli, ["feedback", str(round_dir), "--out", str(round_dir / "submissions")])
    assert r.exit_code == 2


def test_a_folder_that_cannot_be_written_whole_leaves_the_old_one(tmp_path):
    """The old feedback folder is set aside, not deleted, until the new one is in place; a failed write keeps it."""
    from generator.api import _replace_folder
    from generator.outputs import OutputError

    out = tmp_path / "fb"
    out.mkdir()
    (out / "old.xlsx").write_bytes(b"old")

    def fails(folder: Path) -> None:
        (folder / "half.xlsx").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError):
        _replace_folder(out, fails)
    assert [p.name for p in out.iterdir()] == ["old.xlsx"]
    assert _replace_folder(out, lambda folder: (folder / "new.xlsx").write_bytes(b"new")) == 3
    assert [p.name for p in out.iterdir()] == ["new.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fb"]  # no staging or set-aside folder left


def lo_convert(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """LibreOffice opens each file and saves it again as xlsx."""
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), *map(str, files)], capture_output=True, timeout=300, check=True)
    return [out / f.name for f in files]


@pytest.mark.soffice
@needs_soffice
def test_libreoffice_opens_feedback(written, tmp_path, catalog):
    converted = lo_convert(list(written.files), tmp_path / "lo", tmp_path / "profile")
    for before, after in zip(written.files, converted):
        assert after.is_file(), after
        wb = openpyxl.load_workbook(after)
        assert wb.sheetnames[0] == SHEET_TITLE
        notes = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment)
        assert notes >= 1
        assert read_workbook(after, catalog)[0]["meta"] == read_workbook(before, catalog)[0]["meta"]


@pytest.mark.soffice
@needs_soffice
def test_feedback_on_a_libreoffice_saved_submission(tmp_path, catalog):
    """A district that saved its form in LibreOffice Calc: its feedback opens in openpyxl and LibreOffice."""
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    original = round_dir / "submissions" / "3106-ละหานทราย.xlsx"
    saved = lo_convert([original], tmp_path / "lo-in", tmp_path / "profile")[0]
    shutil.copyfile(saved, original)
    result = feedback_round(round_dir, tmp_path / "fb", now=NOW, jobs=1)
    path = by_code(result, "3106")
    for name, part in sheet_parts(original).items():
        assert cell_values(path, sheet_parts(path)[name]) == cell_values(original, part)
    wb = openpyxl.load_workbook(path)
    cell = wb["ตัวชี้วัดรายทีม"]["C25"]
    assert cell.fill.fgColor.rgb == FILLS["error"] and cell.comment is not None
    again = lo_convert([path], tmp_path / "lo-out", tmp_path / "profile")[0]
    assert openpyxl.load_workbook(again).sheetnames[0] == SHEET_TITLE
    data, _ = read_workbook(path, catalog)
    assert data["meta"]["district_code"] == "3106" and data["cells"]["T2_done"].value == "ประมาณ 80 กิจกรรม"


# --------------------------------------------------------------------------- the zip/XML edit, odd workbooks
def odd_workbook(path: Path) -> Path:
    """A workbook openpyxl writes with what the edit must keep: a note already on a cell, a print area (a
    sheet-scoped name), a workbook-scoped name, rows with gaps and a later save time than now."""
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ข้อมูล"
    ws["A1"] = "หัวเรื่อง"
    ws["B2"] = 12.5
    ws["B2"].number_format = "#,##0.00"
    ws["C9"] = "=B2*2"
    ws["A1"].comment = Comment("หมายเหตุเดิมของอำเภอ", "อำเภอ")
    wb.create_sheet("อื่น")["A1"] = "x"
    ws.print_area = "A1:C9"
    wb.defined_names["in_value"] = DefinedName("in_value", attr_text="'ข้อมูล'!$B$2")
    wb.save(path)
    later = path.with_name("later.xlsx")                 # openpyxl stamps its save now: the district saved later
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(later, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2030-01-01T08:00:00Z", data)
            b.writestr(info, data)
    return later


def test_edit_keeps_notes_names_and_makes_missing_cells(tmp_path):
    from generator.render.feedback_xlsx import Mark, Row, annotate_workbook

    source = odd_workbook(tmp_path / "odd.xlsx")
    target = tmp_path / "out.xlsx"
    marks = [Mark("ข้อมูล", "B2", "error", "ผิด"), Mark("ข้อมูล", "E5", "empty", "ยังไม่ได้กรอก"),
             Mark("ข้อมูล", "A1", "warning", "ตรวจ"), Mark("อื่น", "B1", "tick", "ใส่ ✓"), Mark("ไม่มี", "A1", "error", "")]
    annotate_workbook(source, target, marks, [Row(("หัว",), "title"), Row(("ก", "ข"), "head")], (10, 20), "ผล", NOW)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["ผล", "ข้อมูล", "อื่น"]
    ws = wb["ข้อมูล"]
    assert ws["B2"].value == 12.5 and ws["B2"].number_format == "#,##0.00" and ws["C9"].value == "=B2*2"
    assert ws["B2"].fill.fgColor.rgb == FILLS["error"] and ws["B2"].comment.text == "ผิด"
    assert ws["E5"].value is None and ws["E5"].fill.fgColor.rgb == FILLS["empty"]           # made in a new row
    assert ws["A1"].comment.text == "ตรวจ"                       # ours replaces the note on the same cell
    assert wb["อื่น"]["B1"].comment.text == "ใส่ ✓"
    assert ws.print_area == "'ข้อมูล'!$A$1:$C$9"                 # the sheet-scoped name moved with its sheet
    assert wb.defined_names["in_value"].attr_text == "'ข้อมูล'!$B$2"
    with zipfile.ZipFile(target) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2030-01-01T08:00:01Z" in core                       # a second after the district's own (later) save


def test_edit_without_core_properties(tmp_path):
    from generator.render.feedback_xlsx import Mark, annotate_workbook

    source = odd_workbook(tmp_path / "odd.xlsx")
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            if info.filename != "docProps/core.xml":
                b.writestr(info, a.read(info.filename))
    target = tmp_path / "out.xlsx"
    annotate_workbook(bare, target, [Mark("ข้อมูล", "B2", "error", "ผิด")], [], (10,), "ผล", NOW)
    with zipfile.ZipFile(target) as z:
        assert "docProps/core.xml" not in z.namelist()
    assert openpyxl.load_workbook(target)["ข้อมูล"]["B2"].comment.text == "ผิด"


def test_feedback_on_a_feedback_workbook_rewrites_its_findings_sheet(written, tmp_path):
    """A district returns the feedback file unfixed: checked again, it keeps one findings sheet, written anew."""
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    shutil.copyfile(by_code(written, "3106"), round_dir / "submissions" / by_code(written, "3106").name)
    again = feedback_round(round_dir, tmp_path / "fb", now=NOW + dt.timedelta(days=1), jobs=1)
    wb = openpyxl.load_workbook(by_code(again, "3106"))
    assert wb.sheetnames == [SHEET_TITLE, "ปก", "ตัวชี้วัดรายทีม", "ตัวชี้วัดรายบุคคล", "_meta"]
    assert "๖ ตุลาคม ๒๕๖๕" in wb[SHEET_TITLE]["A2"].value and wb["ตัวชี้วัดรายทีม"]["C25"].comment is not None


def test_a_blank_form_sent_back_as_written_by_xlsxwriter(tmp_path, catalog):
    """The form as `forms` writes it (xlsxwriter, Excel's own way of writing parts) sent back unfilled: every
    wanted input is pointed at, nothing else changes."""
    from generator.api import write_forms

    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    forms = write_forms(round_dir, tmp_path / "forms")
    blank = next(p for p in forms if p.name.startswith("3105"))
    shutil.copyfile(blank, round_dir / "submissions" / blank.name)
    result = feedback_round(round_dir, tmp_path / "fb", now=NOW, jobs=1)
    path = by_code(result, "3105")
    for name, part in sheet_parts(blank).items():
        assert cell_values(path, sheet_parts(path)[name]) == cell_values(blank, part)
    district = next(r for r in result.report.results if r.district.code == "3105")
    wb = openpyxl.load_workbook(path)
    empty = next(d for d in result.status.districts if d.code == "3105").empty
    assert len(empty) > 40
    for key in empty:
        sheet, _, ref = district.cells[key].rpartition("!")
        cell = wb[sheet.strip("'")][ref]
        assert cell.fill.fgColor.rgb == FILLS["empty"] and cell.comment.text.startswith("ยังไม่ได้กรอก")
    assert read_workbook(path, catalog)[0]["meta"]["district_code"] == "3105"
