"""Graphviz's SVG made ready for a page (links relative to it, a title and a description, ids
prefixed) or for a standalone file of the site."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_LINK = re.compile(r'xlink:href="pb:(partner|decision|agreement|group):([a-z0-9-]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def svg_for_page(svg: str, *, prefix: str, title: str, desc: str, href: Callable[[str, str], str]) -> str:
    """Graphviz SVG → inline SVG for one page: ids made unique, links relative, title and desc first."""
    svg = _PROLOG.sub("", svg).strip()
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1).replace(",", "-")}"', svg)
    svg = svg.replace('href="#', f'href="#{prefix}-').replace("url(#", f"url(#{prefix}-")
    svg = _LINK.sub(lambda m: f'xlink:href="{escape(href(m.group(1), m.group(2)))}"', svg)
    labelled = (f'<title id="{prefix}-title">{escape(title)}</title>'
                f'<desc id="{prefix}-desc">{escape(desc)}</desc>')
    return _SVG_OPEN.sub(
        lambda m: m.group(0)[:-1] + f' role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
                                    f'class="pb-svg">' + labelled, svg, count=1)


# A standalone file has no page CSS: the light palette of partnerbook.css, in short.
_STANDALONE_STYLE = """<style>
.pb-svg { background: #fff; }
.pb-svg text { fill: #222; font-family: Helvetica, Arial, sans-serif; }
.pb-svg .node polygon, .pb-svg .node ellipse, .pb-svg .node path { fill: #f2f2f2; stroke: #666; }
.pb-svg .pb-ivn polygon, .pb-svg .pb-ivn path { fill: #e3e6f3; stroke: #3f51b5; }
.pb-svg .pb-focal ellipse { fill: #3f51b5; stroke: #222; } .pb-svg .pb-focal text { fill: #fff; font-weight: 700; }
.pb-svg .graph > ellipse { fill: #f1f2fa; stroke: #9fa8da; }
.pb-svg .edge path { stroke: #666; } .pb-svg .edge polygon { fill: #666; stroke: #666; }
.pb-svg .pb-intangible path { stroke: #7c4dff; } .pb-svg .pb-intangible polygon { fill: #7c4dff; stroke: #7c4dff; }
</style>"""


def standalone_svg(svg: str, *, title: str, desc: str, href: Callable[[str, str], str]) -> str:
    """Graphviz SVG → an SVG file of its own: links relative to the file, a light palette."""
    inline = svg_for_page(svg, prefix="pb", title=title, desc=desc, href=href)
    inline = _SVG_OPEN.sub(lambda m: m.group(0) + _STANDALONE_STYLE, inline, count=1)
    return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + inline


def file_name(key: str) -> str:
    return f"{key[:20]}.svg"
