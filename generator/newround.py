"""`new-round`: the next round's folder from an existing one: new id, period, deadline, letter fields and
catalog; the same office, bands, districts and signers; ``[compare] previous`` pointing at the round it
came from; an empty submissions/. round.toml is written by a small TOML writer of our own, with comments."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from generator.catalog import CatalogError, load_catalog
from generator.config import TEMPLATES, ConfigError, Round, load_round
from generator.domain import BE_OFFSET, ce_date
from generator.thai import be_date, thai_digits

ROUND_ID = re.compile(r"[A-Za-z0-9._-]+")
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class NewRoundError(Exception):
    """Options that cannot make a new round (exit 2); the message is Thai with English beside it."""


@dataclass(frozen=True)
class NewRound:
    """What the clerk gives for the next round (dates as typed: ISO, CE or BE)."""

    round_id: str
    period_start: str
    period_end: str
    deadline: str
    letter_number: str
    letter_date: str
    catalog: str
    memo_number: str = ""
    memo_date: str = ""
    district_first_number: str = ""        # the first district letter's own number (the old round numbers its own)
    previous: Optional[Path] = None        # the previous round's output folder or results.csv; default: run's
    mapping: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Created:
    """The round folder made, and what the clerk should know (prefill keys left out, no previous result yet)."""

    directory: Path
    notes: tuple[str, ...]


# ------------------------------------------------------------------------------------------- TOML writer
def toml_value(value: Any) -> str:
    """A TOML value: strings (escaped as JSON escapes them, valid TOML), numbers, booleans, dates in BE, lists,
    inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"{value.year + BE_OFFSET:04d}-{value.month:02d}-{value.day:02d}"   # BE, as the office writes it
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"no TOML for {value!r}")


def toml_key(key: str) -> str:
    """A bare key when it can be, else a quoted one."""
    return key if BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def toml_table(header: str, pairs: Sequence[tuple[str, Any, str]]) -> str:
    """A table: ``[header]`` then ``key = value  # comment`` lines (a None value is left out)."""
    lines = [header]
    for key, value, comment in pairs:
        if value is None:
            continue
        line = f"{toml_key(key)} = {toml_value(value)}"
        lines.append(f"{line}  # {comment}" if comment else line)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- options
def parse_date(text: str, option: str) -> dt.date:
    """A date typed as YYYY-MM-DD, CE or BE (a year above 2400 is BE)."""
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise NewRoundError(f"{option}: ต้องเป็นวันที่ในรูป ปปปป-ดด-วว เช่น 2566-03-31 (expected a date YYYY-MM-DD),"
                            f" ได้ {text!r}") from None
    return ce_date(day)


def fiscal_round(start: dt.date) -> tuple[int, int]:
    """The Thai fiscal year (BE, 1 Oct – 30 Sep) and its round (1: Oct–Mar, 2: Apr–Sep) of a period's start."""
    year = start.year + BE_OFFSET + (1 if start.month >= 10 else 0)
    return year, 1 if start.month >= 10 or start.month <= 3 else 2


def _catalog(name: str) -> tuple[str, Optional[Path]]:
    """The round.toml value of the chosen catalog and the file to copy into the round (None: a templates/ catalog)."""
    given = Path(name)
    if given.suffix.lower() in (".yaml", ".yml") and given.is_file():
        return given.name, given
    if (TEMPLATES / "catalogs" / f"{name}.yaml").is_file():
        return name, None
    raise NewRoundError(f"--catalog: ไม่พบ catalog {name!r} (catalog not found): ใช้ชื่อใน templates/catalogs/"
                        f" เช่น 2565-r2 หรือพาธของไฟล์ .yaml")


def _mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    for now, old in mapping.items():
        if not CODE.fullmatch(now) or not CODE.fullmatch(old):
            raise NewRoundError(f"--map: ต้องเป็น รหัสใหม่=รหัสเดิม เช่น T9=T2 (expected NEW=OLD codes), ได้ {now}={old}")
    return dict(mapping)


def _relative(path: Path, start: Path) -> str:
    """A path as named from ``start`` (POSIX separators, so the file reads the same on Windows)."""
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return path.resolve().as_posix()


_FY = re.compile(r"(ปีงบประมาณ พ\.ศ\. )[๐-๙0-9]{4}")
_NO = re.compile(r"(รอบการประเมินที่ )[๐-๙0-9]+")
_PERIOD = re.compile(r"\([^()]*[๐-๙0-9]{4}\)")


def retitle(subject: str, year: int, number: int, period: str) -> str:
    """A subject of the old round made the new one's: its fiscal year, round number and period."""
    subject = _FY.sub(lambda m: m[1] + thai_digits(year), subject)
    subject = _NO.sub(lambda m: m[1] + thai_digits(number), subject)
    return _PERIOD.sub(f"({period})", subject)


def _period_text(start: dt.date, end: dt.date) -> str:
    first = be_date(start)
    if start.year == end.year:
        first = first.rsplit(" ", 1)[0]
    return f"{first} - {be_date(end)}"


# ------------------------------------------------------------------------------------------------ round
def _numbering(old: Round, opts: NewRound) -> list[tuple[str, Any, str]]:
    """How district letters are numbered: their own numbers from --district-first-number, else the circular's."""
    if opts.district_first_number:
        return [("district_numbers", "own", "each district letter its own number, in code order"),
                ("district_first_number", opts.district_first_number, "")]
    note = "own: set district_first_number from ทะเบียนหนังสือส่ง" if old.district_numbers == "own" else ""
    return [("district_numbers", "circular", note)]


def _memo_signer(old: Round) -> list[tuple[str, Any, str]]:
    """The memo's own signer, when the old round named one other than the head of the office."""
    if old.memo_signer is None or old.memo_signer == old.head:
        return []
    return [("signer_name", old.memo_signer.name, ""), ("signer_title_lines", list(old.memo_signer.title_lines), "")]


def round_toml(old: Round, opts: NewRound, catalog: str, previous: str, prefill_keys: set[str],
               garuda: Optional[str] = None) -> str:
    """The new round.toml: the old round's office, bands, signers and districts with the new round's fields."""
    start, end = parse_date(opts.period_start, "--period-start"), parse_date(opts.period_end, "--period-end")
    year, number = fiscal_round(start)
    period = _period_text(start, end)
    letter_date = parse_date(opts.letter_date, "--letter-date")
    memo_date = parse_date(opts.memo_date, "--memo-date") if opts.memo_date else letter_date
    parts = [
        f"# Round configuration: {old.province}, fiscal year {year} (พ.ศ. {thai_digits(year)}),"
        f" evaluation round {number}.\n"
        f"# Made by `kpi-report new-round` from {old.id}; edit freely. Dates may be written in CE (2022-06-09) or\n"
        "# BE (2565-06-09): years above 2400 are read as BE.\n",
        toml_table("[round]", [("id", opts.round_id, ""), ("fiscal_year", year, ""), ("number", number, ""),
                               ("period_start", start, ""), ("period_end", end, ""),
                               ("catalog", catalog, "templates/catalogs/<name>.yaml, or a file in this folder"),
                               ("scoring", old.scoring, "step | interpolate")]),
        toml_table("[office]", [("province", old.province, ""), ("name", old.office, ""),
                                ("address", list(old.address), ""),
                                ("head_name", old.head.name if old.head else None, "signs the memo"),
                                ("head_title_lines", list(old.head.title_lines) if old.head else None, "")]),
        "\n".join(toml_table("[[bands]]", [("min", int(b.min) if b.min == int(b.min) else b.min, ""),
                                           ("name", b.name, "")]) for b in old.bands),
        toml_table("[letter]", [("number", opts.letter_number, ""), ("date", letter_date, ""),
                                ("subject", retitle(old.letter.subject, year, number, period), "check the wording"),
                                ("to", old.letter.to, ""),
                                ("reference", "", "อ้างถึง: the letter that announced this round's indicators"),
                                ("enclosure", old.letter.enclosure, ""),
                                *_numbering(old, opts), ("garuda", garuda, "the ครุฑ emblem (PNG)")]),
        toml_table("[memo]", [("number", opts.memo_number, "" if opts.memo_number else "เลขที่บันทึกข้อความ: fill in"),
                              ("date", memo_date, ""),
                              ("subject", retitle(old.memo.subject, year, number, period), "check the wording"),
                              ("to", old.memo.to, ""),
                              *_memo_signer(old)]),
        toml_table("[signer]", [("name", old.signer.name, ""), ("title_lines", list(old.signer.title_lines), "")]),
        toml_table("[contact]", [(k, v, "") for k, v in old.contact.items()]),
        toml_table("[forms]", [("version", old.form_version, ""),
                               ("deadline", parse_date(opts.deadline, "--deadline"), "districts send their forms by")]),
        toml_table("[reminder]", [("style", old.reminder.style, "circular | letters: the reminder (kpi-report reminder)")]),
        "# The round compared with: the previous round's output folder or its results.csv, from this folder.\n"
        + toml_table("[compare]", [("previous", previous, "")]),
    ]
    if opts.mapping:
        parts.append("# Indicators whose code changed: this round's code = the previous round's code.\n"
                     + toml_table("[compare.map]", [(k, v, "") for k, v in opts.mapping.items()]))
    districts = ["# The districts (อำเภอ); prefill = what the province fills in the form for them.\n"]
    for d in old.districts:
        prefill = {k: v for k, v in d.prefill.items() if k in prefill_keys}
        districts.append(toml_table("[[districts]]", [("code", d.code, ""), ("name", d.name, ""),
                                                      ("prefill", prefill or None, "")]))
    return "\n".join(parts) + "\n" + "".join(districts)


REQUIRED = (("round_id", "--id"), ("period_start", "--period-start"), ("period_end", "--period-end"),
            ("deadline", "--deadline"), ("letter_number", "--letter-number"), ("letter_date", "--letter-date"),
            ("catalog", "--catalog"))


def _check(old: Round, opts: NewRound, out: Path) -> None:
    """Refuse what cannot be a next round: an option left out, a bad id, dates the wrong way round, a folder that
    exists."""
    lacking = [option for name, option in REQUIRED if not getattr(opts, name)]
    if lacking:
        raise NewRoundError(f"ต้องระบุ {', '.join(lacking)} (missing options); ดูตัวอย่างด้วย kpi-report new-round --help")
    if not ROUND_ID.fullmatch(opts.round_id or ""):
        raise NewRoundError(f"--id: ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - เช่น 2566-r1 (bad round id {opts.round_id!r})")
    if opts.round_id == old.id:
        raise NewRoundError(f"--id: รอบใหม่ต้องมีรหัสไม่ซ้ำกับรอบเดิม {old.id} (the new id must differ)")
    start, end = parse_date(opts.period_start, "--period-start"), parse_date(opts.period_end, "--period-end")
    if end < start:
        raise NewRoundError("--period-end: วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่มรอบ (the period ends before it starts)")
    for option, value in (("--deadline", opts.deadline), ("--letter-date", opts.letter_date)):
        parse_date(value, option)
    if opts.memo_date:
        parse_date(opts.memo_date, "--memo-date")
    if not opts.letter_number.strip():
        raise NewRoundError("--letter-number: ต้องระบุเลขที่หนังสือ เช่น \"บร ๐๐๑๙/ว ๑๒๓๔\" (the letter number is empty)")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise NewRoundError(f"โฟลเดอร์ {out} มีอยู่แล้ว จึงไม่เขียนทับ (refusing to overwrite an existing folder);"
                            " เลือกโฟลเดอร์อื่นด้วย --out")


def create_round(round_dir: Path, opts: NewRound, out: Optional[Path] = None,
                 outputs: Path = Path("output")) -> Created:
    """Make the next round's folder (default: beside ROUND_DIR, named by the new id); NewRoundError when it cannot.

    ``outputs``: where `run` writes its output folders (its default, under the working folder), for the
    default ``[compare] previous``."""
    try:
        old = load_round(round_dir)
    except ConfigError as e:
        raise NewRoundError(str(e)) from None
    out = Path(out) if out is not None else Path(round_dir).parent / (opts.round_id or "")
    _check(old, opts, out)
    mapping = _mapping(opts.mapping)
    catalog_value, copy = _catalog(opts.catalog)
    try:
        catalog, _ = load_catalog(copy or TEMPLATES / "catalogs" / f"{catalog_value}.yaml")
    except CatalogError as e:
        raise NewRoundError("--catalog: catalog ใช้ไม่ได้ (invalid catalog):\n"
                            + "\n".join(map(str, e.problems))) from None
    unknown = sorted(set(mapping) - {i.code for i in catalog.indicators})
    if unknown:
        raise NewRoundError(f"--map: ไม่มีตัวชี้วัด {', '.join(unknown)} ใน catalog {catalog.id} (unknown indicator code)")
    keys = {i.key for i in catalog.inputs()}
    previous = Path(opts.previous) if opts.previous is not None else outputs / old.id / "results.csv"
    notes = [f"prefill.{k} ของอำเภอ{d.name} ไม่มีใน catalog {catalog.id} จึงไม่คัดลอก (prefill key not in the catalog)"
             for d in old.districts for k in d.prefill if k not in keys]
    target = previous if previous.suffix.lower() == ".csv" else previous / "results.csv"
    if not target.is_file():
        notes.append(f"ยังไม่มี {target}: สั่ง kpi-report run {round_dir} ก่อนสั่ง run รอบใหม่"
                     " (the previous round's results.csv is not there yet)")
    garuda = _relative(old.garuda, out) if old.garuda is not None else None
    text = round_toml(old, NewRound(**{**opts.__dict__, "mapping": mapping}), catalog_value,
                      _relative(previous, out), keys, garuda)
    (out / "submissions").mkdir(parents=True, exist_ok=True)
    if copy is not None:
        shutil.copyfile(copy, out / copy.name)
    (out / "round.toml").write_text(text, encoding="utf-8", newline="\n")
    return Created(out, tuple(notes))
