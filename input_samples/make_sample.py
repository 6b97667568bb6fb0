"""Regenerate the sample round's returned workbooks, and a round of planted problems.

    python input_samples/make_sample.py

Writes the blank forms with ``write_forms``, then fills them the way districts do, through the
``in_<key>`` defined names (openpyxl), into ``input_samples/2565-r2/submissions/`` and
``input_samples/2565-r2-problems/submissions/``; makes the next round ``input_samples/2566-r1/`` with
``new-round`` (catalog 2566-r1, compared with 2565-r2, other seeded values); ``input_samples/expected/2565-r2-levels.csv``
holds the level the engine gives each district × indicator of the sample: a regression record written by the
engine it is compared with, not an independent check (that is tests/test_golden_handcheck.py's table,
derived by hand from the spec). Seeded (random.Random(2565)):
two runs give the same cell values. The values are drawn to reach a chosen level (every level 0–5
of every indicator appears), then spelled as clerks type them: Thai digits, BE dates, text dates,
ticks, thousands separators, evidence text that looks like code.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import random
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sample_spell import evidence_text, spell  # noqa: E402
from sample_values import reach  # noqa: E402

from generator.api import run_round  # noqa: E402
from generator.catalog import Catalog, load_catalog  # noqa: E402
from generator.config import Round, load_round  # noqa: E402
from generator.newround import NewRound, create_round  # noqa: E402
from generator.render.atomic import atomic_path  # noqa: E402
from generator.render.forms import form_name, write_forms  # noqa: E402
from generator.score import score_indicator  # noqa: E402

SEED = 2565
NEXT_SEED = 2566
SAMPLE = HERE / "2565-r2"
PROBLEMS = HERE / "2565-r2-problems"
NEXT = HERE / "2566-r1"
PREVIOUS = Path("previous") / "results.csv"
EXPECTED = HERE / "expected" / "2565-r2-levels.csv"
LEVEL_WEIGHTS = (12, 8, 10, 15, 20, 35)          # levels 0..5 after the six forced ones
ICT = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2022, 10, 3, 9, 0, tzinfo=ICT)   # when the first file came back (mtimes)
RENAMED = {"3102": "แบบรายงาน อ.คูเมือง (แก้ไข).xlsx", "3108": "บ้านกรวด_KPI_รอบ2.xlsx",
           "3115": "Copy of 3115-พลับพลาชัย.xlsx"}
RESENT = ("3110", "แบบรายงาน ลำปลายมาศ.xlsx", "3110-ลำปลายมาศ (ส่งใหม่).xlsx")
Values = dict[str, Any]


def _overspend(v: Values) -> None:
    v["T1_spent"] = round(v["T1_allocated"] * 1.0437, 2)


def _nothing_overdue(v: Values) -> None:
    v["I4_overdue_start"], v["I4_overdue_now"] = 0, 0


def _no_complaints(v: Values) -> None:
    v["I9_complaints"], v["I9_complaints_closed"] = 0, 0


# Stories: (district, indicator, level aimed at, T4 switch, change after drawing).
STORIES: dict[tuple[str, str], tuple[int, bool | None, Callable[[Values], None] | None]] = {
    ("3104", "T1"): (5, None, _overspend),          # spent above allocation: a warning, level still 5
    ("3112", "I4"): (5, None, _nothing_overdue),    # nothing overdue at the start: level 5 with a note
    ("3117", "I9"): (5, None, _no_complaints),      # no complaints counts as 100 %
    ("3120", "T4"): (3, False, None),               # no defaulted loans: the other case of T4
    ("3106", "T4"): (1, False, None),
}


def targets(rnd: Round, catalog: Catalog, rng: random.Random) -> dict[str, dict[str, int]]:
    """The level aimed at for each district × indicator: every level 0–5 for every indicator, the rest weighted."""
    codes = [d.code for d in rnd.districts]
    out: dict[str, dict[str, int]] = {c: {} for c in codes}
    for ind in catalog.indicators:
        order = codes[:]
        rng.shuffle(order)
        for n, code in enumerate(order):
            out[code][ind.code] = n if n < 6 else rng.choices(range(6), LEVEL_WEIGHTS)[0]
    return out


def draw(catalog: Catalog, code: str, aims: dict[str, int], prefill: dict, rng: random.Random,
         stories: bool = True) -> Values:
    """Typed values of one district's form, indicator by indicator, reaching the aimed levels."""
    values: Values = {}
    for ind in catalog.indicators:
        level, switch, change = STORIES.get((code, ind.code), (aims[ind.code], None, None)) if stories else \
            (aims[ind.code], None, None)
        got, _ = reach(ind, level, rng, dict(prefill), evidence_text(ind.code, rng), switch)
        if change is not None:
            change(got)
        values.update(got)
    return values


def plan_round(rnd: Round, catalog: Catalog, seed: int = SEED) -> tuple[dict[str, Values], Values]:
    """Typed values for every district, and the older, different copy the re-sending district sent first."""
    rng = random.Random(seed)
    aims = targets(rnd, catalog, rng)
    plans = {d.code: draw(catalog, d.code, aims[d.code], dict(d.prefill), random.Random(rng.getrandbits(64)))
             for d in rnd.districts}
    older_aims = {k: max(0, v - 2) for k, v in aims[RESENT[0]].items()}
    older = draw(catalog, RESENT[0], older_aims, dict(rnd.district(RESENT[0]).prefill),
                 random.Random(rng.getrandbits(64)), stories=False)
    return plans, older


def name_cells(wb: openpyxl.Workbook) -> dict[str, Any]:
    """Defined name → its cell (workbook scope)."""
    out = {}
    for name, dn in wb.defined_names.items():
        for sheet, coord in dn.destinations:
            out[name] = wb[sheet][coord.replace("$", "")]
    return out


class Formula(str):
    """A formula to plant as a formula (openpyxl stores no cached value for it)."""


def put(cell: Any, value: Any) -> None:
    """Write a value the way a clerk's typing lands: text stays text, even '=…'; only a Formula is a formula."""
    if isinstance(value, tuple):                      # (value, number format): a re-formatted cell
        value, cell.number_format = value
    cell.value = str(value) if isinstance(value, Formula) else value
    if isinstance(value, str) and not isinstance(value, Formula):
        cell.data_type = "s"


def repack(src: Path, dest: Path, modified: dt.datetime) -> None:
    """Copy a saved workbook with fixed zip timestamps and the document's modified time pinned (openpyxl stamps now)."""
    stamp = modified.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            zout.writestr(zipfile.ZipInfo(item.filename, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def fill(blank: Path, dest: Path, cells: dict[str, Any], when: dt.datetime, who: str) -> Path:
    """Open a blank form, set cells by defined name (``in_…``/``meta_…``), save it as ``dest``, saved at ``when``."""
    wb = openpyxl.load_workbook(blank)
    by_name = name_cells(wb)
    for name, value in cells.items():
        put(by_name[name], value)
    wb.properties.lastModifiedBy = who
    with tempfile.TemporaryDirectory() as tmp, atomic_path(dest) as out:
        saved = Path(tmp) / "saved.xlsx"
        wb.save(saved)
        repack(saved, out, when)
    os.utime(dest, (when.timestamp(), when.timestamp()))
    return dest


def spelled(catalog: Catalog, values: Values, rng: random.Random) -> dict[str, Any]:
    """Cell values by defined name, each typed in one of the ways districts type it."""
    return {f"in_{inp.key}": spell(inp, values.get(inp.key), rng) for inp in catalog.inputs()}


def _clean(folder: Path) -> None:
    """Empty a submissions folder (only files: it holds generated workbooks)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        if f.is_file():
            f.unlink()


def make_submissions(rnd: Round, catalog: Catalog, out_dir: Path, expected: Path | None = None,
                     only: set[str] | None = None, seed: int = SEED) -> list[Path]:
    """The sample round's returned workbooks (renamed files, one district twice); returns the paths.

    ``expected``: where to write the engine's level of every district × indicator (None: nowhere);
    ``only``: district codes to write (None: all); a district's file does not depend on the others;
    ``seed``: the round's values (another round, other values).
    """
    plans, older = plan_round(rnd, catalog, seed)
    _clean(out_dir)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        blanks = dict(zip((d.code for d in rnd.districts), write_forms(rnd, catalog, Path(tmp))))
        for n, d in enumerate(rnd.districts):
            if only is not None and d.code not in only:
                continue
            rng = random.Random(f"{seed}-spell-{d.code}")
            when = RECEIVED + dt.timedelta(minutes=23 * n)
            name = RENAMED.get(d.code, form_name(d))
            if d.code == RESENT[0]:
                written.append(fill(blanks[d.code], out_dir / RESENT[1], spelled(catalog, older, rng),
                                    RECEIVED - dt.timedelta(days=3), f"อำเภอ{d.name}"))
                name = RESENT[2]
            written.append(fill(blanks[d.code], out_dir / name, spelled(catalog, plans[d.code], rng), when,
                                f"อำเภอ{d.name}"))
    if expected is not None:
        write_expected(rnd, catalog, plans, expected)
    return written


def write_expected(rnd: Round, catalog: Catalog, plans: dict[str, Values], path: Path) -> None:
    """The engine's level and status for every district × indicator of the sample (step mode): a regression record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["district_code", "indicator", "level", "status"])
        for d in rnd.districts:
            for ind in catalog.indicators:
                r = score_indicator(ind, plans[d.code], "step")
                w.writerow([d.code, ind.code, "" if r.level is None else r.level, r.status])


PROBLEM_NOTES = """# 2565-r2-problems: a round with planted problems

Generated by `python input_samples/make_sample.py` (do not edit by hand). The same districts and
values as the sample round, with these problems planted in `submissions/`:

| file | problem | what `run`/`check` must do |
|---|---|---|
{rows}
"""


def make_problems(rnd: Round, catalog: Catalog, problems_dir: Path) -> list[Path]:
    """The problems round: round.toml copied from the sample, submissions with one planted problem each."""
    problems_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(rnd.directory / "round.toml", problems_dir / "round.toml")
    out = problems_dir / "submissions"
    _clean(out)
    plans, _ = plan_round(rnd, catalog)
    codes = [d.code for d in rnd.districts]
    missing, junk, formula, other = codes[4], codes[5], codes[6], codes[8]
    changes = {junk: {"in_T2_done": "ประมาณ 80 กิจกรรม"}, formula: {"in_T7_sent": Formula("=in_T7_assigned-1")},
               other: {"meta_round_id": "2565-r1"}}
    rows, written = [], []
    with tempfile.TemporaryDirectory() as tmp:
        blanks = dict(zip(codes, write_forms(rnd, catalog, Path(tmp))))
        for n, d in enumerate(rnd.districts):
            if d.code == missing:
                rows.append(f"| (none) | อำเภอ{d.name} ({d.code}) sent nothing | the district is missing |")
                continue
            rng = random.Random(f"{SEED}-problems-{d.code}")
            cells = {**spelled(catalog, plans[d.code], rng), **changes.get(d.code, {})}
            when = RECEIVED + dt.timedelta(minutes=23 * n)
            written.append(fill(blanks[d.code], out / form_name(d), cells, when, f"อำเภอ{d.name}"))
    lock = out / f"~${written[0].name}"
    lock.write_bytes((b"\x05clerk" + b" " * 48 + "clerk".encode("utf-16-le")).ljust(165, b"\x00"))
    pdf = out / f"หนังสือนำส่ง อ.{rnd.district(codes[7]).name}.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    for extra in (lock, pdf):
        os.utime(extra, (RECEIVED.timestamp(), RECEIVED.timestamp()))
    name = {d.code: form_name(d) for d in rnd.districts}
    rows += [f"| {name[junk]} | in_T2_done holds the text 'ประมาณ 80 กิจกรรม' | error for T2 only, naming the cell |",
             f"| {name[formula]} | in_T7_sent is a formula with no cached value | error for T7: open and save in Excel |",
             f"| {name[other]} | meta_round_id is 2565-r1 (last round's form) | file rejected; district missing |",
             f"| {lock.name} | Excel lock file | skipped with a note |",
             f"| {pdf.name} | a PDF renamed .xlsx | skipped with a note, never a crash |"]
    (problems_dir / "README.md").write_text(PROBLEM_NOTES.format(rows="\n".join(rows)), encoding="utf-8")
    return written + [lock, pdf]


#: the sample's next round, as the clerk would make it with `kpi-report new-round`
NEXT_ROUND = NewRound("2566-r1", "2565-10-01", "2566-03-31", "2566-04-10", "บร ๐๐๑๙/ว ๑๔๒๗", "2566-04-24", "2566-r1",
                      "บร ๐๐๑๙/๑๔๒๖", "2566-04-21", "บร ๐๐๑๙/๑๔๒๘", NEXT / PREVIOUS, {"T9": "T2"})


def make_next_round(sample: Path = SAMPLE, next_dir: Path = NEXT) -> list[Path]:
    """The next round (2566-r1) made by new-round from the sample round, compared with it, with its own submissions.

    The previous round's results.csv, as `run` writes it for the sample round, is kept in the round
    folder (``previous/results.csv``) so that a fresh clone can run the comparison without running 2565-r2 first."""
    shutil.rmtree(next_dir, ignore_errors=True)
    create_round(sample, dataclasses.replace(NEXT_ROUND, previous=next_dir / PREVIOUS), next_dir)
    with tempfile.TemporaryDirectory() as tmp:
        run_round(sample, Path(tmp) / "out", jobs=1)
        (next_dir / PREVIOUS).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "out" / "results.csv", next_dir / PREVIOUS)
    rnd = load_round(next_dir)
    catalog, _ = load_catalog(rnd.catalog_path)
    return make_submissions(rnd, catalog, rnd.submissions, seed=NEXT_SEED)


def main() -> None:
    """Regenerate the three folders from the sample round's config and catalogs."""
    rnd = load_round(SAMPLE)
    catalog, _ = load_catalog(rnd.catalog_path)
    sample = make_submissions(rnd, catalog, rnd.submissions, EXPECTED)
    problems = make_problems(rnd, catalog, PROBLEMS)
    following = make_next_round()
    print(f"{len(sample)} files in {rnd.submissions}, {len(problems)} in {PROBLEMS / 'submissions'}, "
          f"levels in {EXPECTED}, {len(following)} in {NEXT / 'submissions'}")


if __name__ == "__main__":
    main()
