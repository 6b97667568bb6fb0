"""Microsoft's Open XML SDK validator (DocumentFormat.OpenXml's OpenXmlValidator) over .xlsx and .docx files,
without a .NET install: the PyPI wheel python-redlines-docxodus carries a self-contained .NET app (runtime and
DocumentFormat.OpenXml.dll); its runtime is laid out as a dotnet root once and loaded through pythonnet.

Run in a process of its own (the .NET runtime must not live in a process that forks workers):

    python tests/ooxml_validate.py RUNTIME_DIR FILE...   → JSON {file: {format version: [error, …]}} on stdout

``available()`` says why it cannot run here (None when it can). Installed by tests/ooxml-requirements.txt.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import shutil
import sys
import tarfile
from pathlib import Path
from typing import Optional

WHEEL = "python_redlines_docxodus"
VERSIONS = ("Office2010", "Office2013", "Office2016", "Office2019", "Office2021", "Microsoft365")
APP_FILES = ("redline", "Docxodus", "DocumentFormat", "SkiaSharp", "libSkiaSharp")  # the app's, not the runtime's


def _archive() -> Optional[Path]:
    """The wheel's packed .NET app for this machine, if the wheel is installed."""
    spec = importlib.util.find_spec(WHEEL)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "_binaries" / "linux-x64.tar.gz"
    return found if found.is_file() else None


def available() -> Optional[str]:
    """Why the validator cannot run here, or None."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        return f"the validator's .NET runtime is packed for linux-x64 only (this is {sys.platform}-{platform.machine()})"
    if _archive() is None:
        return f"{WHEEL} is not installed (pip install -r tests/ooxml-requirements.txt; .ci/run does)"
    if importlib.util.find_spec("pythonnet") is None or importlib.util.find_spec("clr_loader") is None:
        return "pythonnet is not installed (pip install -r tests/ooxml-requirements.txt; .ci/run does)"
    return None


def lay_out(root: Path) -> Path:
    """Unpack the wheel's app into ``root`` as a dotnet root (host/fxr, shared/Microsoft.NETCore.App, app); the
    runtime config to load is returned."""
    config = root / "app" / "validate.runtimeconfig.json"
    if config.is_file():
        return config
    unpacked = root / "unpacked"
    with tarfile.open(_archive()) as tar:
        tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    app_config = json.loads((unpacked / "redline.runtimeconfig.json").read_text())["runtimeOptions"]
    version = app_config["includedFrameworks"][0]["version"]
    framework = root / "shared" / "Microsoft.NETCore.App" / version
    for folder in (root / "host" / "fxr" / version, framework, root / "app"):
        folder.mkdir(parents=True, exist_ok=True)
    for path in unpacked.iterdir():
        if path.name == "libhostfxr.so":
            shutil.copy2(path, root / "host" / "fxr" / version)
        target = root / "app" if path.name.startswith(APP_FILES) else framework
        shutil.move(str(path), target / path.name)
    _framework_deps(root / "app" / "redline.deps.json", framework, version)
    config.write_text(json.dumps({"runtimeOptions": {  # invariant culture: no libicu needed on the machine
        "tfm": app_config["tfm"], "framework": {"name": "Microsoft.NETCore.App", "version": version},
        "configProperties": {"System.Globalization.Invariant": True}}}))
    shutil.rmtree(unpacked)
    return config


def _framework_deps(app_deps: Path, framework: Path, version: str) -> None:
    """The framework's deps.json, made from the app's runtime-pack entry (hostfxr skips a framework without one)."""
    deps = json.loads(app_deps.read_text())
    target = deps["runtimeTarget"]["name"]
    pack = next(v for k, v in deps["targets"][target].items() if k.startswith("runtimepack.Microsoft.NETCore.App"))
    name = f"Microsoft.NETCore.App.Runtime.linux-x64/{version}"
    (framework / "Microsoft.NETCore.App.deps.json").write_text(json.dumps({
        "runtimeTarget": {"name": target, "signature": ""}, "compilationOptions": {},
        "targets": {target.split("/")[0]: {}, target: {name: {"runtime": pack.get("runtime", {}),
                                                               "native": pack.get("native", {})}}},
        "libraries": {name: {"type": "package", "serviceable": False, "sha512": ""}}}))


def validate(root: Path, files: list[Path]) -> dict[str, dict[str, list[str]]]:
    """Each file's errors for each Office version from 2010 (``part xpath id: description``); an unopenable
    package is one error under every version."""
    from clr_loader import get_coreclr
    from pythonnet import set_runtime

    set_runtime(get_coreclr(runtime_config=str(lay_out(root)), dotnet_root=str(root)))
    import clr

    clr.AddReference(str(root / "app" / "DocumentFormat.OpenXml.Framework.dll"))
    clr.AddReference(str(root / "app" / "DocumentFormat.OpenXml.dll"))
    from DocumentFormat.OpenXml import FileFormatVersions
    from DocumentFormat.OpenXml.Packaging import (
        SpreadsheetDocument,
        WordprocessingDocument,
    )
    from DocumentFormat.OpenXml.Validation import OpenXmlValidator

    validators = {v: OpenXmlValidator(getattr(FileFormatVersions, v)) for v in VERSIONS}
    out: dict[str, dict[str, list[str]]] = {}
    for path in files:
        opener = SpreadsheetDocument if path.suffix == ".xlsx" else WordprocessingDocument
        try:
            doc = opener.Open(str(path), False)
        except Exception as e:  # noqa: BLE001 - the SDK refused the package: that is the finding
            out[str(path)] = {v: [f"cannot open: {e}"] for v in VERSIONS}
            continue
        try:
            out[str(path)] = {v: [f"{e.Part.Uri if e.Part else ''} {e.Path.XPath if e.Path else ''} {e.Id}: "
                                  f"{e.Description}" for e in validator.Validate(doc)]
                              for v, validator in validators.items()}
        finally:
            doc.Dispose()
    return out


if __name__ == "__main__":
    print(json.dumps(validate(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]), ensure_ascii=False))
