"""What the site's search index holds: a partner page is found by its own words, not by the
tables that repeat other pages (relationships, agreements, funding, impact, history)."""

from __future__ import annotations

import json

from conftest import MINIMAL_NETWORK

MORE = """\
funding:
  - {from: payer, to: hub, amount: 4321, currency: USD, date: 2025-06-01, purpose: Quokkagrant}
agreements:
  - {id: build-deal, title: Wombatpact, parties: [hub, maker], status: signed, signed: 2024-03-01}
"""

PARTNER = """\
  - id: solo
    name: Zebrafinch Collective
    network: ovn
    ovn_type: community
    since: 2023-04
    roles: [channels]
    tags: [otterwatch]
    provides: [Heronmaps]
    summary: Runs capybara sanctuaries along the river.
    description: Their narwhal programme trains volunteers.
"""


def entries(handbook, prefix: str) -> list[dict]:
    index = json.loads((handbook.path / "site/search/search_index.json").read_text(encoding="utf-8"))
    return [doc for doc in index["docs"] if doc["location"].startswith(prefix)]


def indexed_text(handbook, prefix: str) -> str:
    return " ".join(doc["title"] + " " + doc["text"] for doc in entries(handbook, prefix))


def test_partner_page_is_indexed_by_its_own_words_not_by_repeated_tables(handbook):
    network = MINIMAL_NETWORK.replace("relationships:", PARTNER + "relationships:")
    network += "  - {from: solo, to: maker, deliverable: Ibisreports, nature: intangible}\n"
    handbook.write("network/network.yml", network)
    handbook.write("network/more.yml", MORE)
    handbook.write("content/notes.md", "# Notes\n\n[Zebrafinch](partners/solo.md) helps.\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr

    solo = indexed_text(handbook, "partners/solo/")
    # Found by its name, summary, facts, description, what it provides, and what flows:
    # everything an author wrote about it.
    for word in ("Zebrafinch Collective", "capybara", "otterwatch", "narwhal", "Heronmaps", "Ibisreports"):
        assert word in solo, word
    # The page shows its history, where it is mentioned and what its leaving would cost...
    page = handbook.page("partners/solo/")
    text = page.select_one("article").get_text(" ")
    for shown in ("joined the network", "Notes", "Partners cut off"):
        assert shown in text, shown
    # ... but search does not index them: they repeat what the page itself, the prose page
    # and the impact ranking say.
    for repeated in ("joined the network", "Notes", "Partners cut off"):
        assert repeated not in solo, repeated
    assert page.select(".pb-impact[data-search-exclude]") and page.select(".pb-history")
    assert not page.select(".pb-profile-relationships[data-search-exclude]")

    # Payments and agreements are found on the pages of the partners in them (their section
    # pages stay out of search).
    payer, maker = indexed_text(handbook, "partners/payer/"), indexed_text(handbook, "partners/maker/")
    assert "Quokkagrant" in payer and "Wombatpact" in maker
    assert "Quokkagrant" not in indexed_text(handbook, "funding/")


def test_a_prose_page_indexes_the_views_its_author_put_there(handbook):
    handbook.write("content/index.md", "# Welcome\n\n```partnerbook\nview: impact\nfocus: maker\n```\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    # The impact view that partner pages keep out of search is found where prose shows it.
    assert "Partners cut off" in indexed_text(handbook, "#") + " ".join(d["text"] for d in entries(handbook, "")
                                                                         if d["location"] == "")
    assert "Partners cut off" not in indexed_text(handbook, "partners/maker/")
