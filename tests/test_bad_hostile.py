"""Hostile workbooks: each refused with its Thai message or read within limits, and a round holding them all
still scores every district. Time and memory are measured by bench/bad_input.py (docs/bad-input.md)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import hostile
from badkit import SAMPLE, Outcome, break_round, catalog, golden
from generator.config import load_round
from generator.read import xlsx
from generator.read.submissions import read_file
from readkit import meta_row, write_parts

REFUSED = {  # builder → (code, words of the Thai message)
    "billion-laughs": (hostile.billion_laughs, "xml-dtd", "DTD/ENTITY"),
    "quadratic-blowup": (hostile.quadratic_blowup, "xml-dtd", "เพื่อความปลอดภัย"),
    "external-entity": (hostile.external_entity, "xml-dtd", "DTD/ENTITY"),
    "deep-nesting": (hostile.deep_nesting, "bad-xml", "XML"),
    "zip-bomb-declared-3GB": (hostile.declared_bomb, "zip-bomb", "zip bomb"),
    "zip-lying-headers": (hostile.lying_zip, "damaged-zip", "ส่งไฟล์ใหม่"),
    "oversized-file": (hostile.oversized, "file-too-large", "ไฟล์ใหญ่เกินไป"),
}


def read(path: Path):
    """What `run` makes of one file: a candidate submission, or the problems."""
    return read_file((load_round(SAMPLE), catalog()), path)


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_file_is_refused_with_a_thai_message(tmp_path, name):
    build, code, says = REFUSED[name]
    [problem] = read(build(tmp_path / "ไฟล์ อำเภอ.xlsx"))
    assert (problem.severity, problem.code, problem.file) == ("error", code, "ไฟล์ อำเภอ.xlsx")
    assert says in problem.message


@pytest.mark.slow
def test_a_million_used_rows_are_streamed_and_the_last_one_read(tmp_path):
    got = read(hostile.million_rows(tmp_path / "rows.xlsx"))
    assert got.submission.inputs["T2_done"] == 7 and got.submission.cells["T2_done"] == "Sheet1!A1000001"


def test_a_part_too_big_to_stream_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_STREAMED_PART", 2**20)
    [problem] = read(hostile.million_rows(tmp_path / "rows.xlsx", rows=50_000))
    assert problem.code == "part-too-large" and "xl/worksheets/sheet1.xml" in problem.message


@pytest.fixture(scope="module")
def round_with_hostile_files(tmp_path_factory) -> Outcome:
    """The sample round with every hostile file added beside the districts' own."""
    def breaks(sub: Path) -> None:
        for name, (build, _, _) in REFUSED.items():
            build(sub / f"{name}.xlsx")
    return break_round(tmp_path_factory.mktemp("hostile"), breaks)


@pytest.mark.slow
def test_a_round_holding_hostile_files_scores_every_district(round_with_hostile_files):
    outcome = round_with_hostile_files
    # check: problems found (1); run: every district scored (0), the refused files listed in its outputs
    assert (outcome.check.exit_code, outcome.run.exit_code) == (1, 0)
    assert outcome.rows() == golden()
    for name, (_, code, _) in REFUSED.items():
        [told] = outcome.problems(code, file=f"{name}.xlsx")
        assert told.severity == "error" and f"[{code}] ไฟล์ {name}.xlsx" in outcome.check.output


def test_a_part_named_by_the_workbook_but_absent(tmp_path):
    path = write_parts(tmp_path / "ขาดส่วน.xlsx", meta_row(), hostile.INPUT)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist() if not i.filename.startswith("xl/worksheets/")}
    with zipfile.ZipFile(path, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    [problem] = read(path)
    assert problem.code == "missing-part" and "xl/worksheets/sheet1.xml" in problem.message
