"""Jinja2 environments for generated pages (Markdown) and views (HTML).

Data never becomes template source: it only ever arrives as context values,
and every value printed is escaped unless a helper built it as `Markup`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
from markupsafe import Markup, escape

from ..base.problems import Problem, display_path
from ..i18n import language as i18n
from ..i18n.labels import label_filter
from .reads import Tracked, TrackedMapping

# Characters that Markdown, its common extensions (emoji, tables, mark, tilde,
# arithmatex) or HTML would read as syntax. Numeric entities are inert in
# Markdown text and decode to the same character in HTML and SVG.
_MARKDOWN_SPECIAL = set("&<>\"'\\`*_[](){}#|~^!:=+$@")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_SPECIAL}
_BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")


def md_escape(value) -> Markup:
    """Text that shows as itself wherever it lands in a Markdown page."""
    if isinstance(value, Markup):
        return value
    # One line: a newline could start a Markdown block. Only breaking whitespace is folded:
    # the no-break spaces of a French "1 200 000 USD" or "80 %" stay where the locale put them.
    text = _BREAKING_SPACE.sub(" ", str(value)).strip(" ")
    return Markup(text.translate(_ENTITIES))


# A run of letters and digits longer than any ordinary word (a name written without spaces,
# an identifier): it gets soft hyphens, so a narrow column may break it, with a hyphen shown,
# instead of the browser splitting ordinary words to make room (issue 25). It starts only where a run
# of letters and digits starts (the look-behind): tried at every letter of every word, it spent a
# tenth of page generation searching views' HTML, to find the same runs.
_LONG_TOKEN = re.compile(r"(?<![^\W_])[^\W_]{21,}")
_SOFT_HYPHEN = "\u00ad"
# Text between tags; SVG (whose text never wraps), scripts, styles and code are left as they are.
_HTML_PIECE = re.compile(r"(<(svg|script|style|code|pre)\b.*?</\2\s*>|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def breakable(value):
    """Text with soft hyphens every 10 characters inside tokens longer than 20 letters or digits."""
    text = str(value)
    if not _LONG_TOKEN.search(text):
        return value
    hyphenated = _LONG_TOKEN.sub(lambda m: _SOFT_HYPHEN.join(
        m.group(0)[i:i + 10] for i in range(0, len(m.group(0)), 10)), text)
    return Markup(hyphenated) if isinstance(value, Markup) else hyphenated


def breakable_html(html: str) -> str:
    """`breakable` on the text of an HTML fragment, never inside a tag, attribute, SVG or code."""
    if not _LONG_TOKEN.search(html):
        return html
    pieces = _HTML_PIECE.split(html)  # text, tag or element, element name, text, …
    return "".join(str(breakable(piece)) if index % 3 == 0 else piece
                   for index, piece in enumerate(pieces) if index % 3 != 2)


def _finalize_markdown(value):
    if value is None:
        return ""
    return md_escape(value)


# Python-Markdown is quadratic on some inputs: each `[a](` left open rescans the rest of the
# text (80 KB of them took 74 s). A text over the length cap, or whose open links would cost
# more than the work cap (openers × length), is shown as plain text with a note instead.
MARKDOWN_LIMIT = 20_000  # characters; a long real description is a few thousand
_LINK_WORK_LIMIT = 200_000  # about a fifth of a second of Python-Markdown's link scanning
_CLOSED_LINK = re.compile(r"\]\([^()\n]{0,2000}\)")


def too_costly_for_markdown(text: str) -> bool:
    if len(text) > MARKDOWN_LIMIT:
        return True
    openers = text.count("](")
    return bool(openers) and (openers - len(_CLOSED_LINK.findall(text))) * len(text) > _LINK_WORK_LIMIT


def plain_text_html(text: str) -> Markup:
    """Text shown as itself: escaped, one paragraph per blank-line-separated block, after a note."""
    note = i18n._("Shown as plain text: too long or too intricate to format.")
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return Markup(f'<p class="pb-plain-note"><em>{escape(note)}</em></p>'
                  + "".join(f"<p>{escape(block)}</p>" for block in paragraphs))


def render_markdown(text: str) -> Markup:
    """An author's Markdown (description, notes) → sanitised HTML: no raw HTML, http(s)/mailto links only."""
    if not text:
        return Markup("")
    if too_costly_for_markdown(text):
        return plain_text_html(text)
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, url_schemes={"http", "https", "mailto"}))


def _loader(templates_dir: Path | None) -> jinja2.BaseLoader:
    packaged = jinja2.PackageLoader("partnerbook", "templates")
    if templates_dir is not None and templates_dir.is_dir():
        # A handbook's template with the same file name wins.
        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates_dir)), packaged])
    return packaged


_environments: dict = {}


def environments(templates_dir: Path | None,
                 bytecode_dir: Path | None = None) -> tuple[jinja2.Environment, jinja2.Environment]:
    """(markdown_env, html_env), kept while no template override changes: a server's rebuilds
    then compile no template again (35 of them take half a second). With `bytecode_dir`, the
    compiled templates are kept there for the next build's process too (Jinja checks each
    template's source against it)."""
    seen = (templates_dir, _overrides_fingerprint(templates_dir), bytecode_dir)
    if seen not in _environments:
        _environments.clear()
        _environments[seen] = _new_environments(templates_dir, bytecode_dir)
    return _environments[seen]


def _overrides_fingerprint(templates_dir: Path | None) -> tuple:
    if templates_dir is None or not templates_dir.is_dir():
        return ()
    found = []
    for path in sorted(templates_dir.rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _bytecode_cache(bytecode_dir: Path | None, kind: str) -> jinja2.BytecodeCache | None:
    """A folder per environment: Jinja keys compiled code by template name and source only,
    and the two environments compile the same source differently (escaping)."""
    if bytecode_dir is None:
        return None
    folder = bytecode_dir / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache: templates are compiled again, nothing else changes
    return jinja2.FileSystemBytecodeCache(str(folder))


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined that names the type of what a template read, not of the proxy that noted
    the read (reads.py): "'dict object' has no attribute 'nothing'"."""

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.exceptions.UndefinedError) -> None:
        if isinstance(obj, Tracked | TrackedMapping):
            obj = obj._target
        super().__init__(hint, obj, name, exc)


def _new_environments(templates_dir: Path | None,
                      bytecode_dir: Path | None = None) -> tuple[jinja2.Environment, jinja2.Environment]:
    loader = _loader(templates_dir)
    # No auto_reload: a changed override makes new environments (above), and each use of a
    # template would otherwise look at its file's time again (60,000 times at 1,000 partners).
    common: dict[str, Any] = dict(loader=loader, undefined=_Undefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True, auto_reload=False)
    markdown_env = jinja2.Environment(autoescape=False, finalize=_finalize_markdown,
                                      bytecode_cache=_bytecode_cache(bytecode_dir, "templates-md"), **common)
    html_env = jinja2.Environment(autoescape=True, bytecode_cache=_bytecode_cache(bytecode_dir, "templates-html"),
                                  **common)
    for env in (markdown_env, html_env):
        env.filters["markdown"] = render_markdown
        env.filters["percent"] = i18n.format_percent
        env.filters["amount"] = i18n.format_amount  # totals and summaries: whole units
        env.filters["payment"] = i18n.format_payment  # one payment: its cents when it has them
        env.filters["number"] = i18n.format_number
        env.filters["date"] = i18n.format_date
        env.filters["plural"] = plural
        env.filters["period"] = period
        env.filters["breakable"] = breakable
        env.filters["label"] = label_filter  # {{ partner.kind|label('kind') }}: an enum value's display label
        _install_gettext(env)
    # Emphasis a translated sentence can hold as a placeholder value (its own `*` would be escaped).
    markdown_env.globals.update(md_em=lambda text: Markup(f"*{md_escape(text)}*"),
                                md_strong=lambda text: Markup(f"**{md_escape(text)}**"))
    return markdown_env, html_env


def _install_gettext(env: jinja2.Environment) -> None:
    """`_()`, `ngettext()`, `pgettext()` and `{% trans %}` in templates speak the active language.

    Jinja's own newstyle wrappers would fill `%(num)s` with the bare count; these fill it
    with the count as the locale writes it (1,200 / 1 200), and escape the values, not the
    message, when the template autoescapes."""
    env.add_extension("jinja2.ext.i18n")
    # `{% trans %}` compiles to calls with keyword values (an attribute jinja2.ext.i18n reads, not declared)
    env.newstyle_gettext = True  # type: ignore[attr-defined]

    # A message without values comes out the same each time (its %% made %): filled once. Most of
    # a list page's messages are such (column heads, "yes"), asked for once per row.
    plain: dict[tuple[bool, str], str] = {}

    def filled(autoescape: bool, text: str, values: dict) -> str:
        return Markup(text) % values if autoescape else _fill_markdown(text, values)

    def fill(context, text: str, values: dict) -> str:
        try:
            autoescape = bool(context.eval_ctx.autoescape)
            if values:
                return filled(autoescape, text, values)
            key = (autoescape, text)
            if key not in plain:
                plain[key] = filled(autoescape, text, values)
            return plain[key]
        except KeyError as exc:  # the template's own call; catalogs are checked as they load
            raise jinja2.TemplateRuntimeError(
                f"the message {str(text)!r} has the placeholder %({exc.args[0]})s: give its value, "
                f"as in _(\"…\", {exc.args[0]}=…)") from None
        except (ValueError, TypeError) as exc:
            raise jinja2.TemplateRuntimeError(
                f"the message {str(text)!r} is not a valid %-format ({exc}): write a percent sign as %%") from None

    # Odd parameter names: `{% trans count=n %}` passes `count` (any name) as a value.
    @jinja2.pass_context
    def gettext(__context, __message: str, **values):
        return fill(__context, i18n.active().gettext(__message), values)

    @jinja2.pass_context
    def ngettext(__context, __singular: str, __plural: str, __num: int, **values):
        values.setdefault("num", i18n.format_number(__num))
        return fill(__context, i18n.active().ngettext(__singular, __plural, __num), values)

    @jinja2.pass_context
    def pgettext(__context, __message_context: str, __message: str, **values):
        return fill(__context, i18n.active().pgettext(__message_context, __message), values)

    @jinja2.pass_context
    def npgettext(__context, __message_context: str, __singular: str, __plural: str, __num: int, **values):
        values.setdefault("num", i18n.format_number(__num))
        return fill(__context, i18n.active().npgettext(__message_context, __singular, __plural, __num), values)

    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)


_PLACEHOLDER = re.compile(r"(%\(\w+\)s|%%)")


def _fill_markdown(text: str, values: dict) -> Markup:
    """A message for a Markdown page: its own words and plain values escaped, a value that
    is already Markup (a link made by `md_link`) kept, so a link can sit inside a sentence."""
    pieces = []
    for index, piece in enumerate(_PLACEHOLDER.split(text)):
        if index % 2 == 0:
            pieces.append(piece.translate(_ENTITIES))
        elif piece == "%%":
            pieces.append("%")
        else:
            pieces.append(md_escape(values[piece[2:-2]]))
    return Markup(_BREAKING_SPACE.sub(" ", "".join(pieces)).strip(" "))


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """'1 agreement', '2 agreements', '0 agreements' (`plural_form` for words such as 'party' → 'parties')."""
    return f"{count:,} {word if count == 1 else plural_form or word + 's'}"


def period(item) -> str:
    """When something held, from its `since` and `until`: 'A – B', 'since A', 'until B' or nothing."""
    since, until = getattr(item, "since", None), getattr(item, "until", None)
    if since and until:
        return i18n._("%(since)s – %(until)s", since=i18n.format_date(since), until=i18n.format_date(until))
    if since:
        return i18n._("since %(date)s", date=i18n.format_date(since))
    return i18n._("until %(date)s", date=i18n.format_date(until)) if until else ""


def template_problem(exc: jinja2.TemplateError, root: Path | None = None) -> Problem:
    """The problem a broken (usually overridden) template, or a bad `view()` call in one, is: file and line."""
    import traceback

    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        # Jinja maps render errors back to template lines in the traceback.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    shown = display_path(Path(filename), root) if filename and root is not None else filename or "template"
    return Problem(shown, line or 0, "error", str(getattr(exc, "message", None) or exc))
