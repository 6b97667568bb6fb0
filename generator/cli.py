"""The kpi-report command line: parses options, shows progress, maps domain errors to exit codes."""

from __future__ import annotations

import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, TypeVar

import click

from generator import __version__
from generator.api import (StatusResult, UsageError, check_round, feedback_round, new_round, reminder_round,
                           run_round, status_round, write_forms)
from generator.outputs import OutputError
from generator.problems import Problem

T = TypeVar("T")
PHASES = {"read": "อ่านแบบรายงาน (read)", "score": "คิดคะแนนและเขียนผลรายอำเภอ (score)",
          "write": "เขียนหนังสือแจ้งอำเภอ (write)", "pdf": "แปลงเป็น PDF (pdf)",
          "feedback": "เขียนไฟล์ผลการตรวจคืนอำเภอ (feedback)"}
ROUND_ARG = click.argument("round_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
JOBS_OPT = click.option("--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes (default: number of CPUs).")


INTERRUPTED = ("ยกเลิกโดยผู้ใช้ (Ctrl-C): ไม่มีไฟล์ที่เขียนไม่ครบ และผลลัพธ์เดิมยังอยู่ครบ"
               " (interrupted; no partial output, the previous outputs are intact)")


class UsageFailure(click.ClickException):
    """A usage or round-config error: exit 2."""

    exit_code = 2


@contextmanager
def _clerk_errors() -> Iterator[None]:
    """A usage, config or output error → exit 2 with its message; Ctrl-C → exit 130 with a Thai message."""
    try:
        yield
    except (UsageError, OutputError) as e:
        raise UsageFailure(str(e)) from None
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)


def _phase_reporter(quiet: bool):
    """A progress reporter: a bar on a terminal, plain lines otherwise, nothing when quiet."""
    def phase(name: str, items: Iterable[T], total: int) -> Iterable[T]:
        if quiet:
            return items
        label = PHASES.get(name, name)
        if sys.stderr.isatty():
            return _bar(label, items, total)
        click.echo(f"{label}: {total} รายการ", err=True)
        return items
    return phase


def _bar(label: str, items: Iterable[T], total: int) -> Iterable[T]:
    with click.progressbar(items, length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def _problem_lines(problems: Sequence[Problem], limit: int = 40) -> list[str]:
    lines = [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  … และอีก {len(problems) - limit} รายการ (ดูทั้งหมดใน summary.xlsx แผ่นงาน 'ปัญหา')")
    return lines


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpi-report")
def cli() -> None:
    """kpi-report: ประเมินผลตัวชี้วัดระดับอำเภอ (provincial KPI evaluation rounds).

    Write the collection forms, read the returned workbooks, score every district and write
    scorecards, the provincial summary, results.csv, official Thai letters and an audit manifest.
    """


@cli.command()
@ROUND_ARG
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/<round-id>/).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for reading, scoring and writing (default: number of CPUs).")
@click.option("--pdf", is_flag=True, help="Also convert the letters, memo and summary to PDF with LibreOffice.")
@click.option("--scoring", type=click.Choice(["step", "interpolate"]), default=None,
              help="Score mode (default: the round config's): step = level; interpolate = OPDC-style fraction.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary, only errors.")
def run(round_dir: Optional[Path], out_dir: Optional[Path], jobs: Optional[int], pdf: bool, scoring: Optional[str],
        quiet: bool) -> None:
    """Run a round: read, validate, score and write every output (ROUND_DIR default: input_samples/2565-r2).

    Exit 0 when every district is scored, 1 when some have errors or are missing (the rest are still
    written), 2 for a usage, round-config or output error (the previous outputs untouched), 130 on Ctrl-C.
    """
    with _clerk_errors():
        result = run_round(round_dir, out_dir, scoring, pdf, _phase_reporter(quiet), jobs,
                           notice=(lambda message: None) if quiet else lambda message: click.echo(message, err=True))
    if not quiet:
        for line in _run_summary(result):
            click.echo(line)
    for message in result.messages:
        click.echo(message, err=True)
    sys.exit(result.exit_code)


def _run_summary(result) -> list[str]:
    """The Thai end-of-run summary: counts, top and bottom three, problems, where the files are."""
    report = result.report
    lines = [f"รอบการประเมิน {report.round.id}: คิดคะแนนแล้ว {len(report.scored)} อำเภอ จาก {len(report.results)} "
             f"(ไม่ได้ส่ง {len(report.missing)}, มีข้อผิดพลาด {sum(1 for r in report.results if r.status == 'error')})"]
    team = report.ranks.get("team", [])
    if team:
        lines.append("อันดับสูงสุด (ทีม): " + ", ".join(f"{r.rank}. {r.name} {r.pct:.2f}%" for r in team[:3]))
        lines.append("อันดับต่ำสุด (ทีม): " + ", ".join(f"{r.rank}. {r.name} {r.pct:.2f}%" for r in team[-3:]))
    problems = report.all_problems()
    if problems:
        lines.append(f"ปัญหาที่พบ {len(problems)} รายการ:")
        lines.extend(_problem_lines(problems))
    lines.append(f"ไฟล์ผลลัพธ์อยู่ที่ (outputs in): {result.out_dir}")
    return lines


@cli.command()
@ROUND_ARG
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/<round-id>/forms/).")
def forms(round_dir: Optional[Path], out_dir: Optional[Path]) -> None:
    """Write one blank collection workbook per district, to send out (exit 0, or 2 on a config error)."""
    with _clerk_errors():
        paths = write_forms(round_dir, out_dir)
    folder = paths[0].parent if paths else out_dir
    click.echo(f"เขียนแบบรายงาน {len(paths)} ไฟล์ ที่ {folder} (wrote {len(paths)} forms)")


@cli.command()
@ROUND_ARG
def check(round_dir: Optional[Path]) -> None:
    """Validate the round config, the catalog and every submission; write nothing.

    Exit 0 when clean (warnings may be listed), 1 when errors or missing districts are found, 2 when
    the round config or the catalog is unusable.
    """
    with _clerk_errors():
        result = check_round(round_dir)
    problems = result.problems
    report = result.report
    click.echo(f"ตรวจรอบการประเมิน {report.round.id}: แบบรายงานที่ใช้ได้ {len(report.scored)} จาก "
               f"{len(report.results)} อำเภอ, ปัญหา {len(problems)} รายการ")
    for line in _problem_lines(problems, limit=len(problems)):
        click.echo(line)
    sys.exit(result.exit_code)


@cli.command("new-round")
@ROUND_ARG
@click.option("--id", "round_id", help="The new round's id, e.g. 2566-r1.")
@click.option("--period-start", help="First day of the round (YYYY-MM-DD, CE or BE).")
@click.option("--period-end", help="Last day of the round.")
@click.option("--deadline", help="The day the districts send their forms by.")
@click.option("--letter-number", help="ที่ of the letters to the districts, e.g. \"บร ๐๐๑๙/ว ๑๒๓๔\".")
@click.option("--letter-date", help="Date of the letters.")
@click.option("--memo-number", default="", help="ที่ of the memo to the governor (default: left to fill in).")
@click.option("--memo-date", default="", help="Date of the memo (default: the letters' date).")
@click.option("--catalog", help="A catalog of templates/catalogs/ by name (2566-r1), or a .yaml file to copy in.")
@click.option("--previous", type=click.Path(path_type=Path),
              help="The previous round's output folder or results.csv (default: output/<old id>/results.csv).")
@click.option("--map", "mapping", multiple=True, metavar="NEW=OLD",
              help="An indicator whose code changed: this round's code = the previous round's (repeatable).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The new round's folder (default: beside ROUND_DIR, named by --id).")
def new_round_command(round_dir: Optional[Path], round_id: Optional[str], period_start: Optional[str],
                      period_end: Optional[str], deadline: Optional[str], letter_number: Optional[str],
                      letter_date: Optional[str], memo_number: str, memo_date: str, catalog: Optional[str],
                      previous: Optional[Path], mapping: tuple[str, ...], out_dir: Optional[Path]) -> None:
    """Create the next round's folder from ROUND_DIR: new id, period, deadline, letter fields and catalog; the same
    districts and signers; compared with ROUND_DIR's results; an empty submissions/. Never overwrites (exit 2).
    """
    from generator.newround import NewRound

    with _clerk_errors():
        pairs = dict(_pair(m) for m in mapping)
        created = new_round(round_dir, NewRound(round_id or "", period_start or "", period_end or "", deadline or "",
                                                letter_number or "", letter_date or "", catalog or "", memo_number,
                                                memo_date, previous, pairs), out_dir)
    click.echo(f"สร้างรอบการประเมิน {round_id} ที่ {created.directory} แล้ว (created); ตรวจ round.toml แล้วสั่ง"
               f" kpi-report forms {created.directory}")
    for note in created.notes:
        click.echo(f"  - {note}", err=True)


def _pair(text: str) -> tuple[str, str]:
    """NEW=OLD of --map."""
    new, sep, old = text.partition("=")
    if not sep:
        raise UsageError(f"--map: ต้องเป็น รหัสใหม่=รหัสเดิม เช่น T9=T2 (expected NEW=OLD), ได้ {text!r}")
    return new.strip(), old.strip()


def _width(text: str) -> int:
    """The columns a text takes on a terminal (Thai vowel and tone marks take none)."""
    return sum(1 for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def bar(done: int, total: int, width: int = 10) -> str:
    """A progress bar: ``███████░░░``."""
    filled = width * done // total if total else width
    return "█" * filled + "░" * (width - filled)


def status_lines(result: StatusResult) -> list[str]:
    """The status screen: the deadline, how many sent (a bar), every district with its fill bars, what needs doing."""
    from generator.render.status_xlsx import deadline_text
    from generator.status import STATES

    status = result.status
    total = len(status.districts)
    sent = total - status.count("missing")
    lines = [f"รอบการประเมิน {status.round_id}: {deadline_text(status)}",
             f"ส่งแล้ว {sent:,} จาก {total:,} อำเภอ {bar(sent, total, 20)} {100 * sent / total if total else 0:.0f}%",
             "  " + " · ".join(f"{name} {status.count(state):,}" for state, name in STATES.items())]
    groups = [f.name for f in next((d.fills for d in status.districts if d.fills), ())]
    head = [_pad("รหัส", 5), _pad("อำเภอ", 16), _pad("สถานะ", 19)] + [_pad(g, 18) for g in groups]
    lines.append(" ".join(head) + " ผิด เตือน บันทึกล่าสุด      ไฟล์")
    for d in status.districts:
        fills = [_pad(f"{bar(f.filled, f.wanted)} {f.filled}/{f.wanted}", 18) for f in d.fills] or \
            [_pad("-", 18) for _ in groups]
        saved = d.saved[:16].replace("T", " ")
        lines.append(" ".join([_pad(d.code, 5), _pad(d.name, 16), _pad(d.state_th, 19), *fills])
                     + f" {d.errors:>3} {d.warnings:>5} {_pad(saved or '-', 16)} {d.file or '-'}")
    attention = [p for d in status.attention for p in d.problems if p.severity == "error"]
    if attention:
        lines.append(f"ต้องติดตาม {len(status.attention):,} อำเภอ:")
        lines.extend(_problem_lines(attention))
    return lines


@cli.command()
@ROUND_ARG
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for status.xlsx (default: output/<round-id>/).")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON (for other programs) instead of the screen.")
@JOBS_OPT
def status(round_dir: Optional[Path], out_dir: Optional[Path], as_json: bool, jobs: Optional[int]) -> None:
    """Where the round stands: every district sent or not, its file, last save, inputs filled, problems, and the
    days left to the deadline; also writes status.xlsx.

    Exit 0 when every district sent a usable workbook without errors (warnings and empty inputs may be listed),
    1 when some district has not sent, sent nothing usable or has errors, 2 for a usage or round-config error.
    """
    with _clerk_errors():
        result = status_round(round_dir, out_dir, jobs=jobs)
    if as_json:
        click.echo(result.status.to_json())
    else:
        for line in status_lines(result):
            click.echo(line)
        click.echo(f"ตารางสถานะ (status table): {result.files[0]}")
    sys.exit(result.exit_code)


@cli.command()
@ROUND_ARG
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the feedback workbooks (default: output/<round-id>/feedback/, replaced as a whole).")
@JOBS_OPT
def feedback(round_dir: Optional[Path], out_dir: Optional[Path], jobs: Optional[int]) -> None:
    """For every district whose workbook has problems or empty inputs: its own workbook back, problem cells
    highlighted with a note, a first sheet of findings and provisional levels (exit codes as status)."""
    with _clerk_errors():
        result = feedback_round(round_dir, out_dir, jobs=jobs)
    folder = result.files[0].parent if result.files else out_dir
    click.echo(f"เขียนไฟล์ผลการตรวจคืนอำเภอ {len(result.files)} ไฟล์ ที่ {folder} (wrote {len(result.files)} feedback"
               " workbooks)")
    for path in result.files:
        click.echo(f"  - {path.name}")
    sys.exit(result.exit_code)


@cli.command()
@ROUND_ARG
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reminder letters (default: output/<round-id>/reminder/, replaced as a whole).")
@JOBS_OPT
def reminder(round_dir: Optional[Path], out_dir: Optional[Path], jobs: Optional[int]) -> None:
    """The reminder letter (หนังสือติดตาม) to the districts that have not sent or sent nothing usable: one circular
    or one letter each, as round.toml's [reminder] style says (exit codes as status)."""
    from generator.render.reminder import needing

    with _clerk_errors():
        result = reminder_round(round_dir, out_dir, jobs=jobs)
    names = ", ".join(f"{d.code} {d.name}" for d in needing(result.status))
    if result.files:
        click.echo(f"เขียนหนังสือติดตาม {len(result.files)} ฉบับ ถึง {names} ที่ {result.files[0].parent}"
                   f" (wrote {len(result.files)} reminder letters)")
    else:
        click.echo("ทุกอำเภอส่งแบบรายงานที่ใช้ได้แล้ว ไม่ต้องมีหนังสือติดตาม (no reminder needed)")
    sys.exit(result.exit_code)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="kpi-report")
