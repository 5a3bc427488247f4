"""The text partnerbook's Python writes (findings, diagram titles and tooltips, enum labels,
sheet titles) follows the site's language, through a catalog a handbook drops in its templates.

German is a language Babel knows and partnerbook does not ship, so every German word
on these pages comes from the catalog the test writes.
"""

from __future__ import annotations

from babel.numbers import format_percent
from conftest import MINIMAL_NETWORK, Handbook, mkdocs_yml

# The names of the network and of the focal organisation carry HTML: it must arrive escaped.
NETWORK = (MINIMAL_NETWORK.replace("name: Tiny network", "name: Tiny & <net>")
           .replace("name: Hub Org", "name: Hub <b>&</b> Co"))
assert "Tiny & <net>" in NETWORK and "Hub <b>&</b> Co" in NETWORK

CATALOG = r'''
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Hub dependence"
msgstr "Abhängigkeit vom Zentrum"

msgid ""
"%(through)s of %(total)s current exchanges (%(share)s) involve %(name)s; the data reads as %(observed)s."
msgstr ""
"%(through)s von %(total)s laufenden Austauschen (%(share)s) betreffen %(name)s; die Daten zeigen "
"%(observed)s."

msgctxt "network structure"
msgid "hub-and-spoke"
msgstr "Nabe und Speichen"

msgid "The value network of %(name)s"
msgstr "Das Wertschöpfungsnetz von %(name)s"

msgid "inner value network"
msgstr "inneres Wertschöpfungsnetz"

msgid "Value Network sheet"
msgstr "Wertschöpfungsnetz-Bogen"

msgid "%(sheet)s: %(name)s"
msgstr "%(sheet)s – %(name)s"

msgid "Key activities"
msgstr "Schlüsselaktivitäten"
'''


def _book(tmp_path, language: str | None) -> Handbook:
    book = Handbook(tmp_path / (language or "en"))
    book.write("mkdocs.yml", mkdocs_yml(plugin_options=f"language: {language}" if language else ""))
    book.write("content/index.md", "# Home\n")
    book.write("network/n.yml", NETWORK)
    book.write("templates/locale/de.po", CATALOG)
    result = book.build()
    assert result.returncode == 0, result.stderr[-3000:]
    return book


def test_findings_labels_diagrams_and_sheet_titles_follow_a_handbook_catalog(tmp_path):
    german = _book(tmp_path, "de")
    english = _book(tmp_path, None)

    # Health: the finding's title and summary are German, the enum value's label too; all three
    # exchanges touch the hub (3 of 3 = 100 %, written the German way by Babel).
    finding = german.page("health/").select_one("#finding-hub-dependence")
    text = finding.get_text(" ", strip=True)
    assert "Abhängigkeit vom Zentrum" in text and "Hub dependence" not in text
    assert (f"3 von 3 laufenden Austauschen ({format_percent(1, locale='de')}) betreffen "
            "Hub <b>&</b> Co; die Daten zeigen Nabe und Speichen.") in text
    assert "current exchanges" not in text and "hub-and-spoke" not in text
    # The author's name is text, not markup, inside the translated sentence.
    html = str(finding)
    assert "Hub &lt;b&gt;&amp;&lt;/b&gt; Co" in html and "<b>&amp;</b>" not in html
    english_text = english.page("health/").select_one("#finding-hub-dependence").get_text(" ", strip=True)
    assert "Hub dependence" in english_text and "the data reads as hub-and-spoke." in english_text

    # The value-network diagram: its title (SVG <title>) and the partners' tooltips.
    svg = german.page("network/").select_one("svg.pb-svg")
    assert svg.title.get_text() == "Das Wertschöpfungsnetz von Tiny & <net>"
    assert "Tiny &amp; &lt;net&gt;" in str(svg.title)
    tooltips = " ".join(a.get("xlink:title", "") for a in svg.select("a"))
    assert "Maker Co — organisation, inneres Wertschöpfungsnetz" in tooltips
    assert "inner value network" not in tooltips
    english_svg = english.page("network/").select_one("svg.pb-svg")
    assert english_svg.title.get_text() == "The value network of Tiny & <net>"
    assert "Maker Co — organisation, inner value network" in " ".join(
        a.get("xlink:title", "") for a in english_svg.select("a"))

    # A workshop sheet's page title, built in Python from two messages.
    sheet = german.page("workshop/value-network/maker/")
    assert sheet.select_one("h1").get_text(strip=True) == "Wertschöpfungsnetz-Bogen – Maker Co"
    assert english.page("workshop/value-network/maker/").select_one("h1").get_text(strip=True) == \
        "Value Network sheet: Maker Co"

    # The network defines no roles, so it has the default canvas roles: named in German,
    # on the role matrix and on the page of Maker, who plays key-activities.
    for page in (german.page("roles/"), german.page("partners/maker/")):
        text = page.select_one("article").get_text(" ", strip=True)
        assert "Schlüsselaktivitäten" in text and "Key activities" not in text
    assert "Key activities" in english.page("roles/").select_one("article").get_text(" ", strip=True)
