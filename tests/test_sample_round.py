"""The sample round's returned workbooks (input_samples/make_sample.py): reproducible, current, varied, readable."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from generator.config import load_round
from generator.read import read_round
from generator.score import score_indicator

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "input_samples"
SUBMISSIONS = SAMPLES / "2565-r2" / "submissions"
PROBLEMS = SAMPLES / "2565-r2-problems"
THAI_DIGIT = re.compile("[๐-๙]")


@pytest.fixture(scope="module")
def ms():
    """input_samples/make_sample.py as a module."""
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLES / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plans(ms, sample_round, catalog):
    """The typed values each district's sample form was drawn from, and the re-sender's older copy."""
    return ms.plan_round(sample_round, catalog)


def all_cells(path: Path) -> dict[str, dict[str, object]]:
    """Every non-empty cell of every sheet: sheet → coordinate → value."""
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                       if getattr(c, "value", None) is not None} for ws in wb.worksheets}


def named_values(path: Path) -> dict[str, object]:
    """Defined name → the value of its cell."""
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = all_cells(path)
    out = {}
    for name, dn in wb.defined_names.items():
        (sheet, coord), = list(dn.destinations)
        out[name] = cells[sheet].get(coord.replace("$", ""))
    return out


@pytest.fixture(scope="module")
def two_runs(ms, sample_round, catalog, tmp_path_factory):
    """The script's submissions written twice, into two fresh folders."""
    runs = [tmp_path_factory.mktemp("run-a"), tmp_path_factory.mktemp("run-b")]
    for out in runs:
        ms.make_submissions(sample_round, catalog, out)
    return runs


@pytest.mark.slow
def test_make_sample_is_deterministic(two_runs):
    names = [sorted(p.name for p in out.iterdir()) for out in two_runs]
    assert names[0] == names[1] and len(names[0]) == 24
    for name in names[0]:
        a, b = two_runs[0] / name, two_runs[1] / name
        assert all_cells(a) == all_cells(b), name
        assert a.stat().st_mtime == b.stat().st_mtime, name
        assert a.read_bytes() == b.read_bytes(), name   # zip times and document properties pinned too


@pytest.mark.slow
def test_committed_sample_is_what_the_script_writes(two_runs):
    """Stale sample files fail here: run `python input_samples/make_sample.py`."""
    fresh = two_runs[0]
    assert sorted(p.name for p in SUBMISSIONS.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for path in fresh.iterdir():
        assert named_values(SUBMISSIONS / path.name) == named_values(path), path.name


def test_every_level_0_to_5_of_every_indicator_appears(plans, sample_round, catalog):
    levels = defaultdict(set)
    for values in plans[0].values():
        for ind in catalog.indicators:
            levels[ind.code].add(score_indicator(ind, values, "step").level)
    assert all(levels[i.code] == {0, 1, 2, 3, 4, 5} for i in catalog.indicators), dict(levels)
    # 2565-r2-levels.csv is a regression record written by the engine (make_sample.py): it pins, it does not prove;
    # the independent check is the hand-derived table of tests/test_golden_handcheck.py.
    rows = list(csv.DictReader((SAMPLES / "expected" / "2565-r2-levels.csv").open(encoding="utf-8")))
    assert len(rows) == 23 * 20
    assert {(r["district_code"], r["indicator"]): int(r["level"]) for r in rows} == {
        (d.code, i.code): score_indicator(i, plans[0][d.code], "step").level
        for d in sample_round.districts for i in catalog.indicators}


@pytest.mark.slow
def test_values_are_typed_the_ways_districts_type_them(catalog):
    kinds = {f"in_{i.key}": i.type for i in catalog.inputs()}
    seen = defaultdict(int)
    for path in SUBMISSIONS.glob("*.xlsx"):
        for name, value in named_values(path).items():
            kind = kinds.get(name)
            if isinstance(value, dt.datetime):
                seen["date BE year in a date cell" if value.year > 2400 else "date cell"] += 1
            elif kind == "date" and isinstance(value, str):
                pattern = ("thai digits" if THAI_DIGIT.search(value) else "ก.ย." if "." in value
                           else "dd/mm/yy" if re.fullmatch(r"\d\d/\d\d/\d\d", value) else "iso" if "-" in value
                           else "d/m/yyyy")
                seen[f"text date {pattern}"] += 1
            elif kind in ("int", "money", "pct") and isinstance(value, str):
                seen["thai digits" if THAI_DIGIT.search(value) else "thousands text" if "," in value
                     else "percent sign" if "%" in value else "spaces"] += 1
            elif kind == "bool" and value is not None:
                seen[f"tick {value}"] += 1
            elif kind == "text" and isinstance(value, str):
                seen["evidence " + ("code-like" if value[0] in "=+-@" else "markup" if "<" in value or "{{" in value
                                    else "thai")] += 1
    for want in ("date cell", "date BE year in a date cell", "text date thai digits", "text date ก.ย.",
                 "text date dd/mm/yy", "text date d/m/yyyy", "text date iso", "thai digits", "thousands text",
                 "percent sign", "spaces", "tick ✓", "tick ใช่", "tick x", "tick True", "evidence code-like",
                 "evidence markup", "evidence thai"):
        assert seen[want] > 0, (want, dict(seen))
    assert seen["tick ✓"] > 15 * (seen["tick ใช่"] + seen["tick x"])    # ✓ is the habit, the rest a few


def test_evidence_that_looks_like_a_formula_is_stored_as_text():
    with zipfile.ZipFile(next(SUBMISSIONS.glob("3101-*.xlsx"))) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s for s in sheets)


def test_renamed_files_and_a_district_that_sent_twice(ms):
    names = {p.name for p in SUBMISSIONS.iterdir()}
    assert set(ms.RENAMED.values()) <= names
    code, older, newer = ms.RESENT
    old, new = SUBMISSIONS / older, SUBMISSIONS / newer
    a, b = openpyxl.load_workbook(old, read_only=True), openpyxl.load_workbook(new, read_only=True)
    assert a.properties.modified < b.properties.modified  # what the reader orders by: file mtimes do not survive git
    va, vb = named_values(old), named_values(new)
    assert va["meta_district_code"] == vb["meta_district_code"] == code
    assert sum(va[k] != vb[k] for k in va) > 20


def test_one_district_spent_above_its_allocation(plans):
    over = [c for c, v in plans[0].items() if v["T1_spent"] > v["T1_allocated"]]
    assert over == ["3104"]


def test_sample_reads_back_to_the_values_it_was_drawn_from(ms, plans, sample_round, catalog):
    got = read_round(sample_round, catalog)
    assert sorted(got.submissions) == [d.code for d in sample_round.districts]
    code, _, newer = ms.RESENT
    assert got.submissions[code].file.name == newer                 # the later of the two copies
    for code, sub in got.submissions.items():
        assert not [p for p in sub.problems if p.severity == "error"], code
        for key, want in plans[0][code].items():
            have = sub.inputs.get(key)
            if isinstance(want, bool):
                assert bool(have) is want, (code, key)
            elif isinstance(want, dt.date):
                assert (have.date() if isinstance(have, dt.datetime) else have) == want, (code, key)
            elif isinstance(want, (int, float)):
                assert have == pytest.approx(want), (code, key)
            else:
                assert (have or "") == want, (code, key)


@pytest.mark.slow
def test_problems_round_plants_each_problem_once(ms, sample_round, catalog):
    assert (PROBLEMS / "round.toml").read_bytes() == (sample_round.directory / "round.toml").read_bytes()
    files = {p.name for p in (PROBLEMS / "submissions").iterdir()}
    codes = [d.code for d in sample_round.districts]
    assert not any(n.startswith(codes[4]) for n in files)                       # a missing district
    assert any(n.startswith("~$") for n in files)                               # an Excel lock file
    pdf = next(p for p in (PROBLEMS / "submissions").iterdir() if p.read_bytes()[:5] == b"%PDF-")
    assert pdf.suffix == ".xlsx"
    by_code = {named_values(p)["meta_district_code"]: p for p in (PROBLEMS / "submissions").glob("3*.xlsx")}
    assert named_values(by_code[codes[8]])["meta_round_id"] == "2565-r1"         # a form of another round
    assert named_values(by_code[codes[5]])["in_T2_done"] == "ประมาณ 80 กิจกรรม"     # junk in a number cell
    wb = openpyxl.load_workbook(by_code[codes[6]])
    (sheet, coord), = list(wb.defined_names["in_T7_sent"].destinations)
    assert wb[sheet][coord.replace("$", "")].data_type == "f"                   # a formula …
    cached = openpyxl.load_workbook(by_code[codes[6]], data_only=True)[sheet][coord.replace("$", "")].value
    assert cached is None                                                       # … with no cached value
    rnd = load_round(PROBLEMS)
    got = read_round(rnd, catalog)
    assert codes[4] not in got.submissions and codes[8] not in got.submissions
    keys = {(c, p.key) for c, s in got.submissions.items() for p in s.problems if p.severity == "error"}
    assert keys == {(codes[5], "T2_done"), (codes[6], "T7_sent")}
    noted = " ".join(p.file for p in got.problems)
    assert pdf.name in noted and f"~${codes[0]}" in noted
