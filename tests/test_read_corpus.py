"""The corpus of returned workbooks saved by real clients (tests/data/corpus/, made by tests/data/make_corpus.py):
each reads, with the value rules, to the values its clerk typed, with no problem; and its raw values are those
openpyxl reads from it (openpyxl reads every one of these right)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.read import parse, read_workbook

DATA = Path(__file__).parent / "data"
CORPUS = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))


def typed_json(value: Any) -> Any:
    """A typed input value as corpus.json writes it."""
    return {"date": value.isoformat()} if isinstance(value, dt.date) else value


def test_the_corpus_holds_every_client():
    clients = {name.rsplit("-", 1)[0] for name in CORPUS}
    assert clients == {"openpyxl", "libreoffice", "xlsxwriter", "excel-1904", "sdk-x-prefix-no-r-inline",
                       "google-sheets"}
    assert sorted(p.name for p in (DATA / "corpus").glob("*.xlsx")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_client_saved_workbook_reads_to_its_source_values(catalog, name):
    data, problems = read_workbook(DATA / "corpus" / name, catalog)
    assert problems == [] and data["meta"] == {"round_id": "2565-r2", "district_code": CORPUS[name]["district"],
                                               "form_version": "1"}
    inputs = {i.key: i for i in catalog.inputs()}
    typed = {}
    for key, cell in data["cells"].items():
        value, problem = parse(inputs[key], cell.value, cell.number_format)
        assert problem is None, (key, problem)
        typed[key] = typed_json(value)
    assert typed == CORPUS[name]["values"]


def by_openpyxl(path: Path) -> dict[str, Any]:
    """Each defined name's cell value as openpyxl reads it (cached values of formulas)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for name, defined in wb.defined_names.items():
        for sheet, ref in defined.destinations:
            out[name] = wb[sheet][ref.replace("$", "")].value
    return out


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_raw_values_are_those_openpyxl_reads(catalog, name):
    path = DATA / "corpus" / name
    data, _ = read_workbook(path, catalog)
    ours = {f"in_{key}": cell.value for key, cell in data["cells"].items()}
    theirs = {n: v for n, v in by_openpyxl(path).items() if n.startswith("in_")}
    assert ours == theirs
