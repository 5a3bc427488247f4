"""`markdown_extensions: [partnerbook.markdown]`, the entry point under Zensical: see `hosts.zensical`."""

from .hosts.zensical import PartnerbookExtension, makeExtension, zensical_page

__all__ = ["PartnerbookExtension", "makeExtension", "zensical_page"]
