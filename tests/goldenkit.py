"""Golden outputs of the sample round: what they are made from, how volatile parts are stripped, how a member
differs. Used by tests/test_golden_xml.py, tests/test_run.py's golden results and tests/golden/regen.py."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from generator import api

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
GOLDEN = Path(__file__).parent / "golden"
RESULTS = {"step": GOLDEN / "2565-r2-results.csv", "interpolate": GOLDEN / "2565-r2-results-interpolate.csv"}
# One scorecard and one district letter of the sample round, kept unzipped member by member.
DOCUMENTS = {"scorecard-3101": "scorecards/3101-เมืองบุรีรัมย์.xlsx", "letter-3101": "letters/3101-เมืองบุรีรัมย์.docx"}
# What may change without the document changing: core properties' dates and the tool's version, the writer's
# application version (as XlsxWriter's own tests drop docProps' dates before comparing).
VOLATILE = (re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>"),
            re.compile(rb"kpi-report \d+(\.\d+)*"),
            re.compile(rb"<AppVersion>[^<]*</AppVersion>"))


def run_sample(out: Path, mode: str = "step") -> Path:
    """Run the sample round into ``out``; returns the output folder."""
    result = api.run_round(SAMPLE, out, mode, jobs=1)
    assert result.exit_code == 0, result.messages
    return out


def members(path: Path) -> dict[str, bytes]:
    """Every member of a zip file, uncompressed, volatile parts stripped."""
    with zipfile.ZipFile(path) as z:
        return {name: stripped(z.read(name)) for name in z.namelist()}


def stripped(data: bytes) -> bytes:
    """A member with its volatile parts blanked."""
    for pattern in VOLATILE:
        data = pattern.sub(b"", data)
    return data


def golden_members(name: str) -> dict[str, bytes]:
    """The stored members of golden document ``name`` (a folder under tests/golden/)."""
    folder = GOLDEN / name
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def xml_elements(data: bytes) -> list[str]:
    """A member split into tags and text, one per item, so a difference shows as the element that differs."""
    text = data.decode("utf-8", errors="replace")
    return [part for part in re.split(r"(<[^>]*>)", text) if part.strip()]


def write_golden(out: Path) -> list[Path]:
    """Store the run in ``out``'s results and documents as the golden files; returns what was written."""
    written = []
    for name, relative in DOCUMENTS.items():
        folder = GOLDEN / name
        for old in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
            old.unlink() if old.is_file() else old.rmdir()
        for member, data in members(out / relative).items():
            target = folder / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written
