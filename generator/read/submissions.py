"""A round's submissions folder → one typed Submission per district, and the file-level problems."""

from __future__ import annotations

import datetime as dt
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Optional, TypeVar

from generator.catalog.model import Catalog
from generator.config import Round
from generator.iterate import silent
from generator.parallel import Workers
from generator.problems import Problem
from generator.read.values import parse
from generator.read.workbook import read_workbook

T = TypeVar("T")
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}  # Windows writes these beside files: not submissions


@dataclass(frozen=True)
class Submission:
    """One district's returned workbook: its meta, typed inputs, where each was read, and value problems."""

    district_code: str
    round_id: str
    form_version: str
    file: Path
    inputs: dict[str, Any]
    cells: dict[str, str]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RoundInputs:
    """The submission used for each district, and the problems about whole files."""

    submissions: dict[str, Submission]
    problems: tuple[Problem, ...]


def _silent(path: Path) -> bool:
    """Hidden and Windows system files (.gitkeep, Thumbs.db): not submissions, not worth a note."""
    return path.name.startswith(".") or path.name.lower() in SYSTEM_FILES


def _inside(path: Path, root: Path) -> bool:
    """Whether a path, its links followed, is inside ``root`` (a link may lead anywhere)."""
    try:
        return root.resolve() in path.resolve(strict=True).parents
    except (OSError, RuntimeError):  # a broken link or a loop
        return False


def _skip_note(path: Path, root: Path) -> Optional[Problem]:
    """The note for an entry that is not read: an Excel lock file, a sub-folder, a link leading out of the round
    folder, a named pipe, device or socket (reading one could wait forever); None to read the file."""
    if path.name.startswith("~$"):
        return Problem("info", "lock-file", "ไฟล์ล็อกชั่วคราวของ Excel (มีคนเปิดไฟล์ค้างไว้) ข้ามไป ไม่ใช่แบบรายงาน"
                                            " (Excel lock file skipped)", file=path.name)
    if path.is_symlink() and not _inside(path, root):
        return Problem("warning", "link-outside", "ลิงก์ (symlink) ชี้ไปนอกโฟลเดอร์รอบการประเมินหรือชี้ไปที่ที่ไม่มีอยู่ จึงไม่อ่าน:"
                                                  " วางไฟล์ตัวจริงไว้ในโฟลเดอร์ submissions (link leading outside the round"
                                                  " folder skipped)", file=path.name)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # gone or unreadable: the reader says which
    if stat.S_ISDIR(mode):
        return Problem("info", "folder-skipped", "โฟลเดอร์ย่อยไม่ถูกอ่าน: วางไฟล์ .xlsx ไว้ในโฟลเดอร์ submissions"
                                                 " โดยตรง (sub-folder skipped)", file=path.name)
    if not stat.S_ISREG(mode):
        return Problem("warning", "not-a-file", "ไม่ใช่ไฟล์ธรรมดา (named pipe, อุปกรณ์ หรือ socket) จึงไม่อ่าน"
                                                " (not a regular file: skipped)", file=path.name)
    return None


def input_files(round: Round) -> list[Path]:
    """The regular files under the submissions folder (links only when they stay inside the round folder)."""
    folder = round.submissions
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and (not p.is_symlink() or _inside(p, round.directory))]


def _meta_problems(meta: dict[str, str], round: Round) -> list[Problem]:
    """Why a readable workbook cannot be used for this round: unknown district, other round, other form."""
    out = []
    code = meta.get("district_code", "")
    if code and round.district(code) is None:
        out.append(Problem("error", "unknown-district", f"รหัสอำเภอ {code} ในไฟล์ไม่อยู่ในรายชื่ออำเภอของรอบนี้"
                                                        " (district code not in round.toml)", value=code))
    if meta.get("round_id") and meta["round_id"] != round.id:
        out.append(Problem("error", "other-round", f"เป็นแบบเก็บข้อมูลของรอบ {meta['round_id']} ไม่ใช่รอบ {round.id}:"
                                                   " ให้อำเภอกรอกแบบของรอบนี้ (form of another round)",
                           value=meta["round_id"], expected=round.id))
    if meta.get("form_version") and meta["form_version"] != round.form_version:
        out.append(Problem("error", "form-version", f"แบบเก็บข้อมูลรุ่น {meta['form_version']} ไม่ใช่รุ่น"
                                                    f" {round.form_version} ที่ใช้ในรอบนี้: ให้อำเภอกรอกแบบรุ่นใหม่"
                                                    " (wrong form version)",
                           value=meta["form_version"], expected=round.form_version))
    return out


class _Candidate(NamedTuple):
    """A readable workbook of the round, typed, before duplicates are settled."""

    saved_at: dt.datetime
    mtime_ns: int
    submission: "Submission"

    @property
    def saved(self) -> str:
        """When the file was last saved, for the clerk."""
        return self.saved_at.strftime("%Y-%m-%d %H:%M")

    @property
    def path(self) -> Path:
        """The file."""
        return self.submission.file


def date_window(round: Round) -> tuple[dt.date, dt.date]:
    """The plausible dates of a round's inputs: from two calendar years before its period to one after."""
    return dt.date(round.period_start.year - 2, 1, 1), dt.date(round.period_end.year + 1, 12, 31)


def _typed(path: Path, data: dict, found: list[Problem], round: Round, catalog: Catalog) -> Submission:
    """Apply the value rules to every input of a workbook."""
    meta, cells, window = data["meta"], data["cells"], date_window(round)
    inputs: dict[str, Any] = {}
    where: dict[str, str] = {}
    problems = list(found)
    for inp in catalog.inputs():
        cell = cells.get(inp.key)
        if cell is None:
            inputs[inp.key] = None
            continue
        inputs[inp.key], problem = parse(inp, cell.value, cell.number_format, window)
        where[inp.key] = cell.address
        if problem:
            problems.append(problem.at(sheet=cell.sheet, cell=cell.ref))
    located = tuple(p.at(district=meta["district_code"], file=path.name) for p in problems)
    return Submission(meta["district_code"], meta["round_id"], meta["form_version"], path, inputs, where, located)


def _duplicate(used: _Candidate, older: _Candidate, code: str) -> Problem:
    """The note that a district sent twice and which file was left out."""
    return Problem("warning", "duplicate-submission",
                   f"อำเภอส่งแบบรายงานมากกว่าหนึ่งไฟล์: ใช้ไฟล์ล่าสุด {used.path.name} (บันทึก {used.saved}),"
                   f" ไม่ใช้ไฟล์ {older.path.name} (บันทึก {older.saved}) (duplicate submission; older file ignored)",
                   district=code, file=older.path.name, value=older.path.name, expected=used.path.name)


def read_file(context: tuple[Round, Catalog], path: Path) -> _Candidate | list[Problem]:
    """One file of the submissions folder: a typed candidate, or why it is not one (problems, maybe none)."""
    round, catalog = context
    if _silent(path):
        return []
    note = _skip_note(path, round.directory)
    if note:
        return [note]
    data, found = read_workbook(path, catalog)
    meta = data.get("meta", {})
    file_level = [p for p in found if not p.key] + _meta_problems(meta, round)
    if file_level:
        return [p.at(file=path.name, district=meta.get("district_code", "")) for p in file_level]
    mtime = path.stat().st_mtime_ns
    saved = data.get("saved") or dt.datetime.fromtimestamp(mtime / 1e9, dt.timezone.utc)
    return _Candidate(saved, mtime, _typed(path, data, found, round, catalog))


def _named_district(problem: Problem, round: Round) -> Problem:
    """A file error that names no district, given the one district its file name names (by code, else by Thai
    name), if exactly one: the clerk sees why that district is missing. Only a note: nothing is read by name."""
    if problem.district or problem.severity != "error" or not problem.file:
        return problem
    name = problem.file
    by_code = {d.code for d in round.districts if re.search(rf"(?<![0-9]){re.escape(d.code)}(?![0-9])", name)}
    found = by_code or {d.code for d in round.districts if d.name and d.name in name}
    if len(found) != 1:
        return problem
    return problem.at(district=found.pop(), message=f"{problem.message} (อำเภอตามชื่อไฟล์: district guessed from the"
                                                    " file name)")


def _share_layout(read: _Candidate, layouts: dict[tuple, dict[str, str]]) -> _Candidate:
    """The candidate with its cell map (key → sheet!cell) shared with an equal one read before: forms of a
    round have one layout, and a national round keeps hundreds of submissions in memory at once."""
    sub = read.submission
    cells = layouts.setdefault(tuple(sub.cells.items()), sub.cells)
    return read if cells is sub.cells else read._replace(submission=replace(sub, cells=cells))


def read_round(round: Round, catalog: Catalog, workers: Optional[Workers] = None,
               progress: Callable[[Iterable[Any], int], Iterable[Any]] = silent) -> RoundInputs:
    """Read every file of the round's submissions folder (over the workers, whose context is (round, catalog),
    or in this process); never raises for a bad file."""
    folder = round.submissions
    if not folder.is_dir():
        missing = Problem("warning", "no-submissions", f"ไม่พบโฟลเดอร์ submissions ({folder}):"
                                                       " ยังไม่มีแบบรายงานที่อำเภอส่งกลับ (no submissions folder)")
        return RoundInputs({}, (missing,))
    problems: list[Problem] = []
    candidates: dict[str, list[_Candidate]] = {}
    layouts: dict[tuple, dict[str, str]] = {}
    paths = sorted(folder.iterdir(), key=lambda p: p.name)
    reads = workers.map(read_file, paths) if workers else (read_file((round, catalog), p) for p in paths)
    for read in progress(reads, len(paths)):
        if isinstance(read, list):
            problems.extend(_named_district(p, round) for p in read)
        else:
            candidates.setdefault(read.submission.district_code, []).append(_share_layout(read, layouts))
    chosen = {}
    for code, files in sorted(candidates.items()):
        *older, used = sorted(files, key=lambda f: (f.saved_at, f.mtime_ns, f.path.name))
        chosen[code] = used.submission
        problems.extend(_duplicate(used, o, code) for o in older)
    return RoundInputs(chosen, tuple(problems))
