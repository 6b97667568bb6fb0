"""Measure reading each hostile workbook in a fresh process: wall time, peak RSS and the outcome.

    python bench/bad_input.py [NAME ...]

Builds every file of tests/hostile.py (and a clean sample submission for reference) in a temporary
folder, reads each through the project's reader (read.submissions.read_file, as `run` does) in its own
child process, and prints a Markdown table: the limits are < 5 s and < 200 MB RSS per file. The
figures go into docs/bad-input.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the hostile builders are test helpers

from hostile import BUILDERS  # noqa: E402

CHILD = """
import sys, time
from pathlib import Path
from generator.catalog import load_catalog
from generator.config import load_round
from generator.read.submissions import read_file
rnd = load_round(Path(sys.argv[1]))
catalog = load_catalog(rnd.catalog_path)[0]
start = time.perf_counter()
got = read_file((rnd, catalog), Path(sys.argv[2]))
took = time.perf_counter() - start
if isinstance(got, list):
    print(f"{took:.2f}", ",".join(p.code for p in got) or "skipped")
else:
    print(f"{took:.2f}", "read, T2_done =", got.submission.inputs["T2_done"])
"""
SAMPLE = REPO / "input_samples" / "2565-r2"


def measure(path: Path) -> tuple[float, float, str, str]:
    """Seconds of the whole child process, peak RSS in MB, seconds of the read alone and the outcome."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(SAMPLE), str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, cwd=REPO, text=True)
    out = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    last = out.strip().splitlines()[-1] if out.strip() else f"- exit {child.returncode}"
    took, _, outcome = last.partition(" ")
    return seconds, usage.ru_maxrss / 1024, took, outcome


def main(names: list[str]) -> None:
    """Build, measure and print the table."""
    folder = Path(tempfile.mkdtemp(prefix="bad-input-"))
    try:
        files = {"clean sample (reference)": next((SAMPLE / "submissions").glob("3101-*.xlsx"))}
        for name, build in BUILDERS.items():
            if not names or name in names:
                files[name] = build(folder / f"{name}.xlsx")
        print("| file | size on disk | process time (s) | of which reading (s) | peak RSS (MB) | outcome |")
        print("|---|---:|---:|---:|---:|---|")
        for name, path in files.items():
            seconds, rss, took, outcome = measure(path)
            size = path.stat().st_blocks * 512  # the oversized file is sparse: what it takes on disk
            print(f"| {name} | {size / 2**20:,.2f} MB | {seconds:.2f} | {took} | {rss:.0f} | {outcome} |", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
