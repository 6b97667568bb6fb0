"""kpi-report: collection forms, scoring and Thai official documents for KPI evaluation rounds."""

__version__ = "0.1.0"
