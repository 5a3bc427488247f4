"""The generated pages in the site's language (issue #18): catalogs, plural forms, locale formats, hosts.

The packaged templates are being marked for translation in parallel, so these tests speak
through a template override of their own (`templates/partners.md.j2` calling `_()`,
`ngettext()` and the format filters) and toy catalogs in the handbook's `templates/locale/`.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import MINIMAL_NETWORK, Handbook, mkdocs_yml
from partnerbook.i18n.catalogs import PACKAGED_CATALOGS, placeholder_fault

PAGE = """\
# {{ _("Partners") }}

{% for n in [1, 2, 5, 22] %}
- count {{ n }}: {{ ngettext("%(num)s partner", "%(num)s partners", n) }}
{% endfor %}
- amount: {{ 1200000|amount("USD") }}
- small amount: {{ 1200|amount("EUR") }}
- cents: {{ 1234.5|number }}
- share: {{ 0.8|percent }}
- month: {{ "2024-03"|date }}
- day: {{ "2024-03-15"|date }}
- year: {{ "2024"|date }}
- greeting: {{ _("Hello %(name)s", name=network.focal.name) }}
- fuzzy: {{ _("Value network") }}
"""

# Polish has three plural forms: 1 | 2-4, 22-24, … | 0, 5-21, 25-31, …
POLISH = r'''msgid ""
msgstr ""
"Language: pl\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Partners"
msgstr "Partnerzy"

msgid "%(num)s partner"
msgid_plural "%(num)s partners"
msgstr[0] "%(num)s partner"
msgstr[1] "%(num)s partnerzy"
msgstr[2] "%(num)s partnerów"

msgid "Hello %(name)s"
msgstr "Witaj, %(name)s"

#, fuzzy
msgid "Value network"
msgstr "Sieć wartości (a guess)"
'''


def book_with(tmp_path: Path, *, theme_extra: str = "", plugin_options: str = "", theme: str = "material") -> Handbook:
    book = Handbook(tmp_path / "book")
    yml = mkdocs_yml(theme=theme, plugin_options=plugin_options)
    book.write("mkdocs.yml", yml.replace(f"name: {theme}\n", f"name: {theme}\n{theme_extra}", 1))
    book.write("content/index.md", "# Welcome\n")
    book.write("network/network.yml", MINIMAL_NETWORK)
    book.write("templates/partners.md.j2", PAGE)
    return book


def lines_of(book: Handbook, site: str = "site") -> dict[str, str]:
    """'label: text' lines of the overridden partners page, spaces of every kind made plain."""
    page = (book.path / site / "partners" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<h1"):]  # the page's own text (Material's <article>, the mkdocs theme's main div)
    text = re.sub(r"<[^>]+>", "", article)
    out = {}
    for line in text.splitlines():
        if ": " in line:
            label, value = line.strip().split(": ", 1)
            out[label] = value
    out["title"] = re.search(r"<h1[^>]*>(.*?)<", article).group(1)
    return out


def spaces(text: str) -> str:
    """What kind of space each is: CLDR groups French digits with U+202F (narrow no-break
    space) and puts U+202F before %; Spanish and Portuguese use U+00A0 in places. The tests
    name the character they expect, so a plain space where CLDR has another still fails."""
    return text.replace("\u202f", "<NNBSP>").replace("\u00a0", "<NBSP>")


def test_handbook_catalog_translates_with_the_languages_three_plural_forms(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    book.write("templates/locale/pl.po", POLISH)
    result = book.build()
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    assert shown["title"] == "Partnerzy"
    # By the Plural-Forms header: 1 → form 0, 2 and 22 → form 1, 5 → form 2.
    assert [shown[f"count {n}"] for n in (1, 2, 5, 22)] == [
        "1 partner", "2 partnerzy", "5 partnerów", "22 partnerzy"]
    assert shown["greeting"] == "Witaj, Hub Org"
    assert shown["fuzzy"] == "Value network"  # a fuzzy entry is a guess: not used
    assert "no catalog speaks" not in result.stderr


def test_the_plugins_language_beats_the_themes(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: es\n", plugin_options="language: pl\n")
    book.write("templates/locale/pl.po", POLISH)
    assert book.build().returncode == 0
    shown = lines_of(book)
    assert shown["title"] == "Partnerzy"
    assert shown["month"] == "mar 2024"  # Polish CLDR: "mar 2024" (Spanish would write the same)
    assert shown["share"] == "80%"  # but Spanish writes "80 %" (with U+00A0): Polish it is
    assert '<html lang="es"' in (book.path / "site" / "index.html").read_text()  # the theme keeps its own


def test_region_falls_back_to_the_languages_catalog_and_overrides_one_message(tmp_path):
    """pt-BR reads pt_BR.po over pt.po: a message pt_BR.po has comes from it, the rest from pt.po;
    an untranslated entry in pt_BR.po does not hide pt.po's translation."""
    book = book_with(tmp_path, theme_extra="  language: pt-BR\n")
    book.write("templates/locale/pt.po", r'''msgid ""
msgstr ""
"Language: pt\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Partners"
msgstr "Parceiros"

msgid "%(num)s partner"
msgid_plural "%(num)s partners"
msgstr[0] "%(num)s parceiro"
msgstr[1] "%(num)s parceiros"

msgid "Hello %(name)s"
msgstr "Olá, %(name)s"
''')
    book.write("templates/locale/pt_BR.po", r'''msgid ""
msgstr ""
"Language: pt_BR\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Hello %(name)s"
msgstr "Oi, %(name)s"

msgid "%(num)s partner"
msgid_plural "%(num)s partners"
msgstr[0] ""
msgstr[1] ""
''')
    result = book.build()
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    assert shown["greeting"] == "Oi, Hub Org"  # pt_BR.po
    assert shown["title"] == "Parceiros"  # pt.po
    assert shown["count 2"] == "2 parceiros" and shown["count 1"] == "1 parceiro"  # pt.po, its plural rule
    assert shown["amount"] == "1.200.000 USD"  # Brazilian Portuguese groups with a full stop


# The locale's way, from CLDR as Babel ships it (stated by hand):
FORMATS = {
    "en": {"amount": "1,200,000 USD", "small amount": "1,200 EUR", "cents": "1,234.50", "share": "80%",
           "month": "Mar 2024", "day": "Mar 15, 2024", "year": "2024"},
    # French groups digits with a narrow no-break space; a no-break space before %.
    "fr": {"amount": "1<NNBSP>200<NNBSP>000 USD", "small amount": "1<NNBSP>200 EUR", "cents": "1<NNBSP>234,50",
           "share": "80<NBSP>%", "month": "mars 2024", "day": "15 mars 2024", "year": "2024"},
    # Spanish groups with a full stop, a no-break space before %. (CLDR would not group 4 digits
    # in Spanish, minimumGroupingDigits 2, but Babel 2.x does not apply that rule: 1.200.)
    "es": {"amount": "1.200.000 USD", "small amount": "1.200 EUR", "cents": "1.234,50", "share": "80<NBSP>%",
           "month": "mar 2024", "day": "15 mar 2024", "year": "2024"},
    # Babel's `pt` is Brazilian Portuguese (CLDR; pt_PT is the European one): full stops, 80%.
    "pt": {"amount": "1.200.000 USD", "small amount": "1.200 EUR", "cents": "1.234,50", "share": "80%",
           "month": "mar. de 2024", "day": "15 de mar. de 2024", "year": "2024"},
}


@pytest.mark.parametrize("language", sorted(FORMATS))
def test_numbers_amounts_shares_and_dates_follow_the_locale(tmp_path, language):
    book = book_with(tmp_path, theme_extra=f"  language: {language}\n")
    result = book.build()
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    got = {label: spaces(shown[label]) for label in FORMATS[language]}
    assert got == FORMATS[language]


def test_a_broken_catalog_stops_build_and_check_with_file_and_line(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    book.write("templates/locale/pl.po", POLISH.replace('msgstr "Partnerzy"', 'msgstr "Partnerzy'))
    line = POLISH.splitlines().index('msgstr "Partnerzy"') + 1
    build = book.build()
    assert build.returncode == 1
    assert f"templates/locale/pl.po:{line}: error: this string does not end with \"" in build.stderr
    assert "Traceback" not in build.stderr
    check = book.check()
    assert check.returncode == 1
    assert f"templates/locale/pl.po:{line}: error: this string does not end with \"" in check.stdout
    assert not (book.path / "site" / "partners").exists()  # nothing half-done


def test_a_msgid_without_msgstr_is_reported_on_its_line(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    text = POLISH + '\nmsgid "Forgotten"\n'
    book.write("templates/locale/pl.po", text)
    line = text.splitlines().index('msgid "Forgotten"') + 1
    build = book.build()
    assert build.returncode == 1
    assert f"templates/locale/pl.po:{line}: error: missing msgstr for msgid 'Forgotten'" in build.stderr


def test_a_translation_with_a_wrong_placeholder_is_left_out_with_one_warning(tmp_path):
    """A translator wrote %(nme)s: the page shows the English message, the log names file and line once."""
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    text = POLISH.replace('msgstr "Witaj, %(name)s"', 'msgstr "Witaj, %(nme)s"').replace(
        'msgstr "Partnerzy"', 'msgstr "100% Partnerzy"')
    book.write("templates/locale/pl.po", text)
    lines = text.splitlines()
    greeting = lines.index('msgid "Hello %(name)s"') + 1
    partners = lines.index('msgid "Partners"') + 1
    strict = book.build()
    assert strict.returncode == 1  # --strict: a warning fails the build
    result = book.build(strict=False)
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    assert shown["greeting"] == "Hello Hub Org" and shown["title"] == "Partners"
    assert shown["count 5"] == "5 partnerów"  # the rest of the catalog still speaks
    warning = (f"templates/locale/pl.po:{greeting}: warning: the translation of 'Hello %(name)s' uses the "
               "placeholder %(nme)s, which the message does not have")
    assert result.stderr.count(warning) == 1
    assert result.stderr.count(f"templates/locale/pl.po:{partners}: warning: the translation of 'Partners' "
                               "is not a valid %-format") == 1
    check = book.check()
    assert check.returncode == 0 and warning in check.stdout
    assert book.check("--strict").returncode == 2


def test_an_unknown_language_option_is_an_error_and_an_unknown_theme_language_builds_in_english(tmp_path):
    book = book_with(tmp_path, plugin_options="language: klingon\n")
    build = book.build()
    assert build.returncode == 1
    assert "the `language` option is 'klingon', a language neither Babel (CLDR) nor any catalog knows" in build.stderr
    assert "templates/locale/klingon.po" in build.stderr and "Traceback" not in build.stderr
    check = book.check()
    assert check.returncode == 1 and "mkdocs.yml:" in check.stdout and "'klingon'" in check.stdout
    # A catalog makes any code a language (numbers and dates then the English way).
    book.write("templates/locale/klingon.po", POLISH.replace("Language: pl", "Language: klingon"))
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert lines_of(book)["title"] == "Partnerzy" and lines_of(book)["amount"] == "1,200,000 USD"
    assert "Babel does not know the language 'klingon'" in result.stderr

    # Material takes `sh` (Serbo-Croatian), which CLDR does not know: the theme decides, partnerbook writes English.
    other = book_with(tmp_path / "sh", theme_extra="  language: sh\n")
    result = other.build()
    assert result.returncode == 0, result.stderr
    assert lines_of(other)["title"] == "Partners"
    assert "no catalog speaks 'sh', so the generated pages are in English" in result.stderr


def test_a_language_without_catalog_builds_in_english_with_a_note_and_its_formats(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: de\n")
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert ("no catalog speaks 'de', so the generated pages are in English; a catalog "
            "templates/locale/de.po would translate them") in result.stderr
    shown = lines_of(book)
    assert shown["title"] == "Partners" and shown["amount"] == "1.200.000 USD"  # German CLDR groups with '.'


def test_the_mkdocs_themes_locale_is_the_language(tmp_path):
    book = book_with(tmp_path, theme="mkdocs", theme_extra="  locale: pl\n")
    book.write("templates/locale/pl.po", POLISH)
    assert book.build().returncode == 0
    assert lines_of(book)["title"] == "Partnerzy"


def test_french_build_is_reproducible(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: fr\n")
    book.write("templates/locale/fr.po", POLISH.replace("Language: pl", "Language: fr").replace(
        "Partnerzy", "Partenaires"))
    assert book.build().returncode == 0
    first = {p.relative_to(book.path).as_posix(): p.read_bytes() for p in sorted((book.path / "site").rglob("*"))
             if p.is_file() and p.suffix in (".html", ".svg", ".json", ".csv")}
    shutil.rmtree(book.path / "site")
    assert book.build().returncode == 0
    second = {p.relative_to(book.path).as_posix(): p.read_bytes() for p in sorted((book.path / "site").rglob("*"))
              if p.is_file() and p.suffix in (".html", ".svg", ".json", ".csv")}
    assert first == second and len(first) > 10
    assert lines_of(book)["title"] == "Partenaires"


# -- the other hosts ----------------------------------------------------------------

needs = {host: pytest.mark.skipif(not importlib.util.find_spec(host), reason=f"{host} is not installed "
                                  "(scripts/setup installs it: pip install -e '.[hosts]')")
         for host in ("properdocs", "zensical")}


@needs["properdocs"]
@pytest.mark.hosts  # builds with ProperDocs (a process of its own): the hosts tier
def test_properdocs_follows_the_themes_language(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    book.write("templates/locale/pl.po", POLISH)
    result = book.run("properdocs", "build", "--strict")
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    assert shown["title"] == "Partnerzy" and shown["count 5"] == "5 partnerów"


@needs["zensical"]
@pytest.mark.hosts  # builds with Zensical (processes of its own): the hosts tier
def test_zensical_follows_the_themes_language(tmp_path):
    book = book_with(tmp_path, theme_extra="  language: pl\n")
    book.write("mkdocs.yml", (book.path / "mkdocs.yml").read_text() + "markdown_extensions:\n  - partnerbook.markdown\n")
    book.write("templates/locale/pl.po", POLISH)
    generated = book.run("partnerbook", "generate")
    assert generated.returncode == 0, generated.stderr
    result = book.run("zensical", "build")
    assert result.returncode == 0, result.stderr
    shown = lines_of(book)
    assert shown["title"] == "Partnerzy" and shown["count 22"] == "22 partnerzy"
    assert spaces(shown["amount"]) == "1<NBSP>200<NBSP>000 USD"  # Polish groups with U+00A0

    # A broken catalog stops `generate` and `zensical build` with file and line, no traceback.
    book.write("templates/locale/pl.po", POLISH + '\nmsgid "Forgotten"\n')
    for command in (("partnerbook", "generate"), ("zensical", "build", "--clean")):  # --clean: render anew
        failed = book.run(*command)
        assert failed.returncode != 0, command
        assert "templates/locale/pl.po:" in failed.stderr and "missing msgstr" in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr + failed.stdout


# -- the packaged catalogs ------------------------------------------------------------

PACKAGED = sorted(PACKAGED_CATALOGS.glob("*.po"))


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def message_key(message) -> tuple:
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


def test_packaged_catalogs_parse_and_hold_only_messages_of_the_code():
    template = read(PACKAGED_CATALOGS / "partnerbook.pot")
    known = {message_key(m) for m in template if m.id}
    assert {p.stem for p in PACKAGED} >= {"fr", "es", "pt"}
    for path in PACKAGED:
        catalog = read(path)
        stale = sorted(str(message_key(m)) for m in catalog if m.id and message_key(m) not in known)
        assert not stale, f"{path.name}: messages no longer in partnerbook.pot (run scripts/catalogs): {stale}"


def test_packaged_translations_keep_their_messages_placeholders():
    faults = []
    for path in PACKAGED:
        for message in read(path):
            if not message.id or message.fuzzy:
                continue
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
            for string in strings:
                fault = string and placeholder_fault(ids, string, plural=len(ids) > 1)
                if fault:
                    faults.append(f"{path.name}:{message.lineno}: {ids[0]!r} {fault}")
    assert not faults, "\n".join(faults)


def test_packaged_catalogs_are_complete():
    """Every message of partnerbook.pot translated (and no fuzzy guess left) in each language,
    once its catalog has any translation at all."""
    template = read(PACKAGED_CATALOGS / "partnerbook.pot")
    wanted = {message_key(m) for m in template if m.id}
    missing: dict[str, list[str]] = {}
    started = False
    for path in PACKAGED:
        catalog = {message_key(m): m for m in read(path) if m.id}
        done = {key for key, m in catalog.items()
                if not m.fuzzy and all((m.string,) if isinstance(m.string, str) else m.string)}
        started = started or bool(done)
        left = sorted(str(key[1]) for key in wanted - done)
        if left:
            missing[path.name] = left
    if not started:
        pytest.skip("the packaged catalogs hold no translation yet")
    assert not missing, "\n".join(f"{name}: {len(left)} untranslated: {left}" for name, left in missing.items())
