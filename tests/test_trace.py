"""Traceability: a figure printed in a district letter, walked back to the cells of that district's workbook."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.api import load, run_round
from generator.read import parse
from generator.score import score_indicator
from generator.thai import to_arabic

ROOT = Path(__file__).resolve().parent.parent
ROUND = ROOT / "input_samples" / "2566-r1"
DISTRICT, INDICATOR = "3104", "T1"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("trace") / "out"
    run_round(ROUND, out, jobs=1)
    return out


def _plain(text: str) -> str:
    """Text as read: the print's word joiners out, no-break spaces and runs of spaces as one space."""
    return " ".join(text.replace("\u2060", "").replace("\u00a0", " ").split())


def _letter_level(path: Path, title: str) -> int:
    """The level the letter's enclosure table prints for an indicator, found by its Thai title (the row: ordinal,
    title, weight, level, score; what is printed names no code)."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    for row in re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.S):
        cells = [_plain("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", c)))
                 for c in re.findall(r"<w:tc>.*?</w:tc>", row, re.S)]
        if len(cells) >= 4 and cells[1] == _plain(title):
            return int(to_arabic(cells[3]))
    raise AssertionError(f"{title} not in the letter's table")


def _named(wb: openpyxl.Workbook, name: str):
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].value


def test_a_letter_figure_walks_back_to_the_workbook_cells(run):
    loaded = load(ROUND)
    indicator = loaded.catalog.indicator(INDICATOR)
    letter = next((run / "letters").glob(f"{DISTRICT}-*.docx"))
    level = _letter_level(letter, indicator.title)

    # 1. the letter's figure is the scorecard's level of that indicator (same district, same file stem)
    card = openpyxl.load_workbook(run / "scorecards" / f"{letter.stem}.xlsx")
    assert _named(card, f"out_{INDICATOR}_level") == level

    # 2. the scorecard names the file it read and, for each input, the sheet and cell
    detail = card["รายละเอียด"]
    rows = list(detail.iter_rows(values_only=True))
    file_name = re.search(r"ไฟล์ที่ส่ง: (.+)$", rows[2][0])[1]
    start = next(i for i, r in enumerate(rows) if r[0] == INDICATOR)
    labels = {inp.label: inp for inp in indicator.inputs}
    traced = {}
    for r in rows[start + 1:]:
        if r[0] is not None:
            break                                   # the next indicator's block
        if r[1] in labels and r[4] and "!" in str(r[4]):
            traced[labels[r[1]].key] = (r[2], r[4])
    assert set(traced) == {inp.key for inp in indicator.inputs}

    # 3. each named cell of the district's workbook holds the value the scorecard shows
    submission = ROUND / "submissions" / file_name
    book = openpyxl.load_workbook(submission, data_only=True)
    values = {}
    for key, (shown, where) in traced.items():
        sheet, ref = where.split("!")
        cell = book[sheet][ref]
        inp = next(i for i in indicator.inputs if i.key == key)
        values[key], problem = parse(inp, cell.value, cell.number_format)
        assert problem is None
        assert _named(book, f"in_{key}") == cell.value               # the form's own name for that input
        if isinstance(values[key], bool):
            assert shown == ("✓ ใช่" if values[key] else "✗ ไม่ใช่")
        elif isinstance(values[key], (int, float)):
            assert shown == pytest.approx(values[key])
    assert str(_named(book, "meta_district_code")) == DISTRICT

    # 4. those cells score the level printed in the letter
    assert score_indicator(indicator, values, "step").level == level

    # 5. the manifest vouches for the file read, and for the previous round compared with
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    inputs = {f["path"]: f["sha256"] for f in manifest["inputs"]}
    assert inputs[f"submissions/{file_name}"] == hashlib.sha256(submission.read_bytes()).hexdigest()
    previous = ROUND / manifest["previous"]["path"]
    assert manifest["previous"]["sha256"] == hashlib.sha256(previous.read_bytes()).hexdigest()
