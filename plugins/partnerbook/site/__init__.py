"""The pages: the view registry and the views, ```partnerbook blocks, the generated pages,
paging, the workshop sheets, the banners on a whole page and the templates' environment."""

# The names the other packages use (each module's other names are its own business).
from .banners import serve_error_banner
from .context import Renderer, Stash
from .pages import GeneratedPage
from .templating import template_problem
from .workshop import SHEET_PARTNER_LIMIT

__all__ = [
    "SHEET_PARTNER_LIMIT",
    "GeneratedPage",
    "Renderer",
    "Stash",
    "serve_error_banner",
    "template_problem",
]
