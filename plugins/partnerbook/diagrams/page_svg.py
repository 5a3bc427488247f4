"""Graphviz's SVG made ready for a page: links relative to it, a title and a description, ids
prefixed (the browser makes the full-size file from it: assets/partnerbook.js)."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
# An attribute follows white space. (`\bid=` said the same, but a word boundary as the first step
# leaves the regex engine no literal to search for: 5× slower over a page's SVG, 0.15 s a build.)
_ID = re.compile(r'(\s)id="([^"]*)"')
_LINK = re.compile(r'xlink:href="pb:(partner|decision|agreement|group):([a-z0-9-]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def svg_for_page(svg: str, *, prefix: str, title: str, desc: str, href: Callable[[str, str], str]) -> str:
    """Graphviz SVG → inline SVG for one page: ids made unique, links relative, title and desc first."""
    svg = _PROLOG.sub("", svg).strip()
    svg = _ID.sub(lambda m: f'{m.group(1)}id="{prefix}-{m.group(2).replace(",", "-")}"', svg)
    svg = svg.replace('href="#', f'href="#{prefix}-').replace("url(#", f"url(#{prefix}-")
    svg = _LINK.sub(lambda m: f'xlink:href="{escape(href(m.group(1), m.group(2)))}"', svg)
    labelled = (f'<title id="{prefix}-title">{escape(title)}</title>'
                f'<desc id="{prefix}-desc">{escape(desc)}</desc>')
    return _SVG_OPEN.sub(
        lambda m: m.group(0)[:-1] + f' role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
                                    f'class="pb-svg">' + labelled, svg, count=1)
