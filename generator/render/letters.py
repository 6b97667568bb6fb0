"""Official Thai documents of a round: the circular, one letter per district, the memo to the governor.

    write_letters(report, out_dir) -> [out_dir/letters/circular.docx,
                                       out_dir/letters/<code>-<name>.docx (every district that sent a form),
                                       out_dir/memo.docx]

Templates (templates/letters/*.docx, docxtpl tags) are compiled once per process; each file is written
under a temporary name and renamed when complete; core properties are pinned to the letter's date.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional

from generator.config import TEMPLATES, Letter, Round
from generator.filenames import safe_name
from generator.render.letters_context import (LetterFrame, Standing, circular_context, district_context,
                                              letter_frame, letter_numbers, memo_context, num, print_finish,
                                              standings, thai_join)
from generator.render.letters_docx import CompiledDocx, CoreProps, LetterTemplateError, PlainDocx, load_template, make_env
from generator.report import RoundReport
from generator.score.compare import DistrictChange
from generator.score.results import DistrictResult

__all__ = ["DistrictLetter", "LetterTemplateError", "LETTER_TEMPLATES", "district_letters", "district_template",
           "letter_file_name", "letter_register", "write_district_letter", "write_letters", "write_round_letters"]

LETTER_TEMPLATES = TEMPLATES / "letters"
ENV = make_env(num, {"join_th": thai_join})


def letter_file_name(code: str, name: str) -> str:
    """``<code>-<name>.docx``, made safe (generator.filenames; Thai kept)."""
    return safe_name(f"{code}-{name}", ".docx")


def letter_register(report: RoundReport) -> list[dict[str, str]]:
    """Every document a run writes for signing, with its number, for ทะเบียนหนังสือส่ง: the circular, each district
    letter (code order) and the memo; each with number, date (ISO), to, district code and file (relative path)."""
    r = report.round
    numbers = letter_numbers(r, (x.district.code for x in report.scored))
    rows = [{"number": r.letter.number, "date": r.letter.date.isoformat(), "to": r.letter.to, "district_code": "",
             "file": "letters/circular.docx"}]
    for x in sorted(report.scored, key=lambda x: x.district.code):
        d = x.district
        rows.append({"number": numbers[d.code], "date": r.letter.date.isoformat(), "to": f"นายอำเภอ{d.name}",
                     "district_code": d.code, "file": f"letters/{letter_file_name(d.code, d.name)}"})
    rows.append({"number": r.memo.number, "date": r.memo.date.isoformat(), "to": r.memo.to, "district_code": "",
                 "file": "memo.docx"})
    return rows


def _templates(templates: Optional[Path]) -> Path:
    return Path(templates) if templates else LETTER_TEMPLATES


def _props(r: Round, letter: Letter, category: str) -> CoreProps:
    """Pinned core properties of a document: the office as author, the letter's date."""
    return CoreProps(letter.subject, r.office, letter.date, category, f"{r.id} {r.province}")


def district_template(templates: Optional[Path] = None) -> CompiledDocx | PlainDocx:
    """The compiled district letter template (loaded once per process)."""
    return load_template(_templates(templates) / "district.docx", ENV)


class DistrictLetter(NamedTuple):
    """One district letter to write: the round's frame (shared by every letter), the district's slim result, its
    places (from standings), its own number (from letter_numbers, else the circular's) and its change since the
    previous round. Small: it travels to a worker."""

    frame: LetterFrame
    result: DistrictResult
    standing: Standing
    number: str = ""
    change: Optional[DistrictChange] = None


def district_letters(report: RoundReport) -> list[DistrictLetter]:
    """The letters to every district with a usable submission, in the report's order."""
    frame, places = letter_frame(report), standings(report)
    numbers = letter_numbers(report.round, (r.district.code for r in report.scored))
    changes = report.comparison.districts if report.comparison else {}
    return [DistrictLetter(frame, r, places.get(r.district.code, {}), numbers[r.district.code],
                           changes.get(r.district.code)) for r in report.scored]


def write_district_letter(round_: Round, letter: DistrictLetter, out_dir: Path,
                          templates: Optional[Path] = None) -> Path:
    """Write the letter to one district's นายอำเภอ: out_dir/letters/<code>-<name>.docx."""
    d = letter.result.district
    return district_template(templates).write(Path(out_dir) / "letters" / letter_file_name(d.code, d.name),
                                              district_context(letter.frame, letter.result, letter.standing,
                                                               letter.number, letter.change),
                                              _props(round_, round_.letter, f"อำเภอ{d.name}"),
                                              letter.frame.finish())


def write_round_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular (out_dir/letters/circular.docx) and the memo to the governor (out_dir/memo.docx)."""
    folder, out_dir, r = _templates(templates), Path(out_dir), report.round
    circular = load_template(folder / "circular.docx", ENV)
    memo = load_template(folder / "memo.docx", ENV)
    finish = print_finish(report)
    return [circular.write(out_dir / "letters" / "circular.docx", circular_context(report),
                           _props(r, r.letter, "หนังสือเวียน"), finish),
            memo.write(out_dir / "memo.docx", memo_context(report), _props(r, r.memo, "บันทึกข้อความ"), finish)]


def write_letters(report: RoundReport, out_dir: Path, templates: Optional[Path] = None) -> list[Path]:
    """Write the circular, a letter to every district with a usable submission, and the memo; return their paths."""
    circular, memo = write_round_letters(report, out_dir, templates)
    return [circular, *(write_district_letter(report.round, letter, out_dir, templates)
                        for letter in district_letters(report)), memo]
