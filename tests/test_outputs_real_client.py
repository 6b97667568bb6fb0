"""Real client: LibreOffice opens what `run` writes (summary, scorecards) and `run --pdf` prints every document."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.render import pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"
pytestmark = [pytest.mark.soffice, pytest.mark.slow,
              pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice (soffice) or pdftotext is not installed")]


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


@pytest.fixture(scope="module")
def pdf_run(tmp_path_factory):
    """`kpi-report run --pdf` on the sample round."""
    out = tmp_path_factory.mktemp("pdf") / "out"
    result = CliRunner().invoke(cli, ["run", str(SAMPLE), "--out", str(out), "--pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_run_pdf_converts_every_document_and_the_summary(pdf_run):
    docx = [*pdf_run.glob("*.docx"), *(pdf_run / "letters").glob("*.docx")]
    pdfs = {p.stem for p in (pdf_run / "pdf").glob("*.pdf")}
    assert len(docx) == 25 and {p.stem for p in docx} | {"summary"} == pdfs


def test_summary_pdf_shows_thai_ranking(pdf_run):
    text = text_of(pdf_run / "pdf" / "summary.pdf")
    assert "อันดับ" in text and "เมืองบุรีรัมย์" in text


def test_two_scorecards_convert_and_show_their_district(pdf_run, tmp_path):
    cards = sorted((pdf_run / "scorecards").glob("*.xlsx"))[:2]
    pdfs, messages = pdf.convert_to_pdf(cards, tmp_path)
    assert messages == [] and len(pdfs) == 2
    for card, printed in zip(cards, pdfs):
        assert card.stem.split("-", 1)[1] in text_of(printed)
