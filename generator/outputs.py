"""The output folder: one writer at a time, a staging folder of its own, and a complete new output set put in place
of the old one, or a message saying why not."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import Callable, Optional


class OutputError(Exception):
    """Outputs that could not be written or put in place (exit 2); the previous output set is left as it was."""


def _ours(folder: Path) -> set[str]:
    """The top-level names a previous run wrote into ``folder``, as its manifest.json lists them."""
    try:
        listed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        return {"manifest.json", *(str(f["path"]).split("/")[0] for f in listed)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _carry(old: Path, new: Path) -> None:
    """Move what the clerk (or `forms`) put in the old output folder into the new one: only our files are replaced."""
    ours = _ours(old)
    for entry in old.iterdir():
        if entry.name not in ours and not (new / entry.name).exists():
            os.replace(entry, new / entry.name)


def _in_use(folder: Path) -> list[str]:
    """Files of a folder that are open in Excel or Word (their ~$ owner file is beside them) or cannot be opened
    for writing (locked or read-only)."""
    names = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("~$")):
        owners = {f"~${path.name}", f"~${path.name[1:]}", f"~${path.name[2:]}"}
        try:
            opened = any((path.parent / o).exists() for o in owners)
            if not opened:
                with open(path, "r+b"):
                    pass
        except OSError:
            opened = True
        if opened:
            names.append(path.relative_to(folder).as_posix())
    return names


def _blocked(staging: Path, out_dir: Path, why: str, new: Optional[Path] = None) -> OutputError:
    """Leave the complete new set beside the output folder (or at ``new``) and say which files to close."""
    new = new or out_dir.with_name(f"{out_dir.name}.new")
    shutil.rmtree(new, ignore_errors=True)
    os.replace(staging, new)
    files = _in_use(out_dir) if out_dir.is_dir() else []
    close = f"ปิดไฟล์เหล่านี้ (close these files): {', '.join(files)} แล้ว" if files else ""
    return OutputError(f"{why}: {out_dir}\n{close}สั่ง run อีกครั้ง หรือใช้ผลลัพธ์ชุดใหม่ซึ่งครบทุกไฟล์แล้วที่ {new};"
                       f" ผลลัพธ์เดิมใน {out_dir} ไม่ถูกแก้ไข (the previous outputs are untouched; the complete new"
                       f" set is in {new})")


def swap_in(staging: Path, out_dir: Path) -> None:
    """Put the new output set in place of the old one: no stale file of ours is left, nothing else is lost.

    When the old folder cannot be moved (a file open in Excel, a read-only folder) it is kept as it is and the
    new set is left complete beside it (OutputError). An old folder left by an interrupted swap is recovered.
    """
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.exists():
        if out_dir.exists():
            _carry(old, out_dir)
            shutil.rmtree(old)
        else:
            os.replace(old, out_dir)
    if out_dir.exists():
        clash = sorted(e.name for e in out_dir.iterdir() if (staging / e.name).exists())
        if clash and not (out_dir / "manifest.json").exists():
            raise _blocked(staging, out_dir, f"โฟลเดอร์ผลลัพธ์มี {', '.join(clash)} ซึ่ง kpi-report ไม่ได้เขียน จึงไม่เขียนทับ"
                                             " (the output folder holds files kpi-report did not write)")
        try:
            os.replace(out_dir, old)
        except OSError as e:
            if e.errno in (errno.EXDEV, errno.EBUSY):
                raise  # a mount point: the caller moves the set in entry by entry
            raise _blocked(staging, out_dir, "แทนที่โฟลเดอร์ผลลัพธ์เดิมไม่ได้ มีไฟล์ถูกเปิดค้างอยู่หรือไม่มีสิทธิ์เขียน"
                                             f" (the output folder is in use or read-only: {e.strerror or e})") from None
    try:
        os.replace(staging, out_dir)
    except BaseException:
        if old.exists() and not out_dir.exists():
            os.replace(old, out_dir)
        raise
    if old.exists():
        _carry(old, out_dir)
        shutil.rmtree(old, ignore_errors=True)


def write_failed(error: OSError, out_dir: Path) -> OutputError:
    """A disk-full, permission or other OS error while writing: what happened, and that nothing was changed."""
    reason = ("ดิสก์เต็ม (disk full)" if error.errno == errno.ENOSPC else
              "ไม่มีสิทธิ์เขียน หรือไฟล์ถูกเปิดค้างอยู่ (permission denied)" if isinstance(error, PermissionError) else
              f"{error.strerror or error}")
    where = f": {error.filename}" if error.filename else ""
    return OutputError(f"เขียนผลลัพธ์ไม่สำเร็จ: {reason}{where}; ผลลัพธ์เดิมใน {out_dir} ไม่ถูกแก้ไข"
                       " และไม่มีไฟล์ที่เขียนไม่ครบ (could not write the outputs; the previous output set is intact)")


def _swap_entries(staging: Path, out_dir: Path, token: str) -> None:
    """Put the new set in place entry by entry, inside an output folder that cannot itself be renamed (the working
    folder, a mount point, a folder whose parent is not writable): our previous entries (its manifest's) are moved
    aside, the manifest first, then the new ones moved in, the manifest last; on any failure every move is undone."""
    ours, new = _ours(out_dir), sorted(e.name for e in staging.iterdir())
    inside = out_dir / "kpi-report.new"
    clash = sorted(n for n in new if (out_dir / n).exists() and n not in ours)
    if clash:
        raise _blocked(staging, out_dir, f"โฟลเดอร์ผลลัพธ์มี {', '.join(clash)} ซึ่ง kpi-report ไม่ได้เขียน จึงไม่เขียนทับ"
                                         " (the output folder holds files kpi-report did not write)", inside)
    old = out_dir / f".kpi-old-{token}"
    old.mkdir()
    gone, came = [], []
    try:
        for name in sorted(ours, key=lambda n: n != "manifest.json"):
            if (out_dir / name).exists():
                os.replace(out_dir / name, old / name)
                gone.append(name)
        for name in sorted(new, key=lambda n: n == "manifest.json"):
            os.replace(staging / name, out_dir / name)
            came.append(name)
    except OSError as e:
        for name in reversed(came):
            os.replace(out_dir / name, staging / name)
        for name in reversed(gone):
            os.replace(old / name, out_dir / name)
        old.rmdir()
        raise _blocked(staging, out_dir, "แทนที่ผลลัพธ์เดิมไม่ได้ มีไฟล์ถูกเปิดค้างอยู่หรือไม่มีสิทธิ์เขียน"
                                         f" (an output file is in use or read-only: {e.strerror or e})", inside) from None
    shutil.rmtree(old, ignore_errors=True)


#: A lock older than this is a run that died on another machine (a national round takes seconds, its PDFs minutes).
STALE_AFTER = 3 * 3600
#: How long a second run waits for the first before it gives up (exit 2).
WAIT = 30.0


def _host() -> str:
    return socket.gethostname()


def _alive(pid: int) -> bool:
    """Whether a process of this machine is running (True when it cannot be told, as on Windows)."""
    if pid == os.getpid():
        return False  # a lock with our own number was left by an earlier process: we are not holding it
    if os.name == "nt":
        return True  # os.kill(pid, 0) would send Ctrl-C there: only the lock's age tells
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


class RunLock:
    """A lock file beside the output folder (inside it when its parent is not writable), made with O_EXCL and
    naming its run (host, pid, start time); a lock left by a killed run (its process gone on this machine, or
    older than STALE_AFTER) is taken over."""

    def __init__(self, out_dir: Path):
        parent = out_dir.parent
        self.path = (parent / f".{out_dir.name}.kpi-lock" if os.access(parent, os.W_OK)
                     else out_dir / ".kpi-report.lock")
        self.token = uuid.uuid4().hex
        self.held = False

    def _holder(self) -> dict:
        """Who holds the lock, as its file says ({} when unreadable: a lock being written or damaged)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _stale(self, holder: dict) -> bool:
        """A lock whose run is surely gone: its process ended on this machine, or the lock is too old."""
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return False  # released meanwhile: simply try again
        if age > STALE_AFTER:
            return True
        if not holder:
            return age > 10  # unreadable for a while: a run died while writing it
        return holder.get("host") == _host() and isinstance(holder.get("pid"), int) and not _alive(holder["pid"])

    def _take(self) -> bool:
        """Make the lock file; False when another run holds it."""
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        me = {"host": _host(), "pid": os.getpid(), "token": self.token,
              "started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me, f)
        self.held = True
        return True

    def _take_over(self, holder: dict) -> None:
        """Remove a stale lock, unless another run took it over first (a short guard file makes it one at a time)."""
        guard = self.path.with_name(self.path.name + ".takeover")
        try:
            fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                if time.time() - guard.stat().st_mtime > 10:
                    guard.unlink()  # a run died while taking over
            except FileNotFoundError:
                pass
            return
        os.close(fd)
        try:
            if self._holder() == holder and self._stale(holder):
                self.path.unlink(missing_ok=True)
        finally:
            guard.unlink(missing_ok=True)

    def acquire(self, wait: float, notice: Callable[[str], None]) -> None:
        """Take the lock, waiting up to ``wait`` seconds for another run (told once through ``notice``); else
        OutputError naming the other run."""
        deadline, told = time.monotonic() + wait, False
        while not self._take():
            holder = self._holder()
            if self._stale(holder):
                self._take_over(holder)
                continue
            if time.monotonic() >= deadline:
                raise OutputError(f"มีการสั่ง run อีกชุดหนึ่งกำลังเขียนผลลัพธ์ลงโฟลเดอร์นี้อยู่ ({self._who(holder)})"
                                  f" และยังไม่เสร็จภายใน {wait:g} วินาที จึงไม่ได้เขียนอะไร: สั่ง run อีกครั้งเมื่อชุดนั้นเสร็จ"
                                  f" ถ้าแน่ใจว่าไม่มีการทำงานนั้นแล้ว ให้ลบไฟล์ {self.path}"
                                  f" (another run is writing to this output folder: {self._who(holder, thai=False)})")
            if not told:
                notice(f"มีการสั่ง run อีกชุดหนึ่งกำลังเขียนผลลัพธ์ลงโฟลเดอร์นี้อยู่ ({self._who(holder)}):"
                       f" รอให้เสร็จก่อน ไม่เกิน {wait:g} วินาที (waiting for another run writing here)")
                told = True
            time.sleep(0.2)

    @staticmethod
    def _who(holder: dict, thai: bool = True) -> str:
        """The other run: host, process and start time."""
        host, pid, started = holder.get("host", "?"), holder.get("pid", "?"), holder.get("started", "?")
        return f"เครื่อง {host}, pid {pid}, เริ่มเมื่อ {started}" if thai else f"host {host}, pid {pid}, started {started}"

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        if self.held and self._holder().get("token") == self.token:
            self.path.unlink(missing_ok=True)
        self.held = False


def _contains_cwd(folder: Path) -> bool:
    """Whether the working folder is this folder or inside it (renaming it would leave the clerk's shell nowhere)."""
    try:
        here = Path.cwd().resolve()
    except OSError:
        return False
    target = folder.resolve()
    return here == target or target in here.parents


class OutputWriter:
    """One run's writing into an output folder: the lock held throughout, a staging folder of its own, the new
    set put in place by ``commit``; the staging folder and the lock go on any exit.

    The staging folder is beside the output folder and swapped in whole, or, when the output folder cannot be
    renamed (the working folder, a mount point, an unwritable parent), inside it and moved in entry by entry."""

    def __init__(self, out_dir: Path, wait: Optional[float] = None, notice: Callable[[str], None] = lambda message: None):
        self.out = Path(os.path.abspath(out_dir))
        self.wait, self.notice = WAIT if wait is None else wait, notice
        self.token = uuid.uuid4().hex[:12]
        parent = self.out.parent
        parent.mkdir(parents=True, exist_ok=True)  # before choosing where the lock goes: every run chooses alike
        self.lock = RunLock(self.out)
        self.in_place = (self.out.is_dir() and (os.path.ismount(self.out) or _contains_cwd(self.out))
                         or not os.access(parent, os.W_OK))
        self.staging = (self.out / f".kpi-partial-{self.token}" if self.in_place
                        else parent / f".{self.out.name}.partial-{self.token}")

    def _leftovers(self) -> list[Path]:
        """Staging folders of runs that were killed (safe to remove: we hold the lock)."""
        if self.in_place:
            return [*self.out.glob(".kpi-partial-*"), *self.out.glob(".kpi-old-*")]
        return [*self.out.parent.glob(f".{self.out.name}.partial-*"), *self.out.parent.glob(f".{self.out.name}.partial")]

    def __enter__(self) -> "OutputWriter":
        if self.in_place:
            self.out.mkdir(parents=True, exist_ok=True)
        self.lock.acquire(self.wait, self.notice)
        try:
            for folder in self._leftovers():
                shutil.rmtree(folder, ignore_errors=True)
            self.staging.mkdir(parents=True)
        except BaseException:
            self.lock.release()
            raise
        return self

    def commit(self) -> None:
        """Put the complete new set in place (OutputError when it cannot be, the previous set left as it was)."""
        if self.in_place:
            _swap_entries(self.staging, self.out, self.token)
            return
        try:
            swap_in(self.staging, self.out)
        except OSError as e:
            if e.errno not in (errno.EXDEV, errno.EBUSY):
                raise
            # the folder is a mount point of its own after all: copy the set inside it, then move it in entry by entry
            inside = self.out / f".kpi-partial-{self.token}"
            shutil.copytree(self.staging, inside)
            try:
                _swap_entries(inside, self.out, self.token)
            finally:
                shutil.rmtree(inside, ignore_errors=True)

    def __exit__(self, *exc: object) -> None:
        try:
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self.lock.release()
