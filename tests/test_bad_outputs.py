"""Paths and outputs: Thai folders, --out over the inputs, an output file open or read-only, disk full or no
permission mid-run, Ctrl-C. The previous output set always survives whole, and nothing half-written is left."""

from __future__ import annotations

import errno
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import badkit
from badkit import FOLDER, SAMPLE, invoke
from generator import api, outputs
from generator.cli import INTERRUPTED
from generator.render import summary

KEEP = 3  # districts whose files stay: a small round runs fast
FULL_ROUND = SAMPLE  # enough districts for two workers to be busy


@pytest.fixture(scope="module")
def small_round(tmp_path_factory) -> Path:
    """The sample round in a Thai folder with the first three districts' files only."""
    return badkit.small_round(tmp_path_factory.mktemp("r") / FOLDER, KEEP)


@pytest.fixture(scope="module")
def previous(small_round, tmp_path_factory) -> Path:
    """A complete output set of the small round (what a clerk already has)."""
    out = tmp_path_factory.mktemp("prev") / "ผลลัพธ์ เดิม"
    assert invoke("run", small_round, "--out", out, "--jobs", 1, "--quiet").exit_code == 1
    return out


@pytest.fixture
def out(previous, tmp_path) -> Path:
    """A copy of the previous output set to run over."""
    return Path(shutil.copytree(previous, tmp_path / "ผลลัพธ์ รอบ 2"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(out: Path) -> list[str]:
    """What lies beside the output folder."""
    return sorted(p.name for p in out.parent.iterdir())


def run(round_dir: Path, out: Path, *more: object):
    """`kpi-report run` quietly, in process."""
    return invoke("run", round_dir, "--out", out, "--jobs", 1, "--quiet", *more)


# --out over the inputs -----------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["submissions/ผลลัพธ์", "submissions", ".", ".."])
def test_out_overlapping_the_inputs_is_refused_and_nothing_written(small_round, where):
    before = snapshot(small_round.parent)
    r = run(small_round, small_round / where)
    assert r.exit_code == 2 and "--out overlaps the inputs" in r.output
    assert snapshot(small_round.parent) == before


def test_thai_round_and_output_folders_with_spaces(small_round, previous):
    assert small_round.name == FOLDER and previous.name == "ผลลัพธ์ เดิม"
    files = snapshot(previous)
    assert "results.csv" in files and len([f for f in files if f.startswith("scorecards/")]) == KEEP


# an output file open in Excel, or read-only ------------------------------------------------------

def refuse_to_move(monkeypatch, folder: Path) -> None:
    """os.replace fails for ``folder`` as Windows does when a file in it is open in Excel."""
    badkit.fail_rename(monkeypatch, folder, PermissionError(errno.EACCES, "The process cannot access the file", str(folder)))


def test_output_file_open_in_excel(small_round, out, monkeypatch):
    before = snapshot(out)
    (out / "~$summary.xlsx").write_bytes(bytes(165))  # Excel's owner file beside the workbook it has open
    refuse_to_move(monkeypatch, out)
    r = run(small_round, out)
    assert r.exit_code == 2
    assert "ปิดไฟล์เหล่านี้ (close these files): summary.xlsx" in r.output
    new = out.with_name(f"{out.name}.new")
    assert f"ผลลัพธ์ชุดใหม่ซึ่งครบทุกไฟล์แล้วที่ {new}" in r.output
    assert {k: v for k, v in snapshot(out).items() if not k.startswith("~$")} == before  # the old set untouched
    assert set(snapshot(new)) == set(before)  # the others are written: the complete new set beside it
    assert siblings(out) == sorted([out.name, new.name])  # no staging folder left


def test_read_only_output_file(small_round, out, monkeypatch):
    refuse_to_move(monkeypatch, out)
    real = open

    def locked(path, mode="r", *args, **kwargs):
        if Path(path).name == "results.csv" and "+" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, mode, *args, **kwargs)
    monkeypatch.setattr(outputs, "open", locked, raising=False)
    r = run(small_round, out)
    assert r.exit_code == 2 and "close these files): results.csv" in r.output


def test_again_after_closing_the_file(small_round, out, monkeypatch):
    refuse_to_move(monkeypatch, out)
    assert run(small_round, out).exit_code == 2
    monkeypatch.undo()
    assert run(small_round, out).exit_code == 1
    assert siblings(out) == [out.name, f"{out.name}.new"] and (out / "manifest.json").is_file()


# disk full, no permission, Ctrl-C: the previous set survives -----------------------------------------

def fail_in_summary(monkeypatch, error: BaseException) -> None:
    """The summary writer fails after the scorecards and letters are written."""
    def fail(*args, **kwargs):
        raise error
    monkeypatch.setattr(summary, "write_summary", fail)


@pytest.mark.parametrize("error, says", [
    (OSError(errno.ENOSPC, "No space left on device", "summary.xlsx"), "ดิสก์เต็ม (disk full): summary.xlsx"),
    (PermissionError(errno.EACCES, "Permission denied", "summary.xlsx"), "ไม่มีสิทธิ์เขียน"),
])
def test_disk_full_or_no_permission_mid_run(small_round, out, monkeypatch, error, says):
    before = snapshot(out)
    fail_in_summary(monkeypatch, error)
    r = run(small_round, out)
    assert r.exit_code == 2 and says in r.output and "the previous output set is intact" in r.output
    assert snapshot(out) == before and siblings(out) == [out.name]


def test_output_folder_that_cannot_be_made(small_round, tmp_path):
    blocker = tmp_path / "ไฟล์"
    blocker.write_text("not a folder")
    r = run(small_round, blocker / "ผลลัพธ์")
    assert r.exit_code == 2 and "เขียนผลลัพธ์ไม่สำเร็จ" in r.output


def test_ctrl_c_mid_run(small_round, out, monkeypatch):
    before = snapshot(out)
    fail_in_summary(monkeypatch, KeyboardInterrupt())
    r = run(small_round, out)
    assert r.exit_code == 130 and INTERRUPTED in r.output
    assert snapshot(out) == before and siblings(out) == [out.name]


@pytest.mark.parametrize("command", ["check", "forms"])
def test_ctrl_c_in_check_and_forms(small_round, tmp_path, monkeypatch, command):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(api, "score_round" if command == "check" else "load", interrupt)
    args = (command, small_round) + (("--out", tmp_path / "forms") if command == "forms" else ())
    r = invoke(*args)
    assert r.exit_code == 130 and INTERRUPTED in r.output


def test_ctrl_c_in_the_progress_bar_with_workers_leaves_no_partial_file(out):
    """Workers ignore SIGINT; an interrupt raised in the progress wrapper must still stop them before cleanup."""
    def stop_after_first(items):
        for item in items:
            yield item
            raise KeyboardInterrupt

    def phase(name, items, total):
        return stop_after_first(items) if name == "write" else items

    before = snapshot(out)
    with pytest.raises(KeyboardInterrupt):
        api.run_round(FULL_ROUND, out, phase=phase, jobs=2)
    time.sleep(0.5)  # a worker still running would write now
    assert snapshot(out) == before and siblings(out) == [out.name]


def test_real_sigint_with_two_jobs(out):
    """A real Ctrl-C (SIGINT) while two worker processes write: exit 130, the Thai message, nothing partial."""
    before = snapshot(out)
    # each scorecard takes a quarter of a second longer, so the signal surely lands while the workers write
    slowed = ("import sys, time; import generator.render.scorecard as s; from generator.cli import main; "
              "write = s.write_scorecard; s.write_scorecard = lambda *a: (time.sleep(0.25), write(*a)); "
              "sys.argv[0] = 'kpi-report'; main()")
    child = subprocess.Popen([sys.executable, "-c", slowed, "run", str(FULL_ROUND), "--out", str(out),
                              "--jobs", "2", "--quiet"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(out.parent.glob(f".{out.name}.partial-*/scorecards/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and INTERRUPTED in err
    assert snapshot(out) == before and siblings(out) == [out.name]


# what is not ours is never lost --------------------------------------------------------------------

def test_forms_and_the_clerks_own_files_are_kept_and_stale_outputs_go(small_round, out):
    assert invoke("forms", small_round, "--out", out / "forms").exit_code == 0
    (out / "บันทึกของเจ้าหน้าที่.txt").write_text("อย่าลบ", encoding="utf-8")
    (out / "pdf").mkdir()
    (out / "pdf" / "summary.pdf").write_bytes(b"%PDF-old")
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    (out / "manifest.json").write_text(manifest.replace('"outputs": [', '"outputs": [{"path": "pdf/summary.pdf"},', 1),
                                       encoding="utf-8")
    forms = snapshot(out / "forms")
    assert run(small_round, out).exit_code == 1
    assert snapshot(out / "forms") == forms and (out / "บันทึกของเจ้าหน้าที่.txt").read_text(encoding="utf-8") == "อย่าลบ"
    assert not (out / "pdf").exists()  # ours, from an earlier --pdf run, and not written this time


def test_a_folder_that_is_not_an_output_set_is_never_overwritten(small_round, tmp_path):
    folder = tmp_path / "เอกสาร"
    (folder / "letters").mkdir(parents=True)
    (folder / "letters" / "หนังสือสำคัญ.docx").write_bytes(b"mine")
    r = run(small_round, folder)
    assert r.exit_code == 2 and "letters" in r.output and "kpi-report did not write" in r.output
    assert snapshot(folder) == {"letters/หนังสือสำคัญ.docx": b"mine"}
    assert (tmp_path / "เอกสาร.new" / "manifest.json").is_file()


def test_an_interrupted_swap_is_recovered(small_round, out):
    old = out.with_name(f".{out.name}.old")
    (out / "forms").mkdir()
    (out / "forms" / "3101.xlsx").write_bytes(b"form")
    out.rename(old)  # the state between the two renames of a swap
    assert run(small_round, out).exit_code == 1
    assert siblings(out) == [out.name] and (out / "forms" / "3101.xlsx").read_bytes() == b"form"
