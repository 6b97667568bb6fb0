"""The province's summary workbook: ranking with ties, level matrix, charts, tables, problems."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from generator.render.summary import (DETAILS, INDICATORS, MATRIX, MISSING, PROBLEMS, RANKING, TIED, WEAKEST,
                                      write_summary)
from generator.render.xlsx_style import NONE_TEXT


@pytest.fixture(scope="module")
def path(synthetic_report, tmp_path_factory):
    out = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    write_summary(out, synthetic_report)
    return out


@pytest.fixture(scope="module")
def wb(path):
    return openpyxl.load_workbook(path)


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def table_rows(ws, name):
    """The body rows of an Excel table, by its name."""
    table = ws.tables[name]
    block = ws[table.ref]
    return [[c.value for c in row] for row in block[1:]], [c.value for c in block[0]]


def test_sheets_charts_and_tables(wb, path):
    for name in (RANKING, MATRIX, WEAKEST, MISSING, PROBLEMS, DETAILS, INDICATORS):
        assert name in wb.sheetnames
    assert len(wb.chartsheets) == 3
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
        kinds = " ".join(z.read(n).decode() for n in charts)
        assert "<c:barChart>" in kinds and '<c:grouping val="stacked"/>' in kinds
    assert {"tbl_rank_team", "tbl_rank_individual"} <= set(wb[RANKING].tables)
    assert "tbl_levels" in wb[MATRIX].tables and "tbl_problems" in wb[PROBLEMS].tables


def test_ranking_order_and_ties(synthetic_report, wb):
    for group in ("team", "individual"):
        body, head = table_rows(wb[RANKING], f"tbl_rank_{group}")
        ranks = synthetic_report.ranks[group]
        assert len(body) == len(ranks) == len(synthetic_report.scored)
        assert [row[1] for row in body] == [r.code for r in ranks]
        assert [row[0] for row in body] == [r.rank for r in ranks]
        assert [row[3] for row in body] == pytest.approx([r.total for r in ranks])
        assert [row[4] for row in body] == pytest.approx([r.pct for r in ranks])
        assert [row[5] for row in body] == [r.band for r in ranks]
        assert [row[6] == TIED for row in body] == [r.tied for r in ranks]
        assert [row[0] for row in body] == sorted(row[0] for row in body)
    assert any(r.tied for r in synthetic_report.ranks["team"]), "the fixture has ties to show"


def test_matrix_holds_every_scored_districts_levels(synthetic_report, wb):
    body, head = table_rows(wb[MATRIX], "tbl_levels")
    codes = [i.code for i in synthetic_report.catalog.indicators]
    assert len(codes) == 20 and head[2:22] == codes
    assert [row[0] for row in body] == [r.district.code for r in synthetic_report.scored]
    for row, r in zip(body, synthetic_report.scored):
        want = [NONE_TEXT if i.level is None else i.level for i in r.indicators]
        assert row[2:22] == want, r.district.code
        assert row[22:24] == pytest.approx([r.totals["team"].pct, r.totals["individual"].pct])


def test_matrix_is_coloured_by_level(wb):
    rules = wb[MATRIX].conditional_formatting
    formulas = [f for cf in rules for rule in cf.rules for f in rule.formula]
    assert len([f for f in formulas if "ISNUMBER" in f]) >= 6


def test_weakest_indicators(synthetic_report, wb):
    body, _ = table_rows(wb[WEAKEST], "tbl_weakest")
    assert [row[1] for row in body] == [s.code for s in synthetic_report.weakest]
    assert [row[4] for row in body] == pytest.approx([s.mean_level for s in synthetic_report.weakest])


def test_missing_and_invalid_submissions(synthetic_report, wb):
    body, _ = table_rows(wb[MISSING], "tbl_missing")
    want = [r.district.code for r in synthetic_report.results if r.status in ("missing", "error")]
    assert [row[0] for row in body] == want
    missing = {r.district.code for r in synthetic_report.missing}
    assert len(missing) == 2
    for row in body:
        assert row[5], f"{row[0]} needs a reason"
        if row[0] in missing:
            assert "ไม่ได้ส่งแบบรายงาน" in row[5]


def test_every_problem_listed_once_with_its_place(synthetic_report, wb):
    body, head = table_rows(wb[PROBLEMS], "tbl_problems")
    problems = synthetic_report.all_problems()
    assert len(body) == len(problems)
    bad = [row for row in body if row[-1] == "bad-number"]
    assert len(bad) == 1 and bad[0][3:6] == ["ตัวชี้วัดรายทีม", "C12", "T1_spent"] and bad[0][9] == "abc"


def test_no_formula_anywhere_and_text_as_text(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate}: {c.value!r}"


def test_print_setup_and_font(wb):
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws["A1"].font.name == "TH Sarabun New"


def test_two_writes_are_identical(synthetic_report, path, tmp_path):
    again = tmp_path / "again.xlsx"
    write_summary(again, synthetic_report)
    with zipfile.ZipFile(path) as za, zipfile.ZipFile(again) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            assert za.read(name) == zb.read(name), name
    assert path.read_bytes() == again.read_bytes()


def test_a_round_with_no_usable_submission_still_writes(sample_round, catalog, tmp_path):
    from generator.problems import Problem
    from generator.report import build_report
    from generator.score import missing_district

    gone = Problem("error", "missing-submission", "ไม่ได้ส่งแบบรายงาน")
    results = [missing_district(catalog, d, [gone.at(district=d.code)]) for d in sample_round.districts]
    report = build_report(sample_round, catalog, "step", results)
    write_summary(tmp_path / "s.xlsx", report)
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    body, _ = table_rows(wb[MISSING], "tbl_missing")
    assert len(body) == len(sample_round.districts)


def test_the_indicator_table_has_its_own_sheet_whose_head_repeats_on_every_page(wb, catalog):
    """On the round's facts sheet the table's head could not repeat (print titles are one block of top rows)."""
    ws = wb[INDICATORS]
    rows, head = table_rows(ws, "tbl_indicators")
    assert head == ["รหัส", "กลุ่ม", "ตัวชี้วัด", "น้ำหนัก", "หน่วย"] and [r[0] for r in rows] == [
        i.code for i in catalog.indicators]
    top = int(ws.tables["tbl_indicators"].ref.split(":")[0][1:])
    assert ws.print_title_rows == f"$1:${top}"
    assert "tbl_indicators" not in wb[DETAILS].tables
