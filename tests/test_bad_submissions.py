"""Bad submissions end to end: one round with a broken file per district, through `check` and `run`.

Every case names the district it hits, its status, the problem told (code, file, key, Thai words) and
whether the district still scores exactly as in the clean sample; the untouched districts must too.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from badkit import FOLDER, SAMPLE, Outcome, break_round, catalog, golden, invoke, sample_submissions
from readkit import SHEET, write_form

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
Build = Callable[[Path], None]


def form(code: str, **options) -> Build:
    """Replace a district's sample file by a form with the district's own values, written with ``options``."""
    def build(sub: Path) -> None:
        name, values = sample_submissions()[code]
        (sub / name).unlink()
        write_form(sub / name, catalog(), values, district=code, **options)
    return build


def replace(code: str, name: str, content: Callable[[bytes], bytes]) -> Build:
    """Replace a district's sample file by ``name`` holding ``content(the sample file's bytes)``."""
    def build(sub: Path) -> None:
        old = sub / sample_submissions()[code][0]
        data = old.read_bytes()
        old.unlink()
        (sub / name).write_bytes(content(data))
    return build


def add(name: str, content: bytes) -> Build:
    """Add a file to the folder."""
    return lambda sub: (sub / name).write_bytes(content)


def ods(_: bytes) -> bytes:
    """A LibreOffice Calc file: a zip whose first member is its mimetype."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def rename(code: str, name: str) -> Build:
    """Give a district's file another name."""
    return lambda sub: (sub / sample_submissions()[code][0]).rename(sub / name)


@dataclass(frozen=True)
class Case:
    """One catalogued bad submission and what `check` and `run` must make of it."""

    id: str
    build: Build
    district: str  # the district it hits ('' when the file names none)
    status: str  # that district's status: ok (scored as in the clean sample), error, missing
    code: str = ""  # the problem told, once ('' for none)
    file: str = ""  # the file the problem names
    key: str = ""  # the input key it names
    says: str = ""  # words of its Thai message
    severity: str = "error"


NO_NAMES = {n: None for n in ("meta_round_id", "meta_district_code", "meta_form_version")}
CASES = [
    Case("missing district", lambda sub: (sub / sample_submissions()["3103"][0]).unlink(), "3103", "missing",
         "missing-submission", says="ไม่พบแบบรายงานของอำเภอนี้"),
    Case("same district twice: newest used, the other named", lambda sub: None, "3110", "ok", "duplicate-submission",
         "แบบรายงาน ลำปลายมาศ.xlsx", says="ใช้ไฟล์ล่าสุด 3110-ลำปลายมาศ (ส่งใหม่).xlsx", severity="warning"),
    Case("meta_district_code not in the round", lambda sub: write_form(sub / "ผิดอำเภอ.xlsx", catalog(),
                                                                       district="9999"),
         "", "", "unknown-district", "ผิดอำเภอ.xlsx", says="9999"),
    Case("form of another round", form("3104", round_id="2565-r1"), "3104", "missing", "other-round",
         sample_submissions()["3104"][0], says="รอบ 2565-r1"),
    Case("older form version", form("3105", form_version="0"), "3105", "missing", "form-version",
         sample_submissions()["3105"][0], says="รุ่น 0"),
    Case("~$ Excel lock file", add("~$3101-เมืองบุรีรัมย์.xlsx", bytes(165)), "", "", "lock-file",
         "~$3101-เมืองบุรีรัมย์.xlsx", says="ไฟล์ล็อก", severity="info"),
    Case(".xls (old binary)", replace("3114", "3114-หนองหงส์.xls", lambda _: OLE + "Workbook".encode("utf-16-le")),
         "3114", "missing", "not-xlsx-xls", "3114-หนองหงส์.xls", says="บันทึกเป็น .xlsx"),
    Case(".ods", replace("3115", "3115-พลับพลาชัย.ods", ods), "3115", "missing", "not-xlsx-ods",
         "3115-พลับพลาชัย.ods", says="LibreOffice"),
    Case(".csv", replace("3116", "3116-ห้วยราช.csv", lambda _: "รหัส,ค่า\n3116,85\n".encode("utf-8-sig")), "3116",
         "missing", "not-xlsx-text", "3116-ห้วยราช.csv", says="CSV"),
    Case("PDF renamed .xlsx", replace("3117", "3117-โนนสุวรรณ.xlsx", lambda _: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "3117",
         "missing", "not-xlsx-pdf", "3117-โนนสุวรรณ.xlsx", says="PDF"),
    Case("image renamed .xlsx", replace("3118", "3118-ชำนิ.xlsx", lambda _: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "3118",
         "missing", "not-xlsx-image", "3118-ชำนิ.xlsx", says="รูปภาพ"),
    Case("truncated zip", replace("3119", "3119-บ้านใหม่ไชยพจน์.xlsx", lambda data: data[: len(data) // 3]), "3119",
         "missing", "damaged-zip", "3119-บ้านใหม่ไชยพจน์.xlsx", says="ส่งไฟล์ใหม่"),
    Case("password-protected (encrypted) workbook",
         replace("3120", "3120-โนนดินแดง.xlsx", lambda _: OLE + "EncryptionInfo\0EncryptedPackage".encode("utf-16-le")),
         "3120", "missing", "encrypted", "3120-โนนดินแดง.xlsx", says="เอารหัสผ่านออก"),
    Case("every defined name deleted", form("3113", names={**NO_NAMES, **{i.name: None for i in catalog().inputs()}}),
         "3113", "missing", "not-a-form", sample_submissions()["3113"][0], says="ไม่ใช่แบบเก็บข้อมูล"),
    Case("one defined name deleted", form("3106", names={"in_T2_done": None}), "3106", "error", "name-missing",
         sample_submissions()["3106"][0], "T2_done", "ไม่พบชื่อ in_T2_done"),
    Case("a defined name pointing to #REF!", form("3107", names={"in_T7_sent": f"'{SHEET}'!#REF!"}), "3107", "error",
         "name-broken", sample_submissions()["3107"][0], "T7_sent", "#REF!"),
    Case("rows inserted above the inputs: names follow", form("3108", inserted_rows=4), "3108", "ok"),
    Case("merged cells over an input", form("3109", merge={"T2_done": 1, "T1_allocated": 2}), "3109", "error",
         "merged-input", sample_submissions()["3109"][0], "T2_done", "ยกเลิกการผสานเซลล์"),
    Case("sheet renamed in Excel: names follow", form("3111", sheet="ตัวชี้วัด (ฉบับแก้ไข)"), "3111", "ok"),
    Case("sheet renamed by a tool that left the names", form("3112", sheet="Sheet1", names_sheet=SHEET), "3112",
         "missing", "sheet-missing", sample_submissions()["3112"][0], says=f"เปลี่ยนชื่อแผ่นงานกลับเป็น '{SHEET}'"),
    Case("file name in Thai with spaces", rename("3101", "แบบรายงาน อ. เมืองบุรีรัมย์ ฉบับส่งจริง 2565.xlsx"), "3101",
         "ok"),
]
UNTOUCHED = ("3102", "3121", "3122", "3123")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Outcome:
    """The sample round with every case above planted, checked and run once."""
    def breaks(sub: Path) -> None:
        for case in CASES:
            case.build(sub)
    return break_round(tmp_path_factory.mktemp("messy"), breaks)


def test_exit_codes_and_outputs(messy):
    assert messy.check.exit_code == 1 and messy.run.exit_code == 1, messy.run.output
    assert FOLDER in str(messy.round_dir)
    assert (messy.out_dir / "summary.xlsx").is_file() and (messy.out_dir / "manifest.json").is_file()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case(messy, case):
    if case.district:
        assert messy.status(case.district) == case.status
        rows = [r for (d, _), r in messy.rows().items() if d == case.district]
        if case.status == "ok":
            assert rows == [golden()[(case.district, r["indicator"])] for r in rows]  # still scored right
        elif case.status == "missing":
            assert {r["status"] for r in rows} == {"missing"}
    if case.code:
        where = {"file": case.file} if case.file else {"district": case.district}
        [told] = messy.problems(case.code, **where)  # told once
        assert (told.severity, told.key) == (case.severity, case.key) and case.says in told.message
        if case.district and case.code != "missing-submission":
            assert told.district == case.district
        line = next(ln for ln in messy.check.output.splitlines() if f"[{case.code}]" in ln and case.file in ln)
        assert case.says in line


def test_the_cell_of_an_input_problem_is_named(messy):
    [merged] = messy.problems("merged-input")
    assert (merged.sheet, merged.cell[0], merged.indicator) == (SHEET, "C", "T2")
    row = messy.rows()[("3109", "T2")]
    assert row["status"] == "error" and "ยกเลิกการผสานเซลล์" in row["message"]
    assert messy.rows()[("3109", "T1")] == golden()[("3109", "T1")]  # the input at a merge's top-left reads right


def test_every_other_district_is_still_scored(messy):
    rows = messy.rows()
    for code in UNTOUCHED:
        assert [rows[k] for k in rows if k[0] == code] == [v for k, v in golden().items() if k[0] == code]


def test_only_the_districts_hit_are_missing(messy):
    missing = {r.district.code for r in messy.checked.report.missing}
    assert missing == {c.district for c in CASES if c.status == "missing"}


def test_empty_submissions_folder(tmp_path):
    outcome = break_round(tmp_path, lambda sub: [p.unlink() for p in sub.iterdir()])
    assert outcome.check.exit_code == 1 and outcome.run.exit_code == 1
    assert {r.status for r in outcome.checked.report.results} == {"missing"}
    assert {r["status"] for r in outcome.rows().values()} == {"missing"}
    assert "แบบรายงานที่ใช้ได้ 0 จาก 23 อำเภอ" in outcome.check.output


def test_no_submissions_folder_at_all(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "round.toml").write_bytes((SAMPLE / "round.toml").read_bytes())
    r = invoke("check", folder)
    assert r.exit_code == 1 and "[no-submissions]" in r.output and "ยังไม่มีแบบรายงานที่อำเภอส่งกลับ" in r.output

