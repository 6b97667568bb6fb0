"""Indicator catalogs: typed model and loader."""

from generator.catalog.load import CatalogError, load_catalog, parse_catalog
from generator.catalog.model import Catalog, Indicator, Input

__all__ = ["Catalog", "CatalogError", "Indicator", "Input", "load_catalog", "parse_catalog"]
