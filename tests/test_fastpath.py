"""The fence around library internals (generator/render/fastpath.py): the fast paths run only on the releases
they were proven with; any other release gets the public API (xlsxwriter's Workbook, docxtpl's render), which
writes the same cell values and the same letters. The letter templates render the same XML both ways."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from generator.render import fastpath
from generator.render import letters as letters_module
from generator.render.letters_context import circular_context, district_context, letter_frame, memo_context, standings
from generator.render.letters_docx import CompiledDocx, CoreProps, PlainDocx
from generator.render.xlsx_fast import FastWorkbook
from goldenkit import ROOT, run_sample

CONSTRAINTS = ROOT / "constraints.txt"
# A run in a fresh interpreter whose xlsxwriter and docxtpl claim releases the fast paths were never proven with.
UNKNOWN_RELEASES = """
import json, sys
from pathlib import Path
import docxtpl, xlsxwriter
xlsxwriter.__version__ = docxtpl.__version__ = "0.0.0-unknown"
from generator import api
from generator.render import letters_docx, xlsx_style
result = api.run_round(sys.argv[1], sys.argv[2], jobs=2)
print(json.dumps({"workbook": xlsx_style.FastWorkbook.__module__ + "." + xlsx_style.FastWorkbook.__name__,
                  "letters": type(letters_docx.load_template(Path(sys.argv[3]), None)).__name__,
                  "exit": result.exit_code}))
"""


def pinned(name: str) -> str:
    """The release constraints.txt pins for a distribution."""
    match = re.search(rf"^{re.escape(name)}==(\S+)", CONSTRAINTS.read_text(encoding="utf-8"), re.M | re.I)
    assert match, f"{name} is not pinned in constraints.txt"
    return match[1]


def test_the_proven_releases_are_the_pinned_ones():
    assert fastpath.PROVEN["xlsxwriter"] == (pinned("xlsxwriter"),)
    assert fastpath.PROVEN["docxtpl"] == (pinned("docxtpl"),)


@pytest.mark.parametrize("setting, proven, unknown", [(None, True, False), ("auto", True, False),
                                                      ("off", False, False), ("OFF", False, False), ("on", True, True)])
def test_the_fast_path_is_chosen_by_release_and_setting(monkeypatch, setting, proven, unknown):
    if setting is None:
        monkeypatch.delenv(fastpath.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(fastpath.ENV_VAR, setting)
    assert fastpath.fast("xlsxwriter", fastpath.PROVEN["xlsxwriter"][0]) is proven
    assert fastpath.fast("docxtpl", fastpath.PROVEN["docxtpl"][0]) is proven
    assert fastpath.fast("xlsxwriter", "3.4.0") is unknown and fastpath.fast("docxtpl", "0.99") is unknown


def test_an_unknown_xlsxwriter_gets_the_public_workbook(monkeypatch):
    monkeypatch.delenv(fastpath.ENV_VAR, raising=False)
    monkeypatch.setattr(xlsxwriter, "__version__", "3.9.9")
    assert fastpath.workbook_class() is xlsxwriter.Workbook
    monkeypatch.setattr(xlsxwriter, "__version__", fastpath.PROVEN["xlsxwriter"][0])
    assert fastpath.workbook_class() is FastWorkbook


def test_an_unknown_docxtpl_gets_docxtpls_own_render(monkeypatch):
    import docxtpl

    monkeypatch.delenv(fastpath.ENV_VAR, raising=False)
    monkeypatch.setattr(docxtpl, "__version__", "0.99.0")
    assert not fastpath.docx_fast()
    assert isinstance(letters_module.district_template(), PlainDocx)
    monkeypatch.setattr(docxtpl, "__version__", fastpath.PROVEN["docxtpl"][0])
    assert fastpath.docx_fast() and isinstance(letters_module.district_template(), CompiledDocx)


def cell_values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values (openpyxl), the workbook's defined names and merged ranges."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, list] = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    out["names"] = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    out["merged"] = [sorted(str(r) for r in ws.merged_cells.ranges) for ws in wb.worksheets]
    return out


def document_text(path: Path) -> list[str]:
    """The text of every paragraph of a DOCX's document and headers, in order."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)):
            root = etree.fromstring(z.read(name))
            for p in root.iter("{*}p"):
                out.append("".join(t.text or "" for t in p.iter("{*}t")))
    return out


@pytest.mark.slow
def test_unknown_releases_write_the_same_cell_values_and_letter_text(tmp_path):
    """The whole sample round in a process whose xlsxwriter and docxtpl are 'unknown' releases, against the fast run."""
    fast = run_sample(tmp_path / "fast")
    env = {k: v for k, v in os.environ.items() if k != fastpath.ENV_VAR}
    child = subprocess.run([sys.executable, "-c", UNKNOWN_RELEASES, str(ROOT / "input_samples" / "2565-r2"),
                            str(tmp_path / "plain"), str(letters_module.LETTER_TEMPLATES / "memo.docx")],
                           capture_output=True, text=True, env=env, check=True)
    said = json.loads(child.stdout.strip().splitlines()[-1])
    assert said == {"workbook": "xlsxwriter.workbook.Workbook", "letters": "PlainDocx", "exit": 0}
    plain = tmp_path / "plain"
    books = ["summary.xlsx", *(f"scorecards/{p.name}" for p in sorted((fast / "scorecards").glob("*.xlsx")))]
    docs = ["memo.docx", *(f"letters/{p.name}" for p in sorted((fast / "letters").glob("*.docx")))]
    assert sorted(p.relative_to(plain).as_posix() for p in plain.rglob("*.*")) == \
        sorted(p.relative_to(fast).as_posix() for p in fast.rglob("*.*"))
    for name in books:
        assert cell_values(plain / name) == cell_values(fast / name), name
    for name in docs:
        assert document_text(plain / name) == document_text(fast / name), name
    assert (plain / "results.csv").read_bytes() == (fast / "results.csv").read_bytes()


def canonical(data: bytes) -> bytes:
    """A part's canonical XML; drawing ids (wp:docPr/@id) numbered from 1, as docxtpl's render renumbers them."""
    root = etree.fromstring(data)
    for n, pr in enumerate(root.iter("{*}docPr"), 1):
        pr.set("id", str(n))
    return etree.tostring(root, method="c14n")


def contexts(report):
    """The context of each letter template for a report (the district letter: its first scored district)."""
    first = report.scored[0]
    return {"circular": circular_context(report), "memo": memo_context(report),
            "district": district_context(letter_frame(report), first, standings(report).get(first.district.code, {}))}


@pytest.mark.parametrize("template", ["circular", "district", "memo"])
def test_each_template_renders_as_docxtpl_renders_it(template, synthetic_report, tmp_path):
    """The compiled path against docxtpl's own DocxTemplate.render, every member at the XML level."""
    source = letters_module.LETTER_TEMPLATES / f"{template}.docx"
    context, core = contexts(synthetic_report)[template], CoreProps("t", "a", dt.date(2022, 10, 20))
    compiled = CompiledDocx(source, letters_module.ENV).write(tmp_path / "compiled.docx", context, core)
    docxtpl_render = PlainDocx(source, letters_module.ENV).write(tmp_path / "docxtpl.docx", context, core)
    with zipfile.ZipFile(compiled) as a, zipfile.ZipFile(docxtpl_render) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name.endswith((".xml", ".rels")):
                assert canonical(a.read(name)) == canonical(b.read(name)), name
            else:
                assert a.read(name) == b.read(name), name
