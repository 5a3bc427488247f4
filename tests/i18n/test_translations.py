"""The example handbook in French, Spanish and Portuguese: no English label of partnerbook's
left on the pages it generates, and numbers written the language's way.

The English labels are listed from the packaged catalog itself (every msgid whose
translation differs from it), so a label added to the code and the catalog is checked
without this file changing. Authors' own words stay English in the example (names,
deliverables, purposes): a label that is also a value of the data files is not looked for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT, example_in_language

LOCALE = ROOT / "plugins" / "partnerbook" / "locale"
# The example overrides some page templates (templates/*.md.j2) with English of its own.
OVERRIDDEN = {path.name.removesuffix(".md.j2") for path in (ROOT / "templates").glob("*.md.j2")}
GENERATED = tuple(folder for folder in ("partners", "roles", "network", "agreements", "funding", "power",
                                        "canvas", "health", "impact", "projects", "workshop")
                  if folder not in OVERRIDDEN)
SAID = {"aria-label", "data-none", "data-count-one", "data-count-other", "data-zoom-tools", "data-zoom-out",
        "data-zoom-in", "data-zoom-fit", "data-zoom-fit-title"}
FILE_NAME = re.compile(r"\S+\.(?:csv|json|graphml|gexf|svg)\b")  # the downloads' names
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def author_words(data_dir: Path) -> set[str]:
    """Every string value of the data files, and every name the prose pages use as a title."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for _key, item in value.items():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in data_dir.rglob("*.yml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    # Titles of the prose pages, which partner pages list under "mentioned in", and the nav's.
    for page in (data_dir.parent / "content").rglob("*.md"):
        found.update(re.findall(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE))
    found.update(re.findall(r"^\s*- ([^:\n]+):", (data_dir.parent / "mkdocs.yml").read_text(encoding="utf-8"),
                            re.MULTILINE))
    return found


def english_labels(language: str, authors: set[str]) -> list[tuple[str, re.Pattern]]:
    """(msgid, a pattern of its longest literal piece) for each English label the catalog
    translates differently, long enough not to be a word of any language."""
    labels = []
    with (LOCALE / f"{language}.po").open("rb") as fp:
        catalog = read_po(fp)
    translations = " ".join(s for m in catalog if m.id
                            for s in (m.string if isinstance(m.string, tuple) else (m.string,)))
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same word in both languages ('Total', 'Type', 'IVN')
            piece = max((p.replace("%%", "%").strip(" ,.:;()") for p in PLACEHOLDER.split(english)[::2]),
                        key=len)
            words = re.findall(r"[A-Za-z]{2,}", piece)
            if not words or piece in authors or (len(words) == 1 and len(words[0]) < 5):
                continue  # short words other languages share or borrow, or the author's own words
            pattern = ((r"\b" if piece[0].isalnum() else "") + re.escape(piece)
                       + (r"\b" if piece[-1].isalnum() else ""))
            if re.search(pattern, translations):
                continue  # a word of this language too ('focal', 'attention' in French)
            labels.append((english, re.compile(pattern)))
    return labels


def generated_texts(site: Path, authors: set[str]) -> dict[str, str]:
    """The article text of every generated page (not the nav, which mkdocs.yml names in English),
    without the author's own words (names, deliverables, descriptions)."""
    authored = sorted((a for a in authors if len(a) > 3), key=len, reverse=True)
    from bs4 import BeautifulSoup

    texts = {}
    for folder in GENERATED:
        for page in sorted((site / folder).rglob("index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            # A workshop sheet is a page of its own, no theme: its <main> is all of it (site/workshop.py).
            article = soup.select_one("article") or soup.select_one("main.pb-sheet-main")
            assert article is not None, page
            for code in article.select("code, pre, svg title"):
                code.decompose()  # YAML keys and commands stay as authors type them; SVG ids
            # What the page says without showing it: screen-reader labels, the script's phrases.
            said = [value for element in article.find_all(True) for name, value in element.attrs.items()
                    if name in SAID and isinstance(value, str)]
            # Only breaking spaces fold: CLDR's no-break spaces (1 200 000 in French) are kept.
            text = FILE_NAME.sub(" ", re.sub(r"[ \t\r\n\f\v]+", " ", " ".join([article.get_text(" "), *said])))
            for value in authored:
                text = text.replace(value, " ")
            texts[page.relative_to(site).parent.as_posix()] = text
    return texts


@pytest.fixture(scope="module")
def authors() -> set[str]:
    return author_words(ROOT / "network")


# The example's largest amounts, by hand from network/funding.yml: four 300,000 USD tranches.
FORMATS = {
    "fr": ("300\u202f000 USD", "juin 2024"),
    "es": ("300.000 USD", "jun 2024"),
    "pt": ("300.000 USD", "jun. de 2024"),
}


@pytest.mark.slow  # builds the whole example handbook in the language (shared with the reading tests): not fast
@pytest.mark.parametrize("language", sorted(FORMATS))
def test_example_handbook_speaks_the_language_with_no_english_label_left(tmp_path_factory, language, authors):
    book = example_in_language(tmp_path_factory, language)  # its mkdocs.yml: the theme's `language` added
    config = (book.path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  name: material\n" in config
    assert f"  name: material\n  language: {language}\n" in config
    result = book.result
    assert result.returncode == 0, result.stderr[-3000:]

    texts = generated_texts(book.path / "site", authors)
    assert len(texts) > 50  # every partner, agreement, decision and sheet page
    left = {}
    for english, pattern in english_labels(language, authors):
        pages = [url for url, text in texts.items() if pattern.search(text)]
        if pages:
            left[english] = pages[:3]
    assert left == {}, f"{len(left)} English labels left in {language}: {left}"

    amount, month = FORMATS[language]
    funding = texts["funding"]
    assert amount in funding, f"{amount!r} not on the funding page"
    assert "300,000" not in funding
    assert month in " ".join(texts.values()), month
