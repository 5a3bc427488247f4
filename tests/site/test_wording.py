"""Words on the generated pages: plurals that agree with their numbers, periods without dangling dashes,
a diagram legend apart from its caption."""

from __future__ import annotations

import itertools
import re

from conftest import MINIMAL_NETWORK, mkdocs_yml

MORE = """\
funding:
  - {from: payer, to: hub, amount: 100, currency: EUR}
  - {from: payer, to: hub, amount: 200, currency: EUR, since: 2025-03}
  - {from: payer, to: hub, amount: 300, currency: EUR, since: 2024-01, until: 2024-12}
"""


def test_pages_say_one_partner_and_two_partners_never_partner_s(handbook):
    handbook.write("network/more.yml", MORE)
    assert handbook.build().returncode == 0
    site = handbook.path / "site"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\w\(s\)", text), page  # "partner(s)", "risk(s)", "step(s)" ...
        assert not re.search(r"\b1 (partners|agreements|risks|checks|observations|points|sources|decisions)\b", text), page
    health = handbook.page("health/")
    # the minimal network: maker alone plays key-activities (one role, one partner); payer the one EUR source
    roles = health.select_one("#finding-single-partner-role").get_text(" ", strip=True)
    assert "1 canvas role is served by a single partner." in roles
    assert "from 1 source)" in health.select_one("#finding-funding-EUR").get_text(" ", strip=True)
    counts = health.select_one(".pb-counts").get_text()
    assert re.match(r"\d+ risks? · \d+ points? needing attention · \d+ observations? · \d+ checks? passed", counts)
    for number, word in re.findall(r"(\d+) (risk|point|observation|check)s?", counts):
        assert (f"{number} {word}s" in counts) == (number != "1"), counts
    exchanges = handbook.page("network/").select_one(".pb-exchanges .pb-counts").get_text()
    assert exchanges.startswith("1 IVN partner besides Hub Org · 1 OVN partner · 2 tangible and 1 intangible exchanges")


def test_periods_show_what_is_known_and_no_dangling_dash(handbook):
    handbook.write("network/more.yml", MORE)
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace(
        "    name: Maker Co\n", "    name: Maker Co\n    until: 2027\n").replace(
        "deliverable: Code, nature: tangible", "deliverable: Code, nature: tangible, since: 2024"))
    assert handbook.build().returncode == 0
    maker = handbook.page("partners/maker/")
    facts = {tr.th.get_text(): tr.td.get_text() for tr in maker.select(".pb-profile-facts tr")}
    assert facts["In the network"] == "until 2027"
    relationship = maker.select_one(".pb-profile-relationships tbody tr").select("td")[5].get_text()
    assert relationship == "since 2024"
    assert "… –" not in handbook.page("funding/").get_text() + maker.get_text()


def test_diagram_legend_and_caption_note_are_apart(handbook):
    handbook.write("content/index.md", "# Home\n\n```partnerbook\nview: diagram\n```\n")
    assert handbook.build().returncode == 0
    caption = handbook.page("").select_one("figure.pb-diagram figcaption")
    legend, note = caption.select_one(".pb-legend"), caption.select_one(".pb-caption-note")
    assert legend.get_text(" ", strip=True).endswith("intangible")
    assert note.get_text() == "The table below holds the same information."
    css = (handbook.path / "site/assets/partnerbook/partnerbook.css").read_text()
    # both are blocks, so the note starts a line of its own below the legend's keys
    assert re.search(r"\.pb-legend \{ display: flex;", css) and ".pb-caption-note { display: block; }" in css


def test_readme_tables_end_where_their_rows_end():
    """A paragraph right under a table's last row is swallowed into that row."""
    from conftest import ROOT

    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for number, (line, following) in enumerate(itertools.pairwise(lines), start=1):
        if line.startswith("|"):
            assert line.rstrip().endswith("|"), f"README.md:{number}: a table row that runs into prose"
            assert following.startswith("|") or not following.strip(), f"README.md:{number + 1}: prose right under a table"


def test_the_funding_page_says_its_rule_on_currencies_once(handbook):
    """The page's introduction and the totals' note both said that currencies and the focal
    organisation's income, spending and the other flows are never added: now the note says it."""
    handbook.write("network/more.yml", MORE)
    assert handbook.build().returncode == 0
    text = handbook.page("funding/").select_one("article").get_text(" ", strip=True)
    assert text.count("across currencies") == 1, text
    assert "Amounts are never added across currencies" in text
    assert "How much comes in to Hub Org, from whom," in text


def test_a_network_named_like_a_title_is_no_sentence_subject(handbook):
    """An import names its network "PAX: partners from IATI": the partners and impact pages'
    introductions said "PAX: partners from IATI counts 1 partner…" and "What PAX: partners from
    IATI would lose…". They speak of the network now; its name stays the site's and the data's."""
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace("name: Tiny network", "name: 'PAX: partners from IATI'"))
    assert handbook.build().returncode == 0
    partners = handbook.page("partners/").select_one("article").get_text(" ", strip=True)
    # the minimal network: hub (focal) and maker inner, payer outer
    assert ("The network counts 2 partners in the inner value network (the focal organisation included) "
            "and 1 in the outer value network") in partners, partners
    impact = handbook.page("impact/").select_one("article").get_text(" ", strip=True)
    assert "What the network would lose if each partner left" in impact, impact
    assert "IATI counts" not in partners and "IATI would lose" not in impact


def test_a_diagram_too_big_to_draw_says_so_without_its_title(handbook):
    """The note in place of an agreements diagram too big to read began with the diagram's title,
    which holds the network's name: "Agreements of PAX: partners from IATI: 5 nodes would…"."""
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="overview_threshold: 2"))  # more than 4 nodes: not drawn
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace("name: Tiny network", "name: 'PAX: partners from IATI'"))
    handbook.write("network/agreements.yml", "agreements:\n"
                   "  - {id: build, title: Build deal, parties: [hub, maker], status: signed}\n"
                   "  - {id: grant, title: Grant deal, parties: [hub, payer], status: negotiating}\n")
    assert handbook.build().returncode == 0
    note = handbook.page("agreements/").select_one(".pb-diagram-skipped").get_text(" ", strip=True)
    # two agreements and their three parties (hub, maker, payer): five nodes
    assert note == ("The diagram is not drawn: its 5 nodes would make it unreadable; "
                    "the table below holds the same information."), note
