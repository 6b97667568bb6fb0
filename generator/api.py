"""The library API under the command line: run a round, write the forms, check a round."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, Optional, TypeVar

from generator.catalog import Catalog, CatalogError, load_catalog
from generator.config import ConfigError, Round, load_round
from generator.filenames import changed_names, safe_name
from generator.iterate import silent
from generator.outputs import OutputError, OutputWriter, write_failed
from generator.parallel import Workers, default_jobs
from generator.problems import Problem
from generator.report import RoundFrame, RoundReport, build_report
from generator.score import MODES, missing_district, score_district
from generator.score.results import District, DistrictResult

if TYPE_CHECKING:  # the reader and the letters are imported where used: `forms` and `--help` need neither
    from generator.newround import Created, NewRound
    from generator.previous import PreviousRound
    from generator.read.submissions import Submission
    from generator.render.letters import DistrictLetter
    from generator.status import RoundStatus

T = TypeVar("T")
Phase = Callable[[str, Iterable[T], int], Iterable[T]]
REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROUND = Path("input_samples") / "2565-r2"


DRAFT = ("หนังสือและบันทึกข้อความที่สร้างเป็นฉบับร่าง: round.toml ยังไม่ได้ระบุภาพตราครุฑ ([letter] garuda = \"ชื่อไฟล์.png\") "
         "จึงพิมพ์กรอบแทนตราครุฑ ห้ามส่งออกก่อนใส่ตราครุฑจริง "
         "(drafts: no emblem picture in round.toml [letter] garuda; the letters carry a placeholder)")


def draft_problem(rnd: Round) -> Optional[Problem]:
    """A warning that the letters are drafts when the round names no ครุฑ picture."""
    return None if rnd.garuda else Problem("warning", "no-garuda", DRAFT, file="round.toml", key="letter.garuda")


class UsageError(Exception):
    """A round that cannot be run at all (exit 2); the message is Thai with English beside it."""


def quiet_phase(name: str, items: Iterable[T], total: int) -> Iterable[T]:
    """A phase reporter that reports nothing."""
    return silent(items, total)


@dataclass(frozen=True)
class Loaded:
    """A round's configuration with its validated catalog, the catalog's warnings and the file names made safe."""

    round: Round
    catalog: Catalog
    warnings: tuple[Problem, ...]


def resolve_round_dir(round_dir: Optional[Path]) -> Path:
    """The round folder: as given, else the sample round (from the working folder or the repository)."""
    if round_dir is not None:
        return Path(round_dir)
    return DEFAULT_ROUND if DEFAULT_ROUND.is_dir() else REPO / DEFAULT_ROUND


def load(round_dir: Optional[Path]) -> Loaded:
    """Load and validate the round config and its catalog; raise UsageError when either is unusable."""
    try:
        rnd = load_round(resolve_round_dir(round_dir))
        catalog, warnings = load_catalog(rnd.catalog_path)
    except ConfigError as e:
        raise UsageError(str(e)) from None
    except CatalogError as e:
        raise UsageError("catalog ใช้ไม่ได้ (invalid catalog):\n" + "\n".join(str(p) for p in e.problems)) from None
    _check_prefill(rnd, catalog)
    return Loaded(rnd, catalog, (*warnings, *_check_file_names(rnd)))


def _check_file_names(rnd: Round) -> list[Problem]:
    """Warnings for district file names that had to be made safe; UsageError when two districts would share one."""
    problems = changed_names(((d.code, d.label) for d in rnd.districts), ".xlsx")
    clashes = [f"round.toml: {p.message}" for p in problems if p.severity == "error"]
    if clashes:
        raise UsageError("\n".join(clashes))
    return problems


def _check_prefill(rnd: Round, catalog: Catalog) -> None:
    """Every value the province pre-fills must be an input of the catalog, a number for a numeric input."""
    types = {i.key: i.type for i in catalog.inputs()}
    for d in rnd.districts:
        for key, value in d.prefill.items():
            where = f"round.toml: อำเภอ {d.code} prefill.{key}"
            if key not in types:
                raise UsageError(f"{where}: ไม่มีข้อมูลนำเข้านี้ใน catalog {catalog.id} (unknown prefill key)")
            if types[key] in ("money", "int", "pct") and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise UsageError(f"{where}: ต้องเป็นตัวเลข (a number is expected), ได้ {value!r}")


def load_previous(loaded: Loaded) -> Optional[PreviousRound]:
    """The previous round named by ``[compare] previous`` (None without one); UsageError when it cannot be used."""
    from generator.previous import PreviousError, read_previous

    rnd = loaded.round
    if rnd.compare is None:
        return None
    codes = {ind.code for ind in loaded.catalog.indicators}
    unknown = sorted(set(rnd.compare.map) - codes)
    if unknown:
        raise UsageError(f"round.toml: [compare.map] {', '.join(unknown)}: ไม่มีตัวชี้วัดนี้ใน catalog {loaded.catalog.id}"
                         " (unknown indicator code)")
    try:
        return read_previous(rnd.compare.previous, rnd.bands)
    except PreviousError as e:
        raise UsageError(f"round.toml: [compare] previous: {e}") from None


@dataclass(frozen=True)
class DistrictJob:
    """One district to score: its submission (None if none came), the round's problems about it, and where
    its scorecard goes (None: score only, keep the full result), and its part of the previous round to compare."""

    district: District
    submission: Optional[Submission]
    problems: tuple[Problem, ...]
    mode: str
    scorecards: Optional[Path] = None
    previous: Optional[PreviousRound] = None


def _check_mode(loaded: Loaded, mode: Optional[str]) -> str:
    """The scoring mode asked for, else the round's; UsageError for an unknown one."""
    mode = mode or loaded.round.scoring
    if mode not in MODES:
        raise UsageError(f"--scoring ต้องเป็น step หรือ interpolate (got {mode!r})")
    return mode


def _score_district(context: tuple[Round, Catalog], job: DistrictJob) -> DistrictResult:
    """Score one district (a worker task); with a scorecard folder, write its scorecard (with the change since the
    previous round, when there is one) and return the slim result."""
    rnd, catalog = context
    previous = job.previous
    sub, d = job.submission, job.district
    if sub is None:
        return missing_district(catalog, d, job.problems or (Problem(
            "error", "missing-submission", "ไม่พบแบบรายงานของอำเภอนี้ในโฟลเดอร์ submissions (no submission)",
            district=d.code),))
    result = score_district(catalog, d, sub.inputs, job.mode, rnd.bands, [*job.problems, *sub.problems], sub.cells,
                            sub.file.name)
    if job.scorecards is None:
        return result
    from generator.render.scorecard import write_scorecard

    change = None
    if previous is not None and rnd.compare is not None:
        from generator.score.compare import compare_district

        change = compare_district(previous, catalog, rnd.compare.map, rnd.bands, result)
    write_scorecard(job.scorecards / safe_name(d.label, ".xlsx"), RoundFrame(rnd, catalog, job.mode), result, change)
    return result.slim()


def _score_pass(loaded: Loaded, mode: str, phase: Phase, workers: Workers,
                scorecards: Optional[Path] = None, previous: Optional[PreviousRound] = None) -> RoundReport:
    """Read every submission, then score every district (missing ones marked missing), over the workers."""
    from generator.read import read_round

    rnd = loaded.round
    inputs = read_round(rnd, loaded.catalog, workers, lambda items, total: phase("read", items, total))
    about: dict[str, list[Problem]] = {}
    general: list[Problem] = []
    for p in inputs.problems:
        (about.setdefault(p.district, []) if rnd.district(p.district) else general).append(p)
    submissions = dict(inputs.submissions)
    del inputs
    jobs = (DistrictJob(d, submissions.pop(d.code, None), tuple(about.get(d.code, ())), mode, scorecards,
                        previous.only(d.code) if previous is not None and scorecards is not None else None)
            for d in rnd.districts)  # a submission is let go once sent
    total = len(rnd.districts)
    results = list(phase("score", workers.map(_score_district, jobs, total), total))
    return build_report(rnd, loaded.catalog, mode, results, general, previous)


def score_round(loaded: Loaded, mode: Optional[str] = None, phase: Phase = quiet_phase, jobs: int = 1) -> RoundReport:
    """Read every submission and score every district of the round (missing ones marked missing)."""
    mode = _check_mode(loaded, mode)
    with Workers(jobs, (loaded.round, loaded.catalog)) as workers:
        return _score_pass(loaded, mode, phase, workers)


@dataclass
class RunResult:
    """What a run produced: the report, the output folder, its files and messages for the clerk."""

    report: RoundReport
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    pdf_refused: bool = False

    @property
    def exit_code(self) -> int:
        """2 when --pdf was refused for want of the print font (everything else written), 1 when some districts
        have errors or are missing, else 0."""
        if self.pdf_refused:
            return 2
        return 1 if any(r.status in ("error", "missing") for r in self.report.results) else 0


def default_out(rnd: Round) -> Path:
    """output/<round-id>/ under the working folder."""
    return Path("output") / rnd.id


def _refuse_bad_out(out_dir: Path, rnd: Round) -> None:
    """Refuse an output folder inside the inputs (the inputs are never modified)."""
    out, subs = out_dir.resolve(), rnd.submissions.resolve()
    if out == rnd.directory.resolve():
        raise UsageError("โฟลเดอร์ผลลัพธ์ต้องไม่ใช่โฟลเดอร์รอบการประเมินเอง เพราะผลลัพธ์จะปนกับ round.toml และ submissions:"
                         f" ใช้โฟลเดอร์ย่อย เช่น {out_dir / 'ผลลัพธ์'} (--out overlaps the inputs: it is the round folder)")
    if out == subs or subs in out.parents or out in subs.parents:
        raise UsageError(f"โฟลเดอร์ผลลัพธ์ต้องไม่อยู่ในหรือครอบโฟลเดอร์ submissions (--out overlaps the inputs): {out_dir}")


class LetterJob(NamedTuple):
    """One district letter for a worker to write into ``out_dir``."""

    letter: DistrictLetter
    out_dir: Path


def _write_district_letter(context: tuple[Round, Catalog], job: LetterJob) -> Path:
    """The letter to one scored district (a worker task)."""
    from generator.render.letters import write_district_letter

    return write_district_letter(context[0], job.letter, job.out_dir)


def _load_renderers() -> None:
    """Import the writers and compile the district letter before the workers start, so each has them once."""
    from generator.render import scorecard  # noqa: F401
    from generator.render.letters import district_template

    district_template()


def _render(report: RoundReport, staging: Path, phase: Phase, pdf: bool, messages: list[str],
            workers: Workers) -> bool:
    """Write the round's outputs after the scorecards, in a fixed order (the district letters by the workers);
    False when the PDFs were refused because LibreOffice lacks the print font."""
    from generator.render.letters import district_letters, write_round_letters
    from generator.render.results_csv import write_results_csv
    from generator.render.summary import write_summary

    jobs = [LetterJob(letter, staging) for letter in district_letters(report)]
    letters = list(phase("write", workers.map(_write_district_letter, jobs), len(jobs)))
    workers.close()  # their work is done: their memory goes before the round-wide files are made
    write_summary(staging / "summary.xlsx", report)
    write_results_csv(staging / "results.csv", report)
    letters += write_round_letters(report, staging)
    if pdf:
        from generator.render.pdf import convert_to_pdf, font_problem

        refused = font_problem(where=staging)
        if refused:
            messages.append(refused)
            return False
        targets = [staging / "summary.xlsx", *letters]
        _, said = convert_to_pdf(targets, staging / "pdf", progress=lambda items, total: phase("pdf", items, total))
        messages.extend(said)
    return True


def run_round(round_dir: Optional[Path] = None, out_dir: Optional[Path] = None, mode: Optional[str] = None,
              pdf: bool = False, phase: Phase = quiet_phase, jobs: Optional[int] = None,
              notice: Callable[[str], None] = lambda message: None, wait: Optional[float] = None) -> RunResult:
    """The clerk's one command: read, validate, score and write the full output set (one run at a time per output
    folder: another run's is waited for up to ``wait`` seconds, outputs.WAIT by default, told through ``notice``)."""
    from generator.read.submissions import input_files
    from generator.render.manifest import write_manifest

    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    loaded = load(round_dir)
    mode = _check_mode(loaded, mode)
    out_dir = Path(out_dir) if out_dir is not None else default_out(loaded.round)
    _refuse_bad_out(out_dir, loaded.round)
    previous = load_previous(loaded)
    jobs = jobs or default_jobs()
    messages: list[str] = []
    try:
        with OutputWriter(out_dir, wait, notice) as writer:
            staging, out_dir = writer.staging, writer.out
            (staging / "scorecards").mkdir()
            _load_renderers()
            with Workers(jobs, (loaded.round, loaded.catalog)) as workers:
                report = _score_pass(loaded, mode, phase, workers, staging / "scorecards", previous)
                printed = _render(report, staging, phase, pdf, messages, workers)
            outputs = [p for p in staging.rglob("*") if p.is_file()]
            inputs = input_files(loaded.round)
            finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            write_manifest(staging / "manifest.json", report, inputs, outputs, started, finished)
            writer.commit()
    except OutputError:
        raise
    except OSError as e:
        raise write_failed(e, out_dir) from None
    except BaseException as e:
        # Ctrl-C may land in a progress wrapper whose frame the traceback keeps, holding the worker pool open:
        # letting go of those frames closes the pool, which waits for its workers, before the cleanup below
        traceback.clear_frames(e.__traceback__)
        raise
    files = sorted(p for p in out_dir.rglob("*") if p.is_file() and not p.name.startswith(".kpi-"))
    draft = draft_problem(loaded.round)
    if draft is not None:
        messages.insert(0, draft.message)
    return RunResult(report, out_dir, files, messages, pdf_refused=not printed)


def write_forms(round_dir: Optional[Path] = None, out_dir: Optional[Path] = None) -> list[Path]:
    """Write one blank collection workbook per district of the round."""
    from generator.render.forms import write_forms as write_all

    loaded = load(round_dir)
    out_dir = Path(out_dir) if out_dir is not None else Path("output") / loaded.round.id / "forms"
    return write_all(loaded.round, loaded.catalog, out_dir)


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: catalog warnings and every submission problem."""

    loaded: Loaded
    report: RoundReport

    @property
    def problems(self) -> list[Problem]:
        """Catalog warnings, the drafts warning (no ครุฑ picture), then every problem of the round."""
        draft = draft_problem(self.loaded.round)
        return list(self.loaded.warnings) + ([draft] if draft else []) + self.report.all_problems()

    @property
    def exit_code(self) -> int:
        """0 clean, 1 problems found (errors, or districts missing)."""
        bad = any(p.severity == "error" for p in self.report.all_problems())
        return 1 if bad or any(r.status in ("error", "missing") for r in self.report.results) else 0


def check_round(round_dir: Optional[Path] = None, phase: Phase = quiet_phase) -> CheckResult:
    """Validate the config, the catalog and every submission; write nothing."""
    loaded = load(round_dir)
    load_previous(loaded)  # a previous round named but unusable is a config error here too
    return CheckResult(loaded, score_round(loaded, None, phase))


# ------------------------------------------------------------------------------ during the round
@dataclass(frozen=True)
class StatusResult:
    """Where the round stands: the status of every district, the scored report behind it, the files written."""

    status: RoundStatus
    report: RoundReport
    files: tuple[Path, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 every district sent a usable workbook without errors, 1 some need attention (as ``check``)."""
        return self.status.exit_code


def _round_status(loaded: Loaded, today: Optional[dt.date], phase: Phase, jobs: Optional[int]) -> StatusResult:
    """Read and score the round as ``run`` does (nothing written), and each used workbook's last save."""
    from generator.status import round_status, saved_times

    report = score_round(loaded, None, phase, jobs or default_jobs())
    saved = saved_times(loaded.round.submissions, [r.file for r in report.scored])
    return StatusResult(round_status(report, saved, today or dt.date.today()), report)


def _out_or(out_dir: Optional[Path], loaded: Loaded, folder: str = "") -> Path:
    """The output folder asked for, else output/<round-id>/[folder]; never inside the submissions."""
    out = Path(out_dir) if out_dir is not None else default_out(loaded.round) / folder
    _refuse_bad_out(out, loaded.round)
    return out


def status_round(round_dir: Optional[Path] = None, out_dir: Optional[Path] = None, today: Optional[dt.date] = None,
                 phase: Phase = quiet_phase, jobs: Optional[int] = None) -> StatusResult:
    """Every district sent or not, which file, when saved, how complete, its problems, the days left;
    status.xlsx written to ``out_dir`` (default output/<round-id>/)."""
    from generator.render.status_xlsx import write_status_xlsx

    loaded = load(round_dir)
    out = _out_or(out_dir, loaded)
    found = _round_status(loaded, today, phase, jobs)
    try:
        path = write_status_xlsx(out / "status.xlsx", found.report, found.status)
    except OSError as e:
        raise write_failed(e, out) from None
    return StatusResult(found.status, found.report, (path,))


class FeedbackJob(NamedTuple):
    """One district's feedback workbook to write: its full scored result, the folder, the time of the feedback."""

    result: DistrictResult
    out_dir: Path
    now: dt.datetime


def _write_feedback(context: tuple[Round, Catalog], job: FeedbackJob) -> Path:
    """One district's feedback workbook (a worker task)."""
    from generator.render.feedback import write_feedback

    return write_feedback(context[0], context[1], job.result, job.out_dir, job.now)


def _replace_folder(out: Path, write: Callable[[Path], T]) -> T:
    """Write a folder of ours whole, one writer at a time (the output lock): into a staging folder of this call's
    own, then in place of the old one by renames (no stale file is left; a failed write leaves the old folder)."""
    import shutil
    import uuid

    from generator.outputs import WAIT, RunLock

    out = Path(os.path.abspath(out))
    staging = out.with_name(f".{out.name}.partial-{uuid.uuid4().hex[:12]}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = RunLock(out)
        lock.acquire(WAIT, lambda message: None)
    except OSError as e:
        raise write_failed(e, out) from None
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:12]}")
    try:
        staging.mkdir()
        made = write(staging)
        if out.exists():
            out.replace(old)            # set aside, not deleted: the new folder goes in by two renames
        staging.replace(out)
        return made
    except OSError as e:
        if old.exists() and not out.exists():
            old.replace(out)            # the new one could not go in: the old one comes back
        raise write_failed(e, out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        lock.release()


def feedback_round(round_dir: Optional[Path] = None, out_dir: Optional[Path] = None,
                   now: Optional[dt.datetime] = None, phase: Phase = quiet_phase,
                   jobs: Optional[int] = None) -> StatusResult:
    """For every district whose workbook has problems or empty inputs, its own workbook annotated, in ``out_dir``
    (default output/<round-id>/feedback/, replaced as a whole); nothing is written into submissions/."""
    from generator.render.feedback import needs_feedback
    from generator.status import round_status, saved_times

    loaded = load(round_dir)
    out = _out_or(out_dir, loaded, "feedback")
    now = now or dt.datetime.now(dt.timezone.utc)

    def write(folder: Path) -> RoundReport:
        with Workers(jobs or default_jobs(), (loaded.round, loaded.catalog)) as workers:
            report = _score_pass(loaded, _check_mode(loaded, None), phase, workers)
            todo = [FeedbackJob(r, folder, now) for r in report.scored if needs_feedback(loaded.catalog, r)]
            list(phase("feedback", workers.map(_write_feedback, todo, len(todo)), len(todo)))
        return report

    report = _replace_folder(out, write)
    saved = saved_times(loaded.round.submissions, [r.file for r in report.scored])
    return StatusResult(round_status(report, saved, now.date()), report, tuple(sorted(out.glob("*.xlsx"))))


def reminder_round(round_dir: Optional[Path] = None, out_dir: Optional[Path] = None, today: Optional[dt.date] = None,
                   phase: Phase = quiet_phase, jobs: Optional[int] = None) -> StatusResult:
    """The reminder (หนังสือติดตาม) to the districts that have not sent or whose workbook cannot be used: one
    circular or one letter each, as round.toml's [reminder] says, in ``out_dir`` (default output/<round-id>/reminder/,
    replaced as a whole)."""
    from generator.render.reminder import write_reminders

    loaded = load(round_dir)
    out = _out_or(out_dir, loaded, "reminder")
    found = _round_status(loaded, today, phase, jobs)
    _replace_folder(out, lambda folder: write_reminders(found.report, found.status, folder))
    return StatusResult(found.status, found.report, tuple(sorted(out.glob("*.docx"))))


def new_round(round_dir: Optional[Path], options: NewRound, out_dir: Optional[Path] = None) -> Created:
    """Create the next round's folder from ROUND_DIR (see generator/newround.py); UsageError when it cannot."""
    from generator.newround import NewRoundError, create_round

    try:
        return create_round(resolve_round_dir(round_dir), options, out_dir)
    except NewRoundError as e:
        raise UsageError(str(e)) from None
