"""Reading returned collection workbooks: defined names → raw cells → typed inputs and Problem values."""

from generator.read.submissions import RoundInputs, Submission, read_round
from generator.read.values import parse
from generator.read.workbook import Cell, read_workbook

__all__ = ["Cell", "RoundInputs", "Submission", "parse", "read_round", "read_workbook"]
