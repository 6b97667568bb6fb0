"""Fuzzing: real sample workbooks with bytes mutated (in the zip, and inside its XML parts) never make the
reader or `run` raise; each mutant is read, or refused with a problem. Fixed seed, bounded count."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from badkit import SAMPLE, catalog, copy_round
from generator import api
from generator.config import load_round
from generator.read.submissions import read_file

SEED = 2565
MUTANTS = 240
TOKENS = [  # what a broken or hostile writer puts into XML
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b"&a;", b"]]>", b"<", b"&", b'"', b"\x00", b"\xff\xfe", b"_x0000_",
    b'<c r="C9" t="s"><v>99999999</v></c>', b'<c r="C9" t="d"><v>2565-13-45</v></c>', b'<c r="C9"><v>1e999</v></c>',
    b'<c r="C9" t="e"><v>#DIV/0!</v></c>', b'<c r="C9"><f>1/0</f></c>', b' s="99999"', b' r="ZZZZ0"', b' r="-1"',
    b't="b"', b't="inlineStr"', b'<definedName name="in_T2_done">#REF!</definedName>', b' numFmtId="-1"',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<row r="1048577">', b"<v>NaN</v>", b"<v></v>", b"\xe0\xb8",
]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flip, delete, duplicate or insert a few bytes (or a token) somewhere."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        action = rng.randrange(4)
        if action == 0 and at < len(data):
            data[at] ^= 1 << rng.randrange(8)
        elif action == 1:
            del data[at:at + rng.randint(1, 64)]
        elif action == 2:
            data[at:at] = data[at:at + rng.randint(1, 64)]
        else:
            data[at:at] = rng.choice(TOKENS)
    return bytes(data)


def mutant(source: bytes, rng: random.Random) -> bytes:
    """A mutant of a workbook: its zip bytes mutated, or one of its parts mutated and the zip rebuilt."""
    if rng.random() < 0.25:
        return mutate_bytes(source, rng)
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = rng.choice([n for n in parts if n.endswith((".xml", ".rels"))])
    parts[name] = mutate_bytes(parts[name], rng)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(part, body)
    return buf.getvalue()


def mutants(folder: Path, count: int, seed: int) -> list[Path]:
    """Write ``count`` mutants of the sample submissions into ``folder``."""
    rng = random.Random(seed)
    sources = [p.read_bytes() for p in sorted((SAMPLE / "submissions").glob("*.xlsx"))[:4]]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"mutant {i:03d}.xlsx"
        path.write_bytes(mutant(rng.choice(sources), rng))
        paths.append(path)
    return paths


def test_reading_a_mutated_workbook_never_raises(tmp_path):
    context = (load_round(SAMPLE), catalog())
    kinds = {"read": 0, "refused": 0}
    for path in mutants(tmp_path, MUTANTS, SEED):
        try:
            got = read_file(context, path)
        except Exception as e:  # noqa: BLE001 - the assertion names the mutant to reproduce it
            raise AssertionError(f"{path.name} (seed {SEED}) raised {type(e).__name__}: {e}") from e
        if isinstance(got, list):
            assert got and all(p.severity == "error" and p.code and p.message for p in got), path.name
            kinds["refused"] += 1
        else:
            kinds["read"] += 1
    assert kinds["read"] > MUTANTS // 4 and kinds["refused"] > MUTANTS // 10  # both paths were exercised


def test_run_over_a_folder_of_mutants_never_raises(tmp_path):
    round_dir = copy_round(tmp_path / "round")
    mutants(round_dir / "submissions", 30, SEED + 1)
    result = api.run_round(round_dir, tmp_path / "out", jobs=1)
    assert result.exit_code in (0, 1) and (tmp_path / "out" / "results.csv").is_file()
    assert {r.district.code for r in result.report.results} == {d.code for d in load_round(SAMPLE).districts}
