"""A broken round config: every command exits 2 with a Thai message naming the key and its line, and
writes nothing."""

from __future__ import annotations

import pytest

from badkit import FOLDER, SAMPLE, invoke
from generator.config import key_line

TOML = (SAMPLE / "round.toml").read_text(encoding="utf-8")


def line_of(text: str, marker: str) -> int:
    """The line (from 1) where ``marker`` first appears."""
    return text[: text.index(marker)].count("\n") + 1


# id, (text to replace, replacement), what the message says, the line it names (found by this marker)
CASES = [
    ("missing key", ("fiscal_year = 2565\n", ""), "ขาดคีย์ 'round.fiscal_year' (missing key)", "[round]"),
    ("wrong type", ("fiscal_year = 2565", 'fiscal_year = "๒๕๖๕"'), "'round.fiscal_year' ต้องเป็น int (wrong type)",
     "fiscal_year ="),
    ("not a date", ("date = 2565-10-20", 'date = "20/10/2565"'), "'letter.date' ต้องเป็นวันที่ YYYY-MM-DD",
     'date = "20/10/2565"'),
    ("district listed twice", ('code = "3102"', 'code = "3101"'), "รหัสอำเภอ '3101' ซ้ำ (district listed twice)",
     'code = "3101"\nname = "คูเมือง"'),
    ("district name of a wrong type", ('name = "กระสัง"', "name = 3103"), "'districts[2].name' ต้องเป็น str",
     "name = 3103"),
    ("band of a wrong type", ('min = 70', 'min = "70"'), "'bands[2].min' ต้องเป็น int/float", 'min = "70"'),
    ("scoring mode unknown", ('scoring = "step"', 'scoring = "average"'), "'round.scoring' ต้องเป็น step หรือ interpolate",
     'scoring = "average"'),
    ("catalog file that does not exist", ('catalog = "2565-r2"', 'catalog = "ไม่มี.yaml"'),
     "ไม่พบไฟล์ catalog (catalog file not found)", 'catalog = "ไม่มี.yaml"'),
]


@pytest.fixture
def broken(tmp_path):
    """Write a round folder whose round.toml is the sample's with one change."""
    def write(old: str, new: str) -> tuple:
        folder = tmp_path / FOLDER
        folder.mkdir()
        text = TOML.replace(old, new, 1)
        assert text != TOML
        (folder / "round.toml").write_text(text, encoding="utf-8")
        return folder, text
    return write


@pytest.mark.parametrize("command", ["check", "run", "forms"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_config_exits_2_naming_key_and_line(broken, tmp_path, command, case):
    _, (old, new), says, marker = case
    folder, text = broken(old, new)
    out = tmp_path / "ผลลัพธ์"
    r = invoke(command, folder, *(("--out", out) if command != "check" else ()))
    line = line_of(text, marker)
    assert r.exit_code == 2, r.output
    assert f"round.toml บรรทัด {line} (line {line}): " in r.output and says in r.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [FOLDER]


def test_missing_table_is_named_without_a_line(broken):
    folder, _ = broken("[office]\n", "[office_old]\n")
    r = invoke("check", folder)
    assert r.exit_code == 2 and "round.toml: ไม่พบส่วน [office] หรือไม่ใช่ตาราง (missing or not a table: [office])" in r.output


def test_toml_syntax_error_gives_tomllibs_line(broken):
    folder, text = broken('number = 2\n', 'number = 2 2\n')
    r = invoke("check", folder)
    assert r.exit_code == 2 and "TOML syntax error" in r.output and f"line {line_of(text, 'number = 2 2')}" in r.output


def test_not_utf8(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "round.toml").write_bytes(TOML.encode("cp874"))  # Thai Windows' own code page
    r = invoke("check", folder)
    assert r.exit_code == 2 and "round.toml ต้องบันทึกเป็น UTF-8 (not UTF-8 text)" in r.output


def test_catalog_failing_validation_writes_nothing(broken, tmp_path):
    folder, _ = broken('catalog = "2565-r2"', 'catalog = "bad.yaml"')
    catalog = (SAMPLE.parent.parent / "templates/catalogs/2565-r2.yaml").read_text(encoding="utf-8")
    (folder / "bad.yaml").write_text(catalog.replace("weight: ", "weight: -", 1), encoding="utf-8")
    r = invoke("run", folder, "--out", tmp_path / "ผลลัพธ์")
    assert r.exit_code == 2 and "catalog ใช้ไม่ได้ (invalid catalog)" in r.output and "(T1).weight" in r.output
    assert not (tmp_path / "ผลลัพธ์").exists()


@pytest.mark.parametrize("key, marker", [
    ("round.id", 'id = "2565-r2"'), ("letter.date", "date = 2565-10-20"), ("memo.date", "date = 2565-10-19"),
    ("districts[0].prefill", "prefill = { T5_staff = 7 }"), ("districts[1].code", 'code = "3102"'),
    ("bands[4].name", 'name = "ต้องปรับปรุง"'), ("forms", "[forms]"), ("contact", "[contact]"),
])
def test_key_line(key, marker):
    assert key_line(TOML, key) == line_of(TOML, marker)


def test_key_line_of_a_key_nowhere():
    assert key_line(TOML, "nothing.here") is None and key_line(TOML, "round.absent") == line_of(TOML, "[round]")
