"""The output folder: put a complete new output set in place of the old one, or say why not."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path


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


def _blocked(staging: Path, out_dir: Path, why: str) -> OutputError:
    """Leave the complete new set beside the output folder and say which files to close."""
    new = out_dir.with_name(f"{out_dir.name}.new")
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
