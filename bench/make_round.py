"""Build a synthetic round of N districts for the benchmark, cached under bench/cache/<N>/.

    python bench/make_round.py N [--out DIR] [--force] [--libreoffice-every K]

round.toml is the sample's (input_samples/2565-r2) with its districts replaced: codes PPDD over the 76
provinces' codes in turn (878 districts ≈ the whole country), Thai-looking names, a seeded staff count.
Values come from the sample generator (input_samples/make_sample.py: targets, draw, spelled): every
level 0–5 of every indicator appears, typed the ways clerks type. Each district's file is saved the way
clients save a filled form: the project's blank form (xlsxwriter) filled through its in_ defined names and
saved by openpyxl (as make_sample.fill fills the sample round's; ~0.3 s a file, two processes fill them),
and every K-th of those (default 10: 88 of 878) opened and saved again by LibreOffice Calc
(`soffice --convert-to xlsx`, all in one soffice run: ~1 s a file, which is why not every file). The build is
checked: every file read back by the project's reader, every value typed, every level the one planned.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Optional

import openpyxl

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "input_samples"))   # make_sample and friends are scripts, not a package

import make_sample as ms  # noqa: E402

from generator.catalog import Catalog, load_catalog  # noqa: E402
from generator.config import Round, load_round  # noqa: E402
from generator.parallel import Workers  # noqa: E402
from generator.read import read_round  # noqa: E402
from generator.render.forms import form_name, write_form  # noqa: E402
from generator.score import score_district, score_indicator  # noqa: E402
from generator.score.results import District  # noqa: E402

BUILDER = "4"                      # bump when the built files would change
CACHE = HERE / "cache"
SAMPLE = REPO / "input_samples" / "2565-r2"
SEED = 878
LIBREOFFICE_EVERY = 10
# the 76 province codes (Bangkok, 10, has เขต rather than อำเภอ)
PROVINCES = [*range(11, 28), *range(30, 59), *range(60, 68), *range(70, 78), *range(80, 87), *range(90, 97)]
FIRST = ("บ้าน", "หนอง", "โนน", "นา", "ห้วย", "ดอน", "ท่า", "วัง", "โคก", "ลำ", "บึง", "สระ", "ปาก", "เขา", "แม่",
         "ศรี", "พระ", "กุด", "ทุ่ง", "คลอง", "บางปลา", "ด่าน", "สาม", "เชียง")
SECOND = ("กรวด", "สูง", "แดง", "ทอง", "ใหญ่", "คำ", "ไชย", "สวรรค์", "ดินแดง", "บัว", "แก้ว", "เจริญ", "สะอาด", "พยอม",
          "หงส์", "ม่วง", "ขาม", "โพธิ์", "ไทร", "จาน", "เสือ", "ช้าง", "ยาง", "หว้า", "ตะเคียน", "มะนาว", "ชัย", "พัฒนา")
ICT = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2022, 10, 3, 8, 0, tzinfo=ICT)


def districts(n: int, rng: random.Random) -> list[District]:
    """N districts: codes PPDD over the provinces in turn, unique Thai-looking names, a staff count."""
    if n > len(PROVINCES) * 99:
        raise SystemExit(f"at most {len(PROVINCES) * 99} districts")
    out, names = [], set()
    for i in range(n):
        province, number = PROVINCES[i % len(PROVINCES)], i // len(PROVINCES) + 1
        name = ""
        while not name or name in names:
            name = rng.choice(FIRST) + "".join(rng.sample(SECOND, 2 if rng.random() < 0.3 else 1))
            name = "เมือง" + name if number == 1 else name
        names.add(name)
        out.append(District(f"{province:02d}{number:02d}", name, {"T5_staff": rng.randint(2, 8)}))
    return out


def round_toml(sample: str, ds: Iterable[District]) -> str:
    """The sample's round.toml with its districts list replaced."""
    lines = sample[:sample.index("[[districts]]")].rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].startswith("#")):   # the districts' own comment
        lines.pop()
    lines += ["", "# Synthetic districts (bench/make_round.py)."]
    for d in ds:
        prefill = ", ".join(f"{k} = {v}" for k, v in d.prefill.items())
        lines += ["[[districts]]", f'code = "{d.code}"', f'name = "{d.name}"', f"prefill = {{ {prefill} }}"]
    return "\n".join(lines) + "\n"


def plans(rnd: Round, catalog: Catalog) -> dict[str, ms.Values]:
    """Typed values for every district, reaching seeded target levels (the sample generator's draw)."""
    rng = random.Random(SEED)
    aims = ms.targets(rnd, catalog, rng)
    return {d.code: ms.draw(catalog, d.code, aims[d.code], dict(d.prefill), random.Random(rng.getrandbits(64)),
                            stories=False) for d in rnd.districts}


def _saved(n: int) -> dt.datetime:
    """When district n's file was last saved (a few minutes apart)."""
    return RECEIVED + dt.timedelta(minutes=3 * n)


def _spelled(catalog: Catalog, code: str, values: ms.Values) -> dict[str, Any]:
    """Cell values by defined name, seeded per district (the sample's spellings)."""
    return ms.spelled(catalog, values, random.Random(f"{SEED}-spell-{code}"))


def _fill(job: tuple[Path, Round, Catalog, District, dict[str, Any], dt.datetime]) -> None:
    """One district's blank form written, filled and saved by openpyxl as make_sample.fill does, without its
    atomic write's fsync (a worker's task)."""
    path, rnd, catalog, district, cells, saved = job
    with tempfile.TemporaryDirectory() as tmp:
        blank, filled = Path(tmp) / "blank.xlsx", Path(tmp) / "filled.xlsx"
        write_form(blank, rnd, catalog, district)
        wb = openpyxl.load_workbook(blank)
        by_name = ms.name_cells(wb)
        for name, value in cells.items():
            ms.put(by_name[name], value)
        wb.properties.lastModifiedBy = "bench"
        wb.save(filled)
        ms.repack(filled, path, saved)
    os.utime(path, (saved.timestamp(), saved.timestamp()))


def resave_with_libreoffice(paths: list[Path]) -> None:
    """Workbooks opened and saved again by LibreOffice Calc, in place (one soffice run for all of them)."""
    if not paths:
        return
    if not shutil.which("soffice"):
        raise SystemExit("LibreOffice (soffice) is needed for the LibreOffice-saved share; --libreoffice-every 0 skips it")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(Path(tmp, "out")),
                        *map(str, paths)], check=True, capture_output=True, timeout=60 + 10 * len(paths))
        for path in paths:
            stat = path.stat()
            shutil.copyfile(Path(tmp, "out", path.name), path)
            os.utime(path, (stat.st_atime, stat.st_mtime))


def build(n: int, out: Optional[Path] = None, force: bool = False, libreoffice_every: int = LIBREOFFICE_EVERY,
          quiet: bool = False) -> Path:
    """The round folder of N synthetic districts (built once, then reused); returns its path."""
    out = Path(out) if out is not None else CACHE / str(n)
    stamp = {"builder": BUILDER, "n": n, "seed": SEED, "libreoffice_every": libreoffice_every}
    marker = out / ".built.json"
    if not force and marker.is_file() and json.loads(marker.read_text()) == stamp:
        return out
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    (out / "submissions").mkdir(parents=True)
    sample = load_round(SAMPLE)
    (out / "round.toml").write_text(round_toml((SAMPLE / "round.toml").read_text(encoding="utf-8"),
                                               districts(n, random.Random(SEED))), encoding="utf-8")
    rnd = load_round(out)
    catalog, _ = load_catalog(rnd.catalog_path)
    planned = plans(rnd, catalog)
    jobs = [(out / "submissions" / form_name(d), rnd, catalog, d, _spelled(catalog, d.code, planned[d.code]),
             _saved(i)) for i, d in enumerate(rnd.districts)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for done, _ in enumerate(pool.imap_unordered(_fill, jobs, chunksize=8), 1):
            if done % 100 == 0:
                say(f"  {done}/{n} filled by openpyxl ({time.perf_counter() - started:.0f} s)")
    share = [job[0] for i, job in enumerate(jobs) if libreoffice_every and i % libreoffice_every == libreoffice_every - 1]
    say(f"{n} forms filled by openpyxl in {time.perf_counter() - started:.0f} s; {len(share)} saved again by LibreOffice …")
    resave_with_libreoffice(share)
    say(f"built {n} submissions in {time.perf_counter() - started:.0f} s; checking …")
    verify(rnd, catalog, planned)
    assert sample.id == rnd.id
    marker.write_text(json.dumps(stamp))
    say(f"round ready: {out} ({time.perf_counter() - started:.0f} s)")
    return out


def compared_round(round_dir: Path, previous: Path) -> Path:
    """The same round compared with a previous one: a sibling folder ``<N>-compare`` whose round.toml adds
    ``[compare] previous`` (an absolute path) and whose submissions are hard links to the round's (no copy)."""
    out = round_dir.with_name(f"{round_dir.name}-compare")
    shutil.rmtree(out, ignore_errors=True)
    (out / "submissions").mkdir(parents=True)
    text = (round_dir / "round.toml").read_text(encoding="utf-8")
    (out / "round.toml").write_text(text + f'\n[compare]\nprevious = "{previous.resolve().as_posix()}"\n',
                                    encoding="utf-8")
    for f in (round_dir / "submissions").iterdir():
        try:
            os.link(f, out / "submissions" / f.name)
        except OSError:   # another file system: copy
            shutil.copy2(f, out / "submissions" / f.name)
    return out


def verify(rnd: Round, catalog: Catalog, planned: dict[str, ms.Values]) -> None:
    """Every file read back by the project's reader: each value typed, each level the planned one."""
    with Workers(2, (rnd, catalog)) as workers:
        inputs = read_round(rnd, catalog, workers)
    bad = [str(p) for p in inputs.problems]
    if bad or len(inputs.submissions) != len(rnd.districts):
        raise AssertionError(f"{len(inputs.submissions)}/{len(rnd.districts)} read; {bad[:5]}")
    for d in rnd.districts:
        sub, plan = inputs.submissions[d.code], planned[d.code]
        typed = _spelled(catalog, d.code, plan)
        lost = [k for k in sub.inputs if sub.inputs[k] is None and typed[f"in_{k}"] is not None]
        errors = [str(p) for p in sub.problems if p.severity == "error"]
        result = score_district(catalog, d, sub.inputs, "step", rnd.bands, sub.problems, sub.cells, sub.file.name)
        want = {ind.code: score_indicator(ind, plan, "step").level for ind in catalog.indicators}
        got = {r.code: r.level for r in result.indicators}
        if lost or errors or got != want:
            raise AssertionError(f"{d.code}: unread {lost}, errors {errors[:3]}, levels {got} != {want}")


def main(argv: Optional[list[str]] = None) -> None:
    """Command line: build (or reuse) the round of N districts and print its folder."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of districts")
    ap.add_argument("--out", type=Path, help="round folder (default bench/cache/<N>/)")
    ap.add_argument("--force", action="store_true", help="rebuild even if cached")
    ap.add_argument("--libreoffice-every", type=int, default=LIBREOFFICE_EVERY, metavar="K",
                    help="every K-th file saved again by LibreOffice (0: none)")
    args = ap.parse_args(argv)
    print(build(args.n, args.out, args.force, args.libreoffice_every))


if __name__ == "__main__":
    main()
