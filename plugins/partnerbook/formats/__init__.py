"""Data in and out: exports (JSON, CSV, XLSX, GraphML, GEXF) and importers (one module per source format)."""
