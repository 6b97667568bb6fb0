"""Regenerate every golden file of tests/golden/ from the current code: ``python tests/golden/regen.py``.

Then read ``git diff tests/golden`` and run ``python -m pytest tests/test_golden_handcheck.py``: the
hand-derived levels there must still hold (see tests/golden/README.md).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for goldenkit

from goldenkit import RESULTS, run_sample, write_golden


def main() -> None:
    """Run the sample round in both scoring modes; store results.csv of each, one scorecard and one letter."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode, target in RESULTS.items():
            out = run_sample(Path(tmp) / mode, mode)
            shutil.copyfile(out / "results.csv", target)
            written.append(target)
        written += write_golden(Path(tmp) / "step")
    print(f"wrote {len(written)} golden files under {RESULTS['step'].parent}")


if __name__ == "__main__":
    main()
