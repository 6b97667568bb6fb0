"""`kpi-report new-round`: the next round's folder from an existing one, through the API and the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.api import UsageError, check_round, new_round, run_round, write_forms
from generator.cli import cli
from generator.config import load_round
from generator.newround import NewRound, fiscal_round, retitle, toml_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
PREVIOUS = ROOT / "tests" / "golden" / "2565-r2-results.csv"
ARGS = ["--id", "2566-r1", "--period-start", "2565-10-01", "--period-end", "2566-03-31", "--deadline", "2566-04-10",
        "--letter-number", "บร ๐๐๑๙/ว ๑๒๓๔", "--letter-date", "2566-04-25", "--catalog", "2566-r1",
        "--map", "T9=T2"]


def options(**change) -> NewRound:
    values = dict(round_id="2566-r1", period_start="2565-10-01", period_end="2566-03-31", deadline="2566-04-10",
                  letter_number="บร ๐๐๑๙/ว ๑๒๓๔", letter_date="2566-04-25", catalog="2566-r1", previous=PREVIOUS,
                  mapping={"T9": "T2"})
    values.update(change)
    return NewRound(**values)


def test_new_round_is_accepted_by_forms_check_and_run(tmp_path):
    created = new_round(SAMPLE, options(), tmp_path / "next")
    new, old = load_round(created.directory), load_round(SAMPLE)
    assert (new.id, new.fiscal_year, new.number) == ("2566-r1", 2566, 1)
    assert (new.period_start, new.period_end, new.deadline) == (dt.date(2022, 10, 1), dt.date(2023, 3, 31),
                                                                dt.date(2023, 4, 10))
    assert (new.letter.number, new.letter.date) == ("บร ๐๐๑๙/ว ๑๒๓๔", dt.date(2023, 4, 25))
    assert new.memo.date == dt.date(2023, 4, 25) and new.memo.number == ""
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๖ รอบการประเมินที่ ๑ (๑ ตุลาคม ๒๕๖๕ - ๓๑ มีนาคม ๒๕๖๖)" in new.letter.subject
    assert new.catalog_path.name == "2566-r1.yaml"
    assert [(d.code, d.name, dict(d.prefill)) for d in new.districts] == \
        [(d.code, d.name, dict(d.prefill)) for d in old.districts]
    assert (new.signer, new.memo_signer, new.bands, new.contact, new.office, new.address, new.scoring) == \
        (old.signer, old.memo_signer, old.bands, old.contact, old.office, old.address, old.scoring)
    assert new.compare.previous.resolve() == PREVIOUS.resolve() and new.compare.map == {"T9": "T2"}
    assert list((created.directory / "submissions").iterdir()) == []
    assert created.notes == ()
    forms = write_forms(created.directory, tmp_path / "forms")
    assert len(forms) == 23
    checked = check_round(created.directory)
    assert checked.exit_code == 1 and len(checked.report.missing) == 23   # no form came back yet
    ran = run_round(created.directory, tmp_path / "out", jobs=1)
    assert ran.exit_code == 1 and ran.report.comparison is not None
    assert ran.report.comparison.new == ("I13",) and ran.report.comparison.dropped == ("I12",)


def test_default_folder_and_previous_follow_run(tmp_path, monkeypatch):
    """Without --out the round goes beside ROUND_DIR; without --previous it is compared with what `run` writes."""
    (tmp_path / "rounds" / "2565-r2").mkdir(parents=True)
    (tmp_path / "rounds" / "2565-r2" / "round.toml").write_bytes((SAMPLE / "round.toml").read_bytes())
    monkeypatch.chdir(tmp_path)
    created = new_round(Path("rounds/2565-r2"), options(previous=None))
    assert created.directory == Path("rounds/2566-r1")
    text = (created.directory / "round.toml").read_text(encoding="utf-8")
    assert 'previous = "../../output/2565-r2/results.csv"' in text
    assert any("ยังไม่มี" in n for n in created.notes)   # the previous round was not run yet


def test_a_catalog_file_is_copied_into_the_round(tmp_path):
    mine = tmp_path / "my-catalog.yaml"
    mine.write_bytes((ROOT / "templates" / "catalogs" / "2566-r1.yaml").read_bytes())
    created = new_round(SAMPLE, options(catalog=str(mine)), tmp_path / "next")
    assert (created.directory / "my-catalog.yaml").read_bytes() == mine.read_bytes()
    assert load_round(created.directory).catalog_path == created.directory / "my-catalog.yaml"


def test_prefill_keys_the_new_catalog_lacks_are_left_out_with_a_note(tmp_path):
    catalog = (ROOT / "templates" / "catalogs" / "2566-r1.yaml").read_text(encoding="utf-8")
    (tmp_path / "c.yaml").write_text(catalog.replace("T5_staff", "T5_people"), encoding="utf-8")
    created = new_round(SAMPLE, options(catalog=str(tmp_path / "c.yaml")), tmp_path / "next")
    assert all(not d.prefill for d in load_round(created.directory).districts)
    assert len(created.notes) == 23 and "prefill.T5_staff" in created.notes[0]


def test_new_round_refuses_to_overwrite(tmp_path):
    target = tmp_path / "next"
    new_round(SAMPLE, options(), target)
    before = (target / "round.toml").read_bytes()
    with pytest.raises(UsageError, match="มีอยู่แล้ว จึงไม่เขียนทับ"):
        new_round(SAMPLE, options(round_id="2566-r2"), target)
    assert (target / "round.toml").read_bytes() == before
    result = CliRunner().invoke(cli, ["new-round", str(SAMPLE), *ARGS, "--out", str(target)])
    assert result.exit_code == 2
    assert f"Error: โฟลเดอร์ {target} มีอยู่แล้ว จึงไม่เขียนทับ (refusing to overwrite an existing folder);" \
           " เลือกโฟลเดอร์อื่นด้วย --out" in result.output


@pytest.mark.parametrize("change, message", [
    ({"round_id": "2566 r1"}, "--id: ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - เช่น 2566-r1 (bad round id '2566 r1')"),
    ({"round_id": "2565-r2"}, "--id: รอบใหม่ต้องมีรหัสไม่ซ้ำกับรอบเดิม 2565-r2 (the new id must differ)"),
    ({"period_start": "1/10/2565"}, "--period-start: ต้องเป็นวันที่ในรูป ปปปป-ดด-วว เช่น 2566-03-31 "
                                    "(expected a date YYYY-MM-DD), ได้ '1/10/2565'"),
    ({"period_end": "2565-09-30"}, "--period-end: วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่มรอบ (the period ends before it starts)"),
    ({"deadline": "soon"}, "--deadline: ต้องเป็นวันที่ในรูป ปปปป-ดด-วว"),
    ({"catalog": "2599-r9"}, "--catalog: ไม่พบ catalog '2599-r9' (catalog not found)"),
    ({"mapping": {"T99": "T2"}}, "--map: ไม่มีตัวชี้วัด T99 ใน catalog 2566-r1 (unknown indicator code)"),
    ({"round_id": "", "deadline": ""}, "ต้องระบุ --id, --deadline (missing options)"),
])
def test_bad_options_are_refused_in_thai(tmp_path, change, message):
    with pytest.raises(UsageError) as caught:
        new_round(SAMPLE, options(**change), tmp_path / "next")
    assert str(caught.value).startswith(message)
    assert not (tmp_path / "next").exists()


@pytest.mark.parametrize("args, message", [
    (["--period-end", "2566-02-30"], "Error: --period-end: ต้องเป็นวันที่ในรูป ปปปป-ดด-วว เช่น 2566-03-31"
                                     " (expected a date YYYY-MM-DD), ได้ '2566-02-30'"),
    (["--map", "T9"], "Error: --map: ต้องเป็น รหัสใหม่=รหัสเดิม เช่น T9=T2 (expected NEW=OLD), ได้ 'T9'"),
    (["--id", "bad id"], "Error: --id: ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - เช่น 2566-r1 (bad round id 'bad id')"),
])
def test_cli_bad_options_exit_2_with_the_thai_message(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["new-round", str(SAMPLE), *ARGS, *args, "--out", str(tmp_path / "n")])
    assert result.exit_code == 2
    assert result.output.strip() == message
    assert not (tmp_path / "n").exists()


def test_cli_missing_options_are_named_in_thai(tmp_path):
    result = CliRunner().invoke(cli, ["new-round", str(SAMPLE), "--out", str(tmp_path / "n")])
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: ต้องระบุ --id, --period-start, --period-end, --deadline, --letter-number,"
                                     " --letter-date, --catalog (missing options); ดูตัวอย่างด้วย kpi-report new-round"
                                     " --help")


def test_cli_creates_the_round_and_says_where(tmp_path):
    target = tmp_path / "next"
    result = CliRunner().invoke(cli, ["new-round", str(SAMPLE), *ARGS, "--previous", str(PREVIOUS), "--memo-number",
                                      "บร ๐๐๑๙/๑๒๓๓", "--memo-date", "2566-04-24", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"สร้างรอบการประเมิน 2566-r1 ที่ {target} แล้ว (created)")
    rnd = load_round(target)
    assert (rnd.memo.number, rnd.memo.date) == ("บร ๐๐๑๙/๑๒๓๓", dt.date(2023, 4, 24))
    check = CliRunner().invoke(cli, ["check", str(target)])
    assert check.exit_code == 1 and "แบบรายงานที่ใช้ได้ 0 จาก 23 อำเภอ" in check.output


@pytest.mark.slow
def test_committed_next_round_is_what_the_script_writes(tmp_path):
    """input_samples/2566-r1 is new-round's output plus the seeded forms (make_sample.py), byte for byte."""
    sys.path.insert(0, str(ROOT / "input_samples"))
    try:
        import make_sample
    finally:
        sys.path.remove(str(ROOT / "input_samples"))
    fresh = tmp_path / "2566-r1"
    make_sample.make_next_round(SAMPLE, fresh)
    committed = make_sample.NEXT
    files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for name in files:
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), name


@pytest.mark.parametrize("value, text", [("a\"b\\c\n", '"a\\"b\\\\c\\n"'), (dt.date(2023, 3, 31), "2566-03-31"),
                                         (True, "true"), (7, "7"), (2.5, "2.5"), (["ก", 1], '["ก", 1]'),
                                         ({"T5_staff": 3, "odd key": "x"}, '{ T5_staff = 3, "odd key" = "x" }')])
def test_toml_values_read_back(value, text):
    assert toml_value(value) == text
    read = tomllib.loads(f"v = {text}")["v"]
    assert read == (value.replace(year=value.year + 543) if isinstance(value, dt.date) else value)


@pytest.mark.parametrize("start, year, number", [(dt.date(2022, 10, 1), 2566, 1), (dt.date(2023, 3, 1), 2566, 1),
                                                 (dt.date(2023, 4, 1), 2566, 2), (dt.date(2023, 9, 30), 2566, 2)])
def test_fiscal_year_and_round_of_a_period(start, year, number):
    assert fiscal_round(start) == (year, number)


def test_retitle_changes_year_round_and_period_only():
    old = "แจ้งผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ รอบการประเมินที่ ๒ (๑ เมษายน - ๓๐ กันยายน ๒๕๖๕)"
    assert retitle(old, 2566, 1, "๑ ตุลาคม ๒๕๖๕ - ๓๑ มีนาคม ๒๕๖๖") == \
        "แจ้งผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบการประเมินที่ ๑ (๑ ตุลาคม ๒๕๖๕ - ๓๑ มีนาคม ๒๕๖๖)"
