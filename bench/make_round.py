"""Build a synthetic round of N districts for the benchmark, cached under bench/cache/<N>/.

    python bench/make_round.py N [--out DIR] [--force] [--check K]

round.toml is the sample's (input_samples/2565-r2) with its districts replaced: codes PPDD over the 76
provinces' codes in turn (878 districts ≈ the whole country), Thai-looking names, a seeded staff count.
Values come from the sample generator (input_samples/make_sample.py: targets, draw, spelled): every
level 0–5 of every indicator appears, typed the ways clerks type. Filling 878 forms with openpyxl takes
~0.35 s each, so one blank form is written (xlsxwriter, placeholder district) and each district's file
is made from it by editing the XML: placeholders replaced, input cells (found through the in_ defined
names) rewritten, new text appended to the shared strings. The build is checked: every file read back by
the project's reader, every value typed, every level the one planned; K files are also filled with
openpyxl the sample's way and must read the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional
from xml.sax.saxutils import escape

from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "input_samples"))   # make_sample and friends are scripts, not a package

import make_sample as ms  # noqa: E402

from generator.catalog import Catalog, load_catalog  # noqa: E402
from generator.config import Round, load_round  # noqa: E402
from generator.parallel import Workers  # noqa: E402
from generator.read import read_round  # noqa: E402
from generator.read.values import parse  # noqa: E402
from generator.read.workbook import read_workbook  # noqa: E402
from generator.read.xlsx import read_book  # noqa: E402
from generator.render.forms import form_name, write_form  # noqa: E402
from generator.score import score_district, score_indicator  # noqa: E402
from generator.score.results import District  # noqa: E402

BUILDER = "3"                      # bump when the built files would change
CACHE = HERE / "cache"
SAMPLE = REPO / "input_samples" / "2565-r2"
SEED = 878
PH_CODE, PH_NAME = "@@CODE@@", "@@NAME@@"
# the 76 province codes (Bangkok, 10, has เขต rather than อำเภอ)
PROVINCES = [*range(11, 28), *range(30, 59), *range(60, 68), *range(70, 78), *range(80, 87), *range(90, 97)]
FIRST = ("บ้าน", "หนอง", "โนน", "นา", "ห้วย", "ดอน", "ท่า", "วัง", "โคก", "ลำ", "บึง", "สระ", "ปาก", "เขา", "แม่",
         "ศรี", "พระ", "กุด", "ทุ่ง", "คลอง", "บางปลา", "ด่าน", "สาม", "เชียง")
SECOND = ("กรวด", "สูง", "แดง", "ทอง", "ใหญ่", "คำ", "ไชย", "สวรรค์", "ดินแดง", "บัว", "แก้ว", "เจริญ", "สะอาด", "พยอม",
          "หงส์", "ม่วง", "ขาม", "โพธิ์", "ไทร", "จาน", "เสือ", "ช้าง", "ยาง", "หว้า", "ตะเคียน", "มะนาว", "ชัย", "พัฒนา")
ICT = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2022, 10, 3, 8, 0, tzinfo=ICT)
PCT_FORMAT = "0.00%"               # the one re-formatting sample_spell does: built-in number format 10
_CELL = r'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)'
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def _xml_text(text: str) -> str:
    """Text made safe for an XML text node."""
    return escape(_ILLEGAL.sub("", text))


@dataclass
class _Slot:
    """One input cell of a sheet part: its defined name, ref and style."""

    name: str
    ref: str
    style: int


class FormFiller:
    """A blank form held in memory; each district's filled copy is made by editing its XML."""

    def __init__(self, blank: Path, names: Iterable[str]):
        with zipfile.ZipFile(blank) as z:
            self.parts = {i.filename: z.read(i.filename) for i in z.infolist()}
            book = read_book(z)
        self.sst_part = book.strings or "xl/sharedStrings.xml"
        sst = self.parts[self.sst_part].decode()
        self.sst_head, self.sst_body = sst[:sst.index("<si>")], sst[sst.index("<si>"):sst.rindex("</sst>")]
        self.unique = int(re.search(r'uniqueCount="(\d+)"', self.sst_head)[1])
        self.pct_style = self._pct_styles(book.styles or "xl/styles.xml")
        self.sheets: dict[str, tuple[list[str], list[_Slot]]] = {}
        wanted: dict[str, list[tuple[str, str]]] = {}
        for name in names:
            m = re.fullmatch(r"'?(.*?)'?!\$?([A-Z]+)\$?(\d+)", book.names[name.lower()])
            wanted.setdefault(book.sheets[m[1].replace("''", "'")], []).append((name, f"{m[2]}{m[3]}"))
        for part, cells in wanted.items():
            xml = self.parts[part].decode()
            found = []
            for name, ref in cells:
                m = re.search(_CELL.format(ref=ref), xml, re.S)
                if m is None:
                    raise ValueError(f"no <c r={ref}> in {part} for {name}")
                style = re.search(r'\bs="(\d+)"', m["attrs"])
                found.append((m.start(), m.end(), _Slot(name, ref, int(style[1]) if style else 0)))
            found.sort(key=lambda f: f[0])
            pieces, at = [], 0
            for start, end, _ in found:
                pieces.append(xml[at:start])
                at = end
            pieces.append(xml[at:])
            self.sheets[part] = (pieces, [f[2] for f in found])

    def _pct_styles(self, part: str) -> dict[int, int]:
        """A copy of every cell style with the percent format; returns style → its percent twin."""
        xml = self.parts[part].decode()
        m = re.search(r"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", xml, re.S)
        xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", m[2], re.S)
        twins = [re.sub(r'numFmtId="\d+"', 'numFmtId="10"', xf, count=1) for xf in xfs]
        twins = [t if "applyNumberFormat=" in t else t.replace("<xf ", '<xf applyNumberFormat="1" ', 1) for t in twins]
        body = "".join(xfs + twins)
        self.parts[part] = (xml[:m.start()] + f'<cellXfs count="{2 * len(xfs)}">{body}</cellXfs>' +
                            xml[m.end():]).encode()
        return {i: len(xfs) + i for i in range(len(xfs))}

    def _cell(self, slot: _Slot, value: Any, strings: list[str]) -> str:
        """The <c> element of one input cell holding ``value`` as openpyxl would store it."""
        style = slot.style
        if isinstance(value, tuple):
            value, fmt = value
            if fmt != PCT_FORMAT:
                raise ValueError(f"number format {fmt!r} not supported")
            style = self.pct_style[style]
        head = f'<c r="{slot.ref}" s="{style}"'
        if value is None:
            return head + "/>"
        if isinstance(value, bool):
            return f'{head} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"{head}><v>{safe_string(value)}</v></c>"         # "%.16g", as openpyxl writes
        if isinstance(value, (dt.datetime, dt.date)):
            return f"{head}><v>{safe_string(to_excel(value))}</v></c>"
        strings.append(f'<si><t xml:space="preserve">{_xml_text(str(value))}</t></si>')
        return f'{head} t="s"><v>{self.unique + len(strings) - 1}</v></c>'

    def render(self, code: str, name: str, cells: dict[str, Any], saved: dt.datetime) -> bytes:
        """The bytes of one district's filled workbook."""
        swap = {PH_CODE: _xml_text(code), PH_NAME: _xml_text(name)}

        def fix(text: str) -> str:
            """The placeholders replaced by this district's code and name."""
            for old, new in swap.items():
                text = text.replace(old, new)
            return text

        out: dict[str, str] = {}
        strings: list[str] = []
        for part, (pieces, slots) in self.sheets.items():
            body = [fix(pieces[0])]
            for slot, piece in zip(slots, pieces[1:]):
                body += [self._cell(slot, cells.get(slot.name), strings), fix(piece)]
            out[part] = "".join(body)
        count = self.unique + len(strings)
        head = re.sub(r'uniqueCount="\d+"', f'uniqueCount="{count}"', self.sst_head)
        head = re.sub(r'\bcount="(\d+)"', lambda m: f'count="{int(m[1]) + len(strings)}"', head, count=1)
        out[self.sst_part] = head + fix(self.sst_body) + "".join(strings) + "</sst>"
        stamp = saved.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", lambda m: m[1] + stamp, self.parts["docProps/core.xml"].decode())
        out["docProps/core.xml"] = core
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for part, data in self.parts.items():
                text = out.get(part)
                if text is None and part.endswith(".xml"):
                    text = fix(data.decode())
                z.writestr(zipfile.ZipInfo(part, (1980, 1, 1, 0, 0, 0)),
                           text.encode() if text is not None else data, zipfile.ZIP_DEFLATED)
        return buf.getvalue()


def _saved(n: int) -> dt.datetime:
    """When district n's file was last saved (a few minutes apart)."""
    return RECEIVED + dt.timedelta(minutes=3 * n)


def _spelled(catalog: Catalog, code: str, values: ms.Values) -> dict[str, Any]:
    """Cell values by defined name, seeded per district (the sample's spellings)."""
    return ms.spelled(catalog, values, random.Random(f"{SEED}-spell-{code}"))


def build(n: int, out: Optional[Path] = None, force: bool = False, check: int = 3, quiet: bool = False) -> Path:
    """The round folder of N synthetic districts (built once, then reused); returns its path."""
    out = Path(out) if out is not None else CACHE / str(n)
    stamp = {"builder": BUILDER, "n": n, "seed": SEED}
    marker = out / ".built.json"
    if not force and marker.is_file() and json.loads(marker.read_text()) == stamp:
        return out
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    (out / "submissions").mkdir(parents=True)
    sample = load_round(SAMPLE)
    (out / "round.toml").write_text(round_toml((SAMPLE / "round.toml").read_text(encoding="utf-8"),
                                               districts(n, random.Random(SEED))), encoding="utf-8")
    rnd = load_round(out)
    catalog, _ = load_catalog(rnd.catalog_path)
    planned = plans(rnd, catalog)
    names = [*ms.spelled(catalog, {}, random.Random(0))]
    prefill = {i.key: 1 for i in catalog.inputs() if i.prefill}
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_form(blank, rnd, catalog, District(PH_CODE, PH_NAME, prefill))
        filler = FormFiller(blank, names)
    for i, d in enumerate(rnd.districts):
        path = out / "submissions" / form_name(d)
        path.write_bytes(filler.render(d.code, d.name, _spelled(catalog, d.code, planned[d.code]), _saved(i)))
        os.utime(path, (_saved(i).timestamp(),) * 2)
    say(f"built {n} submissions in {time.perf_counter() - started:.1f} s; checking …")
    verify(rnd, catalog, planned, check)
    assert sample.id == rnd.id
    marker.write_text(json.dumps(stamp))
    say(f"round ready: {out} ({time.perf_counter() - started:.1f} s)")
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


def verify(rnd: Round, catalog: Catalog, planned: dict[str, ms.Values], check: int = 3) -> None:
    """Every file read back by the project's reader: each value typed, each level the planned one;
    ``check`` files also filled with openpyxl (the sample's way) must read the same."""
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
    formatted = [d for d in rnd.districts if any(isinstance(v, tuple) for v in _spelled(catalog, d.code,
                                                                                          planned[d.code]).values())]
    spread = rnd.districts[:: max(1, len(rnd.districts) // max(check, 1))]
    picks = list({d.code: d for d in [*formatted[:1], *spread]}.values())[:check]   # a re-formatted cell, then spread
    with tempfile.TemporaryDirectory() as tmp:
        for d in picks:
            blank, filled = Path(tmp) / "blank.xlsx", Path(tmp) / "filled.xlsx"
            write_form(blank, rnd, catalog, d)
            ms.fill(blank, filled, _spelled(catalog, d.code, planned[d.code]), RECEIVED, "check")
            ours = inputs.submissions[d.code].inputs
            data, _ = read_workbook(filled, catalog)
            theirs = {i.key: parse(i, data["cells"][i.key].value, data["cells"][i.key].number_format)[0]
                      for i in catalog.inputs()}
            if ours != theirs:
                diff = {k: (ours[k], theirs[k]) for k in ours if ours[k] != theirs[k]}
                raise AssertionError(f"{d.code}: XML fill and openpyxl fill differ: {diff}")


def main(argv: Optional[list[str]] = None) -> None:
    """Command line: build (or reuse) the round of N districts and print its folder."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of districts")
    ap.add_argument("--out", type=Path, help="round folder (default bench/cache/<N>/)")
    ap.add_argument("--force", action="store_true", help="rebuild even if cached")
    ap.add_argument("--check", type=int, default=3, metavar="K", help="files also filled with openpyxl to compare")
    args = ap.parse_args(argv)
    print(build(args.n, args.out, args.force, args.check))


if __name__ == "__main__":
    main()
