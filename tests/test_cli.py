"""The command line through click's CliRunner: help, version, exit codes and exact messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.api import UsageError, check_round, load
from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
COMMANDS = ("run", "forms", "check")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.output.strip() == f"kpi-report, version {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    r = invoke(command, "--help")
    assert r.exit_code == 0 and "Usage: cli " + command in r.output.replace("kpi-report", "cli")
    assert f"kpi-report {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_run_help_documents_every_option():
    text = invoke("run", "--help").output
    for option in ("--out", "--jobs", "--pdf", "--scoring", "--quiet"):
        assert option in text


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", quick)
    assert len(commands) == 2 and "kpi-report run" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.fixture()
def broken_round(tmp_path):
    """A copy of the sample round whose round.toml lacks the round id."""
    folder = tmp_path / "รอบ ทดสอบ"
    folder.mkdir()
    text = (SAMPLE / "round.toml").read_text(encoding="utf-8").replace('id = "2565-r2"\n', "", 1)
    (folder / "round.toml").write_text(text, encoding="utf-8")
    return folder


BROKEN = "round.toml บรรทัด 4 (line 4): ขาดคีย์ 'round.id' (missing key)"  # the line of [round]


def test_broken_round_config_through_the_api(broken_round):
    with pytest.raises(UsageError, match=re.escape(BROKEN)):
        load(broken_round)


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_round_config_is_exit_2_with_thai_and_english(command, broken_round, tmp_path):
    out = tmp_path / "out"
    args = (command, broken_round) + (("--out", out) if command != "check" else ())
    r = invoke(*args)
    assert r.exit_code == 2
    assert r.output.strip() == f"Error: {BROKEN}"
    assert not out.exists()


def test_missing_round_folder_is_exit_2(tmp_path):
    r = invoke("check", tmp_path / "nothing")
    assert r.exit_code == 2 and "round.toml not found" in r.output


def round_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the sample round's config with one text replaced."""
    folder = tmp_path / "r"
    folder.mkdir(exist_ok=True)
    text = (SAMPLE / "round.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "round.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_wrong_type_is_named(tmp_path):
    r = invoke("check", round_with(tmp_path, "fiscal_year = 2565", 'fiscal_year = "2565"'))
    assert r.exit_code == 2 and "'round.fiscal_year' ต้องเป็น int (wrong type)" in r.output


def test_district_listed_twice_is_named(tmp_path):
    r = invoke("check", round_with(tmp_path, 'code = "3102"', 'code = "3101"'))
    assert r.exit_code == 2 and "รหัสอำเภอ '3101' ซ้ำ (district listed twice)" in r.output


def test_catalog_that_fails_validation_is_exit_2(tmp_path):
    folder = round_with(tmp_path, 'catalog = "2565-r2"', 'catalog = "bad.yaml"')
    bad = (ROOT / "templates/catalogs/2565-r2.yaml").read_text(encoding="utf-8").replace(
        "thresholds: [80, 85, 90, 95, 100]", "thresholds: [80, 85, 95, 90, 100]", 1)
    (folder / "bad.yaml").write_text(bad, encoding="utf-8")
    r = invoke("check", folder)
    assert r.exit_code == 2 and "(T1).rule.thresholds: เกณฑ์ไม่เป็นลำดับ" in r.output


def test_missing_catalog_file_is_exit_2(tmp_path):
    r = invoke("check", round_with(tmp_path, 'catalog = "2565-r2"', 'catalog = "none.yaml"'))
    assert r.exit_code == 2 and "ไม่พบไฟล์ catalog (catalog file not found)" in r.output


def test_check_sample_reports_the_110_weight_warning_through_the_api():
    result = check_round(SAMPLE)
    assert any(p.code == "weights-not-100" and "110" in p.message for p in result.problems)
    assert result.exit_code == 0


def test_check_sample_cli_reports_110_and_exits_0():
    r = invoke("check", SAMPLE)
    assert r.exit_code == 0, r.output
    assert "weights sum to 110" in r.output


def test_unknown_prefill_key_is_named(tmp_path):
    r = invoke("check", round_with(tmp_path, "prefill = { T5_staff = 4 }", "prefill = { T5_stafff = 4 }"))
    assert r.exit_code == 2
    assert r.output.strip() == ("Error: round.toml: อำเภอ 3102 prefill.T5_stafff: ไม่มีข้อมูลนำเข้านี้ใน catalog 2565-r2"
                                " (unknown prefill key)")


def test_prefill_of_a_number_must_be_a_number(tmp_path):
    r = invoke("forms", round_with(tmp_path, "prefill = { T5_staff = 4 }", 'prefill = { T5_staff = "สี่" }'),
               "--out", tmp_path / "forms")
    assert r.exit_code == 2 and "prefill.T5_staff: ต้องเป็นตัวเลข (a number is expected)" in r.output
    assert not (tmp_path / "forms").exists()
