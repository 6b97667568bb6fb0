"""Fuzzing: real sample workbooks with bytes mutated (in the zip, and inside its XML parts) never make the
reader or `run` raise; each mutant is read, or refused with a problem. Fixed seed, bounded count."""

from __future__ import annotations

import pytest

from badkit import SAMPLE, catalog, copy_round, mutants
from generator import api
from generator.config import load_round
from generator.read.submissions import read_file

SEED = 2565
MUTANTS = 240


@pytest.mark.slow
def test_reading_a_mutated_workbook_never_raises(tmp_path):
    context = (load_round(SAMPLE), catalog())
    kinds = {"read": 0, "refused": 0}
    for path in mutants(tmp_path, MUTANTS, SEED):
        try:
            got = read_file(context, path)
        except Exception as e:
            raise AssertionError(f"{path.name} (seed {SEED}) raised {type(e).__name__}: {e}") from e
        if isinstance(got, list):
            assert got and all(p.severity == "error" and p.code and p.message for p in got), path.name
            kinds["refused"] += 1
        else:
            kinds["read"] += 1
    assert kinds["read"] > MUTANTS // 4 and kinds["refused"] > MUTANTS // 10  # both paths were exercised


@pytest.mark.slow
def test_run_over_a_folder_of_mutants_never_raises(tmp_path):
    round_dir = copy_round(tmp_path / "round")
    mutants(round_dir / "submissions", 30, SEED + 1)
    result = api.run_round(round_dir, tmp_path / "out", jobs=1)
    assert result.exit_code in (0, 1) and (tmp_path / "out" / "results.csv").is_file()
    assert {r.district.code for r in result.report.results} == {d.code for d in load_round(SAMPLE).districts}
