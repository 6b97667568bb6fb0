"""Runs that never lose, misplace or corrupt an output: two runs at once, any output folder, any district name,
special files in submissions, a read-only HOME."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

import badkit
from badkit import (FOLDER, LONG, NUMBER_TYPED, SAMPLE, TYPED, copy_round, fail_rename, hostile_text_round, invoke,
                    rename_districts)

from generator import api, outputs
from generator.filenames import MAX_NAME_BYTES, safe_name
from generator.render.manifest import sha256
from generator.render.pdf import find_soffice

KEEP = 3
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\.|$)", re.IGNORECASE)


@pytest.fixture(scope="module")
def small_round(tmp_path_factory) -> Path:
    """The sample round in a Thai folder with the first three districts' files only."""
    return badkit.small_round(tmp_path_factory.mktemp("r") / FOLDER, KEEP)


def kpi_report(*args: object, env: dict | None = None, cwd: Path | None = None, timeout: float = 300):
    """A real `kpi-report` process."""
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout, check=False)


def assert_one_complete_set(out: Path, districts: int) -> None:
    """The folder holds one complete output set: the manifest lists every file, every hash matches, nothing else."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["outputs"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert on_disk == set(listed)
    assert all(sha256(out / path) == digest for path, digest in listed.items())
    assert {"summary.xlsx", "results.csv", "memo.docx", "letters/circular.docx"} <= on_disk
    assert len([p for p in on_disk if p.startswith("scorecards/")]) == districts
    assert len([p for p in on_disk if p.startswith("letters/")]) == districts + 1
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no lock, staging or old folder left


# two runs at once ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_two_real_runs_into_the_same_out_three_times(tmp_path):
    out = tmp_path / "ผลลัพธ์ ร่วม"
    for _attempt in range(3):
        runs = [subprocess.Popen([sys.executable, "-m", "generator", "run", str(SAMPLE), "--out", str(out),
                                  "--jobs", "1", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        ended = [(r.wait(timeout=300), r.communicate()[1]) for r in runs]
        for code, err in ended:
            assert code in (0, 2), err
            if code == 2:  # gave up waiting: said who holds the folder, wrote nothing
                assert "another run is writing to this output folder" in err and "pid" in err
        assert any(code == 0 for code, _ in ended), ended
        assert_one_complete_set(out, 23)


def live_lock(out: Path, host: str, age: float = 0.0) -> subprocess.Popen:
    """A lock beside ``out`` held by a live process (a sleeping child), dated ``age`` seconds ago."""
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    lock = outputs.RunLock(out).path
    lock.write_text(json.dumps({"host": host, "pid": holder.pid, "token": "x", "started": "2565-09-30T09:00:00+07:00"}))
    os.utime(lock, (time.time() - age, time.time() - age))
    return holder


def test_a_second_run_waits_then_exits_2_naming_the_other_run(small_round, tmp_path, monkeypatch):
    out = tmp_path / "ผลลัพธ์"
    holder = live_lock(out, socket.gethostname())
    monkeypatch.setattr(outputs, "WAIT", 0.5)
    try:
        r = invoke("run", small_round, "--out", out, "--jobs", 1)
    finally:
        holder.kill()
        holder.wait()
    assert r.exit_code == 2
    assert f"มีการสั่ง run อีกชุดหนึ่งกำลังเขียนผลลัพธ์ลงโฟลเดอร์นี้อยู่ (เครื่อง {socket.gethostname()}, pid {holder.pid}," in r.output
    assert "รอให้เสร็จก่อน ไม่เกิน 0.5 วินาที" in r.output  # the wait was told first
    assert "เริ่มเมื่อ 2565-09-30T09:00:00+07:00" in r.output and "จึงไม่ได้เขียนอะไร" in r.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [f".{out.name}.kpi-lock"]


def test_a_lock_from_another_machine_is_waited_for_until_it_is_old(small_round, tmp_path, monkeypatch):
    out = tmp_path / "ผลลัพธ์"
    monkeypatch.setattr(outputs, "WAIT", 0.3)
    holder = live_lock(out, "เครื่องอื่น")
    try:
        with pytest.raises(outputs.OutputError, match="เครื่อง เครื่องอื่น"):
            api.run_round(small_round, out, jobs=1)
        os.utime(outputs.RunLock(out).path, (0, time.time() - outputs.STALE_AFTER - 60))
        assert api.run_round(small_round, out, jobs=1).exit_code == 1
    finally:
        holder.kill()
        holder.wait()
    assert_one_complete_set(out, KEEP)


def test_the_lock_of_a_killed_run_is_taken_over(small_round, tmp_path):
    out = tmp_path / "ผลลัพธ์"
    slowed = ("import sys, time; import generator.render.scorecard as s; from generator.cli import main; "
              "write = s.write_scorecard; s.write_scorecard = lambda *a: (time.sleep(1), write(*a)); "
              "sys.argv[0] = 'kpi-report'; main()")  # so that it is surely killed while it writes
    killed = subprocess.Popen([sys.executable, "-c", slowed, "run", str(small_round), "--out", str(out),
                               "--jobs", "1", "--quiet"])
    lock = outputs.RunLock(out).path
    deadline = time.monotonic() + 60
    while not any(tmp_path.glob(f".{out.name}.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    killed.kill()  # SIGKILL: no clean-up at all
    killed.wait()
    assert lock.exists()
    r = kpi_report("run", small_round, "--out", out, "--jobs", 1)
    assert r.returncode == 1, r.stderr
    assert_one_complete_set(out, KEEP)  # its staging folder removed too


# any output folder --------------------------------------------------------------------------------

def test_out_dot_writes_into_the_working_folder_and_keeps_the_clerks_files(small_round, tmp_path):
    here = tmp_path / "งาน ของฉัน"
    here.mkdir()
    (here / "บันทึก.txt").write_text("ของฉัน", encoding="utf-8")
    for _ in range(2):  # a first run, then one over its own output set
        r = kpi_report("run", small_round, "--out", ".", "--jobs", 1, cwd=here)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and (here / "manifest.json").is_file()
    assert (here / "บันทึก.txt").read_text(encoding="utf-8") == "ของฉัน"
    assert sorted(p.name for p in here.iterdir() if p.name.startswith(".")) == []  # no staging or lock inside
    manifest = json.loads((here / "manifest.json").read_text(encoding="utf-8"))
    assert len([f for f in manifest["outputs"] if f["path"].startswith("scorecards/")]) == KEEP


def test_a_relative_out_with_thai_and_spaces(small_round, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_round, "--out", "ผลลัพธ์ รอบ ๒/ชุด 1", "--jobs", 1, "--quiet")
    assert r.exit_code == 1, r.output
    assert_one_complete_set(tmp_path / "ผลลัพธ์ รอบ ๒" / "ชุด 1", KEEP)


def test_the_round_folder_itself_is_refused_clearly(small_round):
    r = invoke("run", small_round, "--out", small_round, "--jobs", 1)
    assert r.exit_code == 2
    assert "โฟลเดอร์ผลลัพธ์ต้องไม่ใช่โฟลเดอร์รอบการประเมินเอง" in r.output and "it is the round folder" in r.output


def test_an_output_folder_that_is_a_mount_point_is_written_in_place(small_round, tmp_path, monkeypatch):
    out = tmp_path / "usb"
    out.mkdir()
    (out / "ของเดิม.txt").write_text("x", encoding="utf-8")
    real = os.path.ismount
    monkeypatch.setattr(outputs.os.path, "ismount", lambda p: Path(p) == out or real(p))
    for _ in range(2):
        assert api.run_round(small_round, out, jobs=1).exit_code == 1
    assert (out / "ของเดิม.txt").is_file() and not [p for p in out.iterdir() if p.name.startswith(".")]
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    listed = {f["path"] for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]}
    assert on_disk == listed | {"manifest.json", "ของเดิม.txt"}


def test_a_failed_move_in_place_undoes_every_move(small_round, tmp_path, monkeypatch):
    """In place, results.csv cannot be moved aside (open in Excel): the old set stays whole, the new one is left
    complete in kpi-report.new inside the folder."""
    out = tmp_path / "usb"
    out.mkdir()
    monkeypatch.setattr(outputs.os.path, "ismount", lambda p: Path(p) == out)
    assert api.run_round(small_round, out, jobs=1).exit_code == 1
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    fail_rename(monkeypatch, out / "results.csv", PermissionError(13, "The process cannot access the file"))
    with pytest.raises(outputs.OutputError, match="kpi-report.new"):
        api.run_round(small_round, out, jobs=1)
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if not k.startswith("kpi-report.new/")} == before
    assert {k[len("kpi-report.new/"):] for k in after if k.startswith("kpi-report.new/")} == set(before)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_lock_naming_this_very_process_was_left_by_an_earlier_one(small_round, tmp_path):
    """In a container a new run may get the pid of the killed one: a lock naming our own pid is not ours to wait on."""
    out = tmp_path / "ผลลัพธ์"
    outputs.RunLock(out).path.write_text(json.dumps({"host": socket.gethostname(), "pid": os.getpid()}))
    assert api.run_round(small_round, out, jobs=1, wait=0).exit_code == 1
    assert_one_complete_set(out, KEEP)


def test_a_rename_across_filesystems_is_handled(small_round, tmp_path, monkeypatch):
    """The output folder turns out to be a filesystem of its own only when renamed (EXDEV): the set is copied in."""
    out = tmp_path / "ผลลัพธ์"
    assert api.run_round(small_round, out, jobs=1).exit_code == 1
    fail_rename(monkeypatch, out, OSError(errno.EXDEV, "Invalid cross-device link", str(out)))
    assert api.run_round(small_round, out, jobs=1).exit_code == 1
    assert_one_complete_set(out, KEEP)


def test_an_output_folder_on_another_filesystem(small_round, tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no writable /dev/shm on a filesystem other than the temporary folder's")
    out = Path(os.path.join(shm, f"kpi-test-{os.getpid()}", "ผลลัพธ์ รอบ 2"))
    try:
        r = kpi_report("run", small_round, "--out", out, "--jobs", 1, cwd=tmp_path)
        assert r.returncode == 1, r.stderr
        assert_one_complete_set(out, KEEP)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


# any district name --------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "3101": "../../หนีออกนอก", "3102": "ก/ข\\ค:ง*จ?ฉ\"ช<ซ>ฌ|ญ", "3103": "CON", "3104": "ชื่อยาว" * 50,
    "3105": "..", "3106": " ชื่อมีจุดท้าย. ", "3107": "แท็บ\tและ\u0007เสียง", "3108": "NUL.txt",
}


def hostile_round(tmp_path: Path) -> Path:
    """The sample round whose districts 3101–3108 have names no file may carry as they are."""
    folder = copy_round(tmp_path / FOLDER)
    rename_districts(folder, HOSTILE_NAMES)
    return folder


def written_names(folder: Path) -> list[str]:
    """Every file and folder name under a folder."""
    return [p.name for p in folder.rglob("*")]


@pytest.mark.slow
def test_hostile_district_names_never_write_outside_out(tmp_path):
    round_dir = hostile_round(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p for p in tmp_path.rglob("*") if p != work)
    check = invoke("check", round_dir)
    forms = kpi_report("forms", round_dir, "--out", work / "แบบ", cwd=work)
    run = kpi_report("run", round_dir, "--out", work / "ผลลัพธ์", "--jobs", 1, "--quiet", cwd=work)
    assert check.exit_code == 0, check.output
    assert forms.returncode == 0 and "Traceback" not in forms.stderr, forms.stderr
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "Warning" not in forms.stderr + run.stderr  # a long name cut to fit headers and footers, not dropped
    outside = sorted(p for p in tmp_path.rglob("*") if work not in p.parents and p != work)
    assert outside == before  # nothing beside the round, nothing above --out
    assert len(list((work / "แบบ").iterdir())) == 23 and len(list((work / "ผลลัพธ์" / "scorecards").iterdir())) == 23
    for name in written_names(work):
        assert not WINDOWS_FORBIDDEN.search(name) and not RESERVED.match(name), name
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and name == name.strip(" .") and ".." not in name, name
    warned = re.findall(r"\[file-name-changed\] อำเภอ (\d+):", check.output)
    assert warned == ["3101", "3102", "3104", "3105", "3106", "3107"]  # 3103-CON and 3108-NUL.txt are fine names
    assert "อำเภอ 3101: ชื่อไฟล์ของอำเภอนี้มีอักขระที่ใช้ในชื่อไฟล์ไม่ได้หรือยาวเกินไป จึงใช้ชื่อ 3101-____หนีออกนอก.xlsx" in check.output


def test_two_districts_whose_file_names_would_clash_are_a_config_error(tmp_path):
    folder = copy_round(tmp_path / FOLDER)
    text = (folder / "round.toml").read_text(encoding="utf-8")
    text = text.replace('name = "เมืองบุรีรัมย์"', 'name = "ก-ข"', 1).replace('code = "3102"\nname = "คูเมือง"',
                                                                               'code = "3101-ก"\nname = "ข"', 1)
    (folder / "round.toml").write_text(text, encoding="utf-8")
    for args in (("check", folder), ("forms", folder, "--out", tmp_path / "f"), ("run", folder, "--out", tmp_path / "o")):
        r = invoke(*args)
        assert r.exit_code == 2 and "อำเภอ 3101 และอำเภอ 3101-ก ได้ชื่อไฟล์เดียวกัน (3101-ก-ข.xlsx)" in r.output, r.output
    assert not (tmp_path / "f").exists() and not (tmp_path / "o").exists()


@pytest.mark.parametrize("stem, expected", [
    ("3101-เมืองบุรีรัมย์", "3101-เมืองบุรีรัมย์.xlsx"),
    ("../../x", "____x.xlsx"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j.xlsx"),
    ("CON", "_CON.xlsx"), ("con.txt", "_con.txt.xlsx"), ("LPT9 ", "_LPT9.xlsx"), ("COM¹", "_COM¹.xlsx"),
    ("CONSOLE", "CONSOLE.xlsx"), ("..", "_.xlsx"), ("", "_.xlsx"), (" .hidden. ", "hidden.xlsx"),
    ("a\u202eb\u2028c\x00d\x85e", "a_b_c_d_e.xlsx"),
])
def test_safe_name(stem, expected):
    assert safe_name(stem, ".xlsx") == expected


def test_a_long_name_is_cut_in_bytes_keeping_whole_letters_and_two_long_names_apart():
    one, two = safe_name("ก" * 300 + "1", ".docx"), safe_name("ก" * 300 + "2", ".docx")
    assert one != two and one.endswith(".docx") and "~" in one
    assert len(one.encode("utf-8")) <= MAX_NAME_BYTES and one.encode("utf-8").decode("utf-8") == one
    assert safe_name("ก" * 300 + "1", ".docx") == one  # the same every run


# what is read from submissions -------------------------------------------------------------------

def test_a_named_pipe_in_submissions_is_skipped(small_round, tmp_path):
    round_dir = Path(shutil.copytree(small_round, tmp_path / "รอบ"))
    os.mkfifo(round_dir / "submissions" / "ท่อ.xlsx")
    check = kpi_report("check", round_dir, timeout=120)  # before: waited on the pipe forever
    run = kpi_report("run", round_dir, "--out", tmp_path / "out", "--jobs", 1, "--quiet", timeout=120)
    assert check.returncode == 1 and run.returncode == 1, check.stdout + run.stderr
    assert "[not-a-file] ไฟล์ ท่อ.xlsx: ไม่ใช่ไฟล์ธรรมดา" in check.stdout
    inputs = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert len(inputs) == KEEP and not any("ท่อ" in f["path"] for f in inputs)


def test_links_are_followed_only_inside_the_round_folder(small_round, tmp_path):
    round_dir = Path(shutil.copytree(small_round, tmp_path / "รอบ"))
    sub = round_dir / "submissions"
    first, second, _ = sorted(sub.iterdir())
    kept = round_dir / "เก็บ"
    kept.mkdir()
    os.replace(first, kept / first.name)
    (sub / first.name).symlink_to(kept / first.name)  # inside the round: read
    outside = tmp_path / second.name
    os.replace(second, outside)
    (sub / second.name).symlink_to(outside)  # outside the round: skipped
    (sub / "ลิงก์เสีย.xlsx").symlink_to(tmp_path / "ไม่มี.xlsx")
    result = api.check_round(round_dir)
    codes = {p.file: p.code for p in result.problems if p.code in ("link-outside", "not-a-file")}
    assert codes == {second.name: "link-outside", "ลิงก์เสีย.xlsx": "link-outside"}
    statuses = {r.file: r.status for r in result.report.results if r.file}
    assert first.name in statuses and second.name not in statuses


# nothing written to HOME -------------------------------------------------------------------------

@pytest.mark.slow
def test_every_command_works_with_a_read_only_home(small_round, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")} | {"HOME": str(home)}
    try:
        pdf = ("--pdf",) if find_soffice() else ()  # LibreOffice too writes nothing there
        for args, code in ((("--help",), 0), (("forms", small_round, "--out", tmp_path / "f"), 0),
                           (("check", small_round), 1),
                           (("run", small_round, "--out", tmp_path / "o", "--jobs", 2, *pdf), 1)):
            r = kpi_report(*args, env=env, cwd=tmp_path)
            assert r.returncode == code and "Traceback" not in r.stderr, (args, r.stderr)
        assert list(home.iterdir()) == []  # root ignores the mode: that nothing was written is what counts
        assert len(list((tmp_path / "o" / "pdf").glob("*.pdf"))) == (KEEP + 3 if pdf else 0)
    finally:
        home.chmod(stat.S_IRWXU)
    imports = ("import sys, generator.cli, generator.api, generator.read, generator.render.letters,"
               " generator.render.summary, generator.render.forms; print(sorted(sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", imports], capture_output=True, text=True, check=True).stdout
    assert "pythainlp" not in loaded and "generator.render.forms" in loaded


# typed text is text in every output -------------------------------------------------------------

def test_typed_look_alike_rich_text_is_text_in_scorecards_summary_and_letters(tmp_path):
    round_dir = hostile_text_round(tmp_path)
    out = tmp_path / "ผลลัพธ์"
    r = invoke("run", round_dir, "--out", out, "--jobs", 1, "--quiet")
    assert r.exit_code == 1, r.output  # T2_done is not a number: that indicator is an error
    books = [*sorted((out / "scorecards").glob("3105-*.xlsx")), out / "summary.xlsx"]
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    etree.fromstring(z.read(name))  # well-formed, every part
    card = openpyxl.load_workbook(books[0])
    texts = {c.value for ws in card for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {TYPED["T2_evidence"], TYPED["T3_evidence"], TYPED["T4_evidence"], LONG} <= texts
    assert any(NUMBER_TYPED.replace("\x07", "_x0007_") in t for t in texts)  # in the problem shown back
    summary = openpyxl.load_workbook(out / "summary.xlsx")
    assert any("<r>R&D</r>" in str(c.value) for ws in summary for row in ws.iter_rows() for c in row)  # 3101's name
    with zipfile.ZipFile(next((out / "letters").glob("3101-*.docx"))) as z:
        document = z.read("word/document.xml").decode("utf-8")
    etree.fromstring(document.encode("utf-8"))
    assert "&lt;r&gt;R&amp;D&lt;/r&gt;" in document
