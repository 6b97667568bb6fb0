"""Shared fixtures: the sample round's config and catalog, and a synthetic scored report."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import settings

from generator.catalog import load_catalog
from generator.config import load_round
from generator.problems import Problem
from generator.report import build_report
from generator.score import missing_district, score_district

# Property tests: the same examples on every run (CI reproducible), no per-example deadline on a busy machine.
settings.register_profile("kpi-report", deadline=None, derandomize=True)
settings.load_profile("kpi-report")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2565-r2"


@pytest.fixture(scope="session")
def sample_round():
    """The sample round's configuration."""
    return load_round(SAMPLE)


@pytest.fixture(scope="session")
def catalog(sample_round):
    """The 2565-r2 catalog."""
    return load_catalog(sample_round.catalog_path)[0]


def random_inputs(catalog, rng: random.Random) -> dict:
    """Plausible random typed inputs for every key of a catalog."""
    out: dict = {}
    for inp in catalog.inputs():
        if inp.type == "bool":
            out[inp.key] = rng.random() < 0.8
        elif inp.type == "date":
            out[inp.key] = dt.date(2022, 4, 1) + dt.timedelta(days=rng.randrange(0, 170))
        elif inp.type == "text":
            out[inp.key] = rng.choice(["", "แฟ้มหลักฐาน ๑", "=SUM(A1) ไม่ใช่สูตร", "R&D <ok> {{ x }}"])
        elif inp.type == "pct":
            out[inp.key] = float(rng.randrange(0, 101))
        else:
            out[inp.key] = rng.randrange(50, 200)
    for a, b in (("T1_spent", "T1_allocated"), ("T2_done", "T2_planned"), ("T7_sent", "T7_assigned"),
                 ("I1_below", "I1_target"), ("I2_restructured", "I2_selected"), ("I3_villages_up", "I3_villages")):
        out[a] = min(out[a], out[b])
    return out


@pytest.fixture(scope="session")
def synthetic_report(sample_round, catalog):
    """A report of the sample round from random inputs: two districts missing, one with a value error."""
    rng = random.Random(7)
    results = []
    for i, d in enumerate(sample_round.districts):
        if i in (3, 9):
            results.append(missing_district(catalog, d, [Problem("error", "missing-submission",
                                                                  "ไม่ได้ส่งแบบรายงาน", district=d.code)]))
            continue
        problems = []
        if i == 5:
            problems.append(Problem("error", "bad-number", "ต้องเป็นตัวเลข", district=d.code, file=f"{d.label}.xlsx",
                                    sheet="ตัวชี้วัดรายทีม", cell="C12", key="T1_spent", indicator="T1", value="abc"))
        results.append(score_district(catalog, d, random_inputs(catalog, rng), "step", sample_round.bands,
                                      problems, file=f"{d.label}.xlsx"))
    return build_report(sample_round, catalog, "step", results)
