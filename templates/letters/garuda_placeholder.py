"""Draw garuda-placeholder.png: a dashed 2.6 × 3 cm box saying ตราครุฑ, for the office to replace with
its emblem. Needs LibreOffice (soffice) and poppler's pdftoppm; the PNG is committed, so only
``make_templates.py --placeholder`` runs this."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from docx_kit import GARUDA

PLACEHOLDER_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="P" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.8cm"/>
   <style:text-properties fo:font-family="Laksaman" style:font-family-complex="Laksaman" fo:font-size="18pt"
     style:font-size-complex="18pt" fo:color="#808080"/>
  </style:style>
  <style:style style:name="S" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-family="Laksaman" style:font-family-complex="Laksaman" fo:font-size="11pt"
     style:font-size-complex="11pt" fo:color="#909090"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="2.6cm" fo:page-height="3cm" fo:margin-top="0cm"
     fo:margin-bottom="0cm" fo:margin-left="0cm" fo:margin-right="0cm" fo:border="1.5pt dashed #909090"
     fo:padding="0cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
 <office:body><office:text>
  <text:p text:style-name="P">ตราครุฑ</text:p>
  <text:p text:style-name="S">Garuda</text:p>
 </office:text></office:body>
</office:document>
"""


def draw_placeholder() -> None:
    """Re-draw garuda-placeholder.png (2.6 × 3 cm at 300 dpi) with LibreOffice and pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "garuda.fodt"
        src.write_text(PLACEHOLDER_FODT, encoding="utf-8")
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=120)
        subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", str(Path(tmp) / "garuda.pdf"),
                        str(Path(tmp) / "garuda")], check=True, timeout=60)
        GARUDA.write_bytes((Path(tmp) / "garuda.png").read_bytes())
