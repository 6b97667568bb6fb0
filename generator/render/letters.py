"""Official Thai documents of a round: the circular, one letter per district, the memo to the governor.

    write_letters(report, out_dir) -> [out_dir/letters/circular.docx,
                                       out_dir/letters/<code>-<name>.docx (every district that sent a form),
                                       out_dir/memo.docx]

Templates (templates/letters/*.docx, docxtpl tags) are compiled once per process; each file is written
under a temporary name and renamed when complete; core properties are pinned to the letter's date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from generator.config import TEMPLATES, Letter, Round
from generator.filenames import safe_name
from generator.render.letters_context import (LetterFrame, Standing, circular_context, district_context,
                                              letter_frame, memo_context, num, standings, thai_join)
from generator.render.letters_docx import CompiledDocx, CoreProps, LetterTemplateError, load_template, make_env
from generator.report import RoundReport
from generator.score.compare import DistrictChange
from generator.score.results import DistrictResult

__all__ = ["LetterTemplateError", "LETTER_TEMPLATES", "district_template", "letter_file_name", "write_district_letter", "write_letters",
           "write_round_letters"]

LETTER_TEMPLATES = TEMPLATES / "letters"
ENV = make_env(num, {"join_th": thai_join})


def letter_file_name(code: str, name: str) -> str:
    """``<code>-<name>.docx``, made safe (generator.filenames; Thai kept)."""
    return safe_name(f"{code}-{name}", ".docx")


def _templates(templates: Optional[Path]) -> Path:
    return Path(templates) if templates else LETTER_TEMPLATES


def _props(r: Round, letter: Letter, category: str) -> CoreProps:
    """Pinned core properties of a document: the office as author, the letter's date."""
    return CoreProps(letter.subject, r.office, letter.date, category, f"{r.id} {r.province}")


def district_template(templates: Optional[Path] = None) -> CompiledDocx:
    """The compiled district letter template (loaded once per process)."""
    return load_template(_templates(templates) / "district.docx", ENV)


def write_district_letter(round_: Round, frame: LetterFrame, result: DistrictResult, standing: Standing,
                          out_dir: Path, templates: Optional[Path] = None,
                          change: Optional[DistrictChange] = None) -> Path:
    """Write the letter to one district's นายอำเภอ: out_dir/letters/<code>-<name>.docx (``frame``: the round's
    letter_frame; ``standing``: the district's places, from standings; ``change``: since the previous round)."""
    d = result.district
    return district_template(templates).write(Path(out_dir) / "letters" / letter_file_name(d.code, d.name),
                          district_context(frame, result, standing, change),
                          _props(round_, round_.letter, f"อำเภอ{d.name}"))


def write_round_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular (out_dir/letters/circular.docx) and the memo to the governor (out_dir/memo.docx)."""
    folder, out_dir, r = _templates(templates), Path(out_dir), report.round
    circular = load_template(folder / "circular.docx", ENV)
    memo = load_template(folder / "memo.docx", ENV)
    return [circular.write(out_dir / "letters" / "circular.docx", circular_context(report),
                           _props(r, r.letter, "หนังสือเวียน")),
            memo.write(out_dir / "memo.docx", memo_context(report), _props(r, r.memo, "บันทึกข้อความ"))]


def write_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular, a letter to every district with a usable submission, and the memo; return their paths."""
    circular, memo = write_round_letters(report, out_dir, templates)
    frame, places = letter_frame(report), standings(report)
    changes = report.comparison.districts if report.comparison else {}
    return [circular, *(write_district_letter(report.round, frame, r, places.get(r.district.code, {}), out_dir, templates,
                                              changes.get(r.district.code)) for r in report.scored), memo]
