"""Every kind of output (form, scorecard, summary, circular, district letter, memo) passes Microsoft's Open XML SDK
validator with 0 errors for Office 2010 and later: for the sample round, and for a round whose districts typed
(and whose round.toml names) hostile text: XML specials, look-alike rich text, template syntax, control characters,
32,767-character cells. The validator runs in a process of its own (tests/ooxml_validate.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter
from badkit import SAMPLE, hostile_text_round, invoke
from ooxml_validate import VERSIONS, available

WHY_NOT = available()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=f"Open XML SDK validator unavailable: {WHY_NOT}")
HERE = Path(__file__).resolve().parent


def outputs_of(round_dir: Path, out: Path) -> list[Path]:
    """`forms` and `run` of a round: every xlsx and docx they write, each kind present."""
    assert invoke("forms", round_dir, "--out", out / "forms").exit_code == 0
    r = invoke("run", round_dir, "--out", out / "run", "--jobs", 1, "--quiet")
    assert r.exit_code in (0, 1), r.output
    files = sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".docx"))
    kinds = {p.parent.name if p.parent.name in ("forms", "scorecards") else p.stem if p.stem in
             ("summary", "circular", "memo") else "district letter" for p in files}
    assert kinds == {"forms", "scorecards", "summary", "circular", "memo", "district letter"}
    return files


def validated(files: list[Path], runtime: Path) -> dict[str, dict[str, list[str]]]:
    """The validator's findings (in a process of its own)."""
    done = subprocess.run([sys.executable, str(HERE / "ooxml_validate.py"), str(runtime), *map(str, files)],
                          capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> Path:
    """Where the validator's runtime is laid out (once per test session)."""
    return tmp_path_factory.mktemp("ooxml-runtime")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """A workbook plain xlsxwriter writes with typed '<r>R&D</r>': malformed, so the validator must object."""
    path = tmp_path_factory.mktemp("planted") / "malformed.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write_string(0, 0, "<r>R&D</r>")
    wb.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_every_output_is_valid_for_office_2010_and_later(which, runtime, planted, tmp_path):
    round_dir = SAMPLE if which == "sample" else hostile_text_round(tmp_path)
    files = outputs_of(round_dir, tmp_path / "out")
    found = validated([*files, planted], runtime)
    assert found.pop(str(planted))["Microsoft365"], "the validator passed a malformed workbook: it is not working"
    assert set(found) == {str(f) for f in files}
    errors = {f"{Path(f).relative_to(tmp_path)} [{v}] {e}" for f, by in found.items() for v, es in by.items() for e in es}
    assert errors == set()
    assert all(set(by) == set(VERSIONS) for by in found.values())
