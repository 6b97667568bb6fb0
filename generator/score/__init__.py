"""Scoring: pure functions from typed inputs and a catalog to levels, scores and totals."""

from generator.domain import MODES
from generator.score.engine import missing_district, score_district, score_indicator
from generator.score.totals import Band, band_of, group_totals

__all__ = ["MODES", "Band", "band_of", "group_totals", "missing_district", "score_district", "score_indicator"]
