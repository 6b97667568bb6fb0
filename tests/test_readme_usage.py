"""The README's usage block is checked against the commands themselves: every command and every option of it."""

from __future__ import annotations

import click
import pytest

from badkit import ROOT
from generator.cli import cli

USAGE = (ROOT / "README.md").read_text(encoding="utf-8").split("## Usage", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_readme_usage_line_names_every_option(name):
    lines = USAGE.splitlines()
    at = next((i for i, ln in enumerate(lines) if ln.startswith(f"kpi-report {name} ")), None)
    assert at is not None, f"README's usage block has no 'kpi-report {name}' line"
    continued = []                                   # a long usage line goes on in the indented lines under it
    for ln in lines[at + 1:]:
        if not ln.startswith(" "):
            break
        continued.append(ln)
    line = " ".join([lines[at], *continued])
    options = [p.opts[0] for p in cli.commands[name].params if isinstance(p, click.Option)]
    assert [o for o in options if o not in line] == [], line
    arguments = [p.name.upper() for p in cli.commands[name].params if isinstance(p, click.Argument)]
    assert all(a in line for a in arguments), line
