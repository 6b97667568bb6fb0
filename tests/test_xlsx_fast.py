"""The quick xlsxwriter path writes exactly what xlsxwriter itself writes (every zip member, unzipped), text that
looks like rich text included, which both write as text (``TextWorkbook`` is xlsxwriter's Workbook with that fix);
every part is well-formed XML and openpyxl opens every workbook."""

from __future__ import annotations

import io
import math
import warnings
import zipfile

import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from generator.api import load, score_round
from generator.render import scorecard, summary, zip_parts
from generator.render import xlsx_style as xs
from generator.render.xlsx_fast import HEADER_MAX, FastSheet, FastWorkbook, TextWorkbook, header_footer
from tests.conftest import ROOT

ROUNDS = [ROOT / "input_samples" / "2565-r2", ROOT / "input_samples" / "2565-r2-problems"]


def members(path) -> dict[str, bytes]:
    """Every member of a zip file, uncompressed."""
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def well_formed(path) -> dict[str, bytes]:
    """Every member of an xlsx, each XML part parsed (a malformed part fails), after openpyxl has opened the file."""
    openpyxl.load_workbook(path).close()
    parts = members(path)
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)
    return parts


def write_round(report, folder, monkeypatch, workbook_class) -> None:
    """Every scorecard and the summary of a report, with the given Workbook class."""
    monkeypatch.setattr(xs, "FastWorkbook", workbook_class)
    for result in report.scored:
        scorecard.write_scorecard(folder / f"{result.district.code}.xlsx", report, result)
    summary.write_summary(folder / "summary.xlsx", report)


@pytest.mark.parametrize("round_dir", ROUNDS, ids=lambda p: p.name)
def test_scorecards_and_summary_are_what_xlsxwriter_writes(round_dir, tmp_path, monkeypatch):
    report = score_round(load(round_dir))
    (tmp_path / "plain").mkdir()
    (tmp_path / "fast").mkdir()
    write_round(report, tmp_path / "plain", monkeypatch, TextWorkbook)
    write_round(report, tmp_path / "fast", monkeypatch, FastWorkbook)
    names = sorted(p.name for p in (tmp_path / "plain").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "fast").iterdir())
    assert len(names) == len(report.scored) + 1
    for name in names:
        assert well_formed(tmp_path / "fast" / name) == well_formed(tmp_path / "plain" / name), name


LOOKS_RICH = ["<r>not rich</r>", "<r>R&D <ok></r>", " <r>\x07</r> ", "<r></r>"]
TRICKY = ["plain ไทย", "", " leading", "trailing ", "line\nbreak", "ends with newline\n", "\ttab", "R&D <ok> \"q\"",
          *LOOKS_RICH, "_x0041_ looks escaped", "bell\x07char", "non\ufffecharacters\uffff", "=SUM(A1)", "x" * 20000,
          "ก" * 17000, "<r>" + "ข" * 32760 + "</r>"]


def tricky_book(path, workbook_class, sheet_class) -> None:
    """A workbook of every kind of cell and string the fast path must get right or leave to xlsxwriter."""
    wb = workbook_class(path if isinstance(path, io.BytesIO) else str(path), {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False, "nan_inf_to_errors": True})
    fmt = wb.add_format({"bold": True, "border": 1})
    ws = wb.add_worksheet("ข้อมูล", worksheet_class=sheet_class)
    ws.set_default_row(22)
    for row, text in enumerate(TRICKY):
        ws.write_string(row, 0, text, fmt if row % 2 else None)
        ws.write_number(row, 1, [0, -1.5, 1e-9, 12345678901234567890, 2 ** 0.5, 3][row % 6], fmt)
        ws.write_blank(row, 2, None, fmt)
        ws.write_blank(row, 3, None)               # no format: no cell
        ws.set_row(row, 15 + row) if row % 3 == 0 else None
    ws.merge_range(20, 0, 20, 3, "merged text", fmt)
    ws.merge_range(21, 0, 22, 1, "", fmt)
    ws.write_number(30, 40, math.inf, fmt)         # becomes a formula: xlsxwriter's own writer for this sheet
    other = wb.add_worksheet("two", worksheet_class=sheet_class)
    other.write_string(0, 0, "only plain cells here")
    other.write_number(17, 5, 7)
    other.write_rich_string(1, 0, "real ", fmt, "rich", " text")  # a rich cell: its XML is copied as it is
    wb.close()


def test_every_cell_kind_and_odd_string_matches_xlsxwriter(tmp_path):
    tricky_book(tmp_path / "plain.xlsx", TextWorkbook, None)
    tricky_book(tmp_path / "fast.xlsx", FastWorkbook, FastSheet)
    plain, fast = well_formed(tmp_path / "plain.xlsx"), well_formed(tmp_path / "fast.xlsx")
    assert fast == plain
    assert b"inf" not in fast["xl/worksheets/sheet1.xml"].lower()


def test_text_that_looks_rich_is_read_back_as_typed_and_a_rich_cell_stays_rich(tmp_path):
    tricky_book(tmp_path / "fast.xlsx", FastWorkbook, FastSheet)
    book = openpyxl.load_workbook(tmp_path / "fast.xlsx", rich_text=True)
    read = [book["ข้อมูล"].cell(TRICKY.index(t) + 1, 1).value for t in LOOKS_RICH]
    assert read == [t.replace("\x07", "_x0007_") for t in LOOKS_RICH]  # openpyxl leaves Excel's _xHHHH_ escape
    rich = book["two"]["A2"].value
    assert isinstance(rich, openpyxl.cell.rich_text.CellRichText) and str(rich) == "real rich text"


def test_xlsxwriter_alone_copies_look_alike_rich_text_as_xml(tmp_path):
    """Why TextWorkbook exists: should xlsxwriter escape such text itself one day, this fails and the fix can go."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"in_memory": True})
    wb.add_worksheet().write_string(0, 0, "<r>R&D</r>")
    wb.close()
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(members(tmp_path / "x.xlsx")["xl/sharedStrings.xml"])


def test_overlapping_merge_is_refused_as_xlsxwriter_refuses_it(tmp_path):
    wb = FastWorkbook(str(tmp_path / "x.xlsx"), {"in_memory": True})
    ws = wb.add_worksheet()
    ws.merge_range(0, 0, 0, 2, "first", None)
    with pytest.raises(xlsxwriter.exceptions.OverlappingRange):
        ws.merge_range(0, 1, 0, 3, "second", None)
    wb.close()


def test_fast_workbook_is_a_valid_deflated_zip(tmp_path):
    tricky_book(tmp_path / "fast.xlsx", FastWorkbook, FastSheet)
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as z:
        assert z.testzip() is None
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}


def test_scorecards_take_the_fast_path(synthetic_report, tmp_path, monkeypatch):
    def general_path(self):
        raise AssertionError("xlsxwriter's general sheet-data writer was used")

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "_write_sheet_data", general_path)
    result = synthetic_report.scored[0]
    scorecard.write_scorecard(tmp_path / "one.xlsx", synthetic_report, result)
    assert (tmp_path / "one.xlsx").stat().st_size > 0


def test_fast_workbook_zips_into_a_file_object_as_into_a_file(tmp_path):
    tricky_book(tmp_path / "fast.xlsx", FastWorkbook, FastSheet)
    buffer = io.BytesIO()
    tricky_book(buffer, FastWorkbook, FastSheet)
    assert buffer.getvalue() == (tmp_path / "fast.xlsx").read_bytes()


def test_parts_repeated_between_workbooks_are_deflated_once(tmp_path):
    zip_parts._remembered.cache_clear()
    tricky_book(tmp_path / "one.xlsx", FastWorkbook, FastSheet)
    made = zip_parts._remembered.cache_info().misses
    tricky_book(tmp_path / "two.xlsx", FastWorkbook, FastSheet)
    info = zip_parts._remembered.cache_info()
    assert info.misses == made and info.hits >= made    # every small part came again, none deflated again
    assert members(tmp_path / "one.xlsx") == members(tmp_path / "two.xlsx")


def test_a_workbook_on_disk_parts_is_zipped_by_xlsxwriter(tmp_path):
    wb = FastWorkbook(str(tmp_path / "disk.xlsx"), {"in_memory": False, "tmpdir": str(tmp_path)})
    wb.add_worksheet().write_string(0, 0, "ไทย")
    wb.close()
    with zipfile.ZipFile(tmp_path / "disk.xlsx") as z:
        assert z.testzip() is None and b"\xe0\xb9\x84" in z.read("xl/sharedStrings.xml")


def odd_merges(path, workbook_class, sheet_class) -> None:
    """Merges the fast path leaves to xlsxwriter: reversed corners, no format, a number, one cell."""
    wb = workbook_class(str(path), {"in_memory": True})
    fmt = wb.add_format({"border": 1})
    ws = wb.add_worksheet("m", worksheet_class=sheet_class)
    ws.merge_range(3, 4, 1, 2, "reversed", fmt)
    ws.merge_range(5, 0, 5, 3, "no format")
    ws.merge_range(7, 0, 8, 1, 12.5, fmt)
    ws.merge_range(10, 1, 10, 5, "", fmt)
    with pytest.raises(xlsxwriter.exceptions.OverlappingRange):
        ws.merge_range(10, 0, 10, 1, "overlaps", fmt)
    wb.close()


def test_odd_merges_match_xlsxwriter(tmp_path):
    odd_merges(tmp_path / "plain.xlsx", TextWorkbook, None)
    odd_merges(tmp_path / "fast.xlsx", FastWorkbook, FastSheet)
    assert members(tmp_path / "fast.xlsx") == members(tmp_path / "plain.xlsx")


@pytest.mark.parametrize("text", ["อำเภอเมือง", "R&D " * 100, "ก" * 400, "&" * 300])
def test_a_header_or_footer_fits_excels_limit_with_its_text_as_text(text, tmp_path):
    template = '&L&"TH Sarabun New,Regular"&12{}&Rหน้า &P / &N'
    made = header_footer(template, text)
    assert len(made) <= HEADER_MAX and made.endswith("&Rหน้า &P / &N")
    body = made[len('&L&"TH Sarabun New,Regular"&12'):-len("&Rหน้า &P / &N")].replace("&&", "&")
    assert body == text if len(template) + len(text.replace("&", "&&")) - 2 <= HEADER_MAX else (
        body.endswith("…") and text.startswith(body[:-1]))
    wb = FastWorkbook(str(tmp_path / "h.xlsx"), {"in_memory": True})
    ws = wb.add_worksheet()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns when it drops a header or footer
        ws.set_footer(made)
    wb.close()
    assert openpyxl.load_workbook(tmp_path / "h.xlsx").active.oddFooter.left.text
