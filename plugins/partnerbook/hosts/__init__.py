"""The hosts partnerbook runs under: MkDocs and ProperDocs (the plugin) and Zensical (a Markdown extension)."""

# The names the other packages use (each module's other names are its own business).
from .mkdocs import PartnerbookPlugin
from .zensical import makeExtension, PartnerbookExtension, zensical_page

__all__ = [
    "makeExtension", "PartnerbookExtension", "PartnerbookPlugin", "zensical_page",
]
