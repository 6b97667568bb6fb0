"""Time kpi-report against the naive script on a synthetic round of N districts.

    python bench/run.py N [--repeats 3] [--jobs 2] [--phases] [--profile] [--py-spy] [--no-naive] [--naive-repeats K]

Both run as whole processes (`kpi-report run ROUND --out … --quiet --jobs J` and `python bench/naive.py
ROUND OUT`), alternately, ``--repeats`` times: wall time median and min. Memory, per command, the highest
over the repeats of:
  * RSS sum: the process tree (parent and workers) found through /proc/<pid>/task/*/children and its
    VmRSS from /proc/<pid>/status summed, sampled every 20 ms (psutil is not installed); pages shared
    by forked workers are counted in each, so this over-states what the machine needs;
  * PSS sum: the same tree's Pss from /proc/<pid>/smaps_rollup (shared pages split between sharers);
  * max 1 proc: ru_maxrss of os.wait4 on the command, the largest single process of its tree (not a sum).
CPU s is user + system time of the command and the workers it waited for (os.wait4), the median; it moves
less than wall time when something else runs on the machine. The machine may be shared: each run waits
(up to --idle-wait s) for the CPUs to be idle, and the CPU time other processes used during it is printed,
with a host probe (two processes summing 10⁷ squares, wall seconds): the host this machine shares
changes its speed, and the probe says how fast it was.
The first repeat's outputs are compared: the same set of files, and results.csv equal in level, score
and status. Figures are saved to bench/cache/results-<N>.json (with --pdf: results-<N>-pdf.json; RSS of 200 vs 878 is compared when both
exist). ``--phases`` runs generator.api.run_round in this process with a phase timer, at --jobs J and at
--jobs 1 (where the work done in the workers, scorecards and district letters, can be split); ``--profile`` runs
it once under cProfile with --jobs 1 (so the workers' work is in the profile); ``--py-spy`` records the
real --jobs J command with py-spy --subprocesses and ranks functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_round import CACHE, REPO, build, compared_round  # noqa: E402

TARGET_WALL_S, TARGET_SPEEDUP, TARGET_RSS_MB, TARGET_RSS_GROWTH = 10.0, 5.0, 250.0, 0.15  # issue #13's
TARGET_PDF_WALL_S = 90.0  # issue #12's: the national round with --pdf
SAMPLE_S = 0.02


# ------------------------------------------------------------------------------------------ machine
def machine_cpu_s() -> float:
    """CPU seconds used by everything on the machine since boot (/proc/stat, all CPUs, not idle)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit_s: float, busy_max: float = 0.10, window_s: float = 0.5) -> float:
    """Wait (at most ``limit_s``) until the machine's CPUs are less than ``busy_max`` busy over a short
    window; the machine is shared with other work. Returns the last busy fraction seen."""
    deadline = time.monotonic() + limit_s
    while True:
        before = machine_cpu_s()
        time.sleep(window_s)
        busy = (machine_cpu_s() - before) / (window_s * (os.cpu_count() or 1))
        if busy < busy_max or time.monotonic() > deadline:
            return busy


PROBE = "sum(i * i for i in range(10 ** 7))"


def host_probe() -> float:
    """Wall seconds for two processes at once each summing 10⁷ squares: how fast the two CPUs are just now.

    The same code here has run 11.7 s and 14.1 s an hour apart with nothing else in the machine (the host
    it shares slows it); each repeat prints this beside its time so figures can be compared."""
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", PROBE]) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------------ memory
def _children(pid: int) -> list[int]:
    """The direct children of a process (all its threads')."""
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _kb(path: str, key: str) -> int:
    """A 'Key:   123 kB' line of a /proc file, in kB (0 when the process is gone)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples a process tree's summed RSS and PSS every SAMPLE_S seconds; keeps the peaks."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_rss_kb, self.peak_pss_kb, self.peak_procs = pid, 0, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        """Sample until told to stop."""
        while not self.done.is_set():
            pids = _tree(self.pid)
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            self.peak_procs = max(self.peak_procs, len(pids))
            self.done.wait(SAMPLE_S)


@dataclass
class Run:
    """One timed run of a command."""

    wall_s: float
    cpu_s: float
    rss_mb: float
    pss_mb: float
    max1_mb: float
    procs: int
    code: int
    others_cpu_s: float = 0.0


def timed(cmd: list[str]) -> Run:
    """Run a command, timing it and sampling its process tree's memory."""
    with tempfile.TemporaryFile() as err:
        machine, mine = machine_cpu_s(), time.process_time()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        others = max(0.0, machine_cpu_s() - machine - cpu - (time.process_time() - mine))   # less this sampler
        sampler.done.set()
        sampler.join()
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.read()[-3000:].decode(errors='replace')}")
    return Run(wall, cpu, sampler.peak_rss_kb / 1024, sampler.peak_pss_kb / 1024, usage.ru_maxrss / 1024,
               sampler.peak_procs, proc.returncode, others)


# ------------------------------------------------------------------------------------------ compare
def _results(path: Path) -> dict[tuple[str, str, str], tuple[str, Optional[float], str]]:
    """results.csv as (district, group, indicator) → (level, score, status); TOTAL rows' status left out."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {(r["district_code"], r["group"], r["indicator"]):
                (r["level"], round(float(r["score"]), 4) if r["score"] else None,
                 "" if r["indicator"] == "TOTAL" else r["status"]) for r in csv.DictReader(f)}


def compare(ours: Path, naive: Path) -> str:
    """Whether both output folders hold the same files and the same results."""
    files = [{p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()} for d in (ours, naive)]
    a, b = _results(ours / "results.csv"), _results(naive / "results.csv")
    differ = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
    if files[0] != files[1] or differ:
        return (f"OUTPUTS DIFFER: only ours {sorted(files[0] - files[1])[:5]}, only naive "
                f"{sorted(files[1] - files[0])[:5]}, results rows differing {len(differ)} e.g. {differ[:3]}")
    return f"outputs agree: the same {len(files[0])} files; results.csv equal on {len(a)} rows"


# ------------------------------------------------------------------------------------------ phases
class Timeline:
    """Wall time per named phase of an in-process run; a span opened inside another is kept apart
    (shown as 'of which') and left out of the top-level sum."""

    def __init__(self) -> None:
        self.times: Counter[str] = Counter()
        self.nested: set[str] = set()
        self.top = 0.0
        self.depth = 0

    @contextmanager
    def span(self, name: str) -> Iterator[None]:
        """Time a block under ``name``."""
        self.depth += 1
        if self.depth > 1:
            self.nested.add(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.depth -= 1
            took = time.perf_counter() - started
            self.times[name] += took
            if self.depth == 0:
                self.top += took

    def phase(self, name: str, items: Iterable[Any], total: int) -> Iterable[Any]:
        """The api's progress hook: time from the first item asked for to the last one done."""
        with self.span(name):
            yield from items

    def wrap(self, func: Callable, name: str) -> Callable:
        """A function timed under ``name``."""
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            """The wrapped function, timed."""
            with self.span(name):
                return func(*args, **kwargs)
        return timed_call


# (module, function, phase): whichever exist are timed; the api is being changed while this is written
WRAPPED = [("generator.api", "load", "load config + catalog"), ("generator.api", "build_report", "rank (build_report)"),
           ("generator.render.summary", "write_summary", "summary.xlsx"),
           ("generator.render.results_csv", "write_results_csv", "results.csv"),
           ("generator.render.letters", "write_round_letters", "circular + memo"),
           ("generator.render.letters", "write_letters", "letters"),
           ("generator.render.manifest", "write_manifest", "manifest.json"),
           # in the workers when --jobs > 1 (then not seen here): split only at --jobs 1
           ("generator.render.scorecard", "write_scorecard", "scorecards"),
           ("generator.render.letters", "write_district_letter", "district letters")]
#: The phase a nested span is part of (shown under it as 'of which').
NESTED_IN = {"scorecards": "score", "district letters": "write"}


@contextmanager
def instrumented(timeline: Timeline) -> Iterator[None]:
    """Patch the functions of WRAPPED (in their module and in generator.api) to report to the timeline."""
    import importlib

    import generator.api as api

    undo = []
    for module_name, func_name, label in WRAPPED:
        module = importlib.import_module(module_name)
        func = getattr(module, func_name, None)
        if func is None:
            continue
        for target in {module, api}:
            if getattr(target, func_name, None) is func:
                setattr(target, func_name, timeline.wrap(func, label))
                undo.append((target, func_name, func))
    try:
        yield
    finally:
        for target, func_name, func in undo:
            setattr(target, func_name, func)


def phases(round_dir: Path, jobs: int, repeats: int, idle_wait: float) -> tuple[dict[str, float], set[str]]:
    """Median seconds per phase of generator.api.run_round run in this process, and the nested phases."""
    import generator.api as api

    runs, nested = [], set()
    for _ in range(repeats):
        wait_quiet(idle_wait)
        timeline = Timeline()
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp, instrumented(timeline):
            started = time.perf_counter()
            api.run_round(round_dir, Path(tmp) / "out", jobs=jobs, phase=timeline.phase)
            total = time.perf_counter() - started
        timeline.times["other (staging, swap, glue)"] = total - timeline.top
        timeline.times["TOTAL"] = total
        runs.append(timeline.times)
        nested |= timeline.nested
    names = list(dict.fromkeys(k for r in runs for k in r))
    return {k: statistics.median(r.get(k, 0.0) for r in runs) for k in names}, nested


def print_phases(columns: dict[int, tuple[dict[str, float], set[str]]], repeats: int) -> None:
    """The phase table: one column per --jobs value (nested phases indented, 'of which')."""
    nested = set().union(*(n for _, n in columns.values()))
    names = [k for k in dict.fromkeys(k for times, _ in columns.values() for k in times) if k not in nested]
    for name in sorted(nested, reverse=True):  # each right under its phase
        parent = NESTED_IN.get(name)
        at = names.index(parent) + 1 if parent in names else len(names)
        names[at:at] = [name]
    print(f"\nphases of generator.api.run_round in-process (median of {repeats}), wall seconds and share:")
    print(f"  {'phase':<34}" + "".join(f"{'--jobs ' + str(j):>18}" for j in columns))
    for name in names:
        label = f"  of which {name}" if name in nested else name
        cells = []
        for times, _ in columns.values():
            secs = times.get(name)
            cells.append(f"{secs:8.2f} s {100 * secs / times['TOTAL']:5.1f} %" if secs is not None else f"{'-':>16}")
        print(f"  {label:<34}" + "".join(f"{c:>18}" for c in cells))


def profile(round_dir: Path, out: Path, top: int = 25) -> None:
    """cProfile of one in-process run with jobs 1; prints the top functions by own time and by total."""
    import generator.api as api

    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        prof = cProfile.Profile()
        prof.enable()
        api.run_round(round_dir, Path(tmp) / "out", jobs=1)
        prof.disable()
    prof.dump_stats(out)
    for key in ("tottime", "cumulative"):
        print(f"\ncProfile, --jobs 1, sorted by {key} (full profile: {out})")
        pstats.Stats(str(out)).strip_dirs().sort_stats(key).print_stats(top)


def _frame(text: str) -> str:
    """'func (path/file.py:12)' → 'func (path/file.py)': one entry per function, whatever the line."""
    func, _, where = text.partition(" (")
    return f"{func} ({where.rsplit(':', 1)[0]})" if where else func


def py_spy(cmd: list[str], out: Path, top: int = 30) -> None:
    """Record the real command with py-spy (workers included) and rank functions by own and total samples."""
    if shutil.which("py-spy") is None:
        print("py-spy not installed (pip install py-spy)")
        return
    subprocess.run(["py-spy", "record", "--subprocesses", "--rate", "250", "--format", "raw", "-o", str(out),
                    "--", *cmd], cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    own, total, samples = Counter(), Counter(), 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_frame(f) for f in stack.split(";")[1:]]      # the first is the process
        n = int(count)
        samples += n
        if frames:
            own[frames[-1]] += n
        for f in set(frames):
            total[f] += n
    print(f"\npy-spy, {' '.join(cmd[:2])} … (all processes, {samples} samples at 250 Hz; raw stacks: {out})")
    print(f"{'own %':>6} {'total %':>7}  function (file)")
    for f, n in own.most_common(top):
        print(f"{100 * n / samples:6.1f} {100 * total[f] / samples:7.1f}  {f}")


# ------------------------------------------------------------------------------------------ main
@dataclass
class Stats:
    """A command's runs, summarised."""

    command: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time."""
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def best(self) -> float:
        """Shortest wall time."""
        return min(r.wall_s for r in self.runs)

    def peak(self, attr: str) -> float:
        """The highest value of a Run field over the repeats."""
        return max(getattr(r, attr) for r in self.runs)


def table(stats: list[Stats]) -> str:
    """The results table (speed-up: naive median / this command's median)."""
    naive = next((s for s in stats if s.command.startswith("naive")), None)
    rows = [("command", "median s", "min s", "CPU s", "RSS sum MB", "PSS sum MB", "max 1 proc MB", "procs", "speed-up",
             "others' CPU s")]
    for s in stats:
        speed = f"{naive.median / s.median:.2f}×" if naive else "-"
        cpu = statistics.median(r.cpu_s for r in s.runs)
        rows.append((s.command, f"{s.median:.2f}", f"{s.best:.2f}", f"{cpu:.1f}", f"{s.peak('rss_mb'):.0f}", f"{s.peak('pss_mb'):.0f}",
                     f"{s.peak('max1_mb'):.0f}", str(s.peak("procs")), speed,
                     f"{statistics.median(r.others_cpu_s for r in s.runs):.1f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def targets(n: int, ours: Stats, naive: Optional[Stats], pdf: bool = False) -> list[str]:
    """The issues' targets, met or not (with --pdf: the national round's wall time only)."""
    if pdf:
        return [f"wall {ours.median:.2f} s ≤ {TARGET_PDF_WALL_S:.0f} s with PDFs: "
                f"{'met' if ours.median <= TARGET_PDF_WALL_S else 'MISSED'}"] if n == 878 else []
    out = [(f"peak RSS sum {ours.peak('rss_mb'):.0f} MB ≤ {TARGET_RSS_MB:.0f}: "
            f"{'met' if ours.peak('rss_mb') <= TARGET_RSS_MB else 'MISSED'}")]
    if n == 878:
        out.insert(0, f"wall {ours.median:.2f} s ≤ {TARGET_WALL_S:.0f} s: {'met' if ours.median <= TARGET_WALL_S else 'MISSED'}")
    if naive:
        speed = naive.median / ours.median
        out.append(f"speed-up {speed:.2f}× ≥ {TARGET_SPEEDUP}×: {'met' if speed >= TARGET_SPEEDUP else 'MISSED'}")
    saved = {m: json.loads(p.read_text()) for m in (200, 878) if (p := CACHE / f"results-{m}.json").is_file()}
    if len(saved) == 2 and n in saved:
        a, b = (saved[m]["ours"]["rss_mb"] for m in (200, 878))
        growth = b / a - 1
        out.append(f"RSS 878 vs 200: {b:.0f} vs {a:.0f} MB ({100 * growth:+.0f} %, within ±{100 * TARGET_RSS_GROWTH:.0f} %): "
                   f"{'met' if abs(growth) <= TARGET_RSS_GROWTH else 'MISSED'}")
    return out


def _commit() -> str:
    """The checked-out commit (and whether the work tree differs), for the record."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "templates"], cwd=REPO,
                           capture_output=True, text=True, check=False).stdout.strip()
    return head + ("+dirty" if dirty else "")


def _compared(cmd: list[str], round_dir: Path) -> list[str]:
    """The command on the same round compared with a previous one (that round's own results.csv, made once here)."""
    previous = CACHE / f"{round_dir.name}-previous"
    if not (previous / "results.csv").is_file():
        subprocess.run([c.replace("{out}", str(previous)) for c in cmd], check=False)
    compared = compared_round(round_dir, previous / "results.csv")
    return [str(compared) if c == str(round_dir) else c for c in cmd]


def file_create_ms(folder: Path, count: int = 200) -> float:
    """Milliseconds to create, write (30 KB) and close one file in ``folder``: filesystems differ by 25× here."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        start = time.perf_counter()
        for i in range(count):
            (Path(tmp) / f"{i}.bin").write_bytes(b"x" * 30_000)
        return (time.perf_counter() - start) * 1000 / count


def _cpu(stats: "Stats") -> float:
    return statistics.median(r.cpu_s for r in stats.runs)


def main(argv: Optional[list[str]] = None) -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of districts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--phases", action="store_true", help="phase times of an in-process run")
    ap.add_argument("--profile", action="store_true", help="cProfile an in-process run (--jobs 1)")
    ap.add_argument("--py-spy", action="store_true", help="py-spy the real command (all processes)")
    ap.add_argument("--no-naive", action="store_true", help="time kpi-report only")
    ap.add_argument("--pdf", action="store_true", help="kpi-report run --pdf (letters, memo and summary to PDF; "
                    "the naive script makes no PDF, so --no-naive is implied)")
    ap.add_argument("--naive-repeats", type=int, help="repeats of the naive script (default --repeats): it takes minutes")
    ap.add_argument("--idle-wait", type=float, default=120, help="seconds to wait for a quiet machine before a run")
    ap.add_argument("--compare", action="store_true",
                    help="time the round without and with [compare] previous (kpi-report only, alternately)")
    ap.add_argument("--out-base", type=Path, default=CACHE,
                    help="folder the timed runs write their outputs under (default bench/cache, beside the round; "
                    "give the system temp folder to take a slow checkout filesystem out of the figure)")
    args = ap.parse_args(argv)
    idle_wait = args.idle_wait
    round_dir = build(args.n)
    kpi = shutil.which("kpi-report")
    ours_cmd = [*([kpi] if kpi else [sys.executable, "-m", "generator"]), "run", str(round_dir), "--out", "{out}",
                "--quiet", "--jobs", str(args.jobs), *(["--pdf"] if args.pdf else [])]
    args.no_naive = args.no_naive or args.pdf
    naive_cmd = [sys.executable, str(HERE / "naive.py"), str(round_dir), "{out}"]
    commands = [Stats(f"kpi-report --jobs {args.jobs}{' --pdf' if args.pdf else ''}")]
    commands += [] if args.no_naive else [Stats("naive (openpyxl+docxtpl)")]
    cmds = [ours_cmd] + ([] if args.no_naive else [naive_cmd])
    if args.compare:
        commands, cmds = [commands[0], Stats(f"kpi-report --jobs {args.jobs}, compared")], [ours_cmd, _compared(ours_cmd, round_dir)]
    print(f"{args.n} districts, {args.repeats} repeats, {os.cpu_count()} CPUs, commit {_commit()}, outputs under "
          f"{args.out_base} (creating a file there: {file_create_ms(args.out_base):.2f} ms)", flush=True)
    agree = ""
    with tempfile.TemporaryDirectory(dir=args.out_base) as tmp:
        for rep in range(args.repeats):
            outs = []
            for stats, cmd in zip(commands, cmds):
                if stats is not commands[0] and rep >= (args.naive_repeats or args.repeats):
                    continue
                out = Path(tmp) / f"{len(outs)}-{rep}"
                busy = wait_quiet(idle_wait)
                probe = host_probe()
                run = timed([c.replace("{out}", str(out)) for c in cmd])
                stats.runs.append(run)
                outs.append(out)
                print(f"  repeat {rep + 1}: {stats.command}: {run.wall_s:.2f} s (CPU {run.cpu_s:.1f} s), RSS sum "
                      f"{run.rss_mb:.0f} MB, exit {run.code}; machine busy before {100 * busy:.0f} %, other "
                      f"processes' CPU during the run {run.others_cpu_s:.1f} s; host probe {probe:.2f} s", flush=True)
            if rep == 0 and len(outs) == 2:
                agree = compare(*outs)
            for out in outs:
                shutil.rmtree(out, ignore_errors=True)
    print()
    print(table(commands))
    if agree:
        print(agree)
    if args.compare:
        ratio = commands[1].median / commands[0].median
        print(f"compared / not compared: median {ratio:.3f} ({100 * (ratio - 1):+.1f} %), min "
              f"{commands[1].best / commands[0].best:.3f}; CPU {_cpu(commands[1]) / _cpu(commands[0]):.3f}")
        return
    naive = commands[1] if len(commands) > 1 else None
    (CACHE / f"results-{args.n}{'-pdf' if args.pdf else ''}.json").write_text(json.dumps({
        "n": args.n, "jobs": args.jobs, "commit": _commit(),
        "ours": {"median_s": commands[0].median, "min_s": commands[0].best, "rss_mb": commands[0].peak("rss_mb"),
                 "pss_mb": commands[0].peak("pss_mb"), "runs": [asdict(r) for r in commands[0].runs]},
        "naive": None if naive is None else {"median_s": naive.median, "min_s": naive.best, "rss_mb": naive.peak("rss_mb"),
                                             "runs": [asdict(r) for r in naive.runs]}}, indent=1))
    for line in targets(args.n, commands[0], naive, args.pdf):
        print("target:", line)
    if args.phases:
        columns = {j: phases(round_dir, j, args.repeats, idle_wait) for j in dict.fromkeys([args.jobs, 1])}
        print_phases(columns, args.repeats)
    if args.profile:
        profile(round_dir, CACHE / f"profile-{args.n}.prof")
    if args.py_spy:
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            py_spy([c.replace("{out}", str(Path(tmp) / "out")) for c in ours_cmd], CACHE / f"py-spy-{args.n}.txt")


if __name__ == "__main__":
    main()
