"""Every word a packaged template writes for readers goes through the catalog (issue #18).

A word left as plain template text would stay English on a French, Spanish or
Portuguese site, and no test building the example handbook in those languages
would see it unless its data happens to reach that branch of the template. So
this reads each packaged template's own text: Jinja tags and expressions are
taken out (a marked message lives inside `{{ _("...") }}`), then HTML tags; what
is left must hold no word. Reader-visible attribute text (aria-label, title, alt,
placeholder) counts as text too.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "plugins" / "partnerbook" / "templates"


# Text that is not a reader's word: YAML front-matter keys of the Markdown pages
# (title:, search: exclude: true) are read by MkDocs, never shown.
FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.S)
# A key may follow template tags on its line (`{% set … %}` before it, whose newline trim_blocks takes).
FRONT_MATTER_KEY = re.compile(r"(?m)^[\s\0]*[a-z_]+:(\s*true\b)?")
# Code spans hold identifiers and YAML the reader types as written (`id`, `partnerbook check`).
CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
ATTRIBUTE_TEXT = re.compile(r"""\b(?:aria-label|title|alt|placeholder)\s*=\s*(["'])(.*?)\1""", re.S)
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: 'x' in '2 × 3' is not a word

_LEXER = jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)


def template_text(source: str) -> str:
    """The template's own text, each Jinja tag or expression replaced by a NUL
    (so no two text pieces join into a word), `{% trans %}` blocks left out."""
    pieces, in_trans, after_block = [], False, False
    for _line, token, value in _LEXER.lex(source):
        if token == "data":
            if not in_trans:
                pieces.append(value)
            continue
        if token == "whitespace":
            continue
        if after_block and token == "name":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        after_block = token == "block_begin"
        if token in ("block_end", "variable_end", "comment_end"):
            pieces.append("\0")
    return "".join(pieces)


def unmarked_words(source: str) -> list[str]:
    """The words a template writes without passing them through the catalog."""
    text = template_text(source)
    front = FRONT_MATTER.match(text)
    if front:
        text = FRONT_MATTER_KEY.sub("", front.group("body")) + "\n" + text[front.end():]
    text = CODE.sub("\0", text)
    shown = [value for _quote, value in ATTRIBUTE_TEXT.findall(text)]
    shown.append(TAG.sub("\0", text))
    return [word for piece in shown for word in WORD.findall(ENTITY.sub(" ", piece))]


def packaged_templates() -> list[Path]:
    return sorted(TEMPLATES.glob("*.j2"))


def test_the_check_catches_an_unmarked_word_and_passes_a_marked_one():
    # The check itself, on templates written the wrong way and the right way.
    assert unmarked_words('<p class="pb-x">{{ n }} partners</p>') == ["partners"]
    assert unmarked_words('<th scope="col">Currency</th>') == ["Currency"]
    assert unmarked_words('<span aria-label="marked"></span>') == ["marked"]
    assert unmarked_words("---\ntitle: Funding\n---\n# Funding\n") == ["Funding", "Funding"]
    assert unmarked_words("{% trans %}Partners{% endtrans %} and more") == ["and", "more"]
    assert unmarked_words('---\ntitle: {{ _("Funding")|e|tojson }}\n---\n# {{ _("Funding") }}\n') == []
    assert unmarked_words('<td class="pb-{{ kind }}">{{ _("%(num)s left", num=n) }} · –</td>') == []
    assert unmarked_words("<p>{% trans n=n %}{{ n }} partners{% endtrans %}</p>") == []
    assert unmarked_words("<p>Run <code>partnerbook check</code></p>") == ["Run"]


@pytest.mark.parametrize("path", packaged_templates(), ids=lambda p: p.name)
def test_packaged_template_marks_every_word(path: Path):
    words = unmarked_words(path.read_text(encoding="utf-8"))
    assert words == [], f"{path.name} writes words outside the catalog: {words}"
