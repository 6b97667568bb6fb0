"""The fence around the fast paths that ride on library internals.

``render/xlsx_fast.py`` overrides private methods and reads undocumented attributes of xlsxwriter;
``render/letters_docx.py`` calls docxtpl's undocumented ``DocxTemplate.patch_xml``. Each is used only with a
release it was proven against (``PROVEN``, the versions pinned in constraints.txt, where the tests compare
the fast output with the public API's); any other release gets the public-API path: xlsxwriter's own
``Workbook`` for scorecards and the summary, docxtpl's own ``DocxTemplate.render`` for letters. Same
documents, slower. ``KPI_REPORT_FASTPATH=off`` forces the public-API path, ``=on`` the fast path whatever
the release (the CI leg that tries the newest releases uses it).
"""

from __future__ import annotations

import os
from typing import Any, Literal, cast

ENV_VAR = "KPI_REPORT_FASTPATH"
Library = Literal["xlsxwriter", "docxtpl"]
#: The releases each fast path was proven against (keep in step with constraints.txt).
PROVEN: dict[Library, tuple[str, ...]] = {"xlsxwriter": ("3.3.1",), "docxtpl": ("0.20.2",)}


def fast(library: Library, installed: str) -> bool:
    """Whether the fast path over ``library`` is used: ``off`` never, ``on`` always, else when ``installed`` is proven."""
    mode = os.environ.get(ENV_VAR, "auto").strip().lower()
    if mode == "off":
        return False
    return mode == "on" or installed in PROVEN[library]


def workbook_class() -> type[Any]:
    """The Workbook class scorecards and the summary are written with: xlsx_fast's, or plain xlsxwriter's."""
    import xlsxwriter

    if fast("xlsxwriter", xlsxwriter.__version__):
        try:
            from generator.render.xlsx_fast import FastWorkbook
        except (ImportError, AttributeError):  # an internal it imports is gone: the public API it is
            return cast("type[Any]", xlsxwriter.Workbook)
        return FastWorkbook
    return cast("type[Any]", xlsxwriter.Workbook)


def docx_fast() -> bool:
    """Whether letters are rendered by the compiled-template path (docxtpl's patch_xml) or by docxtpl's render."""
    import docxtpl

    return fast("docxtpl", docxtpl.__version__) and callable(getattr(docxtpl.DocxTemplate, "patch_xml", None))
