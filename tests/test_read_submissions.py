"""Reading a round's submissions folder: one typed submission per district, file problems told once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
import time

import pytest

from generator.read import RoundInputs, Submission, read_round
from readkit import SHEET, full_inputs, write_form


@pytest.fixture
def round_dir(tmp_path, sample_round):
    """The sample round moved to an empty temporary folder (submissions/ under it)."""
    (tmp_path / "submissions").mkdir()
    return dataclasses.replace(sample_round, directory=tmp_path)


def by_code(problems, code):
    """The problems with this code."""
    return [p for p in problems if p.code == code]


def test_a_messy_folder(round_dir, catalog):
    sub = round_dir.submissions
    now = time.time()
    values = full_inputs(catalog)
    write_form(sub / "อำเภอเมือง บุรีรัมย์ (ฉบับแก้ไข).xlsx", catalog, values, district="3101")
    write_form(sub / "คูเมือง ครั้งแรก.xlsx", catalog, {**values, "T2_done": 1}, district="3102", mtime=now - 3600)
    write_form(sub / "คูเมือง ล่าสุด.XLSX", catalog, {**values, "T2_done": 2}, district="3102", mtime=now)
    write_form(sub / "กระสัง", catalog, values, district="3103")  # no extension at all
    (sub / "~$คูเมือง ล่าสุด.XLSX").write_bytes(b"\x00" * 165)
    (sub / "รายงาน.pdf.xlsx").write_bytes(b"%PDF-1.4\n...")
    (sub / ".gitkeep").write_bytes(b"")
    (sub / "เก่า").mkdir()
    write_form(sub / "ผิดอำเภอ.xlsx", catalog, values, district="9999")
    write_form(sub / "รอบก่อน.xlsx", catalog, values, district="3104", round_id="2565-r1")
    write_form(sub / "แบบเก่า.xlsx", catalog, values, district="3105", form_version="0")
    cut = write_form(sub / "ขาด.xlsx", catalog, values, district="3106")
    cut.write_bytes(cut.read_bytes()[:3000])

    result = read_round(round_dir, catalog)

    assert isinstance(result, RoundInputs)
    assert set(result.submissions) == {"3101", "3102", "3103"}
    assert result.submissions["3102"].file.name == "คูเมือง ล่าสุด.XLSX"
    assert result.submissions["3102"].inputs["T2_done"] == 2
    [dup] = by_code(result.problems, "duplicate-submission")
    assert (dup.severity, dup.district, dup.file) == ("warning", "3102", "คูเมือง ครั้งแรก.xlsx")
    assert "คูเมือง ล่าสุด.XLSX" in dup.message
    [lock] = by_code(result.problems, "lock-file")
    assert lock.severity == "info" and lock.file.startswith("~$")
    assert by_code(result.problems, "not-xlsx-pdf")[0].file == "รายงาน.pdf.xlsx"
    assert by_code(result.problems, "folder-skipped")[0].file == "เก่า"
    [unknown] = by_code(result.problems, "unknown-district")
    assert (unknown.value, unknown.file) == ("9999", "ผิดอำเภอ.xlsx")
    assert by_code(result.problems, "other-round")[0].district == "3104"
    assert by_code(result.problems, "form-version")[0].district == "3105"
    assert by_code(result.problems, "damaged-zip")[0].file == "ขาด.xlsx"
    assert not any(p.file == ".gitkeep" for p in result.problems)
    assert len(result.problems) == 8  # each told once


def test_submission_inputs_are_typed_and_located(round_dir, catalog):
    values = {"T1_allocated": "1,234.50", "T2_planned": "๑๒", "T3_L1_1": "✓", "T3_L2_1": "ไม่",
              "T3_L5_date": "10 ก.ย. 2565", "T1_evidence": "=ไม่ใช่สูตร", "I10_plan_pct": 0.85}
    write_form(round_dir.submissions / "a.xlsx", catalog, values, formats={"I10_plan_pct": "0%"})
    sub = read_round(round_dir, catalog).submissions["3101"]
    assert isinstance(sub, Submission)
    assert (sub.district_code, sub.round_id, sub.form_version, sub.file.name) == ("3101", "2565-r2", "1", "a.xlsx")
    assert sub.problems == ()
    typed = {k: sub.inputs[k] for k in values}
    assert typed == {"T1_allocated": 1234.5, "T2_planned": 12, "T3_L1_1": True, "T3_L2_1": False,
                     "T3_L5_date": dt.date(2022, 9, 10), "T1_evidence": "=ไม่ใช่สูตร", "I10_plan_pct": 85.0}
    assert type(sub.inputs["T2_planned"]) is int
    assert sub.inputs["T2_done"] is None and sub.inputs["T3_L3_1"] is False  # empty number; empty tick
    assert set(sub.inputs) == set(sub.cells) == {i.key for i in catalog.inputs()}
    assert sub.cells["T1_allocated"].startswith(f"{SHEET}!C")


def test_value_problems_name_everything_and_stay_with_their_indicator(round_dir, catalog):
    values = {**full_inputs(catalog), "T1_spent": "ประมาณ 500", "T3_L1_1": "ทำแล้ว"}
    write_form(round_dir.submissions / "b.xlsx", catalog, values, formulas={"T7_sent": ("=C1+1", None)},
               names={"in_I1_below": None})
    result = read_round(round_dir, catalog)
    sub = result.submissions["3101"]
    found = {p.key: p for p in sub.problems}
    assert set(found) == {"T1_spent", "T3_L1_1", "T7_sent", "I1_below"}
    spent = found["T1_spent"]
    assert (spent.district, spent.file, spent.sheet, spent.key, spent.indicator, spent.value, spent.code) == (
        "3101", "b.xlsx", SHEET, "T1_spent", "T1", "ประมาณ 500", "bad-number")
    assert sub.cells["T1_spent"] == f"{spent.sheet}!{spent.cell}" and "ต้องเป็นตัวเลข" in spent.message
    assert found["T3_L1_1"].indicator == "T3" and found["T7_sent"].code == "no-cached-value"
    below = found["I1_below"]
    assert (below.code, below.indicator, below.file) == ("name-missing", "I1", "b.xlsx")
    assert sub.inputs["T1_spent"] is None and sub.inputs["T1_allocated"] == 1234.5  # the rest still read
    assert result.problems == ()  # value problems are the submission's, not the folder's


def test_same_mtime_picks_by_name_reproducibly(round_dir, catalog):
    for name in ("x2.xlsx", "x1.xlsx"):
        write_form(round_dir.submissions / name, catalog, district="3101", mtime=1_700_000_000)
    result = read_round(round_dir, catalog)
    assert result.submissions["3101"].file.name == "x2.xlsx"
    assert [p.file for p in result.problems] == ["x1.xlsx"]


def test_no_submissions_folder(tmp_path, sample_round, catalog):
    result = read_round(dataclasses.replace(sample_round, directory=tmp_path), catalog)
    assert result.submissions == {} and [p.code for p in result.problems] == ["no-submissions"]


def test_garbage_never_raises(round_dir, catalog):
    rng = __import__("random").Random(3)
    for i in range(20):
        head = rng.choice([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", b"<?xml"])
        (round_dir.submissions / f"junk{i}.xlsx").write_bytes(head + rng.randbytes(rng.randrange(0, 3000)))
    result = read_round(round_dir, catalog)
    assert result.submissions == {} and len(result.problems) == 20
    assert all(p.severity == "error" and p.message for p in result.problems)


def test_duplicate_is_settled_by_the_saved_time_inside_the_file_not_the_file_mtime(tmp_path):
    """Git checkouts and e-mail attachments lose file mtimes; Excel's own 'last saved' survives."""
    import shutil

    from generator.config import load_round
    from generator.catalog import load_catalog
    from generator.read import read_round

    sample = Path(__file__).resolve().parent.parent / "input_samples" / "2565-r2"
    folder = tmp_path / "round"
    shutil.copytree(sample, folder)
    newer, older = folder / "submissions" / "3110-ลำปลายมาศ (ส่งใหม่).xlsx", folder / "submissions" / "แบบรายงาน ลำปลายมาศ.xlsx"
    os.utime(newer, (1_000_000_000, 1_000_000_000))
    os.utime(older, (2_000_000_000, 2_000_000_000))
    rnd = load_round(folder)
    inputs = read_round(rnd, load_catalog(rnd.catalog_path)[0])
    assert inputs.submissions["3110"].file.name == newer.name
    dup = [p for p in inputs.problems if p.code == "duplicate-submission"]
    assert [p.file for p in dup] == [older.name]
