"""LibreOffice at scale: 300 small DOCX in chunks of at most 200, two instances, every PDF verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from generator.render import pdf

pytestmark = [pytest.mark.soffice, pytest.mark.slow,
              pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")]


def test_300_small_docx_become_300_pdfs(tmp_path):
    first = tmp_path / "docx" / "0000-อำเภอ.docx"
    first.parent.mkdir()
    doc = Document()
    doc.add_paragraph("หนังสือทดสอบ ๑ หน้า")
    doc.save(str(first))
    files = [first] + [first.with_name(f"{i:04d}-อำเภอ.docx") for i in range(1, 300)]
    for f in files[1:]:
        shutil.copyfile(first, f)
    pdfs, messages = pdf.convert_to_pdf(files, tmp_path / "pdf")
    assert messages == []
    assert sorted(p.name for p in pdfs) == sorted(f.with_suffix(".pdf").name for f in files)
    assert all(p.stat().st_size > 0 for p in pdfs)
    assert sorted(Path(p).name for p in (tmp_path / "pdf").iterdir()) == sorted(p.name for p in pdfs)
