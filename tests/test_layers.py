"""The layers stay straight: who may import whom, read from the source (every import, at any depth), and what
the command line loads before a command runs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# layer (a module or a package of generator/) → the layers it must never import
FORBIDDEN = {
    "domain": ("*",),                       # depends on nothing of the project
    "score": ("read", "render", "api", "cli", "config"),
    "read": ("render", "score", "api", "cli"),
    "config": ("score", "read", "render", "api", "cli"),
    "catalog": ("score", "read", "render", "api", "cli", "config"),
    "render": ("read", "api", "cli"),
}


def layer_of(path: Path) -> str:
    """``score`` for generator/score/kinds.py, ``config`` for generator/config.py."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported_layers(path: Path) -> set[str]:
    """The project layers a module imports, at module level or inside functions (TYPE_CHECKING imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module] if node.module != "generator" else [f"generator.{a.name}" for a in node.names]
    return {n.split(".")[1] for n in names if n.startswith("generator.")} - {"__version__"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_imports_only_what_its_layer_may(path):
    layer = layer_of(path)
    forbidden = FORBIDDEN.get(layer, ())
    imported = imported_layers(path) - {layer}
    wrong = imported if forbidden == ("*",) else imported & set(forbidden)
    assert not wrong, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(wrong)}"


def test_the_rules_are_checked_on_real_imports():
    """The walker sees module-level, nested and TYPE_CHECKING imports (so a rule cannot pass by not looking)."""
    assert {"catalog", "score", "config", "parallel", "report"} <= imported_layers(PACKAGE / "api.py")
    assert "read" in imported_layers(PACKAGE / "api.py")           # imported inside functions only
    assert imported_layers(PACKAGE / "config.py") == {"domain"}


def test_importing_the_command_line_loads_no_reader_engine_or_writer():
    """`kpi-report --help` needs click and the commands' options, nothing of the round."""
    code = ("import json, sys, generator.cli; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('generator'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    heavy = [m for m in loaded if m.split(".")[1:2] and m.split(".")[1] in
             ("score", "read", "render", "api", "catalog", "config", "report", "parallel")]
    assert heavy == [] and "generator.cli" in loaded, loaded
