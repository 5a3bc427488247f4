"""The hosts partnerbook runs under: MkDocs and ProperDocs (the plugin) and Zensical (a Markdown extension)."""

# The names the other packages use (each module's other names are its own business).
from .mkdocs import PartnerbookPlugin
from .zensical import PartnerbookExtension, makeExtension, zensical_page

__all__ = [
    "PartnerbookExtension",
    "PartnerbookPlugin",
    "makeExtension",
    "zensical_page",
]
