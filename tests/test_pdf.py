"""PDF conversion with LibreOffice: chunks, parallel profiles, verification, and life without soffice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.render import pdf
from generator.render.letters import letter_file_name, write_letters
from generator.thai import be_date

FAKE = """#!{python}
import json, os, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
profile = next(a for a in args if a.startswith("-env:UserInstallation="))
files = args[args.index("--outdir") + 2:]
def log(**event):
    with open(os.environ["FAKE_LOG"], "a") as f:
        f.write(json.dumps(event) + "\\n")
def started():
    with open(os.environ["FAKE_LOG"]) as f:
        return sum(json.loads(line)["event"] == "start" for line in f)
log(event="start", profile=profile, files=len(files), pid=os.getpid())
waited = 0                                                    # FAKE_PEERS: wait until that many calls started,
while started() < int(os.environ.get("FAKE_PEERS", "1")) and waited < 3000:   # so overlap is an order of events
    time.sleep(0.01)
    waited += 1
time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
for f in files[:int(os.environ.get("FAKE_MAX", "999"))]:       # LibreOffice drops files past a limit, exit 0
    if "broken" not in f:
        stem = os.path.splitext(os.path.basename(f))[0]
        open(os.path.join(outdir, stem + ".pdf"), "wb").write(b"%PDF-1.4 fake")
log(event="end", profile=profile)
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    """A stand-in soffice (see FAKE) on KPI_SOFFICE; returns the log of its calls."""
    fake = tmp_path / "soffice"
    fake.write_text(FAKE.format(python=sys.executable))
    fake.chmod(0o755)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv(pdf.ENV_VAR, str(fake))
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


def make_inputs(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in names:
        p = folder / n
        p.write_bytes(b"PK fake docx")
        out.append(p)
    return out


def test_without_soffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    files = make_inputs(tmp_path / "in", ["circular.docx"])
    pdfs, messages = pdf.convert_to_pdf(files, tmp_path / "pdf")
    assert pdfs == [] and len(messages) == 1
    said = messages[0]
    assert "ไม่พบโปรแกรม LibreOffice" in said and "LibreOffice not found" in said
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in said
    assert "libreoffice.org/download" in said and "Windows" in said


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX PATH handling")
def test_find_soffice_none_when_absent(monkeypatch):
    monkeypatch.delenv(pdf.ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", "")
    assert pdf.find_soffice() is None


def test_missing_input_is_a_message_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    pdfs, messages = pdf.convert_to_pdf([tmp_path / "nope.docx"], tmp_path / "pdf")
    assert pdfs == [] and "ไม่พบไฟล์" in messages[0]


@pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a POSIX script")
def test_relative_folders_are_converted(tmp_path, monkeypatch, fake_soffice):
    """A library caller may name the files and the PDF folder relative to the working folder."""
    make_inputs(tmp_path / "letters", ["a.docx"])
    monkeypatch.chdir(tmp_path)
    pdfs, messages = pdf.convert_to_pdf([Path("letters/a.docx")], Path("pdf"))
    assert messages == [] and pdfs == [(tmp_path / "pdf" / "a.pdf")] and pdfs[0].is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a POSIX script")
def test_chunks_profiles_and_verification(tmp_path, monkeypatch, fake_soffice):
    log = fake_soffice
    monkeypatch.setenv("FAKE_MAX", "2")                       # each call silently drops its 3rd file
    monkeypatch.setenv("FAKE_PEERS", "2")                     # a call ends only once a second one has started
    monkeypatch.setattr(pdf, "CHUNK", 3)
    names = [f"{i:02d}-อำเภอ.docx" for i in range(7)] + ["broken.docx"]
    files = make_inputs(tmp_path / "letters", names)
    out = tmp_path / "pdf"
    pdfs, messages = pdf.convert_to_pdf(files, out, jobs=2)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    calls = [e for e in events if e["event"] == "start"]
    assert max(c["files"] for c in calls) <= 3                # never more than CHUNK files per call
    assert len({c["profile"] for c in calls}) == len(calls)   # every instance has its own profile
    order = [e["event"] for e in events]
    assert order[:2] == ["start", "start"]                    # 2 at once: the second began before any ended
    assert sorted(p.name for p in pdfs) == sorted(n.replace(".docx", ".pdf") for n in names if n != "broken.docx")
    assert all(p.parent == out and p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert messages == ["แปลงเป็น PDF ไม่สำเร็จ (PDF not produced): broken.docx"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in pdfs)    # no staging folder left


def test_batches_are_balanced_for_two_instances_and_bounded(tmp_path, monkeypatch):
    """The national round: 881 DOCX and a summary worth ~85 letters go in 6 batches of at most 200 files whose costs
    differ by at most one letter, so the two instances finish together; the summary's batch goes first."""
    letters = make_inputs(tmp_path, [f"{i:03d}.docx" for i in range(881)])
    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(b"x" * 85 * pdf.XLSX_BYTES_PER_LETTER)
    batches = pdf.balanced([*letters, summary], jobs=2, limit=200)
    loads = [sum(pdf.cost(f) for f in b) for b in batches]
    assert len(batches) == 6 and max(len(b) for b in batches) <= 200
    assert max(loads) - min(loads) <= 1 and summary in batches[0]
    assert sorted(f for b in batches for f in b) == sorted([*letters, summary])
    assert all(b == sorted(b) for b in batches)                 # each batch keeps the files' order


def test_batches_of_a_few_files(tmp_path):
    """Fewer files than instances: one batch each; one file per call when the limit says so."""
    files = make_inputs(tmp_path, ["a.docx", "b.docx", "c.docx"])
    assert pdf.balanced(files[:1], jobs=2, limit=200) == [files[:1]]
    assert sorted(map(tuple, pdf.balanced(files, jobs=2, limit=1))) == [(f,) for f in files]
    assert sorted(len(b) for b in pdf.balanced(files, jobs=2, limit=200)) == [1, 2]


@pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a POSIX script")
def test_progress_counts_every_file_once_as_its_call_finishes(tmp_path, monkeypatch, fake_soffice):
    monkeypatch.setattr(pdf, "CHUNK", 4)
    files = make_inputs(tmp_path / "letters", [f"{i:02d}.docx" for i in range(10)])
    seen, totals = [], []

    def progress(items, total):
        totals.append(total)
        for item in items:
            seen.append(item)
            yield item

    pdfs, messages = pdf.convert_to_pdf(files, tmp_path / "pdf", jobs=2, progress=progress)
    assert totals == [10] and sorted(seen) == sorted(files) and len(pdfs) == 10 and messages == []


@pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a POSIX script")
@pytest.mark.slow
def test_a_hung_soffice_is_stopped(tmp_path, monkeypatch, fake_soffice):
    monkeypatch.setenv("FAKE_SLEEP", "60")
    monkeypatch.setattr(pdf, "TIMEOUT_BASE", 1)
    monkeypatch.setattr(pdf, "TIMEOUT_PER_FILE", 0)
    pdfs, messages = pdf.convert_to_pdf(make_inputs(tmp_path / "in", ["memo.docx"]), tmp_path / "pdf")
    assert pdfs == [] and any("timed out" in m for m in messages) and any("memo.docx" in m for m in messages)
    events = [json.loads(line) for line in fake_soffice.read_text().splitlines()]
    assert events and {e["event"] for e in events} == {"start"}  # no call finished its minute of sleep:
    for call in events:                                       # each was killed (and reaped), not waited for
        with pytest.raises(ProcessLookupError):
            os.kill(call["pid"], 0)


def test_same_pdf_name_is_skipped_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    a = make_inputs(tmp_path / "a", ["memo.docx"])
    b = make_inputs(tmp_path / "b", ["memo.docx"])
    _, messages = pdf.convert_to_pdf(a + b, tmp_path / "pdf")
    assert any("ชื่อซ้ำ" in m for m in messages)


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_letters_to_pdf(synthetic_report, tmp_path):
    """Circular, one district letter and the memo become PDFs showing the Thai date and the signer."""
    write_letters(synthetic_report, tmp_path)
    r = synthetic_report.round
    district = synthetic_report.scored[0].district
    files = [tmp_path / "letters" / "circular.docx", tmp_path / "letters" / letter_file_name(district.code, district.name),
             tmp_path / "memo.docx"]
    start = time.perf_counter()
    pdfs, messages = pdf.convert_to_pdf(files, tmp_path / "pdf")
    print(f"\nconverted {len(pdfs)} documents in {time.perf_counter() - start:.1f} s")
    assert messages == [] and [p.name for p in pdfs] == [f.with_suffix(".pdf").name for f in files]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for path, date in zip(pdfs, [r.letter.date, r.letter.date, r.memo.date]):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
        assert be_date(date) in text, path.name
        signer = r.memo_signer if path.name == "memo.pdf" else r.signer
        assert f"({signer.name})" in text, path.name


@pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a POSIX script")
def test_the_font_probe_works_inside_the_folder_it_is_given_and_leaves_nothing(tmp_path, fake_soffice):
    """A run probes inside its own output (its staging folder), not in the system's temporary folder."""
    where = tmp_path / "staging"
    where.mkdir()
    said = pdf.font_problem(where=where)
    assert said is not None and "ไม่ได้สร้างไฟล์ PDF" in said      # the fake's PDF names no TH Sarabun face
    [start] = [json.loads(line) for line in fake_soffice.read_text().splitlines() if '"start"' in line]
    assert f"file://{where}/.kpi-font-probe-" in start["profile"]
    assert list(where.iterdir()) == []
