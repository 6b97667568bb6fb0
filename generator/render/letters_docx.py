"""A fast docxtpl renderer: a template's XML is patched and compiled once, each letter is one jinja
render and one small zip written straight to disk (no python-docx parse/save per letter; the template's
unchanged parts are deflated once, only the rendered parts and the core properties per letter).

Text is data: jinja runs sandboxed with autoescape on, so ``R&D <ok>``, ``{{ x }}``, ``{% if %}`` or
``<w:p>`` typed by a district come out literally; characters XML forbids are dropped.

``patch_xml`` is docxtpl's, undocumented: with a docxtpl release it was not proven against (fastpath.py),
``PlainDocx`` renders each letter with docxtpl's own ``DocxTemplate.render`` instead (public API, slower).
The template language both accept is written down in docs/letter-templates.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Optional
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from generator.render import fastpath
from generator.render.atomic import write_bytes
from generator.render.zip_parts import Entry, archive

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
# XML 1.0 forbids these; Excel cells can hold them (e.g. _x000B_ vertical tabs)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')
_TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|charts/chart\d*)\.xml")


#: rendered parts, the template's media parts → the parts to write (reworked, or media replaced)
Finish = Callable[[dict[str, bytes], dict[str, bytes]], dict[str, bytes]]


class LetterTemplateError(Exception):
    """A letter template that cannot be read or rendered; the message is Thai with English beside it."""


def _finalize(number: Callable[[Any], str]) -> Callable[[Any], Any]:
    """What every ``{{ value }}`` goes through before escaping: numbers formatted, text made XML-safe."""
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Markup):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return number(value)
        text = _ILLEGAL.sub("", str(value))
        if "\n" in text or "\r" in text or "\t" in text:
            lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n")
            return _BREAK.join(escape(line) for line in lines)
        return text
    return finalize


def make_env(number: Callable[[Any], str], filters: Mapping[str, Callable] | None = None) -> SandboxedEnvironment:
    """The sandboxed, autoescaping jinja environment letters are rendered in."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize(number),
                               keep_trailing_newline=True)
    env.filters.update(filters or {})
    return env


@dataclass(frozen=True)
class CoreProps:
    """Pinned document properties: no 'modified now', so the same round gives the same file."""

    title: str
    author: str
    created: dt.date
    subject: str = ""
    keywords: str = ""

    def xml(self) -> bytes:
        """docProps/core.xml."""
        stamp = f"{self.created.isoformat()}T00:00:00Z"
        e = lambda s: xml_escape(_ILLEGAL.sub("", s))  # noqa: E731
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{e(self.title)}</dc:title><dc:subject>{e(self.subject)}</dc:subject>"
            f"<dc:creator>{e(self.author)}</dc:creator><cp:keywords>{e(self.keywords)}</cp:keywords>"
            f"<cp:lastModifiedBy>{e(self.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        ).encode()


class CompiledDocx:
    """A DOCX template read once: its parts kept in memory compressed, its tagged XML parts compiled by jinja."""

    def __init__(self, path: Path, env: SandboxedEnvironment):
        self.path = Path(path)
        try:
            with zipfile.ZipFile(self.path) as z:
                parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        except (OSError, zipfile.BadZipFile, KeyError) as e:
            raise LetterTemplateError(f"อ่านแม่แบบหนังสือไม่ได้ (cannot read letter template) {self.path}: {e}") from None
        patcher = DocxTemplate(str(self.path))     # only its tag clean-up (patch_xml) is used
        self.templates = {}
        for name, data in parts:
            if _TEMPLATED.fullmatch(name) and b"{" in data:
                try:
                    self.templates[name] = env.from_string(patcher.patch_xml(data.decode("utf-8")))
                except TemplateError as e:
                    raise LetterTemplateError(f"แม่แบบหนังสือมีแท็กผิด (bad jinja tag in template) "
                                              f"{self.path.name} {name}: {e}") from None
        if DOCUMENT not in self.templates:
            raise LetterTemplateError(f"แม่แบบหนังสือไม่มี word/document.xml ที่มีแท็ก (no tagged document) {self.path}")
        self.entries = [(name, _entry(name, data)) for name, data in parts]   # the fixed parts, deflated once
        self.media = {name: data for name, data in parts if name.startswith("word/media/")}

    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """The rendered XML of every tagged part."""
        out = {}
        for name, template in self.templates.items():
            try:
                out[name] = template.render(context).encode("utf-8")
            except TemplateError as e:
                raise LetterTemplateError(f"สร้างหนังสือจากแม่แบบไม่ได้ (template render failed) "
                                          f"{self.path.name} {name}: {e}") from None
        return out

    def write(self, path: Path, context: Mapping[str, Any], core: CoreProps, finish: Optional[Finish] = None) -> Path:
        """Render and write one DOCX atomically; entries dated by the letter, in the template's order; ``finish``
        may rework the rendered parts and replace media parts (letters_print.PrintFinish)."""
        rendered = self.render_parts(context)
        if finish is not None:
            rendered = finish(rendered, self.media)
        rendered[CORE] = core.xml()
        entries = [_entry(name, rendered[name]) if name in rendered else entry for name, entry in self.entries]
        write_bytes(path, archive(entries, core.created))
        return path


class PlainDocx:
    """A DOCX template rendered per letter by docxtpl's public ``DocxTemplate.render`` (the fallback path)."""

    def __init__(self, path: Path, env: SandboxedEnvironment):
        self.path, self.env = Path(path), env
        try:
            with zipfile.ZipFile(self.path) as z:
                z.getinfo(DOCUMENT)
        except (OSError, zipfile.BadZipFile, KeyError) as e:
            raise LetterTemplateError(f"อ่านแม่แบบหนังสือไม่ได้ (cannot read letter template) {self.path}: {e}") from None

    def write(self, path: Path, context: Mapping[str, Any], core: CoreProps, finish: Optional[Finish] = None) -> Path:
        """Render and write one DOCX atomically: docxtpl renders and saves, ``finish`` reworks the parts as on the
        fast path, and the parts are zipped as the fast path does."""
        template = DocxTemplate(str(self.path))
        try:
            template.render(dict(context), jinja_env=self.env)
        except TemplateError as e:
            raise LetterTemplateError(f"สร้างหนังสือจากแม่แบบไม่ได้ (template render failed) {self.path.name}: {e}") from None
        saved = io.BytesIO()
        template.save(saved)
        with zipfile.ZipFile(saved) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        parts.update(self._charts(parts, context))
        if finish is not None:
            media = {name: data for name, data in parts.items() if name.startswith("word/media/")}
            parts.update(finish({n: d for n, d in parts.items() if n not in media}, media))
        parts[CORE] = core.xml()
        write_bytes(path, archive([_entry(name, data) for name, data in parts.items()], core.created))
        return path


    def _charts(self, parts: Mapping[str, bytes], context: Mapping[str, Any]) -> dict[str, bytes]:
        """The tagged chart parts, which docxtpl's render leaves as they are, rendered by the same jinja env."""
        out = {}
        for name, data in parts.items():
            if name.startswith("word/charts/") and _TEMPLATED.fullmatch(name) and b"{" in data:
                try:
                    out[name] = self.env.from_string(data.decode("utf-8")).render(context).encode("utf-8")
                except TemplateError as e:
                    raise LetterTemplateError(f"สร้างหนังสือจากแม่แบบไม่ได้ (template render failed) {self.path.name} "
                                              f"{name}: {e}") from None
        return out


def _entry(name: str, data: bytes) -> Entry:
    """A member as zipfile stores it: pictures as they are, everything else deflated."""
    return Entry.of(name, data, stored=name.startswith("word/media/"))


@lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int, size: int, env: SandboxedEnvironment, fast: bool) -> CompiledDocx | PlainDocx:
    return CompiledDocx(Path(path), env) if fast else PlainDocx(Path(path), env)


def load_template(path: Path, env: SandboxedEnvironment) -> CompiledDocx | PlainDocx:
    """A compiled template, read once per process (again only if the file changes); docxtpl's own render where
    this docxtpl release is not proven for the compiled path."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        raise LetterTemplateError(f"ไม่พบแม่แบบหนังสือ (letter template not found): {path}") from None
    return _load(str(path), st.st_mtime_ns, st.st_size, env, fastpath.docx_fast())
