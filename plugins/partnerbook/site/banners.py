"""What the build puts on a whole page of HTML: the banner of problems a server shows while the data
or a block has errors, and the internal edition's marks."""

from __future__ import annotations

import re

from markupsafe import escape

from ..i18n.language import _, ngettext


def serve_error_banner(problems) -> str:
    """What a server shows on top of every page while the data or a block has errors;
    `problems` are Problems, or lines of text (Zensical's adapter keeps the message)."""
    items = "".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in problems)
    templates = any(str(getattr(problem, "path", problem)).split(":")[0].endswith(".j2") for problem in problems)
    if templates:
        heading = ngettext("partnerbook: %(num)s problem; this site shows the last data that loaded and the "
                           "packaged templates until it is fixed",
                           "partnerbook: %(num)s problems; this site shows the last data that loaded and the "
                           "packaged templates until they are fixed", len(problems))
    else:
        heading = ngettext("partnerbook: %(num)s problem; this site shows the last data that loaded until it is fixed",
                           "partnerbook: %(num)s problems; this site shows the last data that loaded until they are "
                           "fixed", len(problems))
    return ('<div class="admonition failure pb-serve-errors" role="alert">'
            f'<p class="admonition-title">{escape(heading)}</p><ul>{items}</ul></div>')


_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def internal_edition_marks(html: str) -> str:
    """A whole page of the internal edition: `noindex` in its head and "Internal edition" on top,
    so a page that escapes the building says what it is and search engines leave it out."""
    banner = escape(_("Internal edition: this page shows what is marked internal. Do not publish it."))
    html = _HEAD.sub(lambda m: m.group(0) + '<meta name="robots" content="noindex">', html, count=1)
    return _BODY.sub(lambda m: m.group(0) + f'<div class="pb-edition-banner" role="note">{banner}</div>',
                     html, count=1)



def on_top(html: str, fragment: str) -> str:
    """A whole page with `fragment` first in its body (a standalone page's problems banner)."""
    return _BODY.sub(lambda m: m.group(0) + fragment, html, count=1)
