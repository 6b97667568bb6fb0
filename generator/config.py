"""The round configuration: ROUND_DIR/round.toml → a typed, validated Round."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from generator.score.results import District
from generator.score.totals import Band

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_BANDS = (Band(90, "ดีเด่น"), Band(80, "ดีมาก"), Band(70, "ดี"), Band(60, "พอใช้"), Band(0, "ต้องปรับปรุง"))


class ConfigError(Exception):
    """A round configuration that cannot be used; the message is Thai with English beside it, and the
    dotted ``key`` it is about (``round.id``, ``districts[3].code``) when there is one."""

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.key = key


_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_PATH = re.compile(r"^(.*?)(?:\[(\d+)\])?(?:\.([^.\[\]]+))?$")


def key_line(text: str, key: str) -> Optional[int]:
    """The line (from 1) of a dotted key in TOML text: the key's own line, else its table's header line.

    tomllib gives no position for a value that parses but is wrong, so the raw text is searched:
    ``round.id`` is ``id =`` under ``[round]``; ``districts[3].code`` is under the fourth ``[[districts]]``;
    ``forms`` is ``[forms]`` or a top-level ``forms =``.
    """
    match = _PATH.match(key)
    table, index, name = match[1], int(match[2] or 0), match[3]
    current, seen, header = "", {}, None
    for number, line in enumerate(text.splitlines(), 1):
        head = _HEADER.match(line)
        if head:
            if header is not None:
                break  # the table ended without the key
            current = re.sub(r"[\s\"']", "", head[2])
            seen[current] = seen.get(current, -1) + 1
            if current == table and seen[current] == index:
                header = number
                if name is None:
                    return number
        elif name is None and not current and re.match(rf"\s*{re.escape(table)}\s*=", line):
            return number
        elif header is not None and re.match(rf"\s*[\"']?{re.escape(name or '')}[\"']?\s*=", line):
            return number
    return header


@dataclass(frozen=True)
class Signer:
    """Who signs the letters: name and position lines."""

    name: str
    title_lines: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    """Details of an outgoing letter or memo (ที่, date, subject, เรียน, อ้างถึง, enclosure)."""

    number: str
    date: dt.date
    subject: str
    to: str
    reference: str = ""
    enclosure: str = ""


@dataclass(frozen=True)
class Compare:
    """The previous round to compare with: its results.csv, and current catalog code → previous code where codes changed."""

    previous: Path
    map: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reminder:
    """The reminder (หนังสือติดตาม) to districts that have not sent a usable workbook: its ที่ number, date
    (None: the day it is written), the date to send by (None: the round's deadline), and whether it goes as one
    circular listing them or as one letter to each."""

    number: str = ""
    date: Optional[dt.date] = None
    deadline: Optional[dt.date] = None
    style: str = "circular"
    subject: str = ""


REMINDER_STYLES = ("circular", "letters")


@dataclass(frozen=True)
class Round:
    """One evaluation round: who, when, which catalog, how to score, and the districts."""

    id: str
    fiscal_year: int
    number: int
    period_start: dt.date
    period_end: dt.date
    province: str
    office: str
    address: tuple[str, ...]
    catalog_path: Path
    scoring: str
    bands: tuple[Band, ...]
    districts: tuple[District, ...]
    letter: Letter
    memo: Letter
    signer: Signer
    memo_signer: Optional[Signer]
    contact: dict[str, str]
    deadline: Optional[dt.date]
    form_version: str
    directory: Path
    reminder: Reminder = Reminder()
    compare: Optional["Compare"] = None

    @property
    def submissions(self) -> Path:
        """The folder of returned workbooks."""
        return self.directory / "submissions"

    def district(self, code: str) -> Optional[District]:
        """The district with this code, if it is in the round."""
        return next((d for d in self.districts if d.code == code), None)


def _date(value: Any, where: str) -> dt.date:
    """A TOML date or an ISO string; years above 2400 are Buddhist Era."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ConfigError(f"round.toml: '{where}' ต้องเป็นวันที่ YYYY-MM-DD (expected a date), ได้ {value!r}",
                              where) from None
    if not isinstance(value, dt.date):
        raise ConfigError(f"round.toml: '{where}' ต้องเป็นวันที่ (expected a date), ได้ {value!r}", where)
    return value.replace(year=value.year - 543) if value.year > 2400 else value


class _Table:
    """A TOML table with typed, located getters."""

    def __init__(self, raw: Any, where: str):
        if not isinstance(raw, dict):
            raise ConfigError(f"round.toml: ไม่พบส่วน [{where}] หรือไม่ใช่ตาราง (missing or not a table: [{where}])",
                              where)
        self.raw, self.where = raw, where

    def get(self, key: str, typ: type | tuple[type, ...], default: Any = ...) -> Any:
        """The value of a key, checked against a type; missing keys without default are errors."""
        name = f"{self.where}.{key}" if self.where else key
        if key not in self.raw:
            if default is ...:
                raise ConfigError(f"round.toml: ขาดคีย์ '{name}' (missing key)", name)
            return default
        value = self.raw[key]
        if not isinstance(value, typ) or (isinstance(value, bool) and typ in (int, (int, float))):
            want = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
            raise ConfigError(f"round.toml: '{name}' ต้องเป็น {want} (wrong type), ได้ {value!r}", name)
        return value

    def table(self, key: str) -> "_Table":
        """A sub-table."""
        return _Table(self.raw.get(key), f"{self.where}.{key}" if self.where else key)

    def date(self, key: str, default: Any = ...) -> Optional[dt.date]:
        """A date value."""
        value = self.get(key, (dt.date, str), default)
        return None if value is None else _date(value, f"{self.where}.{key}")

    def lines(self, key: str, default: Any = ...) -> tuple[str, ...]:
        """A list of strings (a single string is one line)."""
        value = self.get(key, (list, str), default)
        return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _letter(t: _Table) -> Letter:
    return Letter(t.get("number", str), t.date("date"), t.get("subject", str), t.get("to", str),
                  t.get("reference", str, ""), t.get("enclosure", str, ""))


def _reminder(t: _Table) -> Reminder:
    """The [reminder] table (every key optional)."""
    style = t.get("style", str, "circular")
    if style not in REMINDER_STYLES:
        raise ConfigError(f"round.toml: 'reminder.style' ต้องเป็น circular หรือ letters (got {style!r})",
                          "reminder.style")
    return Reminder(t.get("number", str, ""), t.date("date", None), t.date("deadline", None), style,
                    t.get("subject", str, ""))


def _districts(raw: Any) -> tuple[District, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError("round.toml: ต้องมีรายชื่ออำเภอ [[districts]] อย่างน้อยหนึ่งอำเภอ (no districts)", "districts")
    out, seen = [], set()
    for i, item in enumerate(raw):
        t = _Table(item, f"districts[{i}]")
        code = str(t.get("code", (str, int)))
        if code in seen:
            raise ConfigError(f"round.toml: รหัสอำเภอ '{code}' ซ้ำ (district listed twice) ที่ districts[{i}]",
                              f"districts[{i}].code")
        seen.add(code)
        prefill = t.get("prefill", dict, {})
        out.append(District(code, t.get("name", str), dict(prefill)))
    return tuple(out)


def _resolve_catalog(name: str, directory: Path) -> Path:
    """A catalog named by path (relative to the round) or by id under templates/catalogs/."""
    candidates = (directory / name, TEMPLATES / "catalogs" / name, TEMPLATES / "catalogs" / f"{name}.yaml")
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise ConfigError(f"round.toml: 'round.catalog' = {name!r}: ไม่พบไฟล์ catalog (catalog file not found);"
                          f" ค้นหาที่ {', '.join(str(c) for c in candidates[::2])}", "round.catalog")
    return found


def load_round(directory: Path | str) -> Round:
    """Read and validate ROUND_DIR/round.toml; raise ConfigError naming the key and its line."""
    directory = Path(directory)
    path = directory / "round.toml"
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (FileNotFoundError, NotADirectoryError):
        raise ConfigError(f"ไม่พบไฟล์ round.toml ในโฟลเดอร์รอบการประเมิน (round.toml not found): {path}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"round.toml ต้องบันทึกเป็น UTF-8 (not UTF-8 text): {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"round.toml อ่านไม่ได้ (TOML syntax error): {e}") from None
    try:
        return _round(raw, directory)
    except ConfigError as e:
        line = key_line(text, e.key) if e.key else None
        if line is None:
            raise
        raise ConfigError(str(e).replace("round.toml:", f"round.toml บรรทัด {line} (line {line}):", 1), e.key) from None


def _round(raw: dict[str, Any], directory: Path) -> Round:
    """The Round of a parsed round.toml."""
    top = _Table(raw, "")
    r = top.table("round")
    scoring = r.get("scoring", str, "step")
    if scoring not in ("step", "interpolate"):
        raise ConfigError(f"round.toml: 'round.scoring' ต้องเป็น step หรือ interpolate (got {scoring!r})",
                          "round.scoring")
    round_id = r.get("id", str)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", round_id):
        raise ConfigError(f"round.toml: 'round.id' ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - (bad round id {round_id!r})",
                          "round.id")
    office = top.table("office")
    tables = (_Table(b, f"bands[{i}]") for i, b in enumerate(top.get("bands", list, [])))
    bands = tuple(Band(float(t.get("min", (int, float))), t.get("name", str)) for t in tables) or DEFAULT_BANDS
    signer = top.table("signer")
    memo = top.table("memo")
    forms = _Table(raw.get("forms", {}), "forms")
    return Round(
        id=round_id, fiscal_year=r.get("fiscal_year", int), number=r.get("number", int),
        period_start=r.date("period_start"), period_end=r.date("period_end"),
        province=office.get("province", str), office=office.get("name", str), address=office.lines("address", ()),
        catalog_path=_resolve_catalog(r.get("catalog", str), directory), scoring=scoring, bands=bands,
        districts=_districts(raw.get("districts")), letter=_letter(top.table("letter")), memo=_letter(memo),
        signer=Signer(signer.get("name", str), signer.lines("title_lines")),
        memo_signer=Signer(memo.get("signer_name", str), memo.lines("signer_title_lines"))
        if "signer_name" in memo.raw else None,
        contact={k: str(v) for k, v in top.get("contact", dict, {}).items()},
        deadline=forms.date("deadline", None), form_version=str(forms.get("version", (str, int), "1")),
        directory=directory, compare=_compare(raw, directory),
        reminder=_reminder(_Table(raw.get("reminder", {}), "reminder")),
    )


def _compare(raw: dict[str, Any], directory: Path) -> Optional[Compare]:
    """[compare]: ``previous`` names the previous round's output folder or its results.csv (relative to the
    round folder); ``[compare.map]`` maps a current indicator code to the previous round's code."""
    if "compare" not in raw:
        return None
    t = _Table(raw["compare"], "compare")
    previous = directory / t.get("previous", str)
    if not previous.suffix.lower() == ".csv":
        previous = previous / "results.csv"
    mapping = t.get("map", dict, {})
    for code, old in mapping.items():
        if not isinstance(old, str) or not old:
            raise ConfigError(f"round.toml: 'compare.map.{code}' ต้องเป็นรหัสตัวชี้วัดของรอบก่อน (a code), ได้ {old!r}",
                              f"compare.map.{code}")
    targets = sorted(mapping.values())
    twice = next((c for c, n in zip(targets, targets[1:]) if c == n), None)
    if twice:
        raise ConfigError(f"round.toml: รหัส '{twice}' ของรอบก่อนถูกจับคู่มากกว่าหนึ่งครั้งใน [compare.map]"
                          " (a previous code mapped twice)", "compare.map")
    return Compare(previous, dict(mapping))
