"""Public and internal editions (spec section 2, Editions): nothing internal leaves a public build.

A handbook plants a canary string in every kind of internal record and in each internal field,
and canary amounts in internal funding flows; the public edition must show none of them in any
file it writes (workbooks unzipped), and no figure may include a canary amount. The internal
edition of the same handbook shows them all, marked internal and noindex.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Handbook, example_handbook, mkdocs_yml

CANARY_NETWORK = """\
network:
  name: Canary network
  focal: hub
  as_of: 2026-01-01
roles:
  - {id: key-activities, name: Key activities}
  - {id: canary-role, name: CANARYROLE, visibility: internal}
partners:
  - id: hub
    name: Hub Org
  - id: maker
    name: Maker Co
    network: ivn
    ivn_criteria: [develops]
    roles: [key-activities, canary-role]
    description: CANARYFIELDPARTNERDESCRIPTION
  - id: payer
    name: Payer Fund
    kind: funder
    network: ovn
    ovn_type: funder
  - id: secret-donor
    name: CANARYPARTNER Foundation
    kind: funder
    network: ovn
    ovn_type: funder
    summary: CANARYPARTNERSUMMARY
    visibility: internal
relationships:
  - {from: maker, to: hub, deliverable: Code, nature: tangible, agreement: build-deal}
  - {from: payer, to: hub, deliverable: Money, nature: tangible}
  - {from: hub, to: payer, deliverable: Reports, nature: intangible, description: CANARYFIELDRELDESCRIPTION}
  - {from: hub, to: maker, deliverable: CANARYRELATIONSHIP, nature: intangible, visibility: internal}
  - {from: secret-donor, to: hub, deliverable: CANARYDONORDELIVERABLE, nature: tangible}
  - {from: hub, to: maker, deliverable: Plans, nature: intangible, agreement: canary-deal}
agreements:
  - id: build-deal
    title: Build contract
    type: contract
    parties: [hub, maker]
    status: signed
    notes: CANARYFIELDNOTES
    scorecard: {who.partners: full, why.vision: full}
  - id: canary-deal
    title: CANARYAGREEMENT
    parties: [hub, maker]
    status: negotiating
    visibility: internal
  - id: donor-deal
    title: CANARYDONORAGREEMENT
    parties: [hub, secret-donor]
funding:
  # The public money: 10,000 USD from payer on 2025-06-01 and 5,000 USD from hub to maker.
  - {from: payer, to: hub, amount: 10000, currency: USD, date: 2025-06-01, purpose: CANARYFIELDPURPOSE}
  - {from: hub, to: maker, amount: 5000, currency: USD, date: 2025-09-01, agreement: build-deal}
  # Internal: a flow between public partners, and one from an internal partner.
  - {from: payer, to: hub, amount: 7654321, currency: USD, date: 2025-07-01, purpose: CANARYFUNDING,
     visibility: internal}
  - {from: secret-donor, to: hub, amount: 1234567, currency: USD, date: 2025-08-01, purpose: CANARYDONORFUNDING}
projects:
  - id: open-project
    title: Open project
    partners: {hub: lead, maker: implementing, secret-donor: CANARYPROJECTROLE}
  - id: canary-project
    title: CANARYPROJECT
    partners: {hub: lead}
    visibility: internal
decisions:
  - id: budget
    name: Budget
    participation:
      hub: decides
      maker: {actual: consulted, desired: co-decides}
      payer: {actual: excluded, desired: decides, visibility: internal}
  - id: canary-decision
    name: CANARYDECISION
    participation: {hub: decides}
    visibility: internal
"""

CANARY_OPTIONS = """\
internal_fields: [agreements.notes, agreements.scorecard, funding.purpose, partners.description,
                  relationships.description]
"""

CANARIES = ("CANARY",)  # every canary string starts so
# Canary amounts and every sum a figure could include them in (with the public 10,000 and 5,000).
_CANARY_AMOUNTS = (7654321, 1234567)
_PUBLIC_AMOUNTS = (10000, 5000)


def _sums() -> set[int]:
    sums = set()
    for canary_set in ({7654321}, {1234567}, {7654321, 1234567}):
        for public_set in ((), (10000,), (5000,), (10000, 5000)):
            sums.add(sum(canary_set) + sum(public_set))
            sums.add(sum(canary_set) - sum(public_set))
    return sums


def _written(number: int) -> list[str]:
    plain = str(number)
    groups = f"{number:,}"
    return [plain, groups, groups.replace(",", "."), groups.replace(",", " "), groups.replace(",", "\u202f"),
            groups.replace(",", "\u00a0")]


CANARY_FIGURES = sorted({text for number in _sums() for text in _written(number)}, key=len, reverse=True)


def _texts(folder: Path):
    """(path, text) of every file under `folder`; the members of workbooks and other zip files too."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", archive.read(member).decode("utf-8", "replace")
        else:
            yield str(path), data.decode("utf-8", "replace")


def _leaks(folder: Path) -> list[str]:
    found = []
    for name, text in _texts(folder):
        found += [f"{name}: {canary}" for canary in CANARIES if canary in text]
        found += [f"{name}: {figure!r}" for figure in CANARY_FIGURES if figure in text]
    return found


def _visible_numbers(html: str) -> list[int]:
    """Every number a reader sees on a page (its text, not its markup), separators read out."""
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    found = re.findall(r"\d{1,3}(?:[,\u202f\u00a0]\d{3})+|\d+", text)
    return [int(re.sub(r"\D", "", n)) for n in found]


def _canary_book(path: Path, options: str = "") -> Handbook:
    book = Handbook(path)
    book.write("mkdocs.yml", mkdocs_yml(plugin_options=CANARY_OPTIONS + options))
    book.write("content/index.md", "# Welcome\n\nSee [the partners](partners/index.md) and "
                                   "[Maker Co](partners/maker.md).\n")
    book.write("network/network.yml", CANARY_NETWORK)
    return book


@pytest.fixture(scope="module")
def public_book(tmp_path_factory) -> Handbook:
    book = _canary_book(tmp_path_factory.mktemp("public") / "book")
    result = book.build()
    assert result.returncode == 0, result.stderr
    return book


def test_public_edition_writes_nothing_internal(public_book: Handbook):
    assert _leaks(public_book.path / "site") == []
    # The internal partner has no page; the public ones have theirs.
    assert not (public_book.path / "site/partners/secret-donor").exists()
    assert (public_book.path / "site/partners/maker/index.html").is_file()


def test_public_figures_are_computed_from_public_money_only(public_book: Handbook):
    # No page shows a number of a million or more: the public amounts are 10,000 and 5,000 USD.
    for page in (public_book.path / "site").rglob("*.html"):
        big = [n for n in _visible_numbers(page.read_text(encoding="utf-8")) if n >= 1_000_000]
        assert big == [], page
    funding = public_book.page("funding/")
    totals = funding.select_one('tr[data-currency="USD"] td[data-total="window"]').get_text()
    assert re.sub(r"\D", "", totals) == "10000"  # payer's 10,000 alone: the canary 7,654,321 is left out
    # payer is the only funder left, so it holds 100 % of the income (with the canary: 0.1 %).
    assert "100" in funding.select_one("tr[data-currency='USD'] td.pb-share").get_text()
    assert "2 funding flows are not shown in this edition" in funding.get_text(" ")


def test_public_edition_leaves_out_what_refers_to_internal_records(public_book: Handbook):
    data = json.loads((public_book.path / "site/network/data/partnerbook.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["partners"]] == ["hub", "maker", "payer"]
    assert [r["id"] for r in data["roles"]] == ["key-activities"]
    assert next(p for p in data["partners"] if p["id"] == "maker")["roles"] == ["key-activities"]
    # The relationship covered by the internal agreement stays, without the agreement.
    plans = next(r for r in data["relationships"] if r["deliverable"] == "Plans")
    assert "agreement" not in plans
    assert [a["id"] for a in data["agreements"]] == ["build-deal"]
    assert "scorecard" not in data["agreements"][0]  # an internal field: "not scored", never 0 %
    assert data["projects"][0]["partners"] == {"hub": "lead", "maker": "implementing"}
    assert [d["id"] for d in data["decisions"]] == ["budget"]
    assert set(data["decisions"][0]["participation"]) == {"hub", "maker"}
    assert len(data["funding"]) == 2
    agreements = public_book.page("agreements/").get_text(" ")
    assert "not scored" in agreements.lower()
    assert public_book.page("").find("meta", attrs={"name": "robots"}) is None


def test_internal_edition_shows_everything_marked_and_noindex(tmp_path):
    book = _canary_book(tmp_path / "book", "edition: internal\n")
    result = book.build()
    assert result.returncode == 0, result.stderr
    everything = "\n".join(text for _, text in _texts(book.path / "site"))
    for canary in ("CANARYROLE", "CANARYPARTNER Foundation", "CANARYFIELDPARTNERDESCRIPTION",
                   "CANARYFIELDRELDESCRIPTION", "CANARYRELATIONSHIP", "CANARYDONORDELIVERABLE", "CANARYFIELDNOTES",
                   "CANARYAGREEMENT", "CANARYDONORAGREEMENT", "CANARYFIELDPURPOSE", "CANARYFUNDING",
                   "CANARYDONORFUNDING", "CANARYPROJECTROLE", "CANARYPROJECT", "CANARYDECISION",
                   "CANARYPARTNERSUMMARY"):
        assert canary in everything, canary
    assert "7,654,321" in book.page("partners/payer/").get_text(" ")
    # The income in the window with every flow: 10,000 + 7,654,321 + 1,234,567.
    assert book.page("funding/").select_one('td[data-total="window"]').get_text() == "8,898,888 USD"
    data = json.loads((book.path / "site/network/data/partnerbook.json").read_text(encoding="utf-8"))
    budget = next(d for d in data["decisions"] if d["id"] == "budget")
    assert budget["participation"]["payer"] == {"actual": "excluded", "desired": "decides", "visibility": "internal"}
    pages = sorted((book.path / "site").rglob("*.html"))
    assert book.path / "site/404.html" in pages and len(pages) > 20
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.head.find("meta", attrs={"name": "robots", "content": "noindex"}), page
        assert "Internal edition" in soup.body.find(class_="pb-edition-banner").get_text(), page


def test_public_build_after_an_internal_one_reuses_nothing_internal(tmp_path):
    book = _canary_book(tmp_path / "book", "edition: internal\n")
    assert book.build().returncode == 0
    book.write("mkdocs.yml", mkdocs_yml(plugin_options=CANARY_OPTIONS))
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert _leaks(book.path / "site") == []
    # The variable a server is started with chooses the edition too.
    result = book.run("mkdocs", "build", "--strict", env={"PARTNERBOOK_EDITION": "internal"})
    assert result.returncode == 0, result.stderr
    assert "CANARYPARTNER" in (book.path / "site/partners/secret-donor/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "graphml", "gexf"])
def test_export_is_public_unless_asked(tmp_path, fmt):
    book = _canary_book(tmp_path / "book", "edition: internal\n")  # the config's edition: exports stay public
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("tables" if fmt == "csv" else f"export.{fmt}")
    result = book.run("partnerbook", "export", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert _leaks(out) == []
    result = book.run("partnerbook", "export", "--edition", "public", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert _leaks(out) == []
    result = book.run("partnerbook", "export", "--edition", "internal", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert any(name for name, text in _texts(out) if "CANARYPARTNER" in text)


def test_prose_that_links_or_shows_an_internal_partner_fails_the_public_build(tmp_path):
    book = _canary_book(tmp_path / "book")
    book.write("content/donors.md", "# Donors\n\nOur quiet donor: [the foundation](partners/secret-donor.md).\n\n"
                                    "```partnerbook\nview: diagram\nfocus: secret-donor\n```\n")
    result = book.build()
    assert result.returncode != 0
    assert "content/donors.md:3: error: links to partner 'secret-donor', which is internal" in result.stderr
    assert "content/donors.md:7: error: shows a view of partner 'secret-donor', which is internal" in result.stderr
    assert "Traceback" not in result.stderr
    check = book.check()
    assert check.returncode == 1
    assert "content/donors.md:3: error: links to partner 'secret-donor'" in check.stdout
    assert "content/donors.md:7: error: shows a view of partner 'secret-donor'" in check.stdout
    assert "no partner has the id" not in check.stdout  # each fault once
    assert "leaves out 1 partner" in check.stderr
    assert book.check("--edition", "internal").returncode == 0
    book.write("mkdocs.yml", mkdocs_yml(plugin_options=CANARY_OPTIONS + "edition: internal\n"))
    result = book.build()
    assert result.returncode == 0, result.stderr


def test_shorthands_hide_money_power_and_impact(tmp_path):
    book = _canary_book(tmp_path / "book", "amounts: hidden\npower: hidden\nimpact: hidden\n")
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert _leaks(book.path / "site") == []
    site = book.path / "site"
    for page in site.rglob("*.html"):
        assert not re.search(r"10,000|5,000", BeautifulSoup(page.read_text(encoding="utf-8"),
                                                            "html.parser").get_text(" ")), page
    assert "4 funding flows are not shown in this edition" in book.page("funding/").get_text(" ")
    assert "2 decisions are not shown in this edition" in book.page("power/").get_text(" ")
    assert not (site / "impact").exists()
    assert book.page("partners/maker/").find(id="impact") is None


def test_wrong_edition_options_are_errors(tmp_path):
    book = _canary_book(tmp_path / "book", "internal_fields: [funding.amount, partners.nickname]\n")
    result = book.build()
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "field 'amount' cannot be internal" in result.stderr
    assert "'partners.nickname' is not collection.field" in result.stderr
    check = book.check()
    assert check.returncode == 1
    assert "field 'amount' cannot be internal" in check.stderr


def test_the_focal_partner_cannot_be_internal(handbook: Handbook):
    handbook.write("network/network.yml", CANARY_NETWORK.replace("  - id: hub\n    name: Hub Org\n",
                                                                 "  - id: hub\n    name: Hub Org\n"
                                                                 "    visibility: internal\n"))
    result = handbook.check()
    assert result.returncode == 1
    assert "network/network.yml:11: error: 'hub' is the focal partner" in result.stdout


def test_example_handbook_publishes_without_what_it_marks_internal(tmp_path, example):
    """The repository's handbook marks a donor (network/ovn.yml), its grant, a draft agreement with its
    scorecard (network/agreements.yml) and every agreement's notes (mkdocs.yml) internal."""
    book = example_handbook(tmp_path / "book")
    internal = ("Harambee", "harambee-trust", "Sahel Sensors plug-in pilot", "sahel-pilot-loi", "exclusivity",
                "subgrants flow through it", "Bridge funding")
    result = example.result  # the public edition: the run's shared `mkdocs build --strict` of the same files
    assert result.returncode == 0, result.stderr[-3000:]
    found = [(name, word) for name, text in _texts(example.path / "site") for word in internal if word in text]
    assert found == []
    result = book.run("mkdocs", "build", "--strict", "-f", "mkdocs-internal.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    everything = "\n".join(text for _, text in _texts(book.path / "site-internal"))
    assert all(word in everything for word in internal)
    donor = BeautifulSoup((book.path / "site-internal/partners/harambee-trust/index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert donor.head.find("meta", attrs={"name": "robots", "content": "noindex"})


def test_plugins_written_as_a_mapping_keep_their_options_on_the_command_line(tmp_path):
    # The mapping form is what INHERIT merges (content/guide/publishing.md); read as a list of
    # names it gave no options at all, so `export` wrote the notes `internal_fields` withholds.
    book = _canary_book(tmp_path / "book")
    book.write("mkdocs.yml", "site_name: Fixture\ndocs_dir: content\nplugins:\n  search: {}\n  partnerbook:\n"
                             "    internal_fields: [agreements.notes]\n")
    result = book.run("partnerbook", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "CANARYFIELDNOTES" not in result.stdout and "Build contract" in result.stdout
