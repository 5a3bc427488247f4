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

from conftest import ROOT, example_handbook

LOCALE = ROOT / "plugins" / "partnerbook" / "locale"
GENERATED = ("partners", "roles", "network", "agreements", "funding", "power", "canvas", "health",
             "impact", "projects", "workshop")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def author_words(data_dir: Path) -> set[str]:
    """Every string value of the data files, and every name the prose pages use as a title."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in data_dir.rglob("*.yml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def english_labels(language: str, authors: set[str]) -> list[tuple[str, re.Pattern]]:
    """(msgid, a pattern matching it with any placeholder values) for each English label the
    catalog translates differently, long enough not to be a word of any language."""
    labels = []
    with (LOCALE / f"{language}.po").open("rb") as fp:
        catalog = read_po(fp)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            plain = PLACEHOLDER.sub("", english).replace("%%", "%")
            words = re.findall(r"[A-Za-z]{2,}", plain)
            if not words or english in strings or plain.strip() in authors:
                continue
            if len(words) == 1 and len(words[0]) < 5:
                continue  # 'Type', 'Role', 'Name', 'ok': short words other languages share or borrow
            pieces = [re.escape(part) for part in PLACEHOLDER.split(english)[::2]]
            pattern = ((r"\b" if english[0].isalnum() else "") + r".+?".join(pieces).replace("%%", "%")
                       + (r"\b" if english[-1].isalnum() else ""))
            labels.append((english, re.compile(pattern)))
    return labels


def generated_texts(site: Path) -> dict[str, str]:
    """The article text of every generated page (not the nav, which mkdocs.yml names in English)."""
    from bs4 import BeautifulSoup

    texts = {}
    for folder in GENERATED:
        for page in sorted((site / folder).rglob("index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            article = soup.select_one("article")
            for code in article.select("code, pre"):
                code.decompose()  # YAML keys and commands stay as authors type them
            texts[page.relative_to(site).parent.as_posix()] = " ".join(article.get_text(" ").split())
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


@pytest.mark.parametrize("language", sorted(FORMATS))
def test_example_handbook_speaks_the_language_with_no_english_label_left(tmp_path, language, authors):
    book = example_handbook(tmp_path / language)
    config = (book.path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  name: material\n" in config
    book.write("mkdocs.yml", config.replace("  name: material\n", f"  name: material\n  language: {language}\n", 1))
    result = book.build()
    assert result.returncode == 0, result.stderr[-3000:]

    texts = generated_texts(book.path / "site")
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
