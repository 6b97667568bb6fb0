"""`run` on the sample round through the API and the CLI: the output set, golden results, reproducibility."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator import api
from generator.api import DRAFT
from generator.cli import cli
from generator.render.manifest import sha256

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
PROBLEMS = ROOT / "input_samples" / "2565-r2-problems"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One run of the sample round through the API."""
    return api.run_round(SAMPLE, tmp_path_factory.mktemp("run") / "out")


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_sample_run_exits_0_with_every_output(sample_run):
    out = sample_run.out_dir
    assert sample_run.exit_code == 0
    for name in ("summary.xlsx", "results.csv", "manifest.json", "memo.docx", "letters/circular.docx"):
        assert (out / name).is_file(), name
    assert len(list((out / "scorecards").glob("*.xlsx"))) == 23
    assert len([p for p in (out / "letters").glob("*.docx") if p.name != "circular.docx"]) == 23
    assert not [p for p in out.rglob("*") if ".partial" in p.name]


def test_results_csv_shape(sample_run):
    raw = (sample_run.out_dir / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    data = rows(sample_run.out_dir / "results.csv")
    assert list(data[0]) == ["round_id", "district_code", "district_name", "group", "indicator", "weight",
                             "level", "score", "status", "message"]
    assert len(data) == 23 * 22
    totals = [r for r in data if r["indicator"] == "TOTAL"]
    assert len(totals) == 46 and all(r["level"] == "" for r in totals)
    assert all("," not in r["score"] for r in data)


@pytest.mark.parametrize("mode", ["step", "interpolate"])
def test_golden_results(mode, tmp_path):
    """Golden results of the sample round; districts 3101, 3104, 3113, 3119 and 3123 checked by hand (see
    tests/golden/README.md)."""
    result = api.run_round(SAMPLE, tmp_path / "out", mode)
    golden = GOLDEN / f"2565-r2-results{'' if mode == 'step' else '-interpolate'}.csv"
    assert (tmp_path / "out" / "results.csv").read_bytes() == golden.read_bytes()
    assert result.exit_code == 0


def test_manifest_lists_digests_of_inputs_and_outputs(sample_run):
    out = sample_run.out_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["round_id"] == "2565-r2" and manifest["scoring"] == "step"
    assert manifest["config"]["sha256"] == sha256(SAMPLE / "round.toml")
    digests = {f["sha256"] for f in manifest["inputs"]}
    for sub in (SAMPLE / "submissions").glob("*.xlsx"):
        assert sha256(sub) in digests
    outputs = {f["path"]: f["sha256"] for f in manifest["outputs"]}
    assert outputs["results.csv"] == sha256(out / "results.csv")
    assert manifest["started"] <= manifest["finished"]


@pytest.mark.slow
def test_two_runs_give_identical_results_and_cell_values(sample_run, tmp_path):
    again = api.run_round(SAMPLE, tmp_path / "again")
    a, b = sample_run.out_dir, again.out_dir
    assert (a / "results.csv").read_bytes() == (b / "results.csv").read_bytes()
    for name in ["summary.xlsx"] + [f"scorecards/{p.name}" for p in sorted((a / "scorecards").glob("*"))[:3]]:
        wa, wb = openpyxl.load_workbook(a / name), openpyxl.load_workbook(b / name)
        for ws in wa.worksheets:
            assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in wb[ws.title].iter_rows()]


@pytest.mark.slow
def test_existing_output_is_replaced_without_stale_files(tmp_path):
    out = tmp_path / "out"
    (out / "scorecards").mkdir(parents=True)
    (out / "scorecards" / "9999-เก่า.xlsx").write_bytes(b"old")
    (out / "manifest.json").write_text('{"outputs": [{"path": "scorecards/9999-เก่า.xlsx"}]}', encoding="utf-8")
    api.run_round(SAMPLE, out)
    assert not (out / "scorecards" / "9999-เก่า.xlsx").exists()


@pytest.mark.slow
def test_a_renderer_failing_midway_leaves_no_partial_file_and_the_old_output(tmp_path, monkeypatch):
    out = tmp_path / "out"
    api.run_round(SAMPLE, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    import generator.render.scorecard as scorecard

    real, calls = scorecard.write_scorecard, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(scorecard, "write_scorecard", failing)
    with pytest.raises(api.OutputError, match="disk full"):
        api.run_round(SAMPLE, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.slow
def test_inputs_are_never_modified(tmp_path):
    before = {p: sha256(p) for p in (SAMPLE / "submissions").iterdir()}
    api.run_round(SAMPLE, tmp_path / "out")
    assert {p: sha256(p) for p in (SAMPLE / "submissions").iterdir()} == before


def test_out_inside_submissions_is_refused(tmp_path):
    r = CliRunner().invoke(cli, ["run", str(SAMPLE), "--out", str(SAMPLE / "submissions" / "out")])
    assert r.exit_code == 2 and "--out overlaps the inputs" in r.output
    assert not (SAMPLE / "submissions" / "out").exists()


@pytest.mark.slow
def test_cli_run_quiet_exit_0_and_thai_summary(tmp_path):
    r = CliRunner().invoke(cli, ["run", str(SAMPLE), "--out", str(tmp_path / "o"), "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.output == DRAFT + "\n"          # the sample round names no ครุฑ picture: said even when quiet
    r = CliRunner().invoke(cli, ["run", str(SAMPLE), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0
    assert "คิดคะแนนแล้ว 23 อำเภอ จาก 23" in r.output and "อันดับสูงสุด (ทีม): 1." in r.output


@pytest.mark.slow
def test_problems_round_exits_1_and_still_scores_the_others(tmp_path):
    result = api.run_round(PROBLEMS, tmp_path / "out")
    assert result.exit_code == 1
    statuses = {r.district.code: r.status for r in result.report.results}
    assert "missing" in statuses.values()
    assert sum(1 for s in statuses.values() if s in ("ok", "warning")) >= 17
    r = CliRunner().invoke(cli, ["run", str(PROBLEMS), "--out", str(tmp_path / "cli"), "--quiet"])
    assert r.exit_code == 1


@pytest.mark.slow
def test_scoring_option_overrides_the_config(tmp_path):
    result = api.run_round(SAMPLE, tmp_path / "out", "interpolate")
    assert result.report.mode == "interpolate"
    with zipfile.ZipFile(tmp_path / "out" / "summary.xlsx") as z:
        assert any(n.startswith("xl/charts/") for n in z.namelist())
    assert os.path.exists(tmp_path / "out" / "manifest.json")


@pytest.mark.slow
def test_jobs_1_and_jobs_2_give_the_same_outputs(tmp_path):
    one = api.run_round(SAMPLE, tmp_path / "one", jobs=1).out_dir
    two = api.run_round(SAMPLE, tmp_path / "two", jobs=2).out_dir
    assert (one / "results.csv").read_bytes() == (two / "results.csv").read_bytes()
    for card in sorted((one / "scorecards").glob("*.xlsx")):
        assert card.read_bytes() == (two / "scorecards" / card.name).read_bytes(), card.name
    assert (one / "summary.xlsx").read_bytes() == (two / "summary.xlsx").read_bytes()


def test_district_letters_show_the_figures_of_results_csv(sample_run):
    """Each district letter states its group totals and percentages exactly as results.csv has them."""
    from docx import Document

    from generator.thai import fmt_number

    totals = {(r["district_code"], r["group"]): r for r in rows(sample_run.out_dir / "results.csv")
              if r["indicator"] == "TOTAL"}
    for path in sorted((sample_run.out_dir / "letters").glob("31*.docx")):
        code = path.name.split("-", 1)[0]
        text = "\n".join(p.text for p in Document(str(path)).paragraphs).replace("\u2060", "").replace("\u00a0", " ")
        for group in ("team", "individual"):
            row = totals[(code, group)]
            pct = row["message"].split()[1]
            assert f"ได้คะแนน {fmt_number(float(row['score']), 4)} จาก ๕ คะแนน คิดเป็นร้อยละ {fmt_number(float(pct), 2)}" \
                in text, (path.name, group)
