"""District scorecards: named result cells, text kept as text, print set-up, reproducible output."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from generator.render.needs_text import needs_text
from generator.render.scorecard import DETAIL, OVERVIEW, PROBLEMS, write_scorecard
from generator.report import RoundFrame

FORMULA_LIKE = "=SUM(A1) ไม่ใช่สูตร"
MARKUP = "R&D <ok> {{ x }}"


@pytest.fixture(scope="module")
def written(synthetic_report, tmp_path_factory):
    """Every scored district's scorecard, written once: {code: path}."""
    out = tmp_path_factory.mktemp("scorecards")
    paths = {}
    for r in synthetic_report.scored:
        paths[r.district.code] = out / f"{r.district.label}.xlsx"
        write_scorecard(paths[r.district.code], synthetic_report, r)
    return paths


@pytest.fixture(scope="module")
def books(written):
    """The scorecards read back with openpyxl."""
    return {code: openpyxl.load_workbook(p) for code, p in written.items()}


def named(wb, name):
    """The value of the one cell a workbook-scope defined name points at."""
    dn = wb.defined_names[name]
    assert dn.localSheetId is None, f"{name} must be workbook scope"
    (sheet, ref), = list(dn.destinations)
    return wb[sheet][ref.replace("$", "")].value


def cells(wb):
    """Every non-empty cell of every worksheet."""
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_one_file_per_usable_submission_and_no_partial_files(synthetic_report, written):
    assert set(written) == {r.district.code for r in synthetic_report.scored}
    folder = next(iter(written.values())).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written.values())


def test_named_cells_hold_each_indicators_level_and_score(synthetic_report, books):
    for r in synthetic_report.scored:
        wb = books[r.district.code]
        for ind in r.indicators:
            assert named(wb, f"out_{ind.code}_level") == ind.level, (r.district.code, ind.code)
            assert named(wb, f"out_{ind.code}_score") == ind.score, (r.district.code, ind.code)


def test_named_cells_hold_group_totals_and_percentages(synthetic_report, books):
    for r in synthetic_report.scored:
        wb = books[r.district.code]
        for group in ("team", "individual"):
            assert named(wb, f"out_{group}_total") == pytest.approx(r.totals[group].total)
            assert named(wb, f"out_{group}_pct") == pytest.approx(r.totals[group].pct)


def test_unscored_indicator_has_empty_named_cells(synthetic_report, books):
    bad = next(r for r in synthetic_report.scored if any(p.code == "bad-number" for p in r.problems))
    wb = books[bad.district.code]
    assert bad.indicator("T1").level is None
    assert named(wb, "out_T1_level") is None and named(wb, "out_T1_score") is None


def test_district_text_stays_text_never_a_formula(synthetic_report, books):
    seen = 0
    for r in synthetic_report.scored:
        for c in cells(books[r.district.code]):
            assert c.data_type != "f", f"{r.district.code} {c.coordinate} became a formula: {c.value!r}"
            if c.value == FORMULA_LIKE:
                assert c.data_type == "s"
                seen += 1
    assert seen > 0, "the fixture's '=SUM(A1)' evidence text must appear somewhere"


def test_evidence_appears_exactly_as_typed(synthetic_report, books):
    for r in synthetic_report.scored[:6]:
        texts = {c.value for c in cells(books[r.district.code]) if isinstance(c.value, str)}
        typed = {v for k, v in r.inputs.items() if k.endswith("_evidence") and v}
        assert typed <= texts, typed - texts
    assert any(MARKUP in {c.value for c in cells(books[r.district.code])} for r in synthetic_report.scored)


def test_details_show_criteria_of_level_reached_and_next_and_what_is_missing(synthetic_report, books):
    r = synthetic_report.scored[0]
    texts = {c.value for c in books[r.district.code][DETAIL].iter_rows() for c in c if isinstance(c.value, str)}
    checked = 0
    for res in r.indicators:
        ind = synthetic_report.catalog.indicator(res.code)
        if res.level is not None and 1 <= res.level < 5:
            assert ind.levels[res.level] in texts and ind.levels[res.level + 1] in texts
            checked += 1
        for need in needs_text(synthetic_report.catalog, res):
            assert any(need in t for t in texts), need
    assert checked


def test_composite_criteria_show_their_own_levels(synthetic_report, books):
    r = next(r for r in synthetic_report.scored if r.indicator("I6").criteria)
    ws = books[r.district.code][DETAIL]
    rows = {row[1].value: row for row in ws.iter_rows() if isinstance(row[1].value, str)}
    for crit in r.indicator("I6").criteria:
        assert rows[crit.label][3].value == crit.level


def test_problems_sheet_locates_each_problem(synthetic_report, books):
    bad = next(r for r in synthetic_report.scored if any(p.code == "bad-number" for p in r.problems))
    ws = books[bad.district.code][PROBLEMS]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    hit = [row for row in rows if "T1_spent" in row]
    assert hit and {"C12", "abc", "ต้องเป็นตัวเลข", "ตัวชี้วัดรายทีม"} <= set(hit[0])
    listed = [row for row in rows if row[-1] in {p.code for p in bad.problems}]
    assert len(listed) == len(bad.problems)


def test_print_setup_font_and_frozen_header(books):
    wb = next(iter(books.values()))
    assert wb.sheetnames == [OVERVIEW, DETAIL, PROBLEMS]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        assert int(ws.page_setup.fitToHeight) == (2 if ws.title == OVERVIEW else 0)   # the front sheet: 1–2 pages
        assert ws.print_title_rows and ws.freeze_panes
        assert ws["A1"].font.name == "TH Sarabun New"


def test_document_properties_are_pinned(synthetic_report, books):
    wb = next(iter(books.values()))
    assert wb.properties.creator == synthetic_report.round.office
    assert wb.properties.created.date() == synthetic_report.round.letter.date
    assert isinstance(wb.properties.created, dt.datetime)


def test_same_report_gives_identical_bytes_and_sheet_xml(synthetic_report, tmp_path):
    r = synthetic_report.scored[5]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_scorecard(a, synthetic_report, r)
    write_scorecard(b, synthetic_report, r)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            assert za.read(name) == zb.read(name), name
    assert a.read_bytes() == b.read_bytes()


def test_a_worker_writes_the_scorecard_from_the_round_alone(synthetic_report, tmp_path):
    """Workers pass the round's config, catalog and mode (RoundFrame), not an empty report: the same bytes."""
    rep = synthetic_report
    for r in (rep.scored[0], next(x for x in rep.scored if x.problems)):
        a, b = tmp_path / "report.xlsx", tmp_path / "frame.xlsx"
        write_scorecard(a, rep, r)
        write_scorecard(b, RoundFrame(rep.round, rep.catalog, rep.mode), r)
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("typed", ["+66 44 666 512", "-5 ครัวเรือน", "@ศาลากลาง", "=1+1", "เสียง\x07ระฆัง",
                                   "x" * 40000])
def test_any_typed_text_is_written_as_text(synthetic_report, sample_round, catalog, tmp_path, typed):
    from generator.score import score_district

    first = synthetic_report.scored[0]
    inputs = {**first.inputs, "T1_evidence": typed}
    r = score_district(catalog, first.district, inputs, "interpolate", sample_round.bands, file=first.file)
    write_scorecard(tmp_path / "x.xlsx", synthetic_report, r)
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    found = [c for c in cells(wb) if isinstance(c.value, str) and c.value[:3] == typed[:3] and len(c.value) > 2]
    assert found and all(c.data_type == "s" for c in found)
    assert not any(c.data_type == "f" for c in cells(wb))


def test_detail_blocks_that_fit_a_page_are_not_split(books):
    """Page breaks fall only where an indicator's block begins (a block that fits a page starts a new one)."""
    from generator.render.scorecard import DETAIL

    wb = next(iter(books.values()))
    ws = wb[DETAIL]
    starts = {c.row for c in ws["A"] if c.value and str(c.value)[:1] in "TI" and str(c.value)[1:].isdigit()}
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and all(b + 1 in starts for b in breaks)
