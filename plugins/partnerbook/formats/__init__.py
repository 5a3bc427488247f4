"""Data in and out: exports (JSON, CSV, XLSX, GraphML, GEXF) and importers (one module per source format)."""

# The names the other packages use (each module's other names are its own business).
from .export import FORMATS as EXPORT_FORMATS
from .export import render, to_csv_tables, write_outputs, write_xlsx
from .importers import FORMATS as IMPORT_FORMATS
from .importers import ImportFailed, reader, write

__all__ = [
    "EXPORT_FORMATS", "IMPORT_FORMATS", "ImportFailed", "reader", "render", "to_csv_tables", "write",
    "write_outputs", "write_xlsx",
]
