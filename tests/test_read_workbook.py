"""Reading one returned workbook: cells found by defined name, raw values as saved, bad files refused safely."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from generator.read import read_workbook, safety
from generator.read.values import CellError, Uncomputed, parse
from readkit import SHEET, full_inputs, meta_names, meta_row, write_form, write_parts


def inputs_by_key(catalog):
    """The catalog's inputs keyed by key."""
    return {i.key: i for i in catalog.inputs()}


def codes(problems) -> list[str]:
    """The codes of some problems, in order."""
    return [p.code for p in problems]


def test_full_form_reads_meta_and_every_input(tmp_path, catalog):
    data, problems = read_workbook(write_form(tmp_path / "f.xlsx", catalog, full_inputs(catalog)), catalog)
    assert problems == []
    assert data["meta"] == {"round_id": "2565-r2", "district_code": "3101", "form_version": "1"}
    assert set(data["cells"]) == {i.key for i in catalog.inputs()}
    cell = data["cells"]["T1_allocated"]
    assert (cell.sheet, cell.value, cell.address) == (SHEET, 1234.5, f"{SHEET}!{cell.ref}")
    typed = {k: parse(inputs_by_key(catalog)[k], c.value, c.number_format) for k, c in data["cells"].items()}
    assert all(p is None for _, p in typed.values())
    assert typed["T3_L5_date"][0] == dt.date(2022, 8, 1) and typed["T1_loan_docs"][0] is True


def test_inserted_rows_move_the_names_and_still_read_right(tmp_path, catalog):
    values = {"T1_allocated": 1000, "T1_spent": 900, "T2_planned": 10, "T2_done": 7, "I1_below": 3}
    plain, _ = read_workbook(write_form(tmp_path / "plain.xlsx", catalog, values), catalog)
    moved, problems = read_workbook(write_form(tmp_path / "moved.xlsx", catalog, values, inserted_rows=3), catalog)
    assert problems == []
    for key, value in values.items():
        assert moved["cells"][key].value == value
        assert int(moved["cells"][key].ref[1:]) == int(plain["cells"][key].ref[1:]) + 3


def test_percent_formatted_cell_keeps_its_format(tmp_path, catalog):
    path = write_form(tmp_path / "f.xlsx", catalog, {"I10_plan_pct": 0.85}, formats={"I10_plan_pct": "0%"})
    data, _ = read_workbook(path, catalog)
    cell = data["cells"]["I10_plan_pct"]
    assert (cell.value, cell.number_format) == (0.85, "0%")
    assert parse(inputs_by_key(catalog)["I10_plan_pct"], cell.value, cell.number_format) == (85.0, None)


def test_date_cell_holding_a_buddhist_year(tmp_path, catalog):
    data, _ = read_workbook(write_form(tmp_path / "f.xlsx", catalog, {"T3_L5_date": dt.datetime(2565, 9, 10)}),
                            catalog)
    cell = data["cells"]["T3_L5_date"]
    assert cell.value == dt.datetime(2565, 9, 10)
    assert parse(inputs_by_key(catalog)["T3_L5_date"], cell.value, cell.number_format)[0] == dt.date(2022, 9, 10)


def test_formulas_cached_uncached_and_errors(tmp_path, catalog):
    formulas = {"T1_allocated": ("=1000+234.5", 1234.5), "T1_spent": ("=C1*2", None), "T2_done": ("=1/0", "#DIV/0!"),
                "T1_evidence": ('="ok"', "ok")}
    data, _ = read_workbook(write_form(tmp_path / "f.xlsx", catalog, formulas=formulas), catalog)
    cells = data["cells"]
    assert cells["T1_allocated"].value == 1234.5
    assert cells["T1_spent"].value == Uncomputed("C1*2")
    assert cells["T2_done"].value == CellError("#DIV/0!")
    assert cells["T1_evidence"].value == "ok"


def test_text_that_looks_like_a_formula_stays_text(tmp_path, catalog):
    data, _ = read_workbook(write_form(tmp_path / "f.xlsx", catalog, {"T1_evidence": "=SUM(A1) ไม่ใช่สูตร"}), catalog)
    assert data["cells"]["T1_evidence"].value == "=SUM(A1) ไม่ใช่สูตร"


def test_workbook_saved_by_openpyxl_loses_formula_results(tmp_path, catalog):
    src = write_form(tmp_path / "f.xlsx", catalog, {"T2_planned": 10, "T3_L1_1": "✓"},
                     formulas={"T1_allocated": ("=1000+234.5", 1234.5)})
    wb = openpyxl.load_workbook(src)
    wb.save(tmp_path / "resaved.xlsx")  # a tool that does not calculate: the cached result is gone
    data, problems = read_workbook(tmp_path / "resaved.xlsx", catalog)
    assert problems == []
    assert data["cells"]["T1_allocated"].value == Uncomputed("1000+234.5")
    assert data["cells"]["T2_planned"].value == 10 and data["cells"]["T3_L1_1"].value == "✓"


@pytest.mark.soffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_workbook_saved_by_libreoffice_reads_the_same(tmp_path, catalog):
    values = {"T1_allocated": 1234.5, "T3_L1_1": True, "T3_L2_1": "✓", "T3_L5_date": dt.datetime(2565, 9, 10),
              "I10_plan_pct": 0.85, "T1_evidence": "=ไม่ใช่สูตร", "T2_planned": 12}
    src = write_form(tmp_path / "src" / "f.xlsx", catalog, values, formats={"I10_plan_pct": "0.0%"},
                     formulas={"T2_done": ("=5+6", 11)})
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    data, problems = read_workbook(out / "f.xlsx", catalog)
    assert problems == [] and data["meta"]["district_code"] == "3101"
    inputs = inputs_by_key(catalog)
    typed = {k: parse(inputs[k], c.value, c.number_format)[0] for k, c in data["cells"].items() if k in values}
    assert typed == {"T1_allocated": 1234.5, "T3_L1_1": True, "T3_L2_1": True, "T3_L5_date": dt.date(2022, 9, 10),
                     "I10_plan_pct": 85.0, "T1_evidence": "=ไม่ใช่สูตร", "T2_planned": 12}
    assert data["cells"]["T2_done"].value == 11


def test_missing_and_broken_names_hit_their_indicator_only(tmp_path, catalog):
    path = write_form(tmp_path / "f.xlsx", catalog, {"T2_done": 5},
                      names={"in_T1_spent": None, "in_T2_planned": "#REF!", "in_T7_sent": f"'{SHEET}'!#REF!"})
    data, problems = read_workbook(path, catalog)
    assert [(p.code, p.key, p.indicator) for p in problems] == [
        ("name-missing", "T1_spent", "T1"), ("name-broken", "T2_planned", "T2"), ("name-broken", "T7_sent", "T7")]
    assert data["cells"]["T2_done"].value == 5 and "T1_spent" not in data["cells"]


def test_missing_meta_name_is_a_file_problem(tmp_path, catalog):
    _, problems = read_workbook(write_form(tmp_path / "f.xlsx", catalog, names={"meta_district_code": None}), catalog)
    assert [(p.code, p.key) for p in problems] == [("name-missing", "")]


def test_workbook_without_our_names_is_not_a_form(tmp_path, catalog):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "สรุปผล"
    wb.save(tmp_path / "other.xlsx")
    data, problems = read_workbook(tmp_path / "other.xlsx", catalog)
    assert data == {} and codes(problems) == ["not-a-form"]


def test_hand_written_xml_inline_strings_rich_text_and_cells_without_r(tmp_path, catalog):
    rows = (meta_row() +
            '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="str"><f>A1</f><v>x_x000D_y</v></c>'
            '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2" t="d"><v>2022-09-10T00:00:00</v></c>'
            '</row><row><c><v>7</v></c><c><v>8</v></c></row>')
    strings = ('<r><t>แฟ้ม </t></r><r><t>๑</t></r><rPh><t>ignored</t></rPh>',)
    names = {**meta_names(), "in_T1_evidence": "Sheet1!$A$2", "in_T2_evidence": "Sheet1!$B$2",
             "in_T1_loan_docs": "Sheet1!C2", "in_T1_spent": "Sheet1!$D$2", "in_T3_L5_date": "Sheet1!$E$2",
             "in_T2_planned": "Sheet1!$B$3", "in_T2_done": "Sheet1!$Z$2"}
    data, problems = read_workbook(write_parts(tmp_path / "h.xlsx", rows, names, strings=strings), catalog)
    cells = {k: c.value for k, c in data["cells"].items()}
    assert cells == {"T1_evidence": "แฟ้ม ๑", "T2_evidence": "x\ry", "T1_loan_docs": True,
                     "T1_spent": CellError("#N/A"), "T3_L5_date": dt.datetime(2022, 9, 10), "T2_planned": 8.0,
                     "T2_done": None}
    assert all(p.code == "name-missing" for p in problems)


def test_meta_code_typed_as_a_number_or_thai_digits(tmp_path, catalog):
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>2565-r2</t></is></c><c r="B1"><v>3101</v></c>'
            '<c r="C1" t="inlineStr"><is><t>๑</t></is></c></row>')
    data, _ = read_workbook(write_parts(tmp_path / "m.xlsx", rows, meta_names()), catalog)
    assert data["meta"] == {"round_id": "2565-r2", "district_code": "3101", "form_version": "1"}


def test_only_the_rows_needed_are_read(tmp_path, catalog):
    rows = meta_row() + '<row r="2"><c r="A2"><v>5</v></c></row><row r="3"><c r="A3"><v>not xml at all &'
    path = write_parts(tmp_path / "r.xlsx", rows, {**meta_names(), "in_T2_done": "Sheet1!$A$2"})
    data, _ = read_workbook(path, catalog)  # the broken rest of the sheet is never parsed
    assert data["cells"]["T2_done"].value == 5.0


def test_percent_and_date_styles_from_styles_xml(tmp_path, catalog):
    styles = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-th-TH,107]d mmm yy"/></numFmts>'
              '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="10"/><xf numFmtId="164"/><xf numFmtId="71"/>'
              "</cellXfs>")
    rows = meta_row() + '<row r="2"><c r="A2" s="1"><v>0.075</v></c><c r="B2" s="2"><v>44814</v></c>' \
                        '<c r="C2" s="3"><v>44814</v></c></row>'
    names = {**meta_names(), "in_I10_plan_pct": "Sheet1!$A$2", "in_T3_L5_date": "Sheet1!$B$2",
             "in_T4_report_date": "Sheet1!$C$2"}
    data, _ = read_workbook(write_parts(tmp_path / "s.xlsx", rows, names, styles=styles), catalog)
    cells = data["cells"]
    assert (cells["I10_plan_pct"].value, cells["I10_plan_pct"].number_format) == (0.075, "0.00%")
    assert cells["T3_L5_date"].value == cells["T4_report_date"].value == dt.datetime(2022, 9, 10)


# files that are not what they claim ------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.mark.parametrize("content, code, says", [
    (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "not-xlsx-pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not-xlsx-image", "รูปภาพ"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not-xlsx-image", "รูปภาพ"),
    ("รหัส,ค่า\n3101,85\n".encode("utf-8-sig"), "not-xlsx-text", "CSV"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "not-xlsx-html", "HTML"),
    (OLE + "Workbook".encode("utf-16-le"), "not-xlsx-xls", ".xls"),
    (OLE + "EncryptionInfo\x00EncryptedPackage".encode("utf-16-le"), "encrypted", "รหัสผ่าน"),
    (b"", "not-xlsx-empty", "ว่างเปล่า"),
])
def test_non_workbooks_are_named_with_advice(tmp_path, catalog, content, code, says):
    path = tmp_path / "งาน อำเภอ.xlsx"
    path.write_bytes(content)
    data, problems = read_workbook(path, catalog)
    assert data == {} and codes(problems) == [code] and says in problems[0].message


@pytest.mark.parametrize("members, code", [
    ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}, "not-xlsx-ods"),
    ({"word/document.xml": "<x/>"}, "not-xlsx-docx"),
    ({"3101.xlsx": "PK..."}, "not-xlsx-zip"),
    ({"xl/workbook.bin": "\x83\x01", "[Content_Types].xml": "<Types/>"}, "not-xlsx-xlsb"),
])
def test_other_zip_files_are_named(tmp_path, catalog, members, code):
    path = tmp_path / "f.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    assert codes(read_workbook(path, catalog)[1]) == [code]


def test_truncated_workbook(tmp_path, catalog):
    good = write_form(tmp_path / "good.xlsx", catalog, full_inputs(catalog)).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    data, problems = read_workbook(tmp_path / "cut.xlsx", catalog)
    assert data == {} and codes(problems) == ["damaged-zip"] and "ไม่สมบูรณ์" in problems[0].message


def test_corrupted_member_is_a_problem_not_a_crash(tmp_path, catalog):
    path = write_parts(tmp_path / "c.xlsx", meta_row() + "<row r='2'>" + "<c><v>1</v></c>" * 2000 + "</row>",
                       {**meta_names(), "in_T2_done": "Sheet1!$A$2"})
    raw = bytearray(path.read_bytes())
    start = raw.index(b"xl/worksheets/sheet1.xml") + 40
    raw[start:start + 200] = bytes(200)  # the sheet's compressed data garbled, the zip directory intact
    path.write_bytes(bytes(raw))
    data, problems = read_workbook(path, catalog)
    assert data == {} and problems[0].severity == "error" and problems[0].code in ("damaged-zip", "bad-xml")


def test_zip_bomb_is_refused(tmp_path, catalog):
    path = write_parts(tmp_path / "b.xlsx", meta_row(), meta_names())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", bytes(4 * 2**20))  # ~1000:1
    assert codes(read_workbook(path, catalog)[1]) == ["zip-bomb"]


def test_total_unzipped_size_is_capped(tmp_path, catalog, monkeypatch):
    path = write_form(tmp_path / "f.xlsx", catalog)
    monkeypatch.setattr(safety, "MAX_UNZIPPED_BYTES", 10_000)
    assert codes(read_workbook(path, catalog)[1]) == ["zip-bomb"]


def test_oversized_file_is_refused(tmp_path, catalog, monkeypatch):
    path = write_form(tmp_path / "f.xlsx", catalog)
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    assert codes(read_workbook(path, catalog)[1]) == ["file-too-large"]


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_xml_bombs_and_external_entities_are_refused(tmp_path, catalog, prolog):
    rows = meta_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>&d;&x;</t></is></c></row>'
    path = write_parts(tmp_path / "x.xlsx", rows.replace("&d;&x;", "&d;" if "ENTITY d" in prolog else "&x;"),
                       {**meta_names(), "in_T1_evidence": "Sheet1!$A$2"}, prolog=prolog)
    data, problems = read_workbook(path, catalog)
    assert data == {} and codes(problems) == ["xml-dtd"]


def test_malformed_xml(tmp_path, catalog):
    path = write_parts(tmp_path / "m.xlsx", meta_row() + "<row r='2'><c r='A2'><v>1</c></row>",
                       {**meta_names(), "in_T2_done": "Sheet1!$A$2"})
    assert codes(read_workbook(path, catalog)[1]) == ["bad-xml"]


def test_reading_never_modifies_the_file(tmp_path, catalog):
    path = write_form(tmp_path / "f.xlsx", catalog, full_inputs(catalog))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_workbook(path, catalog)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
