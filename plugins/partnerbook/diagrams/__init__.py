"""Graphviz diagrams: DOT from the model, layout and groups, figures per page, and running Graphviz."""

# The names the other packages use (each module's other names are its own business).
from .figures import OVERVIEW_THRESHOLD, SFDP_THRESHOLD, diagram_figure

__all__ = [
    "OVERVIEW_THRESHOLD",
    "SFDP_THRESHOLD",
    "diagram_figure",
]
