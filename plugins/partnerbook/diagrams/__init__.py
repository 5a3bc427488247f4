"""Graphviz diagrams: DOT from the model, layout and groups, figures per page, and running Graphviz."""
