"""Collection workbooks (`forms`): names, meta, protection, validation, pre-fill, print set-up, and a real client."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import load_catalog
from generator.render.forms import META_NAMES, form_name, write_form, write_forms

DATA = Path(__file__).resolve().parent / "data"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def forms(tmp_path_factory, sample_round, catalog):
    """The 23 blank forms of the sample round."""
    return write_forms(sample_round, catalog, tmp_path_factory.mktemp("forms"))


@pytest.fixture(scope="module")
def first(forms):
    """The first district's form, opened with openpyxl."""
    return openpyxl.load_workbook(forms[0])


def named_cell(wb, name: str):
    """The cell a workbook-scope defined name points at."""
    (sheet, coord), = list(wb.defined_names[name].destinations)
    return wb[sheet][coord.replace("$", "")]


def test_one_form_per_district_named_code_dash_thai_name(forms, sample_round):
    paths = forms
    assert [p.name for p in paths] == [f"{d.code}-{d.name}.xlsx" for d in sample_round.districts]
    assert len(paths) == 23
    assert sorted(p.name for p in paths[0].parent.iterdir()) == sorted(p.name for p in paths)  # no temp files left


def test_every_input_and_meta_has_its_workbook_scope_name(forms, catalog):
    want = {f"in_{i.key}" for i in catalog.inputs()} | set(META_NAMES)
    assert len(want) == 161
    for path in forms:
        wb = openpyxl.load_workbook(path, read_only=True)
        assert set(wb.defined_names.keys()) == want, path.name
        assert all(not ws.defined_names for ws in wb.worksheets)   # none sheet-scoped


def test_meta_sheet_is_hidden_and_names_hold_round_district_version(forms, sample_round):
    for path, district in list(zip(forms, sample_round.districts))[:3]:
        wb = openpyxl.load_workbook(path)
        assert wb["_meta"].sheet_state == "hidden"
        assert named_cell(wb, "meta_round_id").value == sample_round.id
        assert named_cell(wb, "meta_district_code").value == district.code
        assert named_cell(wb, "meta_form_version").value == sample_round.form_version
        assert named_cell(wb, "meta_district_code").data_type == "s"


def test_sheets_protected_without_password_inputs_unlocked_rest_locked(first, catalog):
    assert first.sheetnames == ["ปก", "ตัวชี้วัดรายทีม", "ตัวชี้วัดรายบุคคล", "_meta"]
    for ws in first.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    inputs = set()
    for inp in catalog.inputs():
        cell = named_cell(first, inp.name)
        assert cell.protection.locked is False, inp.key
        assert cell.fill.fgColor.rgb in ("FFFFF2CC", "FFDDEBF7"), inp.key   # yellow, or blue when pre-filled
        inputs.add((cell.parent.title, cell.coordinate))
    for ws in first.worksheets[1:3]:
        for row in ws.iter_rows(min_row=1, max_row=40, max_col=4):
            for cell in row:
                if (ws.title, cell.coordinate) not in inputs and cell.value is not None:
                    assert cell.protection.locked is not False, (ws.title, cell.coordinate)


def _validations(wb) -> dict[tuple[str, str], object]:
    """Sheet and cell → its data validation."""
    out = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                    for cell in row:
                        out[(ws.title, cell.coordinate)] = dv
    return out


def test_every_input_has_validation_that_warns_rather_than_rejects(first, catalog):
    found = _validations(first)
    want = {"money": "decimal", "int": "whole", "pct": "decimal", "bool": "list", "date": "date", "text": None}
    for inp in catalog.inputs():
        cell = named_cell(first, inp.name)
        dv = found[(cell.parent.title, cell.coordinate)]
        assert dv.type == want[inp.type], inp.key
        if inp.type != "text":
            assert dv.errorStyle in ("warning", "information"), inp.key   # ๘๕, 10 ก.ย. 2565 must pass
            assert dv.showErrorMessage
        if inp.type == "bool":
            assert "✓" in dv.formula1
        if inp.type in ("money", "int"):
            assert dv.operator == "greaterThanOrEqual" and float(dv.formula1) == 0
        if inp.type == "pct":
            assert (float(dv.formula1), float(dv.formula2)) == (0, 100)
        assert dv.prompt, inp.key


def test_number_formats_thai_be_date_and_text_cells(first, catalog):
    for inp in catalog.inputs():
        fmt = named_cell(first, inp.name).number_format
        if inp.type == "date":
            assert "[$-107041E]" in fmt and "mmm" in fmt      # Thai month names, Buddhist-era year
        elif inp.type in ("bool", "text"):
            assert fmt == "@"                                  # '=…' typed as evidence stays text
        elif inp.type == "money":
            assert fmt == "#,##0.00"


def test_province_prefill_is_filled_in(forms, sample_round):
    for path, district in list(zip(forms, sample_round.districts))[:5]:
        cell = named_cell(openpyxl.load_workbook(path), "in_T5_staff")
        assert cell.value == district.prefill["T5_staff"]
        assert cell.protection.locked is False


def test_every_indicator_shows_code_title_weight_and_all_level_criteria(first, catalog):
    for g in catalog.groups:
        ws = first[g.name]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        joined = "\n".join(texts)
        for ind in catalog.in_group(g.key):
            assert ind.code in texts and ind.title in texts
            for level, text in ind.levels.items():
                assert " ".join(text.split()) in " ".join(joined.split()), (ind.code, level)
            for inp in ind.inputs:
                assert inp.key in texts and any(t.startswith(inp.label) for t in texts), inp.key
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)   # text, never formulas


def test_cover_names_district_round_period_deadline_contact_and_protection(first, sample_round):
    cover = "\n".join(str(c.value) for row in first["ปก"].iter_rows() for c in row if c.value is not None)
    district = sample_round.districts[0]
    for text in (district.name, district.code, "รอบการประเมินที่ ๒", "๑ เมษายน ๒๕๖๕", "๓๐ กันยายน ๒๕๖๕",
                 "๑๐ ตุลาคม ๒๕๖๕", "ไม่มีรหัสผ่าน", "✓", *sample_round.contact.values()):
        assert text in cover, text


def test_print_setup_a4_fit_to_width_repeated_heads_frozen_thai_font(first):
    for ws in first.worksheets[:3]:
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 = default
    for ws in first.worksheets[1:3]:
        assert ws.page_setup.fitToHeight == 0                    # as many pages down as it takes
        assert ws.print_title_rows.replace("$", "") == "1:2"
        assert ws.freeze_panes == "A3"
        assert ws["B3"].font.name == "TH Sarabun New" and 14 <= ws["B3"].font.sz <= 16


def test_same_input_same_bytes_and_pinned_properties(tmp_path, sample_round, catalog, forms):
    district = sample_round.districts[0]
    again = tmp_path / form_name(district)
    write_form(again, sample_round, catalog, district)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (again, forms[0])]
    assert digest[0] == digest[1]
    props = openpyxl.load_workbook(again).properties
    assert props.creator == sample_round.office
    assert props.created == dt.datetime.combine(sample_round.period_end, dt.time(8, 30))


def test_layout_comes_from_the_catalog_not_from_code(tmp_path, sample_round):
    tiny, _ = load_catalog(DATA / "tiny-catalog.yaml")
    path = write_forms(sample_round, tiny, tmp_path)[0]
    wb = openpyxl.load_workbook(path)
    assert set(wb.defined_names.keys()) == {f"in_{i.key}" for i in tiny.inputs()} | set(META_NAMES)
    assert wb.sheetnames == ["ปก", "ตัวชี้วัดรายทีม", "_meta"]
    assert "อัตราการลดลงของค่าใช้จ่ายไฟฟ้า" in [c.value for row in wb["ตัวชี้วัดรายทีม"].iter_rows() for c in row]


def _soffice(args: list[str], tmp_path: Path) -> None:
    """Run LibreOffice headless with a private profile (never the user's)."""
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", *args], check=True,
                   capture_output=True, timeout=180)


@pytest.mark.soffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_filled_form_survives_a_libreoffice_save(tmp_path, sample_round, catalog):
    district = sample_round.districts[2]
    blank = tmp_path / form_name(district)
    write_form(blank, sample_round, catalog, district)
    typed = {"in_T1_allocated": 1234567.5, "in_T1_spent": 1200000, "in_T2_planned": 42,
             "in_T3_L5_date": dt.datetime(2022, 9, 10), "in_T4_report_date": dt.datetime(2565, 8, 20),
             "in_T1_loan_docs": "✓", "in_T4_bigdata": True, "in_I10_plan_pct": 85.5,
             "in_T1_evidence": "หนังสือ ที่ บร ๐๒๑๘/ว ๑๒๓ R&D <ok>", "in_T2_evidence": "=ไม่ใช่สูตร",
             "in_T2_done": "๘๕"}
    wb = openpyxl.load_workbook(blank)
    for name, value in typed.items():
        cell = named_cell(wb, name)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    filled = tmp_path / "filled" / "แบบรายงาน กระสัง.xlsx"
    filled.parent.mkdir()
    wb.save(filled)
    _soffice(["--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(filled)], tmp_path)
    back = openpyxl.load_workbook(tmp_path / "lo" / filled.name, data_only=True)
    assert {f"in_{i.key}" for i in catalog.inputs()} | set(META_NAMES) <= set(back.defined_names.keys())
    assert named_cell(back, "meta_round_id").value == sample_round.id
    assert named_cell(back, "meta_district_code").value == district.code
    assert str(named_cell(back, "meta_form_version").value) == sample_round.form_version
    assert back["_meta"].sheet_state == "hidden"
    for name, value in typed.items():
        got = named_cell(back, name).value
        if value is True:
            assert got in (True, 1), name            # LibreOffice writes TRUE() with a cached 1
        else:
            assert got == value, name
    assert named_cell(back, "in_T5_staff").value == district.prefill["T5_staff"]
    assert named_cell(back, "in_T1_spent").protection.locked is False
    assert back["ตัวชี้วัดรายทีม"].protection.sheet


@pytest.mark.soffice
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftoppm") is None, reason="needs soffice and poppler")
def test_blank_form_prints_as_thai_a4_pages(tmp_path, forms, sample_round):
    path = tmp_path / forms[0].name
    shutil.copyfile(forms[0], path)
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], tmp_path)
    pdf = path.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.3" in info and "841.8" in info           # A4 portrait
    page = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in (1, 2)]
    district = sample_round.districts[0]
    assert district.name in page[0] and "วิธีกรอกแบบรายงาน" in page[0] and "๑๐ ตุลาคม ๒๕๖๕" in page[0]
    assert "หน่วย" in page[1] and "น้ำหนัก ๑๕" in page[1]   # the last column is on the page, not cut off
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 10_000
