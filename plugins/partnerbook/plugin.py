"""The `partnerbook` plugin's entry point (`mkdocs.plugins`, `properdocs.plugins`): see `hosts.mkdocs`."""

from .hosts.mkdocs import PartnerbookPlugin

__all__ = ["PartnerbookPlugin"]
