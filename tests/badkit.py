"""Helpers of the bad-input tests (tests/test_bad_*.py): a sample round to break, its values, one check and one run."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from click.testing import CliRunner, Result
from pytest import MonkeyPatch

import readkit
from generator import api, outputs
from generator.catalog import Catalog, load_catalog
from generator.cli import cli
from generator.config import load_round
from generator.problems import Problem
from generator.read import read_round
from generator.render.xlsx_fast import TextWorkbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
GOLDEN = Path(__file__).parent / "golden" / "2565-r2-results.csv"
FOLDER = "รอบประเมิน ๒๕๖๕ รอบ 2"  # every broken round lives in a Thai folder name with spaces


def invoke(*args: Any) -> Result:
    """The command line, in process."""
    return CliRunner().invoke(cli, [str(a) for a in args])


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The sample round's catalog."""
    return load_catalog(load_round(SAMPLE).catalog_path)[0]


@lru_cache(maxsize=1)
def sample_submissions() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each sample district's file name and typed inputs, read once (to write broken copies that score the same)."""
    rnd = load_round(SAMPLE)
    subs = read_round(rnd, catalog()).submissions
    return {code: (s.file.name, dict(s.inputs)) for code, s in subs.items()}


def copy_round(dest: Path) -> Path:
    """A copy of the sample round (config and submissions) at ``dest``."""
    shutil.copytree(SAMPLE, dest)
    return dest


def small_round(dest: Path, keep: int) -> Path:
    """A copy of the sample round at ``dest`` with the first ``keep`` districts' files only (a round that runs fast)."""
    folder = copy_round(dest)
    for path in sorted((folder / "submissions").iterdir())[keep:]:
        path.unlink()
    return folder


def rename_districts(round_dir: Path, names: dict[str, str]) -> None:
    """Give districts of a round (by code) other names in its round.toml."""
    path = round_dir / "round.toml"
    text = path.read_text(encoding="utf-8")
    for code, name in names.items():
        text = re.sub(rf'(code = "{code}"\nname = )"[^"]*"', lambda m, n=name: m[1] + json.dumps(n, ensure_ascii=False), text)
    path.write_text(text, encoding="utf-8")


def fail_rename(monkeypatch: MonkeyPatch, folder: Path, error: OSError) -> None:
    """Renaming ``folder`` in generator.outputs raises ``error`` (a file open in Excel, another filesystem)."""
    real = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(src) == folder:
            raise error
        real(src, dst, *args, **kwargs)
    monkeypatch.setattr(outputs.os, "replace", replace)


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a results.csv."""
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@lru_cache(maxsize=1)
def golden() -> dict[tuple[str, str], dict[str, str]]:
    """The golden results of the clean sample round, by (district, indicator)."""
    return {(r["district_code"], r["indicator"]): r for r in csv_rows(GOLDEN)}


@dataclass(frozen=True)
class Outcome:
    """One round broken on purpose: `check` and `run` through the command line, and the report `check` made."""

    round_dir: Path
    out_dir: Path
    check: Result
    run: Result
    checked: api.CheckResult

    def status(self, code: str) -> str:
        """A district's status (`check` and `run` score alike; results.csv holds the run's)."""
        return next(r.status for r in self.checked.report.results if r.district.code == code)

    def problems(self, code: str, **where: str) -> list[Problem]:
        """The problems with this code (and these fields)."""
        return [p for p in self.checked.problems
                if p.code == code and all(getattr(p, k) == v for k, v in where.items())]

    def rows(self) -> dict[tuple[str, str], dict[str, str]]:
        """results.csv of the run by (district, indicator)."""
        return {(r["district_code"], r["indicator"]): r for r in csv_rows(self.out_dir / "results.csv")}


def break_round(tmp: Path, breaks: Callable[[Path], None]) -> Outcome:
    """Copy the sample round into a Thai folder, let ``breaks`` change its submissions folder, then check and run
    it through the command line (and check it through the API, for the exact report)."""
    round_dir = copy_round(tmp / FOLDER)
    breaks(round_dir / "submissions")
    out = tmp / "ผลลัพธ์ รอบ 2"
    check = invoke("check", round_dir)
    run = invoke("run", round_dir, "--out", out, "--jobs", 1, "--quiet")
    return Outcome(round_dir, out, check, run, api.check_round(round_dir))


# hostile typed text (tests/test_ooxml_valid.py, tests/test_bad_runs.py) -----------------------------------

LONG = "ก" * 32_767  # Excel's longest cell text
TYPED = {  # what hostile districts typed into their evidence cells
    "T1_evidence": "R&D <ok> \"q\" 'a' > < &amp; ]]> <!-- x --> <![CDATA[ y ]]>",
    "T2_evidence": "<r>R&D</r>", "T3_evidence": "<r><t>rich?</t></r>", "T4_evidence": "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #}",
    "T5_evidence": "bell\x07 tab\t vt\x0b us\x1f _x0041_ end", "T6_evidence": LONG, "T7_evidence": "<w:p><w:r>x</w:r></w:p>",
    "I1_evidence": " leading and trailing ", "I2_evidence": "=cmd|' /C calc'!A0",
}
NUMBER_TYPED = "<r>R&D {{ x }}\x07</r>"  # typed into a number cell: shown back in every problem list
NAMES = {"3101": "<r>R&D</r>", "3102": "{{ 7*7 }}{% raw %}", "3103": 'ก & ข <ค> "ง"', "3104": "เสียง\u0007กริ่ง"}
HOSTILE_DISTRICTS = ("3101", "3105", "3106")


def hostile_text_round(folder: Path) -> Path:
    """The sample round with hostile district names and three districts' files typed with hostile text."""
    round_dir = copy_round(folder / FOLDER)
    rename_districts(round_dir, NAMES)
    with MonkeyPatch.context() as mp:
        mp.setattr(readkit.xlsxwriter, "Workbook", TextWorkbook)  # typed text saved as Excel saves it: escaped
        for code in HOSTILE_DISTRICTS:
            name, values = sample_submissions()[code]
            (round_dir / "submissions" / name).unlink()
            readkit.write_form(round_dir / "submissions" / name, catalog(), {**values, **TYPED, "T2_done": NUMBER_TYPED},
                               district=code)
    return round_dir
