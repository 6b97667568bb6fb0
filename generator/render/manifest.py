"""manifest.json: what was read and written, with sha256 digests, for inspection."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

from generator import __version__
from generator.render.atomic import write_bytes
from generator.render.letters import letter_register
from generator.report import RoundReport


def sha256(path: Path) -> str:
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(paths: Iterable[Path], root: Path) -> list[dict]:
    return [{"path": p.relative_to(root).as_posix(), "sha256": sha256(p), "bytes": p.stat().st_size}
            for p in sorted(paths)]


def _previous(report: RoundReport) -> dict:
    """The previous round compared with (its results.csv as named from the round folder, its sha256), if any."""
    c, rnd = report.comparison, report.round
    if c is None or rnd.compare is None:
        return {}
    return {"previous": {"round_id": c.previous_id, "path": os.path.relpath(c.previous_path, rnd.directory)
                         .replace(os.sep, "/"), "sha256": c.previous_sha256}}


def write_manifest(path: Path, report: RoundReport, inputs: Iterable[Path], outputs: Iterable[Path],
                   started: str, finished: str) -> None:
    """Write manifest.json: tool, round, digests of config, catalog, inputs and outputs, problem counts, times."""
    rnd = report.round
    problems = report.all_problems()
    data = {
        "tool": "kpi-report", "version": __version__, "round_id": rnd.id, "scoring": report.mode,
        "config": {"path": "round.toml", "sha256": sha256(rnd.directory / "round.toml")},
        "catalog": {"path": rnd.catalog_path.name, "id": report.catalog.id, "sha256": sha256(rnd.catalog_path)},
        "inputs": _files(inputs, rnd.directory),
        "outputs": _files(outputs, path.parent),
        **_previous(report),
        "districts": {s: sum(1 for r in report.results if r.status == s) for s in ("ok", "warning", "error", "missing")},
        "errors": sum(1 for p in problems if p.severity == "error"),
        "warnings": sum(1 for p in problems if p.severity == "warning"),
        "letters": letter_register(report),
        "started": started, "finished": finished,
    }
    write_bytes(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
