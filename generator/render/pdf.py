"""DOCX/XLSX → PDF with LibreOffice headless (``soffice --headless --convert-to pdf``), when it is installed.

- at most CHUNK files per soffice call (LibreOffice silently skips files beyond ~250 arguments and
  still exits 0), in batches balanced by ``cost`` so two soffice instances finish together (the summary
  workbook costs as much as ~85 letters), up to two at once, each with its own throw-away profile
  (``-env:UserInstallation=``; two instances cannot share one);
- every expected PDF is checked; a missing one is retried once on its own, then reported;
- progress is reported by file as each call finishes (``progress(items, total)``, the run's phase hook);
- PDFs are written to a temporary folder inside ``out_dir`` and renamed into place when complete;
- every profile gets the print fonts (``print_font.py``: TH Sarabun New's metrics) in ``user/fonts``;
  ``font_problem`` converts a probe first and says, in Thai, when LibreOffice would print with another font;
- never raises: without LibreOffice, or when it fails, the messages say what happened and how to fix it
  (Thai, with English beside).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from generator.iterate import silent
from generator.render.print_font import INSTALL_HINT, print_fonts

Progress = Callable[[Iterator[Path], int], Iterable[Path]]

CHUNK = 200                 # files per soffice call
XLSX_BYTES_PER_LETTER = 4500  # a workbook's PDF costs LibreOffice one district letter per 4.5 KB (878: 12 s, 85 letters)
MAX_JOBS = 2                # soffice instances at once
TIMEOUT_BASE = 120          # seconds per call, plus TIMEOUT_PER_FILE for each file in it
TIMEOUT_PER_FILE = 10
ENV_VAR = "KPI_SOFFICE"     # path to soffice, when it is not on PATH

NO_SOFFICE = (
    "ไม่พบโปรแกรม LibreOffice (soffice) จึงไม่ได้สร้างไฟล์ PDF แต่ไฟล์ DOCX/XLSX ยังสร้างครบ "
    "(LibreOffice not found: no PDF written; the DOCX/XLSX files are complete). "
    "วิธีติดตั้ง (to install): Linux: sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui; "
    "Windows/macOS: ดาวน์โหลดและติดตั้งจาก (download from) https://www.libreoffice.org/download/ "
    f"แล้วรันคำสั่งอีกครั้ง หรือกำหนดตัวแปร {ENV_VAR} เป็นที่อยู่ของ soffice "
    f"(then run again, or set {ENV_VAR} to the soffice program)."
)

_WINDOWS_PATHS = (r"C:\Program Files\LibreOffice\program\soffice.com",
                  r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_PATH = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_soffice() -> Optional[str]:
    """The LibreOffice program: $KPI_SOFFICE, then PATH, then the usual install folders."""
    env = os.environ.get(ENV_VAR)
    if env and Path(env).is_file():
        return env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = _WINDOWS_PATHS if sys.platform == "win32" else (_MAC_PATH,) if sys.platform == "darwin" else ()
    return next((c for c in candidates if Path(c).is_file()), None)


# LibreOffice 7.4 imports w:pgNumType w:fmt="thaiNumbers" as Arabic numbering; with its "Numerals: Context" option
# (Tools > Options > Languages > Complex Text Layout) it draws digits in Thai-language text, page numbers included,
# as Thai digits, as Word does. (The PDF's text layer keeps the field's "2"; the page shows "๒".)
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/I18N/CTL"><prop oor:name="CTLTextNumerals" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""


def _profile(fonts: Sequence[Path], where: Path) -> Path:
    """A fresh LibreOffice profile folder in ``where`` (inside the run's output, as LibreOffice's HOME too: it writes
    dconf and cache files there): the print fonts in user/fonts (read by LibreOffice at start) and the settings."""
    profile = Path(tempfile.mkdtemp(prefix=".kpi-lo-profile-", dir=where))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_SETTINGS, encoding="utf-8")
    if fonts:
        folder = profile / "user" / "fonts"
        folder.mkdir()
        for font in fonts:
            shutil.copyfile(font, folder / font.name)
    return profile


def _run(soffice: str, files: Sequence[Path], outdir: Path, fonts: Sequence[Path] = ()) -> Optional[str]:
    """One soffice call converting ``files`` into ``outdir`` with a fresh profile beside it; a message when it failed."""
    profile = _profile(fonts, outdir.parent)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--nodefault", "--nologo", "--convert-to", "pdf", "--outdir", str(outdir)] + [str(f) for f in files]
    try:
        home = {"HOME": str(profile), "XDG_CACHE_HOME": str(profile / "cache"), "XDG_CONFIG_HOME": str(profile / "config")}
        return _call(cmd, TIMEOUT_BASE + TIMEOUT_PER_FILE * len(files), len(files), {**os.environ, **home})
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _call(cmd: list[str], timeout: int, count: int, env: Optional[dict[str, str]] = None) -> Optional[str]:
    try:
        # its own process group, so a hung soffice.bin (started by the soffice wrapper) can be stopped too
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=os.name != "nt", env=env)
    except OSError as e:
        return f"เรียกใช้ LibreOffice ไม่ได้ (cannot run soffice): {e}"
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        return (f"LibreOffice ใช้เวลาเกิน {timeout} วินาที จึงหยุดการแปลงไฟล์ชุดนี้ "
                f"(soffice timed out after {timeout}s; {count} files)")
    if proc.returncode != 0:
        tail = (err or out or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return f"LibreOffice จบการทำงานด้วยรหัส {proc.returncode} (soffice exit code) {tail[0]}"
    return None


def _stop(proc: subprocess.Popen) -> None:
    """Stop a soffice we started, and the processes it started (POSIX: its process group)."""
    try:
        if os.name != "nt":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def convert_to_pdf(files: Iterable[Path], out_dir: Path, jobs: int = 2,
                   progress: Progress = silent) -> tuple[list[Path], list[str]]:
    """Convert files to ``out_dir/<stem>.pdf``; return the PDFs written and messages for the clerk."""
    out_dir = Path(out_dir).absolute()  # the profile beside it is given to soffice as a file URI
    messages: list[str] = []
    wanted: list[Path] = []
    seen: dict[str, Path] = {}
    for f in (Path(f) for f in files):
        if not f.is_file():
            messages.append(f"ไม่พบไฟล์ที่จะแปลงเป็น PDF (file to convert not found): {f}")
        elif f.stem.casefold() in seen:
            messages.append(f"ข้ามไฟล์ {f} เพราะชื่อซ้ำกับ {seen[f.stem.casefold()]} ทำให้ได้ PDF ชื่อเดียวกัน "
                            f"(skipped: same PDF name as another file)")
        else:
            seen[f.stem.casefold()] = f
            wanted.append(f)
    if not wanted:
        return [], messages
    soffice = find_soffice()
    if soffice is None:
        return [], messages + [NO_SOFFICE]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pdf-partial-", dir=out_dir))
    except OSError as e:
        return [], messages + [f"สร้างโฟลเดอร์ PDF ไม่ได้ (cannot create the PDF folder) {out_dir}: {e}"]
    try:
        fonts = print_fonts()
        pending = _convert(soffice, wanted, staging, max(1, min(jobs, MAX_JOBS)), messages, fonts, progress=progress)
        if pending:                                   # dropped or failed: once more, in small calls
            pending = _convert(soffice, pending, staging, max(1, min(jobs, MAX_JOBS)), messages, fonts,
                               size=1 if len(pending) <= 10 else 20)
        for f in pending:
            messages.append(f"แปลงเป็น PDF ไม่สำเร็จ (PDF not produced): {f.name}")
        pdfs = []
        for f in wanted:
            made = staging / f"{f.stem}.pdf"
            if f not in pending and made.is_file():
                target = out_dir / made.name
                os.replace(made, target)
                pdfs.append(target)
        return pdfs, messages
    except Exception as e:  # noqa: BLE001 - a PDF problem must never stop the run
        return [], messages + [f"แปลงเป็น PDF ไม่สำเร็จ (PDF conversion failed): {type(e).__name__}: {e}"]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _convert(soffice: str, files: Sequence[Path], staging: Path, jobs: int, messages: list[str],
             fonts: Sequence[Path] = (), size: Optional[int] = None, progress: Progress = silent) -> list[Path]:
    """Convert in chunks, ``jobs`` soffice at once; return the files whose PDF is missing or empty."""
    batches = balanced(files, jobs, size or CHUNK)
    errors: dict[int, Optional[str]] = {}
    with ThreadPoolExecutor(max_workers=min(jobs, len(batches))) as pool:
        calls = {pool.submit(_run, soffice, chunk, staging, fonts): i for i, chunk in enumerate(batches)}
        for _ in progress(_finished(calls, batches, errors), len(files)):
            pass
    for error in (errors[i] for i in sorted(errors)):  # in chunk order, whichever finished first
        if error and error not in messages:
            messages.append(error)
    return [f for f in files if not _ok(staging / f"{f.stem}.pdf")]


def cost(file: Path) -> float:
    """LibreOffice's work for a file, in district letters: a DOCX is one; a workbook one per XLSX_BYTES_PER_LETTER."""
    if file.suffix.lower() != ".xlsx":
        return 1.0
    try:
        return max(1.0, file.stat().st_size / XLSX_BYTES_PER_LETTER)
    except OSError:
        return 1.0


def balanced(files: Sequence[Path], jobs: int, limit: int) -> list[list[Path]]:
    """Files in batches of at most ``limit``, as many as the ``jobs`` instances can run in equal rounds, filled
    heaviest file first into the lightest batch; the heaviest batch first, each batch in the files' order."""
    count = min(len(files), jobs * -(-len(files) // (jobs * limit)))
    bins: list[list[Path]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for f in sorted(files, key=cost, reverse=True):
        i = min((i for i in range(count) if len(bins[i]) < limit), key=loads.__getitem__)
        bins[i].append(f)
        loads[i] += cost(f)
    order = {f: n for n, f in enumerate(files)}
    return [sorted(bins[i], key=order.__getitem__) for i in sorted(range(count), key=lambda i: -loads[i])]


def _finished(calls: dict[Future, int], batches: list[list[Path]], errors: dict[int, Optional[str]]) -> Iterator[Path]:
    """The files of each soffice call as it finishes; its error kept by chunk number."""
    for call in as_completed(calls):
        errors[calls[call]] = call.result()
        yield from batches[calls[call]]


def _ok(pdf: Path) -> bool:
    try:
        return pdf.stat().st_size > 0
    except OSError:
        return False


# ------------------------------------------------------------------------------------ the print font
PROBE_FONT = "TH Sarabun New"       # what the letter templates ask for
_BASE_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9_.-]+)")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _probe_docx() -> bytes:
    """A one-page DOCX with a regular and a bold line of Thai in the letters' font."""
    import zipfile

    def run(text: str, bold: bool) -> str:
        b = "<w:b/><w:bCs/>" if bold else ""
        fonts = " ".join(f'w:{a}="{PROBE_FONT}"' for a in ("ascii", "hAnsi", "cs", "eastAsia"))
        return (f'<w:p><w:r><w:rPr><w:rFonts {fonts}/>{b}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'
                f"<w:t>{text}</w:t></w:r></w:p>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
                f'{run("ตัวชี้วัดรายทีม ๑๒๓", False)}{run("ตัวชี้วัดรายบุคคล ๔๕๖", True)}</w:body></w:document>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def pdf_fonts(pdf: Path) -> list[str]:
    """The fonts a PDF names (subset prefixes dropped), in order of first use in the file."""
    names: list[str] = []
    for m in _BASE_FONT.finditer(pdf.read_bytes()):
        name = m[1].decode("ascii")
        if name not in names:
            names.append(name)
    return names


def is_sarabun(name: str) -> bool:
    """A TH Sarabun face by its PostScript name (THSarabunNew, THSarabunIT9, THSarabunPSK, their bolds)."""
    return name.replace(" ", "").startswith("THSarabun")


def font_problem(soffice: Optional[str] = None, where: Optional[Path] = None) -> Optional[str]:
    """None when LibreOffice prints the letters' font with TH Sarabun's metrics, regular and real bold (a probe
    is converted with the print fonts, in a folder made in ``where``: a run's own output, else the system's
    temporary folder); else the clerk's Thai message saying what to install."""
    soffice = soffice or find_soffice()
    if soffice is None:
        return None                                   # convert_to_pdf says NO_SOFFICE
    work = Path(tempfile.mkdtemp(prefix=".kpi-font-probe-", dir=where))
    try:
        probe = work / "probe.docx"
        probe.write_bytes(_probe_docx())
        (work / "pdf").mkdir()
        failed = _run(soffice, [probe], work / "pdf", print_fonts())  # its profile in work, beside pdf/
        made = work / "pdf" / "probe.pdf"
        if failed or not _ok(made):
            return None                               # LibreOffice itself fails: convert_to_pdf will say so
        used = pdf_fonts(made)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    regular = any(is_sarabun(n) and "Bold" not in n for n in used)
    bold = any(is_sarabun(n) and "Bold" in n for n in used)
    if regular and bold:
        return None
    return (f"ไม่ได้สร้างไฟล์ PDF เพราะ LibreOffice จะพิมพ์หนังสือด้วยฟอนต์ {', '.join(used) or '(ไม่ทราบ)'} "
            f"แทน {PROBE_FONT} ซึ่งขนาดตัวอักษรไม่เท่ากัน บรรทัดและหน้าจะตัดไม่ตรงกับที่ Word พิมพ์ "
            f"(ไฟล์ DOCX และ XLSX ยังสร้างครบ) วิธีแก้: {INSTALL_HINT} "
            f"(no PDF: LibreOffice lacks a font with TH Sarabun's metrics, regular and bold)")
