"""`kpi-report status`: every district's state, file, last save, completeness and problems; JSON; exit codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.api import check_round, status_round
from generator.cli import bar, cli
from generator.status import STATES, RoundStatus

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "input_samples" / "2565-r2-problems"
SAMPLE = ROOT / "input_samples" / "2565-r2"
TODAY = dt.date(2022, 10, 5)          # ๕ ตุลาคม ๒๕๖๕: five days before the round's deadline
STATE_OF = {"3105": "missing", "3109": "rejected", "3106": "error", "3107": "error", "3108": "error",
            "3104": "warning", "3112": "warning"}


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file of a folder: modification time and content hash."""
    return {p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    before = snapshot(PROBLEMS / "submissions")
    out = tmp_path_factory.mktemp("status")
    result = status_round(PROBLEMS, out, today=TODAY, jobs=1)
    assert snapshot(PROBLEMS / "submissions") == before          # nothing written into (or touched in) submissions/
    return result


def test_every_district_with_its_state(found):
    status = found.status
    assert [d.code for d in status.districts] == [f"31{n:02d}" for n in range(1, 24)]
    assert {d.code: d.state for d in status.districts} == {d.code: STATE_OF.get(d.code, "ok") for d in status.districts}
    assert status.count("missing") == 1 and status.count("rejected") == 1 and status.count("ok") == 16
    assert [d.code for d in status.attention] == ["3105", "3106", "3107", "3108", "3109"]


def test_file_saved_and_counts(found):
    by = {d.code: d for d in found.status.districts}
    assert by["3106"].file == "3106-ละหานทราย.xlsx" and by["3106"].saved == "2022-10-03T03:55:00+00:00"
    assert by["3105"].file == "" and by["3105"].saved == "" and by["3105"].fills == ()
    assert by["3109"].file == "3109-พุทไธสง.xlsx" and by["3109"].errors == 1       # the rejected file is named
    assert (by["3106"].errors, by["3106"].warnings) == (1, 0) and (by["3104"].errors, by["3104"].warnings) == (0, 1)
    assert by["3108"].file == "3108-บ้านกรวด.xlsx" and any(p.file.endswith("บ้านกรวด.xlsx") and p.code.startswith(
        "not-xlsx") for p in by["3108"].problems)                            # the PDF it also sent is its error


def test_completeness_per_group(found):
    by = {d.code: d for d in found.status.districts}
    fills = {code: {f.group: (f.filled, f.wanted) for f in d.fills} for code, d in by.items() if d.fills}
    assert fills["3101"] == {"team": (28, 28), "individual": (38, 38)}
    assert fills["3106"] == {"team": (27, 28), "individual": (38, 38)}      # T2_done typed as words: not usable
    assert fills["3107"]["team"] == (27, 28)                                 # formula without a value
    assert by["3106"].empty == ()                          # typed wrong is a problem, not an empty cell
    assert round(by["3106"].fills[0].pct, 2) == round(100 * 27 / 28, 2)


def test_days_left(found):
    assert found.status.deadline == dt.date(2022, 10, 10) and found.status.days_left == 5
    late = RoundStatus("x", dt.date(2022, 10, 12), dt.date(2022, 10, 10), ())
    assert late.days_left == -2 and RoundStatus("x", TODAY, None, ()).days_left is None


def test_json_round_trips(found):
    text = found.status.to_json()
    assert RoundStatus.from_json(text) == found.status
    data = json.loads(text)
    assert data["days_left"] == 5 and data["exit_code"] == 1 and data["deadline"] == "2022-10-10"
    row = next(d for d in data["districts"] if d["code"] == "3106")
    assert row["state"] == "error" and row["state_th"] == "มีข้อผิดพลาด" and row["errors"] == 1
    assert row["fills"][0] == {"group": "team", "name": "ตัวชี้วัดรายทีม", "filled": 27, "wanted": 28}


def test_exit_code_says_attention_as_check_does(found, tmp_path):
    assert found.exit_code == 1 == check_round(PROBLEMS).exit_code
    clean = status_round(SAMPLE, tmp_path, today=TODAY, jobs=1)
    assert clean.exit_code == 0 == check_round(SAMPLE).exit_code
    assert {d.state for d in clean.status.districts} == {"ok", "warning"}        # the district that sent twice


def test_status_xlsx(found):
    path = found.files[0]
    assert path.name == "status.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if r[1]]
    assert [r[1] for r in rows] == [d.code for d in found.status.districts]
    by = {r[1]: r for r in rows}
    assert by["3105"][3] == STATES["missing"] and by["3106"][3] == STATES["error"] and by["3101"][3] == STATES["ok"]
    assert by["3106"][4] == "3106-ละหานทราย.xlsx" and by["3106"][6] == pytest.approx(96.4) and by["3106"][8] == "27/28"
    assert "เหลืออีก 5 วัน" in ws["A2"].value
    assert ws.conditional_formatting                                      # the completeness bars
    problems = [r for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "3106" and r[4] == "ตัวชี้วัดรายทีม!C25" for r in problems)


def test_cli_screen(tmp_path):
    r = CliRunner().invoke(cli, ["status", str(PROBLEMS), "--out", str(tmp_path), "--jobs", "1"])
    assert r.exit_code == 1, r.output
    assert "ยังไม่ส่ง 1 · ส่งแล้วแต่ใช้ไม่ได้ 1 · มีข้อผิดพลาด 3 · มีคำเตือน 2 · เรียบร้อย 16" in r.output
    assert "ส่งแล้ว 22 จาก 23 อำเภอ" in r.output and "ต้องติดตาม 5 อำเภอ:" in r.output
    for code in STATE_OF:
        assert f"\n{code} " in r.output
    assert "█████████░ 27/28" in r.output and "██████████ 28/28" in r.output
    assert (tmp_path / "status.xlsx").is_file()


def test_cli_json(tmp_path):
    r = CliRunner().invoke(cli, ["status", str(PROBLEMS), "--out", str(tmp_path), "--json", "--jobs", "1"])
    assert r.exit_code == 1
    status = RoundStatus.from_json(r.output)
    assert {d.code: d.state for d in status.districts}["3109"] == "rejected"
    assert RoundStatus.from_json(status.to_json()) == status


def test_cli_clean_round_exits_0(tmp_path):
    r = CliRunner().invoke(cli, ["status", str(SAMPLE), "--out", str(tmp_path), "--jobs", "1"])
    assert r.exit_code == 0, r.output


def test_out_inside_submissions_is_refused(tmp_path):
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    r = CliRunner().invoke(cli, ["status", str(round_dir), "--out", str(round_dir / "submissions" / "x")])
    assert r.exit_code == 2 and "submissions" in r.output
    assert not (round_dir / "submissions" / "x").exists()


def test_no_deadline_is_said(tmp_path):
    round_dir = tmp_path / "round"
    shutil.copytree(PROBLEMS, round_dir)
    toml = round_dir / "round.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("deadline = 2565-10-10", ""), encoding="utf-8")
    r = CliRunner().invoke(cli, ["status", str(round_dir), "--out", str(tmp_path / "o"), "--jobs", "1"])
    assert "ไม่ได้กำหนดวันส่ง" in r.output and r.exit_code == 1


@pytest.mark.parametrize("done,total,want", [(0, 28, "░" * 10), (27, 28, "█" * 9 + "░"), (28, 28, "█" * 10),
                                             (0, 0, "█" * 10)])
def test_bar_is_full_only_when_complete(done, total, want):
    assert bar(done, total) == want
